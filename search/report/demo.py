"""Demo weeks of the search report (idempotent): what residents looked for, counted as the page counts it."""

import datetime

from search.models import SearchTerm

from .services import week_start

# (text, sessions, searches, results) of the current week; the previous week has a smaller copy of them.
DEMO_TERMS = [
    ("养老", 23, 31, 6), ("智能手机", 18, 25, 5), ("shouji", 9, 11, 5), ("书法", 12, 14, 3), ("电工", 8, 9, 2),
    ("老年找护", 6, 7, 0), ("短视频剪辑", 7, 9, 0), ("太极拳", 5, 5, 0), ("一个人搜过的词", 1, 1, 0),
]


def load(*, stdout=None) -> None:
    this_week = week_start()
    for weeks_ago, share in ((0, 1.0), (1, 0.6)):
        week = this_week - datetime.timedelta(days=7 * weeks_ago)
        for text, sessions, searches, results in DEMO_TERMS:
            SearchTerm.objects.update_or_create(week=week, text=text, defaults={
                "sessions": max(1, round(sessions * share)), "searches": max(1, round(searches * share)),
                "results": results})
    if stdout is not None:
        stdout.write("搜索报告演示数据 Search report demo weeks: 2")
