"""Demo catalog: realistic courses in every category from the Kaifeng providers. Idempotent.

Video lessons use a small bundled sample video (20-second VP9/Opus WebM title card, made by
courses/make_sample_video.sh) with WebVTT captions; audio lessons (a WAV tone) carry a transcript.
"""

import datetime
import uuid
from decimal import Decimal

from bianxue.accounts.models import User
from bianxue.institutions.models import Certificate, District, Institution
from django.utils import timezone

from .models import Audience, CoursePage, CourseStats, ExamRegistration, ExamSession, ProgrammePage, Session
from .services import catalog_setup

SAMPLE_VIDEO = "/static/courses/media/sample-lesson.webm"
SAMPLE_AUDIO = "/static/courses/media/sample-lesson.wav"
SAMPLE_CAPTIONS = "/static/courses/media/sample-lesson.vtt"


def _id(slug: str, n: int) -> str:
    """Stable lesson ids, so reloading the demo keeps learners' progress."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bianxue-demo/{slug}/{n}"))


def _video(title, minutes=12, required=True):
    return ("video", {"title": title, "minutes": minutes, "required": required, "video": None,
                      "video_url": SAMPLE_VIDEO, "captions": None, "captions_url": SAMPLE_CAPTIONS, "summary": ""})


def _audio(title, transcript, minutes=8):
    return ("audio", {"title": title, "minutes": minutes, "required": True, "audio": None,
                      "audio_url": SAMPLE_AUDIO, "transcript": transcript})


def _text(title, body, minutes=10, required=True):
    return ("text", {"title": title, "minutes": minutes, "required": required, "body": body})


def _quiz(title, questions, pass_mark=60, max_attempts=3):
    return ("quiz", {"title": title, "minutes": 5, "required": True, "pass_mark": pass_mark,
                     "max_attempts": max_attempts, "draw": 0,
                     "questions": [{"text": q, "choices": [{"text": t, "correct": ok} for t, ok in choices],
                                    "explanation": ""} for q, choices in questions]})


SMARTPHONE_QUIZ = [
    ("陌生电话让您转账到“安全账户”，应该怎么做？",
     [("马上转账", False), ("挂断电话，打给子女或拨打 110 核实", True), ("把验证码告诉对方", False)]),
    ("微信视频通话的按钮在哪里？",
     [("聊天窗口右下角的“+”里", True), ("手机设置里", False), ("相册里", False)]),
]

COURSES = [
    # slug, title, provider, category, mode, audiences, hours, summary, extra, lessons
    ("smartphone-for-elders", "智能手机使用入门（长辈班）", "KF-EU", "elderly", "blended", ["elderly"], "8",
     "手把手教长辈用微信视频、扫码乘车、识别电信诈骗。",
     {"venue": "开封老年大学 教学楼 203 教室", "schedule": "每周二、周四 上午 9:00–10:30", "capacity": 30,
      "credits": Decimal("0.5")},
     [_video("第一课：认识智能手机"), _audio("第二课：防范电信诈骗", "<p>各位长辈好。今天讲怎样识别电信诈骗。"
      "凡是电话里让您转账、告诉验证码的，一律挂断，再打给子女或拨打 110 核实。</p>"),
      _text("第三课：微信视频通话", "<p>打开微信，点开家人的聊天窗口，点右下角“+”，再点“视频通话”。</p>"),
      _quiz("课后小测验", SMARTPHONE_QUIZ)]),
    ("calligraphy-elders", "老年书法（楷书基础）", "KF-EU", "elderly", "offline", ["elderly"], "24",
     "从握笔、永字八法起步，适合零基础长辈。",
     {"venue": "开封老年大学 书画室", "schedule": "每周三 下午 2:30–4:30", "capacity": 2}, []),
    ("computer-basics-ou", "计算机应用基础", "KF-OU", "open_university", "online", ["students"], "36",
     "开放教育公共基础课：办公软件、网络与信息安全。", {"credits": Decimal("2")},
     [_video("第一章：计算机基础知识", 20), _text("第二章：文字处理", "<p>学习 WPS 文字的排版与打印。</p>"),
      _quiz("单元测验", [("保存文档的快捷键是？", [("Ctrl+S", True), ("Ctrl+P", False), ("Ctrl+Z", False)])])]),
    ("first-aid-longting", "家庭急救常识（社区公益课）", "KF-CC-410202", "community", "blended", ["elderly", "veterans"],
     "6", "心肺复苏、海姆立克急救法，社区医生现场示范。",
     {"venue": "龙亭区社区学院 多功能厅", "schedule": "每月第一个周六 上午", "capacity": 40},
     [_video("心肺复苏步骤"), _quiz("急救小测", [("发现有人倒地无反应，第一步是？",
                                          [("确认现场安全并呼救", True), ("马上喂水", False)])])]),
    ("accounting-cpd", "会计人员继续教育（2026 年度）", "KF-HV-KFU", "continuing", "online", [], "24",
     "政府会计准则与智能财税新变化。", {},
     [_video("政府会计准则解读", 30), _text("电子发票与数电票", "<p>数电票的开具、交付与入账。</p>")]),
    ("livestream-ecommerce", "农村电商直播技能培训", "KF-HV-LKSN", "vocational", "blended",
     ["rural_labour", "migrant_workers"], "40", "兰考特色农产品直播带货实训。",
     {"venue": "兰考三农职业学院 电商实训中心", "schedule": "集中培训 5 天", "capacity": 50},
     [_video("直播间搭建"), _text("选品与定价", "<p>蜜瓜、红薯等季节性农产品的选品。</p>")]),
]

ELDERCARE_PROGRAMME = ("eldercare-1x", "老年照护 1+X 证书培训项目", "KF-HV-KFZH", "X-LNZH", "junior")
ELDERCARE_COURSE = (
    "eldercare-junior", "老年照护（初级）证书培训", "KF-HV-KFZH", "x_certificate", "blended", ["students"], "64",
    "对接 1+X 老年照护职业技能等级证书（初级），理论 + 实操。",
    {"venue": "开封智慧健康职业学院 护理实训楼", "schedule": "周末集中授课", "capacity": 40},
    [_video("老年人生活照护概论"), _text("协助进食与饮水", "<p>体位、速度与误吸的预防。</p>"),
     _quiz("理论模拟题", [("协助卧床老人进食时，床头应抬高约？", [("30–45 度", True), ("0 度", False)])], pass_mark=80)],
)


def _stream(slug, lessons):
    return [{"type": t, "value": v, "id": _id(slug, n)} for n, (t, v) in enumerate(lessons)]


def _course(parent, spec, *, certificate=None, cert_level=""):
    slug, title, provider_code, category, mode, audiences, hours, summary, extra, lessons = spec
    provider = Institution.objects.filter(code=provider_code).first()
    if provider is None:
        return None
    course = CoursePage.objects.filter(slug=slug).first()
    today = timezone.localdate()
    fields = {
        "title": title, "code": slug, "provider": provider, "category": category, "mode": mode,
        "hours": Decimal(hours), "summary": summary, "district": District.objects.filter(pk=provider.district_id).first(),
        "description": f"<p>{summary}</p><p>举办机构：{provider.name}。</p>",
        "start_date": today - datetime.timedelta(days=7), "end_date": today + datetime.timedelta(days=60),
        "enrol_opens": today - datetime.timedelta(days=30), "enrol_closes": today + datetime.timedelta(days=45),
        "certificate": certificate, "cert_level": cert_level, **extra,
    }
    if course is None:
        course = CoursePage(slug=slug, lessons=_stream(slug, lessons), **fields)
        parent.add_child(instance=course)
    else:
        for key, value in fields.items():
            setattr(course, key, value)
        course.lessons = _stream(slug, lessons)
    course.save()
    course.audiences.set(Audience.objects.filter(code__in=audiences))
    course.save_revision().publish()
    CourseStats.objects.get_or_create(course=course)
    return course


def _sessions(course, n=3):
    if course is None or course.sessions.exists():
        return
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    starts = [now - datetime.timedelta(days=7), now, now + datetime.timedelta(days=7)][:n]
    for i, start in enumerate(starts, start=1):
        Session.objects.create(course=course, title=f"第 {i} 次课", starts_at=start,
                               ends_at=start + datetime.timedelta(hours=2), venue=course.venue)


# Candidates registered for the demo sitting held yesterday (valid resident ID numbers, made-up people).
DEMO_CANDIDATES = [("410221199003150021", "李春燕"), ("41020419881102003X", "赵建国")]


def _exam_sittings(provider, certificate, level, programme) -> None:
    """Two sittings at the exam site (开封智慧健康职业学院 is one for 老年照护, see credits.demo.EXAM_SITES):
    yesterday's, with registered candidates (results may be entered for them), and one open for registration."""
    from bianxue.people.services import learner_for_user_get_or_create, learner_get_or_create

    from credits.demo import exam_sites_load

    exam_sites_load()
    today = timezone.localdate()
    held = ExamSession.objects.filter(programme=programme, cert_level=level).first()
    if held is None:
        held = ExamSession.objects.create(institution=provider, certificate=certificate, cert_level=level,
                                          programme=programme, date=today - datetime.timedelta(days=1),
                                          venue="开封智慧健康职业学院 考点")
    candidates = [learner_get_or_create(identifier=number, name=name) for number, name in DEMO_CANDIDATES]
    learner_user = User.objects.filter(email="learner@demo.bianxue.cn").first()
    if learner_user is not None:
        candidates.append(learner_for_user_get_or_create(user=learner_user))
    for learner in candidates:
        ExamRegistration.objects.get_or_create(exam_session=held, learner=learner)
    if not ExamSession.objects.filter(programme=programme, cert_level="intermediate").exists():
        ExamSession.objects.create(institution=provider, certificate=certificate, cert_level="intermediate",
                                   programme=programme, date=today + datetime.timedelta(days=21),
                                   venue="开封智慧健康职业学院 考点")


