"""search.ranking: what counts as a result, the boosts, facets counted over the other filters."""

import datetime

from search.contract import SearchQuery
from search.ranking import Candidate, filter_and_count, keep, required_groups, score

TODAY = datetime.date(2026, 12, 1)


def candidate(pk, *, matched, kind="course", **fields):
    return Candidate(id=pk, kind=kind, facets=fields.pop("facets", {"kind": kind}), labels={}, matched=matched,
                     **fields)


def test_most_groups_must_match():
    assert [required_groups(n) for n in (0, 1, 2, 3, 5)] == [0, 1, 2, 2, 3]
    hits = keep([candidate(1, matched=[(True, True, True), (False, False, False), (False, False, False)]),
                 candidate(2, matched=[(True, False, False), (True, False, False), (False, False, False)])],
                query=SearchQuery(text="x"), groups=3)
    assert [c.id for c in hits] == [2]


def test_title_exact_district_and_open_enrolment_raise_the_score():
    body = candidate(1, matched=[(True, False, False)])
    title = candidate(2, matched=[(True, True, False)])
    exact = candidate(3, matched=[(True, True, True)])
    assert score(body, groups=1, district=None, today=TODAY) < score(title, groups=1, district=None, today=TODAY)
    assert score(title, groups=1, district=None, today=TODAY) < score(exact, groups=1, district=None, today=TODAY)
    near = candidate(4, matched=[(True, True, True)], district="410225")
    assert score(near, groups=1, district="410225", today=TODAY) > score(exact, groups=1, district="410225",
                                                                         today=TODAY)
    open_ = candidate(5, matched=[(True, True, True)], enrolable=True, enrol_until=TODAY)
    closed = candidate(6, matched=[(True, True, True)], enrolable=True, enrol_until=TODAY - datetime.timedelta(1))
    assert score(open_, groups=1, district=None, today=TODAY) > score(closed, groups=1, district=None, today=TODAY)


def test_a_facet_is_counted_over_the_other_filters():
    rows = [candidate(1, matched=[], facets={"kind": "course", "fee": "free", "category": "elderly"}),
            candidate(2, matched=[], facets={"kind": "course", "fee": "paid", "category": "elderly"}),
            candidate(3, matched=[], facets={"kind": "course", "fee": "free", "category": "community"})]
    results, facets = filter_and_count(rows, query=SearchQuery(filters={"fee": "free"}))
    assert [c.id for c in results] == [1, 3]
    assert {v.code: v.count for v in facets["fee"]} == {"free": 2, "paid": 1}
    assert {v.code: v.count for v in facets["category"]} == {"elderly": 1, "community": 1}
    assert [v.code for v in facets["fee"] if v.selected] == ["free"]
