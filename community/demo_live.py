"""Demo data of live Q&A: an open room on the smartphone course (智能手机使用入门（长辈班）), opened by the demo
teacher, with a question from the demo learner answered and one waiting. Idempotent: found by its title."""

from django.contrib.auth import get_user_model

ROOM_TITLE = "智能手机答疑：微信视频和防诈骗"
QUESTIONS = [
    ("demo-live-q1", "微信视频通话时看不清对方的脸，怎么办？", "把手机竖着拿稳，离脸一臂远；网络不好时连上家里的无线网再打。"),
    ("demo-live-q2", "接到自称银行的电话让我说验证码，该怎么办？", None),
]


def load(stdout=None) -> None:
    from courses.participation import course_by_slug

    from .models import LiveRoom, MemberStanding
    from .services.live import live_answer_post, live_question_ask, live_room_open

    course = course_by_slug(slug="smartphone-for-elders")
    User = get_user_model()
    teacher = User.objects.filter(email="teacher@demo.bianxue.cn").first()
    learner = User.objects.filter(email="learner@demo.bianxue.cn").first()
    if course is None or teacher is None or learner is None:
        return
    room = LiveRoom.objects.filter(course=course, title=ROOM_TITLE).first()
    if room is None:
        room = live_room_open(user=teacher, course_id=course.pk, title=ROOM_TITLE)
    # the demo learner has posted before: their questions are not held as a new member's
    MemberStanding.objects.update_or_create(user=learner, defaults={"approved_posts": 10})
    for client_id, text, answer in QUESTIONS:
        question, _created = live_question_ask(user=learner, room_id=room.pk, client_id=client_id, text=text)
        if answer:
            live_answer_post(user=teacher, room_id=room.pk, question_id=question.pk, client_id=f"{client_id}-a",
                             text=answer)
    if stdout is not None:
        stdout.write(f"  live Q&A: {room.title} (/community/live/{room.pk}/)")
