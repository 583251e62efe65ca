"""Role-aware navigation (frontend.selectors.navigation_for_user), the header that shows it, the "我的" hub,
the elder-mode menu button and the footer's search link (issue 12, items 2 to 4). Server-rendered, no browser."""

import re

import pytest
from bianxue.accounts.models import Role

from frontend.selectors import navigation_for_user
from tests.factories import InstitutionFactory, UserFactory, bureau_admin, staff_user

pytestmark = pytest.mark.django_db

HUB = "/my/"


def _header(html: str) -> str:
    return html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]


def _nav_keys(html: str) -> list[str]:
    return re.findall(r'data-nav-key="([^"]+)"', _header(html))


def _user_for(role: str):
    school = InstitutionFactory(code="T-NAV-1", name="开封市测试职业学校")
    if role == "learner":
        return UserFactory()
    if role == "bureau":
        return bureau_admin()
    return staff_user(institution=school, role=role)


EXPECTED_WORK = {
    "learner": ["courses.me"],
    Role.TEACHER: ["courses.me", "courses.staff", "cms"],
    Role.REGISTRAR: ["courses.me", "records.import", "records.dashboard"],
    Role.CREDIT_OFFICER: ["courses.me", "credits.queue", "records.import"],
    "bureau": ["courses.me", "records.dashboard", "credits.accreditations", "accounts.grants", "cms"],
}


def test_anonymous_header_has_the_public_links_and_sign_in(client):
    html = client.get("/learn/").content.decode()
    assert _nav_keys(html) == ["courses.catalog", "credits.home", "community.index"]
    header = _header(html)
    assert 'href="/accounts/login/"' in header and 'href="/accounts/signup/"' in header
    assert HUB not in header


@pytest.mark.parametrize("role", list(EXPECTED_WORK))
def test_each_role_sees_its_work_in_the_header_and_every_link_opens(client, role):
    user = _user_for(role)
    client.force_login(user)
    html = client.get("/learn/").content.decode()
    keys = _nav_keys(html)
    assert keys == ["courses.catalog", "credits.home", "community.index", *EXPECTED_WORK[role], "hub"]
    for url in re.findall(r'<a href="([^"]+)"[^>]*data-nav-key=', _header(html)):
        if url.startswith("/admin/"):
            continue  # the CMS is Wagtail's (tests/frontend/test_crawl.py opens it in the browser)
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url


def test_a_registrar_reaches_the_dashboard_of_their_own_institution(client):
    user = _user_for(Role.REGISTRAR)
    client.force_login(user)
    html = client.get("/").content.decode()
    assert 'href="/records/dashboard/?institution=T-NAV-1"' in _header(html)


def test_a_staff_member_without_a_role_there_sees_no_other_roles_work(client):
    user = _user_for(Role.TEACHER)
    client.force_login(user)
    keys = _nav_keys(client.get("/").content.decode())
    assert not {"credits.queue", "records.import", "accounts.grants", "credits.accreditations"} & set(keys)


def test_navigation_reads_the_memberships_once_however_many_roles(django_assert_num_queries):
    school = InstitutionFactory(code="T-NAV-2")
    user = staff_user(institution=school, role=Role.TEACHER)
    for role in (Role.REGISTRAR, Role.CREDIT_OFFICER):
        staff_user(institution=school, role=role)  # other people's roles do not count
        from tests.factories import StaffMembershipFactory

        StaffMembershipFactory(user=user, institution=InstitutionFactory(), role=role)
    user.is_bureau_admin = True
    with django_assert_num_queries(1):
        nav = navigation_for_user(user=user)
    assert {"learner", Role.TEACHER, Role.REGISTRAR, Role.CREDIT_OFFICER, "bureau_admin"} <= nav.roles
    keys = [link.key for link in nav.work]
    assert len(keys) == len(set(keys))  # a link two roles share (数据导入, 内容管理) appears once
    with django_assert_num_queries(0):
        assert navigation_for_user(user=None).work == ()


def test_a_page_asks_for_the_navigation_once(client):
    """The header and the hub share one read: the hub page does not grow with the number of tiles."""
    user = bureau_admin()
    client.force_login(user)
    client.get(HUB)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(HUB).status_code == 200
    membership_reads = [q for q in queries if 'FROM "accounts_staffmembership" INNER JOIN "institutions_institution"'
                        in q["sql"]]
    assert len(membership_reads) == 1


def test_the_hub_lists_each_roles_work_as_tiles_and_the_account_settings(client):
    school = InstitutionFactory(code="T-NAV-3")
    user = staff_user(institution=school, role=Role.CREDIT_OFFICER)
    client.force_login(user)
    html = client.get(HUB).content.decode()
    main = html.split('<main', 1)[1].split("</main>", 1)[0]
    sections = re.findall(r'data-hub-section="([^"]+)"', main)
    assert sections == ["learner", Role.CREDIT_OFFICER, "account"]
    for href in ("/learn/me/", "/credits/", "/credits/staff/", "/records/import/", "/me/", "/me/identity/",
                 "/me/identity/requests/"):
        assert f'class="tile" href="{href}"' in main, href
    assert "/me/memberships/grant/" not in main


def test_the_hub_needs_a_sign_in(client):
    response = client.get(HUB)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_hub_speaks_english_in_the_english_ui(client):
    client.force_login(bureau_admin())
    client.cookies["django_language"] = "en"
    html = client.get(HUB, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    main = html.split('<main', 1)[1].split("</main>", 1)[0]
    assert "Role grants" in main and "Account settings" in main
    tiles = re.findall(r'class="tile"[^>]*>(.*?)</a>', main, flags=re.S)
    assert len(tiles) >= 8
    assert not [t for t in tiles if re.search(r"[\u4e00-\u9fff]", t)]


def test_elder_mode_closes_the_menu_behind_one_button_and_the_standard_view_keeps_it_open(client):
    standard = _header(client.get("/").content.decode())
    assert re.search(r"<details class=\"site-menu\" open", standard)
    client.cookies["bx_elder"] = "1"
    elder = _header(client.get("/").content.decode())
    assert re.search(r"<details class=\"site-menu\" data-site-menu>", elder)
    assert elder.count("<summary") == 1 and "菜单" in elder
    # the 长辈版 switch stays in the header row; the menu holds the links, text size and language
    row, panel = elder.split("</summary>", 1)
    assert "data-elder-switch" in row and "退出长辈版" in row
    for needle in ("data-nav-key=\"courses.catalog\"", 'action="/ui/text-size/"', "English"):
        assert needle in panel


def test_the_footer_search_link_leads_to_a_working_search(client):
    html = client.get("/").content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    match = re.search(r'<a href="([^"]+)">站内搜索</a>', footer)
    assert match
    assert match.group(1) == "/search/"
    response = client.get(match.group(1), {"q": "书法"})
    assert response.status_code == 200 and 'id="search-q"' in response.content.decode()
