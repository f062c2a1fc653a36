"""Console views of messaging: templates (versions, edit with live preview) and deliveries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.accounts.selectors import can_see_pii, shown_email, shown_phone
from haumai.core.errors import DomainError, ValidationFailed
from haumai.core.paging import page_number
from haumai.messaging.models import Channel, DeliveryStatus, Template
from haumai.messaging.rendering import RenderError, render_message
from haumai.messaging.samples import sample_context
from haumai.messaging.selectors import delivery_detail, delivery_list, template_detail, template_list
from haumai.messaging.services import create_template, resolve_delivery, save_template_version, validate_version

PAGE_SIZE = 50
TEXT_LIMIT = 20000


def shown_destination(user: Any, channel: str, destination: str) -> str:
    """A destination as this user may see it (e-mail and phone masked without the PII permission)."""
    if channel == "email":
        return shown_email(user, destination)
    if channel in ("sms", "zns"):
        return shown_phone(user, destination)
    return destination


def _preview(template_key: str, channel: str, fields: dict[str, str]) -> dict[str, Any]:
    try:
        rendered = render_message(
            channel=channel,
            subject=fields["subject"],
            body_text=fields["body_text"],
            body_html=fields["body_html"],
            context=sample_context(template_key),
        )
    except RenderError as exc:
        return {"preview_error": exc.message}
    return {"preview": rendered}


def _fields(request: HttpRequest) -> dict[str, str]:
    return {
        name: request.POST.get(name, "")[:TEXT_LIMIT]
        for name in ("subject", "body_text", "body_html", "provider_template_id", "note")
    }


@login_required
@permission_required("messaging.view_template", raise_exception=True)
@require_GET
def template_index(request: HttpRequest) -> HttpResponse:
    """All templates with their current version number."""
    channel = request.GET.get("channel", "")
    channel = channel if channel in Channel.values else ""
    query = request.GET.get("q", "").strip()[:80]
    context = {
        "templates": list(template_list(channel=channel, name=query)),
        "channels": [c for c in Channel.choices if c[0] != Channel.WEBHOOK],
        "channel": channel,
        "query": query,
    }
    return render(request, "messaging/template_list.html", context)


def _template_or_404(pk: int) -> Template:
    template = template_detail(pk)
    if template is None:
        raise Http404(_("No such template"))
    return template


@login_required
@permission_required("messaging.view_template", raise_exception=True)
@require_GET
def template_show(request: HttpRequest, pk: int) -> HttpResponse:
    """A template: its versions and a preview of the current one with sample data."""
    template = _template_or_404(pk)
    versions = list(template.versions.all())
    shown = template.current_version
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        shown = next((v for v in versions if v.number == int(wanted)), shown)
    context: dict[str, Any] = {"template": template, "versions": versions, "shown": shown}
    if shown is not None:
        context.update(
            _preview(template.key, template.channel, {"subject": shown.subject, "body_text": shown.body_text,
                                                      "body_html": shown.body_html})
        )
    context["sample"] = sample_context(template.key)
    return render(request, "messaging/template_detail.html", context)


@login_required
@permission_required("messaging.change_template", raise_exception=True)
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a template: saving adds a new version (validated against the key's sample context)."""
    template = _template_or_404(pk)
    current = template.current_version
    errors: dict[str, str] = {}
    if request.method == "POST":
        fields = _fields(request)
        try:
            version = save_template_version(actor=request.user, template=template, **fields)
        except ValidationFailed as exc:
            errors = {e.field: e.message for e in exc.errors}
        else:
            messages.success(request, _("Saved as version %(number)s.") % {"number": version.number})
            return redirect("messaging:template_detail", pk=template.pk)
    else:
        fields = {
            "subject": current.subject if current else "",
            "body_text": current.body_text if current else "",
            "body_html": current.body_html if current else "",
            "provider_template_id": current.provider_template_id if current else "",
            "note": "",
        }
    context = {"template": template, "fields": fields, "errors": errors, "sample": sample_context(template.key)}
    context.update(_preview(template.key, template.channel, fields))
    return render(request, "messaging/template_edit.html", context, status=422 if errors else 200)


