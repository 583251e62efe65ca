"""The registries: each app's entries reach the header, the footer and the "我的" menu, by role."""

import re

import pytest
from bianxue.accounts.models import Role
from bianxue.registry import (
    MY,
    home_panel_get,
    menu_entries_for_user,
    menu_entry_register,
    notification_kind_get,
)
from django.contrib.auth.models import AnonymousUser

from tests.factories import InstitutionFactory, UserFactory, staff_user

pytestmark = pytest.mark.django_db


def _keys(menu, user):
    return [entry.key for entry in menu_entries_for_user(menu=menu, user=user)]


def _links(html: str, label: str) -> list[str]:
    block = re.search(rf'aria-label="{label}">(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'<a href="([^"]+)"', block)


def test_header_and_footer_show_what_the_apps_registered_in_order(client):
    html = client.get("/").content.decode()
    assert _links(html, "主导航")[:3] == ["/learn/", "/credits/", "/community/"]
    assert _links(html, "页脚导航") == ["/search/", "/learn/", "/credits/", "/credits/checkpoints/", "/community/"]  # no link to a page that is not there


def test_the_base_template_links_the_core_pages_it_is_given(client):
    html = client.get("/").content.decode()
    assert 'href="/accounts/login/"' in html and 'href="/accounts/signup/"' in html
    client.force_login(UserFactory())
    html = client.get("/learn/").content.decode()
    assert 'href="/my/"' in html and 'action="/accounts/logout/"' in html  # 我的: the hub (frontend.selectors)
    assert 'href="/learn/" aria-current="page"' in html


def test_my_menu_entries_follow_the_roles():
    institution = InstitutionFactory()
    learner = UserFactory()
    officer = staff_user(institution=institution, role=Role.CREDIT_OFFICER)
    registrar = staff_user(institution=institution, role=Role.REGISTRAR)
    assert _keys(MY, AnonymousUser()) == []
    assert "credits.queue" not in _keys(MY, learner) and "courses.me" in _keys(MY, learner)
    assert "credits.queue" in _keys(MY, officer) and "records.import" in _keys(MY, officer)
    assert "records.import" in _keys(MY, registrar) and "credits.queue" not in _keys(MY, registrar)


def test_an_unknown_menu_is_refused():
    with pytest.raises(ValueError, match="unknown menu"):
        menu_entry_register(menu="sidebar", key="x", label="x", url="/x/")


def test_panels_and_notification_kinds_are_registered_by_their_apps():
    assert home_panel_get(key="courses") is not None and home_panel_get(key="next_lesson") is not None
    assert home_panel_get(key="no-such-panel") is None
    assert notification_kind_get(key="credits.outcome") is not None
