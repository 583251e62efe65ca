"""The browser harness itself: live ASGI server, websockets, Chromium, axe-core."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_live_server_serves_home_page_and_static(page, live_server_url):
    response = page.goto("/")
    assert response.status == 200
    assert page.locator("h1").count() == 1
    css = page.request.get(f"{live_server_url}/static/frontend/bianxue.css")
    assert css.status == 200


def test_live_server_speaks_websockets(page, live_server_ws_url):
    page.goto("/")
    answer = page.evaluate(
        """(url) => new Promise((resolve, reject) => {
            const ws = new WebSocket(url);
            ws.onopen = () => ws.send(JSON.stringify({type: 'ping'}));
            ws.onmessage = (e) => { resolve(JSON.parse(e.data)); ws.close(); };
            ws.onerror = () => reject(new Error('websocket error'));
            setTimeout(() => reject(new Error('timeout')), 5000);
        })""",
        f"{live_server_ws_url}/ws/test-probe/",
    )
    assert answer == {"type": "pong", "signed_in": False}


def test_data_created_in_the_test_is_visible_to_the_server(page, login):
    user = UserFactory(display_name="浏览器测试用户")
    login(page, user)
    page.goto("/me/")
    assert "浏览器测试用户" in page.content()


def test_login_through_the_form(page, login):
    user = UserFactory()
    login(page, user, via_form=True)
    assert page.locator("form[action='/accounts/logout/']").count() == 1


def test_axe_check_returns_a_list(page, axe_check):
    page.goto("/")
    assert isinstance(axe_check(page), list)
