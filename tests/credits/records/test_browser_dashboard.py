"""The plan dashboard in real Chromium: axe (normal and elder mode) on the dashboard and a drill-down, the
elder-mode measurements, Chart.js charts with JavaScript on, data tables with JavaScript off, and the
read-only view of an institution's staff."""

import pytest
from bianxue.accounts.models import Role

from tests.browser_harness import REPO, _missing, format_violations, small_targets

pytestmark = pytest.mark.browser

CHART_JS = REPO / "frontend" / "design" / "static" / "frontend" / "vendor" / "chart.umd.min.js"
DASHBOARD = "/records/dashboard/?year=2025"
DRILLDOWN = "/records/dashboard/V1/?year=2025"


@pytest.fixture
def data(tmp_path):
    """The small test submission in 2024 and 2025 (so that cards have a trend), city snapshots stored;
    a bureau admin with TOTP and a registrar of one school."""
    from bianxue.institutions.models import Institution

    from credits.records.imports import submission_import
    from credits.records.indicators import Scope, scope_resolve, snapshot_store
    from tests.factories import bureau_admin, mfa_enable, staff_user

    from .factories import base_files, write_folder

    files = base_files()
    assert submission_import(path_or_file=write_folder(tmp_path / "a", files), actor=None).ok
    for row in files["records"]:
        row["record_id"] += "-2024"
        row["date"] = row["date"].replace("2025", "2024")
    files["students"][0]["year"] = "2024"
    assert submission_import(path_or_file=write_folder(tmp_path / "b", files), actor=None).ok
    school = scope_resolve(institution_code="T-VS-1")
    for year in (2024, 2025):  # what the import's on_commit refresh stores
        snapshot_store(year=year, scope=Scope("city"))
        snapshot_store(year=year, scope=school)
    admin = bureau_admin()
    mfa_enable(admin)
    registrar = staff_user(institution=Institution.objects.get(code="T-VS-1"), role=Role.REGISTRAR)
    return {"admin": admin, "registrar": registrar}


def _open(new_page, login, user, path, *, elder=False, javascript=True, viewport=(1280, 900)):
    page = new_page(elder=elder, javascript=javascript, viewport=viewport)
    type(user).objects.filter(pk=user.pk).update(elder_mode=elder)  # a signed-in user's own setting wins
    login(page, user)
    response = page.goto(path)
    assert response.status == 200, response.status
    assert page.evaluate("document.documentElement.classList.contains('elder')") is elder
    if javascript and path.startswith(DASHBOARD) and CHART_JS.exists():
        page.wait_for_function("() => document.documentElement.dataset.chartsReady === '1'")
    return page


def _need_chart_js():
    if not CHART_JS.exists():
        _missing("Chart.js is not built: run `make assets` (npm ci + frontend/design/build_assets.py)")


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("path", [DASHBOARD, DRILLDOWN], ids=["dashboard", "drilldown"])
def test_no_serious_axe_violations(new_page, login, axe_check, data, path, elder):
    page = _open(new_page, login, data["admin"], path, elder=elder)
    assert page.locator("h1").count() == 1
    violations = axe_check(page)
    assert violations == [], format_violations(violations)


