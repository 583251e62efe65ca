"""The portal home page, news pages and the design-system components (server-rendered, no JS)."""

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from frontend.models import HomePage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_page_exists_and_renders_without_javascript(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    html = response.content.decode()
    assert HomePage.objects.count() == 1
    # the core paths are plain links and forms
    assert 'action="/search/"' in html and 'name="q"' in html
    assert 'href="/learn/?category=elderly"' in html
    assert 'href="/credits/"' in html and 'href="/community/"' in html
    assert 'action="/ui/elder/"' in html and 'action="/ui/text-size/"' in html
    assert "<h1" in html and html.count("<h1") == 1
    assert 'type="module"' in html  # JS is an enhancement, deferred


def test_home_uses_no_other_host(client):
    html = client.get("/").content.decode()
    assert "cdn" not in html.lower()
    assert "fonts.googleapis" not in html and "//" not in html.split("<body")[0].replace("http://www.w3", "")


def test_home_query_count_does_not_grow_with_news(client, django_assert_max_num_queries):
    from frontend.demo import load

    client.get("/")
    load(stdout=type("S", (), {"write": staticmethod(lambda s: None)})())
    with django_assert_max_num_queries(40):
        response = client.get("/")
    assert "学分银行开通学习成果证明下载" in response.content.decode()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/")
    from frontend.models import NewsIndexPage, NewsPage

    index = NewsIndexPage.objects.first()
    for i in range(8):
        index.add_child(instance=NewsPage(title=f"通知{i}", slug=f"n{i}"))
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) <= len(few)


def test_news_index_and_page(client):
    from frontend.demo import load

    load(stdout=type("S", (), {"write": staticmethod(lambda s: None)})())
    index = client.get("/news/")
    assert index.status_code == 200 and "2026-秋季长辈智能手机课开始报名" in index.content.decode()
    page = client.get("/news/smartphone-class-autumn/")
    assert page.status_code == 200 and "返回通知公告" in page.content.decode()


def test_demo_loader_is_idempotent():
    from frontend.demo import load
    from frontend.models import NewsPage

    quiet = type("S", (), {"write": staticmethod(lambda s: None)})()
    load(stdout=quiet)
    load(stdout=quiet)
    assert NewsPage.objects.count() == 3


def test_signed_in_home_renders(client):
    client.force_login(UserFactory())
    assert client.get("/").status_code == 200


def test_404_uses_the_design_system(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode() and 'href="/"' in response.content.decode()


def _render(source, **context):
    request = RequestFactory().get("/list/?q=书法&page=2")
    return Template("{% load ui %}" + source).render(Context({"request": request, **context}))


def test_pagination_keeps_query_and_marks_current():
    page_obj = Paginator(list(range(100)), 10).get_page(2)
    html = _render("{% ui_pagination page_obj %}", page_obj=page_obj)
    assert 'aria-current="page"' in html and "q=%E4%B9%A6%E6%B3%95&amp;page=3" in html
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_progress_says_the_numbers():
    html = _render('{% ui_progress 3 10 label="学习进度" %}')
    assert "30%" in html and "3 / 10" in html and "<progress" in html


def test_empty_and_alert_use_words():
    html = _render('{% ui_empty "还没有课程" text="去看看" action_url="/learn/" action_label="全部课程" %}{% ui_alert "error" "出错了" %}')
    assert "还没有课程" in html and 'href="/learn/"' in html
    assert "错误：" in html and 'role="alert"' in html


def test_field_shows_inline_error_in_words():
    from django import forms

    class F(forms.Form):
        name = forms.CharField(label="姓名")

    form = F(data={})
    form.is_valid()
    html = _render("{% ui_field form.name %}{% ui_form_errors form %}", form=form)
    assert 'for="id_name"' in html and "错误：" in html and "（必填）" in html and 'href="#id_name"' in html


def test_qr_is_inline_svg():
    html = _render('{% ui_qr "https://bianxue.example/verify/abc" caption="扫码核验" %}')
    assert "<svg" in html and "扫码核验" in html


def test_tabs_and_breadcrumbs():
    html = _render('{% ui_tabs tabs "/a/" %}{% ui_breadcrumbs crumbs %}', tabs=[("/a/", "甲"), ("/b/", "乙")],
                   crumbs=[("/", "首页"), ("/x/", "当前")])
    assert '<a href="/a/" aria-current="page">甲</a>' in html
    assert '<li aria-current="page">当前</li>' in html


def _course_with_lessons(title, lessons):
    from courses.services import catalog_setup
    from tests.courses.factories import create_course, lesson

    sections = {s.category: s for s in catalog_setup()["sections"]}
    return create_course(sections, title=title, lessons=[lesson("text", t) for t in lessons])


def test_continue_learning_card_names_the_next_lesson_and_links_to_it(client):
    from courses import services

    user = UserFactory()
    client.force_login(user)
    assert "继续学习：" not in client.get("/").content.decode()  # nothing to continue: no card
    course = _course_with_lessons("智能手机使用入门", ["认识智能手机", "微信视频通话"])
    enrolment = services.enrolment_create(user=user, course=course)
    services.lesson_complete(user=user, enrolment=enrolment, lesson_id=course.lesson_list()[0]["id"])
    html = client.get("/").content.decode()
    assert "继续学习：智能手机使用入门" in html and "下一课：微信视频通话" in html and "已学完 1 / 2 课时" in html
    assert f'href="/learn/c/{course.pk}/lesson/{course.lesson_list()[1]["id"]}/" data-next-lesson' in html
    # the card comes before the category tiles, whatever the editors arrange
    assert html.index("data-next-lesson") < html.index('class="tile"')


def test_category_tiles_lead_to_filtered_catalog_pages_that_list_the_category(client):
    from bianxue.vocab import Category

    from frontend.blocks import HOME_CATEGORIES

    html = client.get("/").content.decode()
    catalog = client.get("/learn/").content.decode()
    for code in HOME_CATEGORIES:
        assert f'href="/learn/?category={code}"' in html
        assert f'href="?category={code}"' in catalog and f'<option value="{code}"' in catalog, code
    assert all(f'<option value="{c.value}"' in catalog for c in Category)  # every category can be filtered
