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


def staff_user(*, institution, role=Role.TEACHER, **kwargs) -> User:
    user = UserFactory(**kwargs)
    StaffMembershipFactory(user=user, institution=institution, role=role)
    return user


def bureau_admin(**kwargs) -> User:
    return UserFactory(is_bureau_admin=True, is_staff=True, **kwargs)


def mfa_enable(user) -> None:
    """Give a user a TOTP authenticator (as if they had set it up)."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")


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
