"""Roles: services and selectors refuse other institutions; the same through HTTP and the Wagtail admin."""

import pytest
from bianxue.accounts.models import BUREAU_GROUP, STAFF_GROUP, AuditEntry, Role, StaffMembership
from bianxue.accounts.selectors import (
    institution_staff_list,
    institutions_for_user,
    user_can_act_for_institution,
    user_roles,
)
from bianxue.accounts.services import (
    institution_require_role,
    membership_grant,
    membership_revoke,
    user_set_bureau_admin,
)
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    InstitutionFactory,
    UserFactory,
    bureau_admin,
    email_verify,
    mfa_enable,
    staff_user,
)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


@pytest.fixture
def two_institutions(db):
    return InstitutionFactory(code="KF-A"), InstitutionFactory(code="KF-B")


# --- services and selectors --------------------------------------------------------------------


def test_staff_act_only_for_their_own_institution(two_institutions):
    a, b = two_institutions
    registrar = staff_user(institution=a, role=Role.REGISTRAR)
    assert user_can_act_for_institution(user=registrar, institution_id=a.pk)
    assert not user_can_act_for_institution(user=registrar, institution_id=b.pk)
    assert not user_can_act_for_institution(user=registrar, institution_id=a.pk, roles=[Role.CREDIT_OFFICER])
    institution_require_role(user=registrar, institution_id=a.pk, roles=[Role.REGISTRAR])
    with pytest.raises(PermissionDenied):
        institution_require_role(user=registrar, institution_id=b.pk)
    with pytest.raises(PermissionDenied):
        institution_staff_list(user=registrar, institution_id=b.pk)
    assert list(institutions_for_user(user=registrar)) == [a]
    assert user_roles(user=registrar) == {"learner", "registrar"}


def test_bureau_admin_acts_for_every_institution(two_institutions):
    a, b = two_institutions
    admin = bureau_admin()
    for inst in (a, b):
        institution_require_role(user=admin, institution_id=inst.pk, roles=[Role.CREDIT_OFFICER])
    assert set(institutions_for_user(user=admin)) == {a, b}
    assert "bureau_admin" in user_roles(user=admin)


def test_learner_has_no_institution(two_institutions):
    a, _ = two_institutions
    learner = UserFactory()
    assert user_roles(user=learner) == {"learner"}
    with pytest.raises(PermissionDenied):
        institution_require_role(user=learner, institution_id=a.pk)


def test_membership_grant_is_bureau_only_audited_and_sets_the_admin_group(two_institutions):
    a, _ = two_institutions
    admin, teacher, user = bureau_admin(), staff_user(institution=a), UserFactory()
    email_verify(user)
    with pytest.raises(PermissionDenied):
        membership_grant(actor=teacher, user=user, institution_id=a.pk, role=Role.TEACHER)
    membership = membership_grant(actor=admin, user=user, institution_id=a.pk, role=Role.TEACHER)
    assert membership.institution_id == a.pk
    entry = AuditEntry.objects.get(action="membership.grant")
    assert entry.actor == admin and entry.institution_id == a.pk and entry.object_id == str(membership.pk)
    assert user.groups.filter(name=STAFF_GROUP).exists()
    # granting again changes nothing and writes no second entry
    membership_grant(actor=admin, user=user, institution_id=a.pk, role=Role.TEACHER)
    assert AuditEntry.objects.filter(action="membership.grant").count() == 1

    membership_revoke(actor=admin, membership=membership, reason="left the school")
    assert not StaffMembership.objects.filter(user=user).exists()
    assert not user.groups.filter(name=STAFF_GROUP).exists()
    assert AuditEntry.objects.filter(action="membership.revoke").count() == 1


