"""The residents' search pages: /search/ (results by kind, facets as links), the suggestions as you type, and the
weekly search report for bureau admins and CMS editors. Thin: the answers come from ``search.selectors`` (whichever
backend answers), the counting from ``search.report``."""

from __future__ import annotations

import datetime
import html
import logging

from bianxue.people.selectors import learner_for_user
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import selectors
from .contract import FACETS, KINDS, Hit, SearchQuery, SearchResults
from .forms import PER_PAGE, clean_text, search_params_from_get
from .report.selectors import MIN_SESSIONS, search_report_get
from .report.services import search_query_record_quietly

logger = logging.getLogger(__name__)

KIND_LABELS = {
    "course": _("课程"), "programme": _("培训项目"), "session": _("近期线下课"), "institution": _("学习机构"),
    "news": _("新闻资讯"),
}
FACET_LABELS = {
    "kind": _("类型"), "category": _("类别"), "district": _("县区"), "mode": _("方式"), "audience": _("面向人群"),
    "target_group": _("重点人群"), "provider": _("举办机构"), "certificate": _("证书"), "level": _("证书等级"),
    "starts_within": _("开课时间"), "fee": _("费用"),
}
SUGGEST_MAX_CHARS = 30
SUGGEST_LIMIT = 8


def _only_marks(value: str) -> str:
    """Highlighted text as safe HTML whatever the backend sent: everything escaped except <mark> and </mark>."""
    text = escape(html.unescape(value))
    return mark_safe(text.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>"))


def _hit_view(hit: Hit) -> dict:
    return {
        "hit": hit, "kind_label": KIND_LABELS.get(hit.kind, ""),
        "title_html": _only_marks(hit.title_html or hit.title),
        "summary_html": _only_marks(hit.summary_html or hit.summary) if (hit.summary_html or hit.summary) else "",
        "facts": [v for v in hit.facts.values() if v],
    }


def _resident_district(user) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    learner = learner_for_user(user=user)
    return (learner.district_code or None) if learner is not None else None


def _session_key(request) -> str:
    """The session to count a query under (a session is started for a reader who has none yet)."""
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


def _href(params) -> str:
    return "?" + urlencode(params) if params else "?"


def _facet_views(results: SearchResults, params) -> list[dict]:
    """Every facet with values, as links that add or remove the filter (they work without JavaScript)."""
    views = []
    for name in FACETS:
        if name == "kind":
            continue
        values = results.facets.get(name) or []
        selected = params.filters.get(name)
        items = []
        for value in values:
            on = value.selected or value.code == selected
            if not value.count and not on:
                continue
            items.append({"code": value.code, "label": value.label, "count": value.count, "selected": on,
                          "url": _href(params.querydict(**{name: None if on else value.code}))})
        if items:
            views.append({"name": name, "label": FACET_LABELS[name], "items": items,
                          "clear_url": _href(params.querydict(**{name: None})) if selected else ""})
    return views


def _kind_tabs(results: SearchResults, params) -> list[dict]:
    counts = {v.code: v.count for v in results.facets.get("kind") or []}
    tabs = [{"label": _("全部"), "count": None, "selected": not params.kind,
             "url": _href(params.querydict(kind=None))}]
    for kind in KINDS:
        if counts.get(kind) or params.kind == kind:
            tabs.append({"label": KIND_LABELS[kind], "count": counts.get(kind, 0), "selected": params.kind == kind,
                         "url": _href(params.querydict(kind=kind))})
    return tabs


def _groups(results: SearchResults, params) -> list[dict]:
    """The page's hits by kind, in the order residents look for them (courses first)."""
    counts = {v.code: v.count for v in results.facets.get("kind") or []}
    groups = []
    for kind in KINDS:
        hits = [_hit_view(h) for h in results.hits if h.kind == kind]
        if hits:
            total = counts.get(kind, len(hits))
            groups.append({"kind": kind, "label": KIND_LABELS[kind], "hits": hits, "total": total,
                           "more_url": _href(params.querydict(kind=kind)) if not params.kind and total > len(hits)
                           else ""})
    return groups


@require_GET
def search_page(request):
    """GET /search/?q=…&kind=…&<facet>=…&page=…"""
    params = search_params_from_get(request.GET)
    context = {"params": params, "results": None, "failed": False, "kind_labels": KIND_LABELS,
               "hidden_filters": sorted(params.filters.items())}
    if params.q or params.filters or params.kind:
        query = SearchQuery(text=params.q, kinds=(params.kind,) if params.kind else (), filters=dict(params.filters),
                            district=_resident_district(request.user), page=params.page, per_page=PER_PAGE)
        try:
            results = selectors.search_run(query=query, user=request.user)
        except Exception:  # noqa: BLE001 (both backends failed: a calm page, never a 5xx)
            logger.exception("search: no backend answered %r", params.q)
            context["failed"] = True
        else:
            if params.q and params.page == 1 and not params.filters:  # a typed query; paging and facets refine it
                search_query_record_quietly(text=params.q, session_key=_session_key(request),
                                            result_count=results.total)
            paginator = Paginator(range(results.total), PER_PAGE)
            context.update({
                "results": results,
                "page_obj": paginator.get_page(params.page) if results.total else None,
                "past_last_page": bool(results.total) and not results.hits,
                "first_page_url": _href(params.querydict(page=None)),
                "groups": _groups(results, params),
                "related": [_hit_view(h) for h in results.related],
                "did_you_mean_url": _href(params.querydict(q=results.did_you_mean)) if results.did_you_mean else "",
                "kind_tabs": _kind_tabs(results, params),
                "facets": _facet_views(results, params),
                "clear_filters_url": _href({"q": params.q}) if (params.filters or params.kind) and params.q else "",
            })
    return render(request, "search/search.html", context)


@require_GET
def suggest(request):
    """GET /search/suggest?q=… → {"q": …, "suggestions": [{"text", "url", "kind"}]}; empty, never an error."""
    prefix, _cut = clean_text(request.GET.get("q", ""), limit=SUGGEST_MAX_CHARS)
    items = []
    if prefix:
        try:
            items = selectors.search_suggest(prefix=prefix, limit=SUGGEST_LIMIT)
        except Exception:  # noqa: BLE001 (suggestions are a comfort: none rather than an error)
            logger.exception("search: suggestions failed for %r", prefix)
    response = JsonResponse({"q": prefix, "suggestions": [
        {"text": s.text, "url": s.url, "kind": s.kind, "kind_label": str(KIND_LABELS.get(s.kind, ""))}
        for s in items[:SUGGEST_LIMIT]]})
    response["Cache-Control"] = "private, max-age=60"
    return response


@login_required
@require_GET
def report(request):
    """GET /search/report/?week=YYYY-MM-DD: top queries and queries with no result (bureau admins, CMS editors)."""
    week = None
    raw = request.GET.get("week", "")
    if raw:
        try:
            week = datetime.date.fromisoformat(raw[:10])
        except ValueError:
            week = None
    data = search_report_get(user=request.user, week=week)  # PermissionDenied (403) for residents
    return render(request, "search/report.html", {"report": data, "min_sessions": MIN_SESSIONS})
