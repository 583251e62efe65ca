"""Demo data of the community (idempotent): boards with threads and a teacher's answer on several demo
courses, study circles in several districts (led by a teacher, a community worker and a resident) with
members, meetings and posts, and a demo circle leader login (a resident: no staff role, no second factor).

Run by ``load_demo`` after the courses app's loader (INSTALLED_APPS order). Writes only community tables
(and the demo users of its own); courses are read through the courses app's selectors."""

import datetime

from bianxue.accounts.models import User
from django.utils import timezone

from .models import (
    Board,
    Circle,
    CircleMeeting,
    CircleMembership,
    CirclePost,
    LeaderKind,
    MembershipStatus,
    MemberStanding,
    Reply,
    Thread,
    ThreadFollow,
)

CIRCLE_LEADER = ("circle@demo.bianxue.cn", "Bianxue-circle-2026", "张大爷（学习圈圈主）", "+8613800000002")
NEIGHBOURS = [
    ("neighbour1@demo.bianxue.cn", "刘阿姨", "+8613800000011"),
    ("neighbour2@demo.bianxue.cn", "陈大叔", "+8613800000012"),
    ("worker@demo.bianxue.cn", "马主任（社区工作者）", "+8613800000013"),
]
BOARDS = {
    "smartphone-for-elders": [
        ("微信视频通话时没有声音怎么办？", "和孙子视频的时候听不见声音，音量已经调到最大了。",
         [("learner", "我也遇到过，后来发现是手机开了静音模式。"),
          ("teacher", "请先检查通话界面的扬声器按钮是否打开；再到「设置 → 声音」里看媒体音量。下节课我们会一起练习。")]),
        ("怎么把字体调大？", "屏幕上的字太小了，看着费劲。",
         [("teacher", "在「设置 → 显示 → 字体大小」里拖动滑块即可，第一课的视频第 5 分钟有演示。")]),
    ],
    "calligraphy-elders": [("楷书的横画总是写不平", "老师，横画起笔和收笔有什么要领？", [])],
    "health-chronic-eu": [("血压早晚差别大正常吗？", "早上量 150，晚上量 130，需要去医院吗？",
                           [("teacher", "早晚有波动是常见的，但请记录一周的数据，带去社区卫生服务中心请医生看。")])],
    "phone-video-eu": [("剪映里怎么加字幕？", "拍了孙女的舞蹈视频，想加上字幕。", [])],
}
CIRCLES = [
    # name, topic, district, leader key, open, place, description
    ("龙亭区智能手机互助学习圈", "smart_tech", "410202", "circle", True, "北道门社区活动室",
     "每周二上午一起练习手机：视频通话、扫码、防诈骗。欢迎邻居们来。"),
    ("鼓楼区书法爱好者", "arts", "410204", "teacher", False, "鼓楼区老年大学书画室",
     "跟着老年大学李老师练楷书，每两周一次，需要申请加入。"),
    ("禹王台区健康养生读书会", "health", "410205", "worker", True, "繁塔社区党群服务中心",
     "读健康书、交流养生经验，社区工作者组织。"),
    ("祥符区汴绣与非遗文化圈", "culture", "410212", "circle", False, "祥符区文化馆",
     "认识汴绣、木版年画等开封非遗，申请加入。"),
]


def _user(email: str, name: str, phone: str, password: str | None = None) -> User:
    user = User.objects.filter(email=email).first() or User(username=email, email=email)
    user.display_name, user.phone, user.phone_verified = name, phone, True
    if password:
        user.set_password(password)
    elif not user.pk:
        user.set_unusable_password()
    user.save()
    MemberStanding.objects.update_or_create(user=user, defaults={"approved_posts": 5})
    return user