ELDER_METRICS_JS = """() => {
  const cs = (el) => getComputedStyle(el);
  const body = cs(document.body);
  const text = [...document.querySelectorAll('main p, main li, main label, main td, main th, main summary')]
    .filter((el) => el.getClientRects().length && el.innerText.trim())
    .map((el) => ({text: el.innerText.trim().slice(0, 30), fs: parseFloat(cs(el).fontSize),
                   lh: parseFloat(cs(el).lineHeight) / parseFloat(cs(el).fontSize)}));
  return {fs: parseFloat(body.fontSize), lh: parseFloat(body.lineHeight) / parseFloat(body.fontSize), text,
          scrollX: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", [DASHBOARD, DRILLDOWN], ids=["dashboard", "drilldown"])
def test_elder_mode_measurements(new_page, login, data, path, width):
    page = _open(new_page, login, data["admin"], path, elder=True, viewport=(width, 900))
    metrics = page.evaluate(ELDER_METRICS_JS)
    assert metrics["fs"] >= 24 and metrics["lh"] >= 1.3
    small_text = [t for t in metrics["text"] if t["fs"] < 24 or t["lh"] < 1.3]
    assert small_text == []
    assert small_targets(page, 60) == []
    assert metrics["scrollX"] <= 1


CHARTS_JS = """() => [...document.querySelectorAll('[data-chart-trend] canvas, [data-chart-district] canvas')].map((c) => {
  const chart = window.Chart.getChart(c);
  const ctx = c.getContext('2d');
  const pixels = ctx.getImageData(0, 0, c.width, c.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
  return {kind: c.parentElement.hasAttribute('data-chart-district') ? 'district' : 'trend',
          role: c.getAttribute('role'), label: c.getAttribute('aria-label'), width: c.clientWidth,
          height: c.clientHeight, painted, type: chart && chart.config.type,
          tick: chart && chart.options.scales.y.ticks.font.size, points: chart && chart.data.datasets[0].data.length};
})"""


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_charts_render_with_javascript(new_page, login, screenshot, data, elder):
    _need_chart_js()
    page = _open(new_page, login, data["admin"], DASHBOARD, elder=elder)
    screenshot(page, f"records-dashboard-{'elder' if elder else 'normal'}")  # test-artifacts/screenshots/
    charts = page.evaluate(CHARTS_JS)
    kinds = sorted({c["kind"] for c in charts})
    assert kinds == ["district", "trend"], charts
    district = next(c for c in charts if c["kind"] == "district")
    assert district["type"] == "bar" and district["points"] == 9
    assert "各县区" in district["label"] and "V1" in district["label"]
    for chart in charts:
        assert chart["role"] == "img" and chart["label"]
        assert chart["width"] > 100 and chart["height"] > 100 and chart["painted"] > 500, chart
        assert chart["tick"] >= (24 if elder else 14), chart
    trend = next(c for c in charts if c["label"].startswith("趋势 V1"))
    assert trend["type"] == "line" and trend["points"] == 2
    # the data tables stay as the text alternative
    assert page.locator("#district-table tbody tr").count() == 9
    assert page.locator("#trend-V1 tbody tr").count() == 2


def test_data_tables_without_javascript(new_page, login, data):
    page = _open(new_page, login, data["admin"], DASHBOARD, javascript=False)
    assert page.locator("canvas").count() == 0
    table = page.locator("#district-table")
    assert table.is_visible() and table.locator("tbody tr").count() == 9
    assert "各县区数据表" in table.locator("caption").inner_text()
    page.locator("summary", has_text="历年趋势").first.click()  # <details> opens without JavaScript
    assert page.locator("#trend-X1 tbody tr").count() == 2 and page.locator("#trend-X1").is_visible()
    # the filter form and the drill-down link are plain HTML
    page.select_option("#f-chart", "V2")
    page.locator("form.search-form [type=submit]").click()
    assert "chart=V2" in page.url and "V2" in page.locator("section h2").inner_text()
    page.goto(DASHBOARD)
    page.locator("a.card-link", has_text="V1").click()
    assert page.url.split("?")[0].endswith("/records/dashboard/V1/") and page.locator("tbody tr").count() == 2


def test_institution_staff_see_only_their_own_figures(new_page, login, data):
    page = _open(new_page, login, data["registrar"], DASHBOARD + "&institution=T-CC-1&district=410221")
    heading = page.locator("h1").inner_text()
    assert "测试职业学校" in heading and "T-VS-1" in heading and "测试社区学院" not in page.content()
    assert "只读" in page.locator("main").inner_text()
    # read-only: no recompute, no district comparison, no district chart, no import
    assert page.locator("text=立即重新计算").count() == 0
    assert page.locator("#f-district").count() == 0 and page.locator("#district-table").count() == 0
    assert page.locator("[data-chart-district]").count() == 0
    assert page.locator("main a[href='/records/import/']").count() == 0
    if CHART_JS.exists():
        charts = page.evaluate(CHARTS_JS)
        assert charts and {c["kind"] for c in charts} == {"trend"}
