"""Attacks through roles (issue 10): a revoked role that keeps working, and a role granted to an account nobody
proved they own.

Scenario × door:
- Revoked membership, same session, no new sign-in: refused at once on the CMS admin (/admin/ and its document
  listing) and on a staff page (/learn/staff/). Permissions are read from the groups on every request, and the
  revoke takes the user out of the groups in the same transaction. Bulk action, command: n/a (no bulk revoke; no
  command revokes roles).
- Role granted to an account without a verified email or mobile number: refused on the grant page
  (/me/memberships/grant/) and in the CMS admin's membership form, in zh and en, nothing written; the service
  refuses making such an account a bureau administrator (no page or command sets that flag today). Wagtail's
  own user and group editor (/admin/users/, /admin/groups/) is reachable by superusers only (the operator's
  `createsuperuser`): staff and the bureau are turned away, so nobody escalates through it. Command: n/a (no
  command grants roles). Bulk action: n/a.
Legitimate: a verified account granted a role is led through setting up the second factor on its next request.
"""

import pytest
from bianxue.accounts.models import AuditEntry, Role, StaffMembership
from bianxue.accounts.services import membership_grant, membership_revoke, user_set_bureau_admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.factories import InstitutionFactory, UserFactory, bureau_admin, email_verify, staff_user
from tests.security.conftest import in_language

pytestmark = pytest.mark.django_db
UNVERIFIED = {
    "zh-hans": "只能向已验证电子邮箱或手机号的账户授予角色：请该用户先验证其电子邮箱或手机号。",
    "en": "Roles are granted only to accounts with a verified email address or mobile number: ask the user to "
          "verify their email or mobile number first.",
}


@pytest.fixture
def school(db):
    return InstitutionFactory(code="KF-S", name="某校")


def _written() -> tuple:
    return StaffMembership.objects.count(), AuditEntry.objects.count()


# --- revoked membership, same session -------------------------------------------------------------


def test_revoked_teacher_is_refused_the_cms_admin_at_once_in_the_same_session(client, school):
    teacher = staff_user(institution=school, role=Role.TEACHER)
    client.force_login(teacher)
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("wagtaildocs:index")).status_code == 200
    membership_revoke(actor=bureau_admin(), membership=teacher.memberships.get(), reason="离职")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("wagtaildocs:index")).status_code == 302
    assert not teacher.groups.exists()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_revoked_teacher_is_refused_the_staff_page_at_once_in_the_same_session(client, school, language):
    teacher = staff_user(institution=school, role=Role.TEACHER)
    client.force_login(teacher)
    assert client.get("/learn/staff/").status_code == 200
    membership_revoke(actor=bureau_admin(), membership=teacher.memberships.get())
    in_language(client, language)
    response = client.get("/learn/staff/")
    assert response.status_code == 403
    assert {"zh-hans": "仅限机构工作人员。", "en": "Institution staff only."}[language] in response.content.decode()


# --- roles only to verified contacts ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_grant_page_refuses_an_unverified_account(client, school, language):
    UserFactory(email="unverified@example.cn")  # signed up, never followed the link
    client.force_login(bureau_admin())
    before = _written()
    in_language(client, language)
    response = client.post(reverse("accounts:membership_grant"),
                           {"login": "unverified@example.cn", "institution": school.pk, "role": Role.TEACHER})
    assert response.status_code == 200 and UNVERIFIED[language] in response.content.decode()
    assert _written() == before


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_cms_membership_form_refuses_an_unverified_account(client, school, language):
    user = UserFactory()
    client.force_login(bureau_admin())
    before = _written()
    in_language(client, language)
    response = client.post(reverse("wagtailsnippets_accounts_staffmembership:add"),
                           {"user": user.pk, "institution": school.pk, "role": Role.TEACHER})
    assert response.status_code == 200 and UNVERIFIED[language] in response.content.decode()
    assert _written() == before and not user.groups.exists()


def test_unverified_phone_is_not_a_verified_contact_and_a_verified_one_is(school):
    admin = bureau_admin()
    user = UserFactory(email="", phone="+8613812345678", phone_verified=False)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        membership_grant(actor=admin, user=user, institution_id=school.pk, role=Role.TEACHER)
    assert refused.value.messages == [UNVERIFIED["en"]]
    with pytest.raises(ValidationError):
        user_set_bureau_admin(actor=admin, user=user, value=True)
    user.refresh_from_db()
    assert not user.is_bureau_admin and not StaffMembership.objects.filter(user=user).exists()
    user.phone_verified = True
    user.save(update_fields=["phone_verified"])
    assert membership_grant(actor=admin, user=user, institution_id=school.pk, role=Role.TEACHER).pk


def test_wagtail_user_and_group_editor_is_not_reachable_by_staff_or_the_bureau(client, school):
    for user in (staff_user(institution=school, role=Role.CREDIT_OFFICER), bureau_admin()):
        client.force_login(user)
        for url in ("/admin/users/", "/admin/groups/", reverse("wagtailusers_users:edit", args=[user.pk])):
            response = client.get(url)
            assert response.status_code in (302, 403), (user, url)
            if response.status_code == 302:
                assert response["Location"] == reverse("wagtailadmin_home")


# --- legitimate: a new staff member is led through the second factor -------------------------------


def test_newly_granted_staff_member_is_led_to_second_factor_setup(client, school):
    user = UserFactory()
    email_verify(user)
    client.force_login(user)
    assert client.get("/me/").status_code == 200  # a learner: no second factor needed
    membership_grant(actor=bureau_admin(), user=user, institution_id=school.pk, role=Role.TEACHER)
    response = client.get("/learn/staff/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))
