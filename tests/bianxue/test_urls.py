"""The platform's own pages answer: home, the one login (the CMS sends its visitors there; Chinese by
default, English available), and the language switch."""

import pytest


@pytest.mark.django_db
def test_home_page(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert resp["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_cms_login_is_the_site_login_in_chinese(client):
    resp = client.get("/admin/login/", follow=True)
    assert resp.redirect_chain[-1][0].startswith("/accounts/login/")
    assert resp.status_code == 200
    assert "登录" in resp.content.decode()


@pytest.mark.django_db
def test_cms_login_is_the_site_login_in_english(client):
    resp = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert resp.redirect_chain[-1][0].startswith("/accounts/login/")
    assert resp.status_code == 200
    assert resp["Content-Language"] == "en"
    assert "Sign in" in resp.content.decode() or "Sign In" in resp.content.decode()


@pytest.mark.django_db
def test_admin_requires_login(client):
    resp = client.get("/admin/")
    assert resp.status_code == 302
    assert resp["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_account_login_page(client):
    assert client.get("/accounts/login/").status_code == 200


@pytest.mark.django_db
def test_language_switch(client):
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert resp.status_code == 302
    assert resp["Location"] == "/accounts/login/"
    assert client.get("/accounts/login/")["Content-Language"] == "en"