def _boards(people: dict) -> int:
    from courses.selectors import course_list

    courses = {c.slug: c for c in course_list().filter(slug__in=list(BOARDS))}
    made = 0
    for slug, threads in BOARDS.items():
        course = courses.get(slug)
        if course is None:
            continue
        board, _created = Board.objects.get_or_create(course_id=course.pk)
        for n, (title, body, replies) in enumerate(threads):
            if Thread.objects.filter(board=board, title=title).exists():
                continue
            at = timezone.now() - datetime.timedelta(days=3 - n, hours=2)
            author = people["learner"] if slug == "smartphone-for-elders" else people["neighbour1"]
            thread = Thread.objects.create(board=board, author=author, title=title, body=body, created_at=at,
                                           last_activity_at=at)
            ThreadFollow.objects.get_or_create(user=author, thread=thread)
            for m, (who, text) in enumerate(replies):
                staff = who == "teacher"
                Reply.objects.create(thread=thread, author=people[who if who != "learner" else "neighbour2"],
                                     body=text, by_staff=staff, teacher_answer=staff,
                                     created_at=at + datetime.timedelta(hours=m + 1))
            Reply(thread=thread).moderation_changed()
            made += 1
        board.thread_count = Thread.objects.filter(board=board, status="visible").count()
        board.last_activity_at = timezone.now()
        board.save(update_fields=["thread_count", "last_activity_at"])
    return made


def _circles(people: dict) -> int:
    now = timezone.localtime()
    made = 0
    for n, (name, topic, district, leader_key, open_join, place, description) in enumerate(CIRCLES):
        leader = people[leader_key]
        kind = {"teacher": LeaderKind.TEACHER, "worker": LeaderKind.WORKER}.get(leader_key, LeaderKind.RESIDENT)
        circle, created = Circle.objects.get_or_create(
            name=name, defaults={"topic": topic, "district_id": district, "leader": leader, "leader_kind": kind,
                                 "open_join": open_join, "place": place, "description": description})
        made += created
        members = [leader, people["neighbour1"], people["neighbour2"]] + ([people["learner"]] if n == 0 else [])
        for user in members:
            CircleMembership.objects.get_or_create(circle=circle, user=user, defaults={
                "status": MembershipStatus.ACTIVE, "is_leader": user == leader, "decided_by": leader,
                "decided_at": now})
        circle.member_count = circle.memberships.filter(status=MembershipStatus.ACTIVE).count()
        circle.save(update_fields=["member_count"])
        if not circle.meetings.filter(starts_at__gte=timezone.now()).exists():
            day = (now + datetime.timedelta(days=3 + n)).replace(hour=9, minute=30, second=0, microsecond=0)
            CircleMeeting.objects.create(circle=circle, title=f"第{n + 1}次活动", starts_at=day,
                                         ends_at=day + datetime.timedelta(minutes=90), place=place, created_by=leader)
        if created:
            CirclePost.objects.create(circle=circle, author=leader, body=f"欢迎加入「{name}」！活动安排见上方。")
            CirclePost.objects.create(circle=circle, author=people["neighbour1"], body="报名了，到时候见！")
    return made


def load(*, stdout) -> None:
    learner = User.objects.filter(email="learner@demo.bianxue.cn").first()
    teacher = User.objects.filter(email="teacher@demo.bianxue.cn").first()
    if learner is None or teacher is None:
        stdout.write("  community: demo users missing, skipped")
        return
    email, password, name, phone = CIRCLE_LEADER
    people = {"learner": learner, "teacher": teacher, "circle": _user(email, name, phone, password)}
    MemberStanding.objects.update_or_create(user=learner, defaults={"approved_posts": 5})
    for n, (email_n, name_n, phone_n) in enumerate(NEIGHBOURS):
        people[["neighbour1", "neighbour2", "worker"][n]] = _user(email_n, name_n, phone_n)
    threads = _boards(people)
    circles = _circles(people)
    stdout.write(f"  community: {threads} new threads on course boards, {circles} new study circles")
    stdout.write(f"  circle leader (a resident: no second factor)  {email}  {password}  (or sign in with {phone[3:]})")
    from .demo_live import load as live_load  # the smartphone course's open live Q&A room (community-live)

    live_load(stdout=stdout)
