"""The written intake receipt (giấy tiếp nhận bảo hành) as rows for the page and an A5 PDF (fpdf2 with the
DejaVu fonts vendored by the warranty app), and the customer's quote link."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.repairs.models import RepairOrder
from haumai.repairs.services import quote_token
from haumai.warranty.cards import FONTS


def _local(moment: Any) -> str:
    return moment.astimezone(clock.LOCAL_TZ).strftime("%d/%m/%Y %H:%M") if moment else "—"


def receipt_rows(order: RepairOrder) -> list[tuple[str, str]]:
    """The receipt's lines (label, value); the customer's name but not their phone or address."""
    return [
        (_("Repair order"), order.code),
        (_("Service centre"), f"{order.service_center.name} {order.service_center.address}".strip()),
        (_("Customer"), order.customer.full_name),
        (_("Product"), order.unit.product.name),
        (_("Serial / IMEI"), " / ".join(v for v in (order.unit.serial, order.unit.imei or "") if v)),
        (_("Received"), _local(order.received_at)),
        (_("Promised completion"), _local(order.promised_at)),
        (_("Under warranty"), _("Yes") if order.under_warranty else _("No (paid repair after a quote)")),
        (_("Customer's description"), order.description),
        (_("Condition at intake"), order.condition or "—"),
        (_("Accessories received"), ", ".join(order.accessories or []) or _("None")),
    ]


def quote_path(order: RepairOrder) -> str:
    """The portal path of the signed quote link."""
    return reverse("portal:repair_quote", args=[quote_token(order)])


def quote_url(request: Any, order: RepairOrder) -> str:
    """The absolute quote link (shown to staff to send by hand; messages send it too)."""
    return str(request.build_absolute_uri(quote_path(order)))


def receipt_pdf(order: RepairOrder) -> bytes:
    """The receipt as an A5 PDF with a signature line for the customer and the centre."""
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    title = _("Warranty service intake receipt")
    pdf.set_title(f"{title} {order.code}")
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for label, value in receipt_rows(order):
        pdf.set_font("DejaVu", "B", 9)
        pdf.cell(42, 6, label)
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(0, 6, value or "—", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(62, 6, _("Customer's signature"))
    pdf.cell(0, 6, _("Received by"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