def test_membership_grant_refusal_speaks_only_the_active_language(two_institutions):
    a, _b = two_institutions
    teacher, user = staff_user(institution=a, role=Role.TEACHER), UserFactory()
    with translation.override("zh-hans"), pytest.raises(PermissionDenied) as exc:
        membership_grant(actor=teacher, user=user, institution_id=a.pk, role=Role.TEACHER)
    assert str(exc.value) == "只有教育局管理员可以授予机构角色。"
    with translation.override("en"), pytest.raises(PermissionDenied) as exc:
        membership_grant(actor=teacher, user=user, institution_id=a.pk, role=Role.TEACHER)
    assert str(exc.value) == "Only bureau administrators grant staff roles."


def test_bureau_admin_flag_sets_the_bureau_group(db):
    admin, other = bureau_admin(), UserFactory()
    email_verify(other)
    assert admin.groups.filter(name=BUREAU_GROUP).exists()  # kept in step on save
    user_set_bureau_admin(actor=admin, user=other, value=True)
    assert other.groups.filter(name=BUREAU_GROUP).exists()
    user_set_bureau_admin(actor=admin, user=other, value=False)
    assert not other.groups.filter(name=BUREAU_GROUP).exists()


def test_admin_groups_exist_with_wagtail_access(db):
    for name in (STAFF_GROUP, BUREAU_GROUP):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists()
    staff_perms = set(Group.objects.get(name=STAFF_GROUP).permissions.values_list("codename", flat=True))
    assert "change_institution" not in staff_perms and "view_institution" in staff_perms
    assert "change_staffmembership" not in staff_perms


# --- HTTP: institution overview and membership grants ------------------------------------------


def test_institution_page_own_200_other_403_admin_200(client, two_institutions):
    a, b = two_institutions
    teacher = staff_user(institution=a, role=Role.TEACHER, display_name="李老师")
    client.force_login(teacher)
    response = client.get(reverse("accounts:institution", args=[a.code]))
    assert response.status_code == 200 and "李老师" in response.content.decode()
    assert client.get(reverse("accounts:institution", args=[b.code])).status_code == 403
    assert client.get(reverse("accounts:institution", args=["NO-SUCH"])).status_code == 403

    admin = bureau_admin()
    mfa_enable(admin)
    client.force_login(admin)
    assert client.get(reverse("accounts:institution", args=[b.code])).status_code == 200
    assert client.get(reverse("accounts:institution", args=["NO-SUCH"])).status_code == 404


def test_institution_page_query_count_does_not_grow(client, two_institutions, django_assert_max_num_queries):
    a, _ = two_institutions
    teacher = staff_user(institution=a)
    client.force_login(teacher)
    client.get(reverse("accounts:institution", args=[a.code]))
    for _ in range(10):
        staff_user(institution=a, role=Role.REGISTRAR)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("accounts:institution", args=[a.code])).status_code == 200


def test_membership_grant_page_is_bureau_only(client, two_institutions):
    a, _ = two_institutions
    teacher = staff_user(institution=a)
    client.force_login(teacher)
    assert client.get(reverse("accounts:membership_grant")).status_code == 403

    admin = bureau_admin()
    mfa_enable(admin)
    newcomer = UserFactory(email="new.teacher@example.cn")
    email_verify(newcomer)
    client.force_login(admin)
    page = client.get(reverse("accounts:membership_grant"))
    assert page.status_code == 200 and '<label for="id_login">' in page.content.decode()
    response = client.post(
        reverse("accounts:membership_grant"),
        {"login": "new.teacher@example.cn", "institution": a.pk, "role": Role.REGISTRAR},
    )
    assert response.status_code == 302
    assert StaffMembership.objects.filter(user=newcomer, institution=a, role=Role.REGISTRAR).exists()
    assert AuditEntry.objects.filter(action="membership.grant", actor=admin).exists()

    unknown = client.post(
        reverse("accounts:membership_grant"), {"login": "nobody@example.cn", "institution": a.pk, "role": "teacher"}
    )
    assert unknown.status_code == 200 and "找不到该用户" in unknown.content.decode()


