"""Sign-up, login, verification, password reset and rate limits through HTTP (allauth)."""

import re

import pytest
from allauth.account.models import EmailAddress
from bianxue.accounts import sms
from bianxue.accounts.fields import phone_normalize
from bianxue.accounts.models import User
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "Kaifeng-Learn-2026!"


@pytest.fixture(autouse=True)
def _clean_state():
    cache.clear()  # rate-limit counters live in the cache
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def _code_from_sms() -> str:
    assert sms.outbox, "no SMS was sent"
    match = re.search(r"验证码是\s*(\d{6})，", sms.outbox[-1]["message"])
    assert match, sms.outbox[-1]
    return match.group(1)


def _phone_user(phone: str) -> User:
    user = UserFactory(email="", username="p" + phone, phone=phone, phone_verified=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client, login, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


# --- phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("13812345678", "+8613812345678"),
        ("138 1234 5678", "+8613812345678"),
        ("138-1234-5678", "+8613812345678"),
        ("+86 138 1234 5678", "+8613812345678"),
        ("008613812345678", "+8613812345678"),
        ("+8512345678", "+8512345678"),
        ("12345", None),
        ("+86123", None),
        ("not a phone", None),
    ],
)
def test_phone_normalize(raw, expected):
    assert phone_normalize(raw) == expected


