"""The dashboard's display of indicators: names in one language, units in words with plurals, codes as names, and
percentages that are non-zero when the ratio is (the JSON values are untouched)."""

import pytest
from django.utils import translation

from credits.records.templatetags.indicator_tags import (
    category_label,
    indicator_name,
    indicator_value,
    precise_percent,
)


def test_small_percentages_keep_two_significant_digits():
    assert precise_percent(0.0, 195, 930_790) == "0.021%"  # L4 used to read 0.0%
    assert precise_percent(12.3, 123, 1000) == "12.3%"
    assert precise_percent(0.0, 0, 50) == "0.0%"
    assert precise_percent(0.5) == "0.50%"
    assert precise_percent(100.0, 7, 7) == "100.0%"


@pytest.mark.parametrize(("lang", "expected"), [("zh-hans", "1,210 人次"), ("en", "1,210 person-times")])
def test_units_are_words_in_the_readers_language(lang, expected):
    with translation.override(lang):
        assert indicator_value({"value": 1210, "unit": "person-times"}) == expected


def test_plurals_in_english():
    with translation.override("en"):
        assert indicator_value({"value": 1, "unit": "learners"}) == "1 learner"
        assert indicator_value({"value": 2, "unit": "learners"}) == "2 learners"
        assert indicator_value({"value": None, "unit": "learners"}) == "No data"


def test_names_and_categories_in_one_language():
    card = {"zh": "老年人参与学习比例", "en": "Elderly participation rate"}
    with translation.override("en"):
        assert indicator_name(card) == "Elderly participation rate" and category_label("smart_tech") == (
            "Using smart technology")
    with translation.override("zh-hans"):
        assert indicator_name(card) == "老年人参与学习比例" and category_label("smart_tech") == "智能技术应用"
