"""Performance budget of the home page's first load (a size check, not a timing)."""

import pytest

from frontend.perf import BUDGET_BYTES, home_asset_weights

pytestmark = pytest.mark.django_db


def test_home_css_and_js_under_150_kb_gzip_and_no_other_host():
    weights = home_asset_weights()
    assert weights["css"] and weights["js"]
    assert weights["total_gzip"] < BUDGET_BYTES, weights
    assert weights["external"] == []
