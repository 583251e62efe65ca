"""Demo content of the portal: the announcements section with a few Kaifeng notices. Idempotent."""

import datetime

from django.utils import timezone

NEWS = [
    ("2026-秋季长辈智能手机课开始报名", "smartphone-class-autumn", 3,
     "开封老年大学和各社区教育中心开设智能手机使用课：扫码、视频通话、网上挂号、防诈骗。",
     "<p>课程面向60岁以上居民，免费参加，每周两次，每次一个半小时。可在“课程”中搜索“智能手机”报名，也可到就近的社区教育中心现场报名。</p>"),
    ("学分银行开通学习成果证明下载", "credit-bank-certificates", 10,
     "在“学分银行”中可以查看个人学分，并下载带二维码的学习成果证明。",
     "<p>学习成果证明带有二维码，用人单位和学校扫码即可核验真伪。</p>"),
    ("“十四五”终身学习示范项目征集通知", "lifelong-learning-projects", 20,
     "面向全市各级各类学校、社区教育机构征集终身学习示范项目。",
     "<p>请各单位于本月底前通过平台提交申报材料。</p>"),
]


def load(*, stdout) -> None:
    from wagtail.models import Page

    from .models import HomePage, NewsIndexPage, NewsPage

    home = HomePage.objects.first()
    if home is None:
        stdout.write("  frontend: no home page (run migrate first)")
        return
    index = NewsIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=NewsIndexPage(title="通知公告", slug="news", intro="汴学平台和开封市教育局的通知。"))
        index.save_revision().publish()
    today = timezone.localdate()
    created = 0
    for title, slug, days_ago, summary, body in NEWS:
        if Page.objects.child_of(index).filter(slug=slug).exists():
            continue
        page = NewsPage(title=title, slug=slug, date=today - datetime.timedelta(days=days_ago), summary=summary,
                        body=[("text", body)])
        index.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    stdout.write(f"  frontend: announcements ready ({created} new)")
