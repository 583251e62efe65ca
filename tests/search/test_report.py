"""The search report: every query counted with no personal data; readable only by bureau admins and CMS editors,
showing only queries typed in at least 5 distinct sessions."""

import datetime

import pytest
from bianxue.registry import MY, menu_entries_for_user
from django.core.exceptions import PermissionDenied

from search.models import SearchTerm, SearchTermSession
from search.report.privacy import query_is_countable, query_normalise
from search.report.selectors import search_report_get
from search.report.services import search_query_record, session_digest, week_start
from tests.factories import InstitutionFactory, UserFactory, bureau_admin, staff_user

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 23)


def _typed(text, sessions, *, results=3, day=MONDAY):
    for n in range(sessions):
        search_query_record(text=text, session_key=f"session-{text}-{n}", result_count=results, today=day)


@pytest.mark.parametrize("text", [
    "410202199001011234", "41020219900101123X", "410202 1990 0101 123x", "410202900101123",  # ID numbers
    "13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "0371-22334455",  # phones
    "王秀兰 13812345678", "wang@example.cn",
])
def test_queries_shaped_like_personal_data_are_never_counted(text):
    assert not query_is_countable(query_normalise(text))
    assert search_query_record(text=text, session_key="s1", result_count=0) is None
    assert not SearchTerm.objects.exists()


@pytest.mark.parametrize("text", ["养老", "1+X 电工", "Excel 2016", "python3", "shouji", "第3期 书法"])
def test_ordinary_queries_are_counted(text):
    assert query_is_countable(query_normalise(text))


def test_a_session_counts_once_and_is_stored_only_as_a_weekly_keyed_digest():
    for _ in range(3):
        search_query_record(text="  ＹangLao ", session_key="abc123", result_count=0, today=MONDAY)
    search_query_record(text="yanglao", session_key="other", result_count=2, today=MONDAY)
    term = SearchTerm.objects.get()
    assert (term.text, term.week, term.searches, term.sessions, term.results) == ("yanglao", MONDAY, 4, 2, 2)
    digests = set(SearchTermSession.objects.values_list("digest", flat=True))
    assert "abc123" not in str(digests) and len(digests) == 2
    next_week = MONDAY + datetime.timedelta(days=7)
    assert session_digest(session_key="abc123", week=MONDAY) != session_digest(session_key="abc123", week=next_week)


def test_digests_of_past_weeks_are_deleted_counts_stay():
    _typed("养老", 2)
    _typed("书法", 1, day=MONDAY + datetime.timedelta(days=8))
    assert set(SearchTermSession.objects.values_list("week", flat=True)) == {MONDAY + datetime.timedelta(days=7)}
    assert SearchTerm.objects.get(text="养老").sessions == 2


def test_weeks_start_on_monday():
    assert week_start(datetime.date(2026, 11, 29)) == MONDAY and week_start(MONDAY) == MONDAY


def test_the_report_shows_only_queries_of_five_sessions_top_and_without_result():
    _typed("养老", 7)
    _typed("老年找护", 5, results=0)
    _typed("罕见的词", 4, results=0)  # fewer than 5 sessions: never shown
    report = search_report_get(user=bureau_admin(), week=None)
    assert report.week == MONDAY
    assert [r.text for r in report.top] == ["养老", "老年找护"]
    assert [r.text for r in report.no_result] == ["老年找护"]


def test_residents_cannot_read_the_report(client):
    _typed("养老", 5)
    with pytest.raises(PermissionDenied):
        search_report_get(user=UserFactory())
    client.force_login(UserFactory())
    assert client.get("/search/report/").status_code == 403
    client.logout()
    assert client.get("/search/report/").status_code == 302  # to sign in


def test_bureau_admins_and_cms_editors_read_the_report_from_their_menu(client):
    _typed("养老", 6)
    _typed("罕见的词", 2)
    editor = staff_user(institution=InstitutionFactory())
    for user in (bureau_admin(), editor):
        assert "search.report" in [e.key for e in menu_entries_for_user(menu=MY, user=user)]
        client.force_login(user)
        html = client.get("/search/report/").content.decode()
        assert "养老" in html and "罕见的词" not in html
    assert "search.report" not in [e.key for e in menu_entries_for_user(menu=MY, user=UserFactory())]


def test_the_report_page_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for n in range(30):
        _typed(f"词{n}", 5)
    client.force_login(bureau_admin())
    client.get("/search/report/")
    with django_assert_max_num_queries(12):
        response = client.get("/search/report/", {"week": MONDAY.isoformat()})
    assert response.status_code == 200
    assert client.get("/search/report/", {"week": "not-a-date"}).status_code == 200


def test_the_demo_weeks_load_twice_the_same_and_keep_the_privacy_rule():
    from search.report.demo import load

    load()
    load()
    assert SearchTerm.objects.count() == 18
    report = search_report_get(user=bureau_admin())
    assert "老年找护" in [r.text for r in report.no_result]
    assert "一个人搜过的词" not in [r.text for r in report.top + report.no_result]


def test_the_cms_menu_shows_the_report_to_editors_only(rf):
    from search.report.admin_menu import search_report_menu_item

    item = search_report_menu_item()
    for user, shown in ((bureau_admin(), True), (staff_user(institution=InstitutionFactory()), True),
                        (UserFactory(), False)):
        request = rf.get("/admin/")
        request.user = user
        assert item.is_shown(request) is shown