# --- sign-up -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_signup_page_is_chinese_inside_site_layout(client):
    response = client.get(reverse("account_signup"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "注册" in body  # allauth's zh_Hans catalogue
    assert 'class="site-header"' in body and "长辈版" in body and "English" in body  # our base.html
    assert '<label for="id_phone">' in body and '<label for="id_email">' in body
    assert '<label for="id_password1">' in body


@pytest.mark.django_db
def test_signup_by_phone_without_email_verifies_by_sms(client):
    response = client.post(
        reverse("account_signup"),
        {"phone": "138 0000 1234", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    user = User.objects.get(phone="+8613800001234")
    assert user.email == "" and not user.phone_verified and user.username  # internal handle
    assert sms.outbox[-1]["phone"] == "+8613800001234"
    code = _code_from_sms()

    page = client.get(reverse("account_verify_phone"))
    assert page.status_code == 200 and 'class="site-header"' in page.content.decode()
    wrong = client.post(reverse("account_verify_phone"), {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "错误代码" in wrong.content.decode()  # allauth's zh_Hans "Incorrect code."

    response = client.post(reverse("account_verify_phone"), {"code": code})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified
    assert client.get(reverse("accounts:profile")).status_code == 200  # signed in


@pytest.mark.django_db
def test_signup_by_email_sends_verification_mail(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "Resident@Example.CN", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="resident@example.cn")
    assert user.phone is None
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)
    assert link.startswith(settings.SITE_URL + "/")  # the configured site address, not the request's host
    path = link.removeprefix(settings.SITE_URL)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(user=user).verified


@pytest.mark.django_db
def test_signup_needs_phone_or_email(client):
    response = client.post(reverse("account_signup"), {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 200
    body = response.content.decode()
    assert "请填写手机号或电子邮箱（至少一项）。" in body and "Enter a mobile number or an email address" not in body
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_rejects_bad_phone_with_words(client):
    response = client.post(
        reverse("account_signup"), {"phone": "12345", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 200
    assert "请输入正确的手机号" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_with_taken_phone_creates_no_second_account(client):
    UserFactory(phone="+8613800005555", phone_verified=True)
    response = client.post(
        reverse("account_signup"), {"phone": "13800005555", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302  # enumeration prevention: same answer as a new number
    assert User.objects.filter(phone="+8613800005555").count() == 1
    assert "已注册" in sms.outbox[-1]["message"]


# --- login -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_by_email(client):
    user = UserFactory(email="li@example.cn")
    user.set_password(PASSWORD)
    user.save()
    response = _login(client, "LI@example.cn")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["13800007777", "+8613800007777", "138 0000 7777"])
def test_login_by_phone_in_any_usual_form(client, typed):
    user = _phone_user("+8613800007777")
    response = _login(client, typed)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_login_page_has_labels_inside_site_layout(client):
    body = client.get(reverse("account_login")).content.decode()
    assert '<label for="id_login">手机号或电子邮箱' in body and '<label for="id_password">' in body
    assert 'class="site-header"' in body and "长辈版" in body
    assert "发送登录代码给我" in body  # login by SMS/email code


@pytest.mark.django_db
def test_wrong_password_error_is_in_chinese_words(client):
    UserFactory(email="wang@example.cn")
    response = _login(client, "wang@example.cn", "wrong-password")
    assert response.status_code == 200
    assert "不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signup_error_in_english_only(client):
    client.cookies["django_language"] = "en"
    response = client.post(reverse("account_signup"), {"password1": PASSWORD, "password2": PASSWORD})
    body = response.content.decode()
    assert "Enter a mobile number or an email address (at least one)." in body
    assert "请填写手机号或电子邮箱" not in body


@pytest.mark.django_db
def test_english_is_available(client):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign In" in response.content.decode()


@pytest.mark.django_db
def test_login_by_sms_code(client):
    user = _phone_user("+8613800008888")
    response = client.post(reverse("account_request_login_code"), {"phone": "13800008888"})
    assert response.status_code == 302
    code = _code_from_sms()
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


# --- password reset ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_by_email(client):
    user = UserFactory(email="zhao@example.cn")
    response = client.post(reverse("account_reset_password"), {"email": "zhao@example.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    path = re.search(r"/accounts/password/reset/key/[^\s]+/", mail.outbox[0].body).group(0)
    response = client.get(path)
    assert response.status_code == 302  # allauth moves the key into the session
    response = client.post(response["Location"], {"password1": "New-Kaifeng-2026", "password2": "New-Kaifeng-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("New-Kaifeng-2026")


# --- rate limits -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_repeated_failed_logins_are_refused(client):
    user = UserFactory(email="target@example.cn")
    user.set_password(PASSWORD)
    user.save()
    for _ in range(5):
        assert _login(client, "target@example.cn", "guess-guess").status_code == 200
    response = _login(client, "target@example.cn", PASSWORD)  # even the right password now
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failed_phone_logins_are_limited_per_number(client):
    _phone_user("+8613800001111")
    _phone_user("+8613800002222")
    for _ in range(5):
        _login(client, "13800001111", "guess-guess")
    assert "登录失败次数过多" in _login(client, "13800001111").content.decode()
    # another number is not locked out by the attack on the first (allauth alone keys phone logins together)
    assert _login(client, "13800002222").status_code == 302


@pytest.mark.django_db
def test_forgotten_password_by_phone_sms_code_then_new_password(client):
    user = _phone_user("+8613800006666")
    # a password login alone does not allow setting a password without the old one
    _login(client, "13800006666")
    assert client.get(reverse("accounts:password_new")).status_code == 302
    client.post(reverse("account_logout"))

    client.post(reverse("account_request_login_code"), {"phone": "13800006666"})
    client.post(reverse("account_confirm_login_code"), {"code": _code_from_sms()})
    assert reverse("accounts:password_new") in client.get(reverse("accounts:profile")).content.decode()
    page = client.get(reverse("accounts:password_new"))
    assert page.status_code == 200 and '<label for="id_new_password1">' in page.content.decode()
    response = client.post(
        reverse("accounts:password_new"), {"new_password1": "Fresh-Kaifeng-77", "new_password2": "Fresh-Kaifeng-77"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Fresh-Kaifeng-77")


@pytest.mark.django_db
def test_password_reset_page_leads_phone_only_residents_to_an_sms_code_then_a_new_password(client):
    user = _phone_user("+8613800007777")
    page = client.get(reverse("account_reset_password")).content.decode()
    link = re.search(r'href="([^"]*/login/code/[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "用手机号重设密码" in page and reverse("accounts:password_new") in link

    response = client.post(link, {"phone": "13800007777"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_confirm_login_code"))
    response = client.post(response["Location"], {"code": _code_from_sms()})  # the next address rides along
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_new")
    response = client.post(response["Location"], {"new_password1": "Phone-Reset-2026", "new_password2": "Phone-Reset-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Phone-Reset-2026")


@pytest.mark.django_db
def test_sms_reset_answers_unknown_numbers_the_same_and_is_rate_limited(client):
    _phone_user("+8613800007001")
    known = client.post(reverse("account_request_login_code"), {"phone": "13800007001"})
    client.cookies.clear()
    unknown = client.post(reverse("account_request_login_code"), {"phone": "13800007002"})
    assert known.status_code == unknown.status_code == 302 and known["Location"] == unknown["Location"]
    assert "尚未注册" in sms.outbox[-1]["message"]  # the unknown number learns only that it has no account
    sent = len(sms.outbox)
    for _ in range(5):
        client.post(reverse("account_request_login_code"), {"phone": "13800007001"})
    assert len(sms.outbox) - sent <= 2  # 3 a minute per number ("request_login_code": 3/m/key), one already sent


@pytest.mark.django_db
def test_emails_are_branded_chinese_and_link_to_the_site_url(client, settings):
    settings.SITE_URL = "https://bianxue.example.cn"
    UserFactory(email="brand@example.cn")
    client.post(reverse("account_reset_password"), {"email": "brand@example.cn"})
    message = mail.outbox[-1]
    assert message.subject == "【汴学】重设密码"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL and "汴学" in message.from_email
    assert "Hello" not in message.body and "您好" in message.body and "汴学" in message.body
    assert "https://bianxue.example.cn/accounts/password/reset/key/" in message.body
    assert "testserver" not in message.body and "127.0.0.1" not in message.body and "localhost" not in message.body

    client.cookies["django_language"] = "en"
    client.post(reverse("account_reset_password"), {"email": "brand@example.cn"})
    english = mail.outbox[-1]
    assert english.subject == "【汴学】Reset your password"
    assert not re.search(r"[\u4e00-\u9fff]", english.body.replace("汴学", "")), english.body
