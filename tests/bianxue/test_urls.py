"""The platform's own pages answer: home, Wagtail admin login (Chinese by default, English
available), allauth login and the language switch."""

import pytest


@pytest.mark.django_db
def test_home_page(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert resp["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_wagtail_admin_login_in_chinese(client):
    resp = client.get("/admin/login/")
    assert resp.status_code == 200
    assert "登录" in resp.content.decode()


@pytest.mark.django_db
def test_wagtail_admin_login_in_english(client):
    resp = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 200
    assert resp["Content-Language"] == "en"
    assert "Sign in" in resp.content.decode()


@pytest.mark.django_db
def test_admin_requires_login(client):
    resp = client.get("/admin/")
    assert resp.status_code == 302
    assert resp["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_account_login_page(client):
    assert client.get("/accounts/login/").status_code == 200


@pytest.mark.django_db
def test_language_switch(client):
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert resp.status_code == 302
    assert resp["Location"] == "/accounts/login/"
    assert client.get("/accounts/login/")["Content-Language"] == "en"

