"""factory_boy factories for the platform core. Apps add their own in tests/<app>/factories.py."""

import factory
from bianxue.accounts.models import Role, StaffMembership, User
from bianxue.institutions.models import Certificate, District, Institution, Major
from bianxue.people.models import Learner
from factory.django import DjangoModelFactory


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = "410202"
    name = "龙亭区"
    kind = "district"


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Institution

    code = factory.Sequence(lambda n: f"KF-T-{n:04d}")
    name = factory.Sequence(lambda n: f"测试机构{n}")
    type = "secondary_vocational"
    district = factory.SubFactory(DistrictFactory)


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = Certificate

    code = factory.Sequence(lambda n: f"XT{n:04d}")
    name = factory.Sequence(lambda n: f"测试证书{n}")


class MajorFactory(DjangoModelFactory):
    class Meta:
        model = Major

    institution = factory.SubFactory(InstitutionFactory)
    code = factory.Sequence(lambda n: f"{n:06d}")
    name = factory.Sequence(lambda n: f"专业{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    username = factory.SelfAttribute("email")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffMembershipFactory(DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = Role.TEACHER


def staff_user(*, institution, role=Role.TEACHER, mfa: bool = True, **kwargs) -> User:
    """A member of ``institution`` with ``role``; with a TOTP device unless ``mfa=False`` (every staff role
    signs in with a second factor)."""
    user = UserFactory(**kwargs)
    email_verify(user)  # roles go only to accounts with a verified contact
    StaffMembershipFactory(user=user, institution=institution, role=role)
    if mfa:
        mfa_enable(user)
    return user


def bureau_admin(*, mfa: bool = True, **kwargs) -> User:
    user = UserFactory(is_bureau_admin=True, **kwargs)
    email_verify(user)
    if mfa:
        mfa_enable(user)
    return user


def email_verify(user) -> None:
    """Record the user's email address as verified (allauth), as if they had followed the link."""
    from allauth.account.models import EmailAddress

    if user.email:
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET, *, margin: float = 5.0) -> str:
    """The authenticator code a phone shows now. A code is valid for one 30 s step only (no tolerance is
    configured), so a code handed out in the last ``margin`` seconds of its step could expire before the form
    that carries it reaches the server: wait for the next step instead, as a person would."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def mfa_enable(user) -> None:
    """Give a user a TOTP authenticator (as if they had set it up); nothing when they have one."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TOTP_SECRET)


def session_record_second_factor(client, user) -> None:
    """Record in ``client``'s session that ``user`` signed in with password and TOTP, through allauth's own
    record of a session's authentication methods; nothing for a user without a TOTP device."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.test import RequestFactory

    device = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if device is None:
        return
    request = RequestFactory().get("/")
    request.session, request.user = client.session, user
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", id=device.pk, type=device.type)
    request.session.save()


def sign_in_without_second_factor(client, user) -> None:
    """A session with the user signed in but no second factor used (what the CMS's or Django's own login
    form gave before there was one sign-in door)."""
    client.force_login_password_only(user)


class LearnerFactory(DjangoModelFactory):
    class Meta:
        model = Learner

    name = factory.Sequence(lambda n: f"学员{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from bianxue.people.services import learner_get_or_create

        identifier = kwargs.pop("identifier", None) or f"T{Learner.objects.count() + 1:08d}{id(kwargs) % 1000}"
        return learner_get_or_create(identifier=identifier, name=kwargs.get("name", "学员"),
                                     birth_year=kwargs.get("birth_year"))


def learner_bind(*, user, identifier: str, name: str):
    """A proved real-name binding, as the bureau's desk would confirm it (for tests not about binding)."""
    from bianxue.people.services import binding_request_confirm, binding_request_start

    claim = binding_request_start(user=user, identifier=identifier, name=name)
    return binding_request_confirm(actor=bureau_admin(), claim_id=claim.pk, reason="test")


def valuation_rules_create() -> list:
    """The city's two valuation rules as the demo has them (hours; fixed per 1+X level), valid since 2020."""
    import datetime

    from credits.models import ValuationRule

    return [
        ValuationRule.objects.create(code="hours", name="学时认定", kind="hours", valid_from=datetime.date(2020, 1, 1)),
        ValuationRule.objects.create(code="x", name="1+X 证书认定", kind="fixed", valid_from=datetime.date(2020, 1, 1)),
    ]


def exam_site_create(*, institution, certificate, note: str = "测试考核站点"):
    """Register ``institution`` as a 1+X exam site for ``certificate`` (the row the bureau's service writes)."""
    from credits.models import Accreditation

    return Accreditation.objects.create(institution=institution, outcome_type="x_certificate",
                                        certificate=certificate, accredited=True, note=note)


# --- stream community-boards ---------------------------------------------------------------------------------

_phone_seq = iter(range(10_000_000))


def resident(**kwargs) -> User:
    """A resident who may post: a login with a verified mobile number (no staff role, no second factor)."""
    kwargs.setdefault("phone", f"139{next(_phone_seq):08d}")
    return UserFactory(phone_verified=True, **kwargs)


def member_trust(user) -> User:
    """A member whose earlier posts moderators approved (their posts are no longer held as a new member's)."""
    from community.models import MemberStanding

    MemberStanding.objects.update_or_create(user=user, defaults={"approved_posts": 10})
    return user


class CircleFactory(DjangoModelFactory):
    class Meta:
        model = "community.Circle"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"学习圈{n}")
    topic = "smart_tech"
    district = factory.SubFactory(DistrictFactory)
    leader = factory.LazyFunction(lambda: member_trust(resident()))

    @factory.post_generation
    def _leader_member(obj, create, extracted, **kwargs):
        if create:
            from community.models import CircleMembership

            CircleMembership.objects.get_or_create(circle=obj, user=obj.leader,
                                                   defaults={"status": "active", "is_leader": True})


def circle_post_create(*, circle, author, body: str, trusted: bool | None = None):
    """A post in a circle through the posting rules (``trusted=False`` forgets the author's standing first)."""
    from community.models import CircleMembership, MemberStanding
    from community.services.circles import circle_post_create as create

    CircleMembership.objects.get_or_create(circle=circle, user=author, defaults={"status": "active"})
    if trusted is False:
        MemberStanding.objects.filter(user=author).delete()
    return create(user=author, circle=circle, body=body)


# --- stream community-live -----------------------------------------------------------------------------------


def live_room_create(*, course, teacher, title: str = "直播答疑", askers: str = "enrolled"):
    """An open live Q&A room on ``course`` opened by ``teacher`` (through the service: staff only)."""
    from community.services.live import live_room_open

    return live_room_open(user=teacher, course_id=course.pk, title=title, askers=askers)


def course_learner(*, course, **kwargs) -> User:
    """A resident enrolled in ``course`` whose posts are no longer held as a new member's."""
    from courses.services import enrolment_create

    user = member_trust(resident(**kwargs))
    enrolment_create(user=user, course=course)
    return user
