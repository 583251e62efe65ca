"""TOTP (allauth.mfa): available to everyone, required for credit officers and bureau admins."""

import re

import pytest
from allauth.mfa.models import Authenticator
from bianxue.accounts.middleware import user_needs_mfa_setup
from bianxue.accounts.models import Role
from django.core.cache import cache
from django.urls import reverse

from tests.factories import InstitutionFactory, UserFactory, bureau_admin, mfa_enable, staff_user, totp_code

PASSWORD = "pass-word-123"  # tests/factories.py UserFactory
FACTORY_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # tests/factories.py mfa_enable


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def _password_login(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


@pytest.mark.django_db
def test_credit_officer_without_totp_is_sent_to_totp_setup(client):
    officer = staff_user(institution=InstitutionFactory(), role=Role.CREDIT_OFFICER, mfa=False)
    assert _password_login(client, officer).status_code == 302  # no TOTP yet: plain login
    for path in ["/me/", "/admin/", "/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("mfa_activate_totp")), path
    # allauth asks for the password once more before adding an authenticator
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'class="site-header"' in page.content.decode()


@pytest.mark.django_db
def test_credit_officer_sets_up_totp_over_http_then_gets_through(client):
    officer = staff_user(institution=InstitutionFactory(), role=Role.CREDIT_OFFICER, mfa=False)
    _password_login(client, officer)
    response = client.post(
        reverse("account_reauthenticate") + "?next=" + reverse("mfa_activate_totp"), {"password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200 and 'class="site-header"' in page.content.decode()
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # shown for typing into an authenticator app
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    # then the session is asked for a code once, like every session of a staff member
    prompt = client.get("/me/")
    assert prompt.status_code == 302 and prompt["Location"].startswith(reverse("mfa_reauthenticate"))
    response = client.post(prompt["Location"], {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert client.get("/me/").status_code == 200


@pytest.mark.django_db
def test_bureau_admin_without_totp_is_redirected_from_wagtail_admin(client):
    admin = bureau_admin(mfa=False)
    _password_login(client, admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.django_db
def test_every_staff_role_is_forced_and_learners_are_not(client):
    institution = InstitutionFactory()
    for role in (Role.TEACHER, Role.REGISTRAR, Role.CREDIT_OFFICER):
        assert user_needs_mfa_setup(user=staff_user(institution=institution, role=role, mfa=False)), role
    learner = UserFactory()
    assert not user_needs_mfa_setup(user=learner)
    client.force_login(learner)
    response = client.get("/me/")
    assert response.status_code == 200
    # TOTP is offered to everybody from the profile page
    assert reverse("mfa_index") in response.content.decode()
    assert client.get(reverse("mfa_index")).status_code == 200


@pytest.mark.django_db
def test_credit_officer_with_totp_logs_in_with_code(client):
    officer = staff_user(institution=InstitutionFactory(), role=Role.CREDIT_OFFICER)
    mfa_enable(officer)
    response = _password_login(client, officer)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not logged in before the second factor

    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200 and 'class="site-header"' in page.content.decode()

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    assert "错误代码" in wrong.content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(FACTORY_SECRET)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == officer.pk
    assert client.get("/me/").status_code == 200
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_mfa_check_is_one_query(django_assert_max_num_queries):
    officer = staff_user(institution=InstitutionFactory(), role=Role.CREDIT_OFFICER, mfa=False)
    with django_assert_max_num_queries(1):
        assert user_needs_mfa_setup(user=officer)


@pytest.mark.django_db
def test_demo_totp_secret_gives_working_codes(client):
    from bianxue.accounts import demo_loader
    from bianxue.institutions import demo_loader as inst_loader

    class Out:
        def write(self, s):
            pass

    inst_loader.load(stdout=Out())
    demo_loader.load(stdout=Out())
    response = client.post(
        reverse("account_login"), {"login": "credit@demo.bianxue.cn", "password": "Bianxue-credit-2026"}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    secret = demo_loader.DEMO_TOTP_SECRETS["credit@demo.bianxue.cn"]
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert re.match(r"^/", response["Location"])
    assert client.get("/me/").status_code == 200


@pytest.mark.django_db
def test_totp_setup_shows_recovery_codes_then_leads_on_to_where_they_were_going(client):
    officer = staff_user(institution=InstitutionFactory(), role=Role.CREDIT_OFFICER, mfa=False)
    _password_login(client, officer)
    assert client.get("/credits/staff/")["Location"].startswith(reverse("mfa_activate_totp"))
    client.post(reverse("account_reauthenticate") + "?next=" + reverse("mfa_activate_totp"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_view_recovery_codes")
    codes = Authenticator.objects.get(user=officer, type=Authenticator.Type.RECOVERY_CODES)
    unused = codes.wrap().get_unused_codes()
    assert len(unused) == 10
    page = client.get(response["Location"]).content.decode()
    assert all(code in page for code in unused)
    assert reverse("accounts:mfa_continue") in page and "我已保存恢复码，继续" in page
    prompt = client.get(reverse("accounts:mfa_continue"))  # this session has not used the new factor yet
    assert prompt["Location"].startswith(reverse("mfa_reauthenticate"))
    assert client.post(prompt["Location"], {"code": totp_code(secret)})["Location"] == reverse("accounts:mfa_continue")
    onward = client.get(reverse("accounts:mfa_continue"))
    assert onward.status_code == 302 and onward["Location"] == "/credits/staff/"
    assert client.get("/credits/staff/").status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_works_once_as_the_second_factor_at_login(client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    officer = staff_user(institution=InstitutionFactory(), role=Role.CREDIT_OFFICER)
    code = RecoveryCodes.activate(officer).get_unused_codes()[0]
    assert _password_login(client, officer)["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == officer.pk
    assert client.get("/credits/staff/").status_code == 200
    client.logout()
    cache.clear()
    _password_login(client, officer)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200 and "_auth_user_id" not in client.session