# --- Wagtail admin ------------------------------------------------------------------------------


def test_staff_and_bureau_reach_wagtail_admin_learners_do_not(client, two_institutions):
    a, _ = two_institutions
    teacher = staff_user(institution=a, role=Role.TEACHER)
    client.force_login(teacher)
    assert client.get("/admin/").status_code == 200

    learner = UserFactory()
    client.force_login(learner)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    turned_away = client.get(response["Location"])  # the reason, not a redirect loop
    assert turned_away.status_code == 200 and "admin" in turned_away.content.decode()

    admin = bureau_admin()
    mfa_enable(admin)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


def test_membership_snippets_are_bureau_only(client, two_institutions):
    a, _ = two_institutions
    list_url = reverse("wagtailsnippets_accounts_staffmembership:list")
    add_url = reverse("wagtailsnippets_accounts_staffmembership:add")
    officer = staff_user(institution=a, role=Role.CREDIT_OFFICER)
    mfa_enable(officer)
    client.force_login(officer)
    assert client.get(list_url).status_code in (302, 403)
    assert client.get(add_url).status_code in (302, 403)

    admin = bureau_admin()
    mfa_enable(admin)
    client.force_login(admin)
    assert client.get(list_url).status_code == 200
    assert client.get(add_url).status_code == 200
    user = UserFactory()
    email_verify(user)
    response = client.post(add_url, {"user": user.pk, "institution": a.pk, "role": Role.TEACHER})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert StaffMembership.objects.filter(user=user, institution=a).exists()
    assert user.groups.filter(name=STAFF_GROUP).exists()
    assert AuditEntry.objects.filter(action="membership.grant", data__via="wagtail").exists()


def test_institution_snippets_editable_by_bureau_admins_only(client, two_institutions):
    a, _ = two_institutions
    edit_url = reverse("wagtailsnippets_institutions_institution:edit", args=[a.pk])
    teacher = staff_user(institution=a, role=Role.TEACHER)
    client.force_login(teacher)
    assert client.get(edit_url).status_code in (302, 403)
    admin = bureau_admin()
    mfa_enable(admin)
    client.force_login(admin)
    assert client.get(edit_url).status_code == 200


# --- demo data -----------------------------------------------------------------------------------


def test_demo_loader_is_idempotent_and_sets_groups(db):
    from allauth.mfa.models import Authenticator
    from bianxue.accounts import demo_loader
    from bianxue.accounts.models import User
    from bianxue.institutions import demo_loader as inst_loader
    from bianxue.people import demo_loader as people_loader

    class Out:
        lines: list[str] = []

        def write(self, s):
            self.lines.append(s)

    inst_loader.load(stdout=Out())
    demo_loader.load(stdout=Out())
    people_loader.load(stdout=Out())  # the demo learner's real-name binding, confirmed by the demo bureau admin
    secrets_before = dict(
        Authenticator.objects.filter(type="totp").values_list("user__email", "data__secret")
    )
    demo_loader.load(stdout=Out())
    people_loader.load(stdout=Out())
    assert User.objects.filter(email__endswith="@demo.bianxue.cn").count() == 5
    assert StaffMembership.objects.filter(user__email__endswith="@demo.bianxue.cn").count() == 3
    assert Authenticator.objects.filter(type="totp").count() == 4  # every staff account
    assert dict(Authenticator.objects.filter(type="totp").values_list("user__email", "data__secret")) == secrets_before
    assert User.objects.get(email="teacher@demo.bianxue.cn").groups.filter(name=STAFF_GROUP).exists()
    assert User.objects.get(email="bureau@demo.bianxue.cn").groups.filter(name=BUREAU_GROUP).exists()
    assert not User.objects.get(email="learner@demo.bianxue.cn").groups.exists()
    assert User.objects.get(email="learner@demo.bianxue.cn").learner.id_masked == "4102**********0023"
    assert any("TOTP secret" in line for line in Out.lines)
