"""Pages of the records app: upload (validate, then import), templates, dashboard, drill-down, exports.

Views are thin: permissions and work live in imports, indicators and dashboard; every page works without JavaScript.
"""

from bianxue.files import upload_refused_message
from bianxue.vocab import KAIFENG_DISTRICTS
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import charts, exports
from . import dashboard as dash
from .importer.schema import FILES_BY_NAME
from .imports import (
    import_allowed_codes,
    upload_batch_is_stuck,
    upload_batch_resume,
    upload_batch_start,
    upload_progress,
    upload_store,
)
from .indicators import INDICATORS, META_BY_CODE, snapshot_store
from .models import ImportBatch

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- upload -------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    allowed = import_allowed_codes(actor=request.user)  # PermissionDenied → 403
    if request.method == "POST":
        files = request.FILES.getlist("files")  # reads the body: the upload handlers run here
        if getattr(request, "upload_refused", None):  # stopped while streaming in (bianxue.files)
            messages.error(request, upload_refused_message(request.upload_refused))
            return redirect("records:import")
        try:
            batch = upload_store(actor=request.user, files=files,
                                 correction=request.POST.get("correction") == "1")
            upload_batch_start(batch=batch, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("records:import")
        return redirect("records:import_detail", batch_id=batch.pk)
    recent = ImportBatch.objects.filter(actor=request.user).order_by("-created_at")[:10]
    return render(request, "records/import_upload.html", {
        "recent": recent, "allowed": sorted(allowed) if allowed is not None else None,
        "files": list(FILES_BY_NAME.values())})


def _own_batch(request, batch_id: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    if batch.actor_id != request.user.pk:
        raise Http404
    return batch


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request, batch_id: int):
    batch = _own_batch(request, batch_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "resume":
                upload_batch_resume(batch=batch, actor=request.user)
            else:
                upload_batch_start(batch=batch, actor=request.user, confirm=True)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("records:import_detail", batch_id=batch.pk)
    progress = upload_progress(batch_id=batch.pk)
    running = batch.status in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)
    percent = int(100 * progress[0] / progress[1]) if progress and progress[1] else (0 if running else 100)
    return render(request, "records/import_detail.html", {
        "batch": batch, "running": running, "percent": percent, "stuck": upload_batch_is_stuck(batch=batch),
        "counts": sorted(batch.counts.items(), key=lambda kv: list(FILES_BY_NAME).index(kv[0])),
    })


@login_required
def import_progress(request, batch_id: int):
    batch = _own_batch(request, batch_id)
    progress = upload_progress(batch_id=batch.pk)
    running = batch.status in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)
    percent = int(100 * progress[0] / progress[1]) if progress and progress[1] else (0 if running else 100)
    return JsonResponse({"status": batch.status, "running": running, "percent": percent})


def template_download(request, filename: str):
    """Empty templates: submission-en.xlsx, submission-zh.xlsx, <file>.csv and <file>-zh.csv."""
    if filename in ("submission-en.xlsx", "submission-zh.xlsx"):
        return _download(exports.template_xlsx(chinese=filename.endswith("zh.xlsx")), filename, XLSX)
    if filename.endswith(".csv"):
        stem = filename[:-4]
        chinese = stem.endswith("-zh")
        name = stem[:-3] if chinese else stem
        if name in FILES_BY_NAME:
            return _download(exports.template_csv(name=name, chinese=chinese), filename, "text/csv; charset=utf-8")
    raise Http404


# --- dashboard ----------------------------------------------------------------------------------

def _year(request, years: list[int]) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year is None or not 1900 <= year <= timezone.localdate().year + 1:
        year = years[-1] if years else timezone.localdate().year
    return year


def _scope(request):
    return dash.scope_for_user(user=request.user, district_code=request.GET.get("district", ""),
                               institution_code=request.GET.get("institution", ""))


