"""Console KPI dashboard: each number with its formula, a daily chart, drill-down to the records, CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from haumai.analytics import customers, drill, filters, forecast, kpis, summary, tables
from haumai.analytics.days import MAX_RANGE_DAYS, local_day
from haumai.core import clock
from haumai.core.paging import page_number, page_of
from haumai.privacy import audit
from haumai.shipping.metrics import delivery_target_days

DEFAULT_DAYS = 30
PAGE_SIZE = 50
CHART_KEYS = ("csat", "nps", "ces", "return_rate")


def date_range(request: HttpRequest) -> tuple[dt.date, dt.date, str]:
    """The requested [first, last] local days (default: the last 30 days) and an error when it was refused."""
    today = local_day(clock.now())
    default = (today - dt.timedelta(days=DEFAULT_DAYS - 1), today)
    raw_first, raw_last = request.GET.get("since", "").strip()[:10], request.GET.get("until", "").strip()[:10]
    if not raw_first and not raw_last:
        return default[0], default[1], ""
    try:
        first = dt.date.fromisoformat(raw_first) if raw_first else default[0]
        last = dt.date.fromisoformat(raw_last) if raw_last else today
    except ValueError:
        return default[0], default[1], _("Dates must look like 2026-03-31.")
    if last < first:
        return default[0], default[1], _("The end date is before the start date.")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        return default[0], default[1], _("Choose at most %(days)s days.") % {"days": MAX_RANGE_DAYS}
    return first, last, ""


@login_required
@permission_required("analytics.view_dashboard", raise_exception=True)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """KPI cards (value, formula, parts), a daily chart, links to drill-downs and exports."""
    first, last, error = date_range(request)
    values = kpis.evaluate(first, last)
    series = kpis.daily_series(first, last, CHART_KEYS)
    labels = [(first + dt.timedelta(days=i)).strftime("%d/%m") for i in range((last - first).days + 1)]
    chart = {
        "labels": labels,
        "datasets": [{"key": key, "label": str(kpis.BY_KEY[key].label), "data": series[key]} for key in CHART_KEYS],
    }
    sections: list[tuple[str, Any, list[tuple[Any, Any, Any]]]] = [
        (key, title, [(kpi, value, kpi.formula) for kpi, value in values if kpi.section == key])
        for key, title in kpis.SECTIONS
    ]
    options = filters.choices()
    chosen, filter_error = filters.parse(request, options)
    error = " ".join(e for e in (error, filter_error) if e)
    narrow = filters.as_kwargs(chosen)
    sections.append(("customers", _("Customers"), customers.customer_kpis(last, customers.churn_window(), **narrow)))
    support_by = tables.choice(request.GET.get("support_by", ""), tables.SUPPORT_BY)
    claims_by = tables.choice(request.GET.get("claims_by", ""), tables.CLAIMS_BY)
    forecast_by = tables.choice(request.GET.get("forecast_by", ""), tables.FORECAST_BY)
    carriers_by = tables.choice(request.GET.get("carriers_by", ""), tables.CARRIERS_BY)
    context = {
        "values": values,
        "sections": sections,
        "agents": tables.support_rows(first, last, support_by, chosen),
        "support_by": support_by,
        "support_by_options": tables.SUPPORT_BY,
        "support_by_label": tables.SUPPORT_BY[support_by],
        "delivery_target_days": delivery_target_days(),
        "filter_values": chosen.as_query(),
        "filters": chosen,
        "filter_options": options,
        "claims": tables.claim_rows(first, last, claims_by, chosen),
        "claims_by": claims_by,
        "claims_by_options": tables.CLAIMS_BY,
        "carriers": tables.carrier_rows(first, last, carriers_by, chosen),
        "carriers_by": carriers_by,
        "carriers_by_options": tables.CARRIERS_BY,
        "cohorts": customers.cohorts(last, **narrow),
        "cohort_offsets": range(1, customers.COHORT_OFFSETS + 1),
        "rfm_groups": customers.rfm_groups(),
        "weekly_opted_out": summary.is_opted_out(request.user),
        "forecasts": [
            (label, forecast.weekly(kind, by=forecast_by, today=last))
            for kind, label in (("orders", _("Orders")), ("returns", _("Returns")), ("claims", _("Warranty claims")))
        ],
        "forecast_by": forecast_by,
        # Each table's grouping, carried by every form on the page so one choice does not reset the others.
        "groupings": {"support_by": support_by, "claims_by": claims_by, "carriers_by": carriers_by,
                      "forecast_by": forecast_by},
        "forecast_by_options": tables.FORECAST_BY,
        "since": first.isoformat(),
        "until": last.isoformat(),
        "error": error,
        "chart": chart,
        "days": (last - first).days + 1,
    }
    return render(request, "analytics/dashboard.html", context, status=400 if error else 200)


@login_required
@permission_required("analytics.view_dashboard", raise_exception=True)
@require_POST
def weekly_email(request: HttpRequest) -> HttpResponse:
    """Stop or resume the weekly KPI e-mail for the signed-in manager."""
    choice = request.POST.get("weekly", "")
    if choice not in ("stop", "resume"):
        return HttpResponse(_("Choose stop or resume."), status=400, content_type="text/plain; charset=utf-8")
    summary.set_opt_out(user=request.user, opted_out=choice == "stop")
    return redirect("analytics:dashboard")


@login_required
@permission_required("analytics.view_dashboard", raise_exception=True)
@require_GET
def drill_down(request: HttpRequest, name: str) -> HttpResponse:
    """The records behind one number, paginated."""
    spec = drill.SPECS.get(name)
    if spec is None:
        raise Http404("Unknown drill-down")
    first, last, error = date_range(request)
    page = page_number(request)
    rows, has_next = page_of(spec.queryset(first, last), page, PAGE_SIZE)
    context = {
        "spec": spec,
        "name": name,
        "rows": [spec.row(r, request.user) for r in rows],
        "has_next": has_next,
        "page": page,
        "since": first.isoformat(),
        "until": last.isoformat(),
        "error": error,
        "kpi": kpis.BY_KEY.get(spec.kpi),
    }
    return render(request, "analytics/drill.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(header: list[str], rows: Iterator[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)  # BOM: Excel reads Vietnamese as UTF-8
    for row in rows:
        yield writer.writerow(row)


def _export_rows(name: str, first: dt.date, last: dt.date, user: Any) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and the rows (read in chunks) of a drill-down, or of the daily table (`daily`)."""
    if name == "daily":
        return drill.daily_rows(first, last)
    spec = drill.SPECS.get(name)
    if spec is None:
        raise Http404("Unknown export")
    rows = (spec.row(r, user) for r in spec.queryset(first, last).iterator(chunk_size=2000))
    return [str(h) for h in spec.header], rows


