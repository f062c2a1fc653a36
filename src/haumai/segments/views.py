"""Console pages of segments: the list, the rule editor with a live preview, members and the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.accounts.selectors import shown_phone
from haumai.catalog.models import Category
from haumai.core.errors import Forbidden, NotFound, ValidationFailed
from haumai.core.paging import page_number, page_of
from haumai.customers.models import Customer, Province
from haumai.privacy import audit
from haumai.segments import rules as segment_rules
from haumai.segments import selectors, services
from haumai.segments.models import Segment
from haumai.surveys.models import Survey

PAGE_SIZE = 25
EXPORT_CHUNK = 2_000


def _segment(key: str) -> Segment:
    try:
        return selectors.segment_by_key(key)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _choices() -> dict[str, Any]:
    return {
        "categories": list(Category.objects.order_by("name").values_list("code", "name")),
        "provinces": list(Province.objects.order_by("name").values_list("code", "name")),
        "surveys": list(Survey.objects.order_by("name").values_list("key", "name")),
        "channels": [("sms", "SMS"), ("zalo", "Zalo"), ("email", "E-mail")],
    }


@login_required
@permission_required("segments.view_segment", raise_exception=True)
@require_GET
def segment_list(request: HttpRequest) -> HttpResponse:
    """Saved segments with their size and last refresh, newest change first."""
    query = request.GET.get("q", "").strip()[:120]
    page = page_number(request)
    rows, has_next = page_of(selectors.segment_list(query=query), page, PAGE_SIZE)
    return render(request, "segments/list.html", {
        "segments": rows, "page": page, "has_next": has_next, "q": query, "schedule": selectors.schedule(),
    })  # fmt: skip


def _form_values(request: HttpRequest, segment: Segment | None) -> dict[str, str]:
    if request.method == "POST":
        return {name: request.POST.get(name, "")[:200] for name in ("name", "description", *segment_rules.FIELD_NAMES)}
    values = {"name": segment.name if segment else "", "description": segment.description if segment else ""}
    for name in segment_rules.FIELD_NAMES:
        values[name] = str((segment.rules if segment else {}).get(name, ""))
    return values


def _editor(request: HttpRequest, segment: Segment | None) -> HttpResponse:
    permission = "segments.change_segment" if segment else "segments.add_segment"
    if not request.user.has_perm(permission):
        raise PermissionDenied
    values = _form_values(request, segment)
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = services.SegmentInput(
            name=values["name"], description=values["description"],
            rules={name: values[name] for name in segment_rules.FIELD_NAMES},
        )  # fmt: skip
        try:
            saved = services.save_segment(actor=request.user, data=data, segment=segment)
        except ValidationFailed as exc:
            errors = {e.field: e.message for e in exc.errors}
        except Forbidden as exc:
            raise PermissionDenied from exc
        else:
            messages.success(request, _("Segment saved: %(size)s customers.") % {"size": saved.size})
            return redirect("segments:detail", saved.key)
    choices = _choices()
    options = {"category": choices["categories"], "province": choices["provinces"], "survey": choices["surveys"],
               "channel": choices["channels"], "choice": [("yes", _("Yes")), ("no", _("No"))]}  # fmt: skip
    rows = [
        (spec, values[spec.name], errors.get(spec.name, ""), options.get(spec.kind)) for spec in segment_rules.FIELDS
    ]
    context = {"segment": segment, "values": values, "errors": errors, "rows": rows,
               "rules_error": errors.get("rules", "")}  # fmt: skip
    return render(request, "segments/edit.html", context, status=422 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def segment_new(request: HttpRequest) -> HttpResponse:
    """The rule editor for a new segment."""
    return _editor(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def segment_edit(request: HttpRequest, key: str) -> HttpResponse:
    """The rule editor for a saved segment."""
    return _editor(request, _segment(key))


@login_required
@permission_required("segments.view_segment", raise_exception=True)
@require_GET
def segment_preview(request: HttpRequest) -> HttpResponse:
    """The live preview while editing: size, a warning for nothing/everyone, field problems, a sample."""
    typed = {name: request.GET.get(name, "")[:200] for name in segment_rules.FIELD_NAMES}
    cleaned, problems = segment_rules.clean(typed)
    preview = None if problems else selectors.preview(cleaned)
    sample = []
    if preview:
        sample = [(c, shown_phone(request.user, c.phone)) for c in preview.sample]
    return render(request, "segments/_preview.html", {"preview": preview, "problems": problems, "sample": sample})


@login_required
@permission_required("segments.view_segment", raise_exception=True)
@require_GET
def segment_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A segment: its rule, size, refresh time and members (paginated)."""
    segment = _segment(key)
    page = page_number(request)
    rows, has_next = page_of(selectors.members(segment), page, PAGE_SIZE)
    members = [(c, shown_phone(request.user, c.phone)) for c in rows]
    audit.contact_shown(request, target=segment.key, page="segment", rows=len(rows))
    return render(request, "segments/detail.html", {
        "segment": segment, "members": members, "page": page, "has_next": has_next,
        "rule_lines": segment_rules.describe(segment.rules),
        "can_export": request.user.has_perm("segments.export_segment"),
        "can_change": request.user.has_perm("segments.change_segment"),
    })  # fmt: skip


@login_required
@permission_required("segments.change_segment", raise_exception=True)
@require_POST
def segment_refresh(request: HttpRequest, key: str) -> HttpResponse:
    """Recompute the members now (the worker also does it every night)."""
    segment = _segment(key)
    size = services.refresh_segment(segment=segment)
    messages.success(request, _("Segment refreshed: %(size)s customers.") % {"size": size})
    return redirect("segments:detail", segment.key)


def _csv_lines(request: HttpRequest, segment: Segment) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["code", "full_name", "phone", "email", "preferred_channel", "recency", "frequency", "monetary"])
    yield "\ufeff" + buffer.getvalue()
    last_code = ""
    base = selectors.members(segment)
    while True:
        chunk: list[Customer] = list(base.filter(code__gt=last_code)[:EXPORT_CHUNK])
        if not chunk:
            return
        buffer.seek(0)
        buffer.truncate()
        for customer in chunk:
            rfm = getattr(customer, "rfm", None)
            writer.writerow([
                customer.code, customer.full_name, shown_phone(request.user, customer.phone),
                customer.email or "" if request.user.has_perm("customers.view_customer_pii") else "",
                customer.preferred_channel, rfm.recency_score if rfm else "", rfm.frequency_score if rfm else "",
                rfm.monetary_score if rfm else "",
            ])  # fmt: skip
        yield buffer.getvalue()
        last_code = chunk[-1].code


@login_required
@permission_required("segments.export_segment", raise_exception=True)
@require_GET
def segment_export(request: HttpRequest, key: str) -> StreamingHttpResponse:
    """The members as CSV, streamed page by page (keyset on the code); recorded in the access log."""
    segment = _segment(key)
    audit.record_access(
        actor=request.user, action=audit.AccessAction.CSV_EXPORT, target=segment.key,
        detail={"page": "segment", "rows": segment.size}, http=request,
    )  # fmt: skip
    response = StreamingHttpResponse(_csv_lines(request, segment), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="segment-{segment.key}.csv"'
    return response