@login_required
def dashboard(request):
    is_admin, institutions = dash.dashboard_scopes(user=request.user)
    years = dash.years_for_dashboard()
    year = _year(request, years)
    scope = _scope(request)
    snapshot = dash.snapshot_get(year=year, scope=scope)
    trends = dash.trend(scope=scope)
    chart_code = request.GET.get("chart", "V1")
    if chart_code not in META_BY_CODE or chart_code in charts.NOT_BY_DISTRICT:
        chart_code = "V1"
    chart_meta = META_BY_CODE[chart_code]
    district_rows = dash.district_values(year=year, code=chart_code) if is_admin else []
    cards = []
    for item in snapshot.data["indicators"]:
        meta = META_BY_CODE[item["code"]]
        points = trends.get(item["code"], [])
        drawable = sum(v is not None for _y, v in points) >= 2
        cards.append({**item, "zh": meta.zh, "en": meta.en, "trend": points,
                      "chart": charts.trend_chart(meta=meta, points=points, target=item["target"],
                                                  comparison=item["comparison"]) if drawable else None,
                      "drill": item["code"] in dash.RECORD_CODES + dash.ROSTER_CODES + ("X1", "L1", "L2")})
    district = charts.district_chart(meta=chart_meta, rows=district_rows) if district_rows else None
    return render(request, "records/dashboard.html", {
        "is_admin": is_admin, "institutions": institutions, "years": years or [year], "year": year, "scope": scope,
        "snapshot": snapshot, "cards": cards, "chart": district_rows, "chart_meta": chart_meta,
        "chart_data": charts.dashboard_chart_data(cards=cards, district=district),
        "chart_codes": [m for m in INDICATORS if m.code not in charts.NOT_BY_DISTRICT],
        "districts": list(KAIFENG_DISTRICTS.items()), "query": request.GET.urlencode(),
    })


@login_required
def drilldown(request, code: str):
    if code not in META_BY_CODE:
        raise Http404
    years = dash.years_for_dashboard()
    year = _year(request, years)
    scope = _scope(request)
    if request.GET.get("format") == "xlsx":
        columns, rows, _ = dash.drilldown(code=code, year=year, scope=scope, limit=False)
        content = exports.xlsx_bytes([(f"{code} {year}", columns, rows)])
        return _download(content, f"indicator-{code}-{year}-{scope.code or 'city'}.xlsx", XLSX)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    columns, rows, next_after = dash.drilldown(code=code, year=year, scope=scope, after=after)
    params = request.GET.copy()
    params.pop("after", None)
    return render(request, "records/drilldown.html", {
        "meta": META_BY_CODE[code], "year": year, "scope": scope, "columns": columns, "rows": rows,
        "next_after": next_after, "after": after, "base_query": params.urlencode(),
    })


@login_required
def report_export(request, fmt: str):
    years = dash.years_for_dashboard()
    year = _year(request, years)
    scope = _scope(request)
    snapshot = dash.snapshot_get(year=year, scope=scope)
    name = f"indicators-{year}-{scope.code or 'city'}"
    if fmt == "xlsx":
        return _download(exports.report_xlsx(snapshot.data, taken_at=snapshot.taken_at), f"{name}.xlsx", XLSX)
    if fmt == "pdf":
        return _download(exports.report_pdf(snapshot.data, taken_at=snapshot.taken_at), f"{name}.pdf", "application/pdf")
    raise Http404


@login_required
@require_POST
def snapshot_refresh(request):
    """Bureau admins may recompute the snapshot they are looking at now."""
    is_admin, _institutions = dash.dashboard_scopes(user=request.user)
    if not is_admin:
        raise PermissionDenied
    years = dash.years_for_dashboard()
    year = _year(request, years)
    snapshot_store(year=year, scope=_scope(request))
    messages.success(request, _("指标已重新计算。"))
    query = request.GET.urlencode()
    return redirect(reverse("records:dashboard") + (f"?{query}" if query else ""))