@login_required
@permission_required("analytics.view_dashboard", raise_exception=True)
@require_GET
def export_csv(request: HttpRequest, name: str) -> HttpResponse | StreamingHttpResponse:
    """Stream a drill-down (or the daily table, `daily`) as CSV: rows are read in chunks, memory stays flat."""
    first, last, error = date_range(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    header, rows = _export_rows(name, first, last, request.user)
    _record_export(request, name, first, last, "csv")
    response = StreamingHttpResponse(_csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="haumai-{name}-{first}-{last}.csv"'
    return response


@login_required
@permission_required("analytics.view_dashboard", raise_exception=True)
@require_GET
def export_xlsx(request: HttpRequest, name: str) -> HttpResponse | FileResponse:
    """The same rows as an Excel workbook, written row by row (openpyxl write-only) to a temporary file."""
    first, last, error = date_range(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    header, rows = _export_rows(name, first, last, request.user)
    _record_export(request, name, first, last, "xlsx")
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it once sent)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=name[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    workbook.save(target)
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=f"haumai-{name}-{first}-{last}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _record_export(request: HttpRequest, name: str, first: dt.date, last: dt.date, file_format: str) -> None:
    """Drill-down files name customers (codes, survey comments): each download goes to the access log."""
    if name == "daily":
        return  # counts only
    audit.record_access(
        actor=request.user, action=audit.AccessAction.CSV_EXPORT, target=f"analytics:{name}",
        detail={"since": first.isoformat(), "until": last.isoformat(), "format": file_format}, http=request,
    )  # fmt: skip


def _cell(value: Any) -> Any:
    """Numbers stay numbers; everything else is text (a formula-looking text is not run by Excel)."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