def load(*, stdout) -> None:
    setup = catalog_setup()
    sections = {s.category: s for s in setup["sections"]}
    if not sections:
        stdout.write("  courses: no home page yet, catalog not loaded")
        return
    made = []
    for spec in COURSES:
        made.append(_course(sections[spec[3]], spec))
    slug, title, provider_code, cert_code, level = ELDERCARE_PROGRAMME
    certificate = Certificate.objects.filter(code=cert_code).first()
    provider = Institution.objects.filter(code=provider_code).first()
    if certificate and provider:
        programme = ProgrammePage.objects.filter(slug=slug).first()
        if programme is None:
            programme = ProgrammePage(slug=slug, title=title, provider=provider, category="x_certificate",
                                      certificate=certificate, cert_level=level,
                                      description="<p>书证融通：课程对接老年照护职业技能等级证书。</p>")
            sections["x_certificate"].add_child(instance=programme)
            programme.save_revision().publish()
        eldercare = _course(programme, ELDERCARE_COURSE, certificate=certificate, cert_level=level)
        made.append(eldercare)
        _sessions(eldercare)
        _exam_sittings(provider, certificate, level, programme)
    by_slug = {c.slug: c for c in made if c}
    for slug in ("smartphone-for-elders", "calligraphy-elders", "first-aid-longting", "livestream-ecommerce"):
        if slug in by_slug:
            _sessions(by_slug[slug])
    _demo_groups(setup)
    stdout.write(f"  courses: {len(by_slug)} courses in {len(sections)} sections, moderation workflow "
                 f"“{setup['workflow'].name}”")


def _demo_groups(setup) -> None:
    """Put the demo staff and bureau logins in the editor groups (if the accounts loader has not)."""
    for email, group in (("teacher@demo.bianxue.cn", setup["staff_group"]),
                         ("registrar@demo.bianxue.cn", setup["staff_group"]),
                         ("bureau@demo.bianxue.cn", setup["bureau_group"])):
        user = User.objects.filter(email=email).first()
        if user is not None:
            user.groups.add(group)
