"""Elder mode and text size: cookie for visitors, profile for signed-in users, sync at login."""

import pytest

from frontend.middleware import ELDER_COOKIE, SCALE_COOKIE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_visitor_switch_sets_cookie_and_renders_elder_class(client):
    response = client.post("/ui/elder/", {"on": "1", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[ELDER_COOKIE].value == "1"
    page = client.get("/")
    assert b'class="elder"' in page.content
    assert "退出长辈版" in page.content.decode()


def test_switch_off(client):
    client.cookies[ELDER_COOKIE] = "1"
    response = client.post("/ui/elder/", {"on": "0", "next": "/"})
    assert response.cookies[ELDER_COOKIE].value == "0"
    assert b'class="elder"' not in client.get("/").content


def test_next_must_be_local(client):
    response = client.post("/ui/elder/", {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_get_is_refused(client):
    assert client.get("/ui/elder/").status_code == 405


def test_signed_in_switch_saves_profile(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/ui/elder/", {"on": "1", "next": "/"})
    client.post("/ui/text-size/", {"scale": "150", "next": "/"})
    user.refresh_from_db()
    assert user.elder_mode is True and user.text_scale == 150


def test_profile_applies_in_a_new_browser_and_sets_cookies(client):
    user = UserFactory(elder_mode=True, text_scale=125)
    client.force_login(user)
    response = client.get("/")
    assert b'class="elder"' in response.content
    assert b"--text-scale: 125%" in response.content
    assert response.cookies[ELDER_COOKIE].value == "1"
    assert response.cookies[SCALE_COOKIE].value == "125"


def test_choice_survives_logout_in_the_same_browser(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/ui/elder/", {"on": "1", "next": "/"})
    client.post("/accounts/logout/")
    assert b'class="elder"' in client.get("/").content


def test_choice_made_before_login_is_saved_to_profile(client):
    user = UserFactory(elder_mode=False)
    client.post("/ui/elder/", {"on": "1", "next": "/"})
    response = client.post("/accounts/login/", {"login": user.email, "password": "pass-word-123"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.elder_mode is True


@pytest.mark.parametrize("value, expected", [("125", "125"), ("200", "200"), ("130", "100"), ("x", "100")])
def test_text_size_accepts_only_known_scales(client, value, expected):
    response = client.post("/ui/text-size/", {"scale": value, "next": "/"})
    assert response.cookies[SCALE_COOKIE].value == expected
    assert f"--text-scale: {expected}%".encode() in client.get("/").content


def test_text_size_works_in_both_modes(client):
    client.cookies[ELDER_COOKIE] = "1"
    client.post("/ui/text-size/", {"scale": "175", "next": "/"})
    page = client.get("/").content
    assert b'class="elder"' in page and b"--text-scale: 175%" in page
    assert client.cookies[ELDER_COOKIE].value == "1"
