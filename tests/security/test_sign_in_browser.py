"""In Chromium, as a bureau admin would: /admin/ leads to the site's login, then the second factor, then the
CMS; a session that skipped the second factor is asked for the code before the CMS opens."""

import pytest

pytestmark = pytest.mark.browser


def _code() -> str:
    from tests.factories import totp_code

    return totp_code(margin=10)


def test_bureau_admin_opening_the_cms_is_taken_through_the_second_factor(new_page):
    from tests.factories import bureau_admin

    admin = bureau_admin(display_name="孙管理员")
    page = new_page()
    page.goto("/admin/")
    page.wait_for_url("**/accounts/login/**")
    assert page.locator("input[name=password]").count() == 1  # the site's login, not the CMS's form
    page.fill("input[name=login]", admin.email)
    page.fill("input[name=password]", "pass-word-123")
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.fill("input[name=code]", _code())
    page.locator("form:has(input[name=code]) [type=submit]").first.click()
    page.wait_for_url("**/admin/")
    assert page.locator("#wagtail").count() or "wagtail" in page.content().lower()


def test_a_session_without_the_second_factor_is_asked_for_the_code(new_page, live_server_url):
    from django.conf import settings
    from django.test import Client

    from tests.factories import bureau_admin, sign_in_without_second_factor

    admin = bureau_admin()
    client = Client()
    sign_in_without_second_factor(client, admin)
    page = new_page()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server_url}])
    page.goto("/admin/")
    page.wait_for_url("**/accounts/2fa/reauthenticate/**")
    page.fill("input[name=code]", _code())
    page.locator("form:has(input[name=code]) [type=submit]").first.click()
    page.wait_for_url("**/admin/")
    assert "/accounts/" not in page.url
