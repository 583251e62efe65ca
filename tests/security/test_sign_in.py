"""Attacks on the sign-in door (issue 10, scenario 1): every login goes through the site's login (allauth,
with its rate limits and the second-factor stage), and every staff session must have used the second factor.

Scenario × door:
- CMS admin login form (/admin/login/): never served; GET and POST go to the site's login, nobody is signed in.
- Django admin (/django-admin/): removed (404).
- A staff session that did not use the second factor (a form that skipped it, a session from before the role
  was granted): refused on site pages, staff pages, the CMS admin and the dashboard until the code is given.
- Management commands: n/a (they run as the operator on the server, no sign-in).
- API: n/a until the API exists (issue 15: tokens only for sessions that used the second factor).
"""


import pytest
from allauth.mfa.adapter import get_adapter
from bianxue.accounts.models import Role
from django.core.cache import cache
from django.urls import reverse

from tests.factories import (
    InstitutionFactory,
    UserFactory,
    bureau_admin,
    sign_in_without_second_factor,
    staff_user,
    totp_code,
)

pytestmark = pytest.mark.django_db
PASSWORD = "pass-word-123"
STAFF_PAGES = ["/me/", "/admin/", "/credits/staff/", "/records/dashboard/", "/learn/staff/", "/"]


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()  # allauth's rate limits


def _code() -> str:
    return totp_code()


def test_cms_admin_login_form_is_not_served_and_signs_nobody_in(client):
    admin = bureau_admin()
    admin.set_password(PASSWORD)
    admin.save()
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 302 and page["Location"] == reverse("account_login") + "?next=/admin/"
    posted = client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})
    assert posted.status_code == 302 and posted["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith(reverse("account_login"))


def test_the_django_admin_is_gone(client):
    admin = bureau_admin()
    client.force_login(admin)
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/django-admin/login/").status_code == 404


@pytest.mark.parametrize("role", [Role.TEACHER, Role.REGISTRAR, Role.CREDIT_OFFICER, "bureau_admin"])
def test_a_staff_session_without_the_second_factor_is_refused_everywhere(client, role):
    user = bureau_admin() if role == "bureau_admin" else staff_user(institution=InstitutionFactory(), role=role)
    sign_in_without_second_factor(client, user)
    for path in STAFF_PAGES:
        response = client.get(path)
        assert response.status_code == 302, (role, path)
        assert response["Location"] == reverse("mfa_reauthenticate") + "?next=" + path.replace("/", "%2F"), path


def test_the_code_prompt_in_the_readers_language(client):
    sign_in_without_second_factor(client, bureau_admin())
    prompt = client.get(client.get("/admin/")["Location"]).content.decode()
    assert "验证码" in prompt or "代码" in prompt
    client.cookies["django_language"] = "en"
    prompt = client.get(client.get("/admin/")["Location"]).content.decode()
    assert "code" in prompt.lower() and "验证码" not in prompt


def test_a_wrong_code_keeps_the_door_shut_and_the_right_one_opens_it(client):
    officer = staff_user(institution=InstitutionFactory(), role=Role.CREDIT_OFFICER)
    sign_in_without_second_factor(client, officer)
    prompt = client.get("/credits/staff/")["Location"]
    wrong = client.post(prompt, {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get("/credits/staff/").status_code == 302
    right = client.post(prompt, {"code": _code()})
    assert right.status_code == 302 and right["Location"] == "/credits/staff/"
    assert client.get("/credits/staff/").status_code == 200
    assert get_adapter().is_mfa_enabled(officer)


def test_the_site_login_asks_staff_for_the_second_factor_before_signing_in(client):
    officer = staff_user(institution=InstitutionFactory(), role=Role.TEACHER)
    response = client.post(reverse("account_login") + "?next=/admin/", {"login": officer.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": _code()})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_learners_are_not_asked_for_a_second_factor(client):
    sign_in_without_second_factor(client, UserFactory())
    assert client.get("/me/").status_code == 200