@login_required
@permission_required("messaging.change_template", raise_exception=True)
@require_POST
def template_preview(request: HttpRequest) -> HttpResponse:
    """htmx: render the posted text against the sample context of the key (changes nothing)."""
    key = request.POST.get("key", "")[:80]
    channel = request.POST.get("channel", "email")
    channel = channel if channel in Channel.values else "email"
    fields = _fields(request)
    problems = validate_version(key=key, channel=channel, subject=fields["subject"], body_text=fields["body_text"],
                                body_html=fields["body_html"], provider_template_id=fields["provider_template_id"])
    context = {"channel": channel, "problems": problems, **_preview(key, channel, fields)}
    return render(request, "messaging/_preview.html", context)


@login_required
@permission_required("messaging.add_template", raise_exception=True)
@permission_required("messaging.change_template", raise_exception=True)
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    """A new template (e.g. a ZNS template registered with Zalo, or a key for a journey)."""
    values = {name: request.POST.get(name, "")[:TEXT_LIMIT] for name in
              ("key", "channel", "language", "name", "subject", "body_text", "body_html", "provider_template_id")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            template = create_template(actor=request.user, **values)
        except ValidationFailed as exc:
            errors = {e.field: e.message for e in exc.errors}
        else:
            messages.success(request, _("Template created."))
            return redirect("messaging:template_detail", pk=template.pk)
    else:
        values.update(channel="email", language="vi")
    context = {
        "values": values,
        "errors": errors,
        "channels": [c for c in Channel.choices if c[0] != Channel.WEBHOOK],
    }
    return render(request, "messaging/template_create.html", context, status=422 if errors else 200)


@login_required
@permission_required("messaging.view_delivery", raise_exception=True)
@require_GET
def delivery_index(request: HttpRequest) -> HttpResponse:
    """Deliveries newest first, filtered by status, channel and customer code; no COUNT of the table."""
    status = request.GET.get("status", "")
    status = status if status in DeliveryStatus.values else ""
    channel = request.GET.get("channel", "")
    channel = channel if channel in Channel.values else ""
    customer_code = request.GET.get("customer", "").strip()[:20]
    page = page_number(request)
    rows = list(
        delivery_list(status=status, channel=channel, customer_code=customer_code)[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1
        ]
    )
    for delivery in rows:
        delivery.shown_destination = shown_destination(  # type: ignore[attr-defined]
            request.user, delivery.channel, delivery.destination
        )
    context = {
        "deliveries": rows[:PAGE_SIZE],
        "has_next": len(rows) > PAGE_SIZE,
        "page": page,
        "status": status,
        "channel": channel,
        "customer_code": customer_code,
        "statuses": DeliveryStatus.choices,
        "channels": Channel.choices,
    }
    return render(request, "messaging/delivery_list.html", context)


@login_required
@permission_required("messaging.view_delivery", raise_exception=True)
@require_GET
def delivery_show(request: HttpRequest, pk: int) -> HttpResponse:
    """One delivery: content, attempts and every provider error."""
    delivery = delivery_detail(pk)
    if delivery is None:
        raise Http404(_("No such delivery"))
    context = {
        "delivery": delivery,
        "destination": shown_destination(request.user, delivery.channel, delivery.destination),
        "pii": can_see_pii(request.user),
        "attempts": list(delivery.attempts.all()),
    }
    return render(request, "messaging/delivery_detail.html", context)


@login_required
@permission_required("messaging.resolve_delivery", raise_exception=True)
@require_POST
def delivery_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Settle a delivery of unknown outcome: it arrived, send it again, or give it up."""
    delivery = delivery_detail(pk)
    if delivery is None:
        raise Http404(_("No such delivery"))
    try:
        resolve_delivery(actor=request.user, delivery=delivery, resolution=request.POST.get("resolution", ""),
                         note=request.POST.get("note", "")[:500])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Delivery settled."))
    return redirect("messaging:delivery_detail", pk=pk)
