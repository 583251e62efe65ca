"""Chart data for the dashboard.

The page stays complete without JavaScript: every chart has its data table (trend table in each card,
district table under the bar chart). With JavaScript, static/records/dashboard-charts.js reads the JSON
data island built here (``{{ chart_data|json_script:"dashboard-chart-data" }}``) and draws the charts with
Chart.js (pinned in frontend/package.json, served from /static/frontend/vendor/, loaded only on the
dashboard). The aria-label of each canvas (a text alternative with every value) is composed here, on the
server, in the page language.
"""

from django.utils.translation import gettext as _

# Indicators that make no sense per district (city-wide coverage, catalogue and credit-bank figures).
NOT_BY_DISTRICT = ("L1", "L2", "L8", "C1", "C2", "C3")


def _text(value) -> str:
    return "—" if value is None else str(value)


def _unit(meta) -> str:
    return "%" if meta.unit == "%" else ""


def trend_chart(*, meta, points: list[tuple[int, float | None]], target, comparison) -> dict:
    """One card's trend: years, values (null for a year without a value), target line."""
    label = f"{_('趋势')} {meta.code} {meta.zh}: " + "; ".join(f"{y} {_text(v)}{_unit(meta) if v is not None else ''}"
                                                           for y, v in points)
    return {"code": meta.code, "years": [str(y) for y, _v in points], "values": [v for _y, v in points],
            "unit": _unit(meta), "target": target, "comparison": comparison, "label": label}


def district_chart(*, meta, rows: list[dict]) -> dict:
    """One indicator across the nine districts (horizontal bars)."""
    label = f"{_('各县区')}: {meta.code} {meta.zh}: " + "; ".join(
        f"{r['name']} {_text(r['value'])}{_unit(meta) if r['value'] is not None else ''}" for r in rows)
    return {"code": meta.code, "labels": [r["name"] for r in rows], "values": [r["value"] for r in rows],
            "unit": _unit(meta), "target": meta.target, "comparison": meta.comparison, "label": label}


def dashboard_chart_data(*, cards: list[dict], district: dict | None) -> dict:
    """The JSON data island of the dashboard page."""
    return {
        "trends": {c["code"]: c["chart"] for c in cards if c.get("chart")},
        "district": district,
        "text": {"target": _("目标"), "value": _("值"), "year": _("年度"), "district": _("县区")},
    }
