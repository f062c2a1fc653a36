"""The electronic warranty card (phiếu bảo hành điện tử): its signed link, QR code, PDF, and the message
that sends it when a warranty starts."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

import segno
from django.core import signing
from django.db import transaction
from django.urls import reverse

from haumai.core.errors import DomainError
from haumai.warranty.models import Warranty, WarrantyStatus

logger = logging.getLogger(__name__)

CARD_SALT = "haumai.warranty.card"
CARD_MAX_AGE_SECONDS = 400 * 24 * 3600  # a link in a message keeps working for a little over a year
TEMPLATE_KEY = "warranty.started"
FONTS = Path(__file__).resolve().parent / "fonts"


def card_token(warranty: Warranty) -> str:
    """A signed, expiring token naming the warranty (what links and QR codes carry, never the raw id)."""
    return signing.dumps({"w": warranty.code}, salt=CARD_SALT, compress=True)


def code_from_token(token: str) -> str | None:
    """The warranty code in a card token, or None when it is forged or expired."""
    try:
        value = signing.loads(token, salt=CARD_SALT, max_age=CARD_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    code = value.get("w") if isinstance(value, dict) else None
    return code if isinstance(code, str) else None


def card_path(warranty: Warranty) -> str:
    """The portal path of the warranty's card page."""
    return reverse("portal:warranty_card", args=[card_token(warranty)])


def qr_svg(url: str) -> str:
    """An inline SVG QR code for a URL."""
    return str(segno.make(url, error="m").svg_inline(scale=4, border=2))


def _card_url(warranty: Warranty) -> str:
    from haumai.messaging.context import absolute

    return absolute(card_path(warranty))


def message_context(warranty: Warranty) -> dict[str, Any]:
    """The message context: the unit (as in the built-in warranty templates) and the card link as the portal link."""
    return {
        "unit": {
            "serial": warranty.unit.serial,
            "product": warranty.unit.product.name,
            "warranty_expires": warranty.ends_on.isoformat() if warranty.ends_on else "",
        },
        "links": {"portal": _card_url(warranty)},
    }


def send_card(*, warranty_id: int) -> None:
    """Queue the card message on the customer's preferred reachable channel (after commit; never raises)."""
    from haumai.messaging import selectors as messaging_selectors
    from haumai.messaging import services as messaging_services

    warranty = Warranty.objects.select_related("unit__product", "customer").filter(pk=warranty_id).first()
    if warranty is None or warranty.status != WarrantyStatus.ACTIVE:
        return
    customer = warranty.customer
    channels = messaging_selectors.reachable_channels(customer)
    if customer.preferred_channel in channels:
        channels.remove(customer.preferred_channel)
        channels.insert(0, customer.preferred_channel)
    for channel in channels:
        try:
            with transaction.atomic():
                messaging_services.queue_message(
                    customer=customer,
                    template_key=TEMPLATE_KEY,
                    channel=channel,
                    context=message_context(warranty),
                    idempotency_key=f"warranty-card:{warranty.code}:{warranty.starts_on}",
                    source=f"warranty:{warranty.code}",
                )
        except DomainError as exc:  # no template on this channel, no consent...: try the next one
            logger.info("warranty card %s not queued on %s: %s", warranty.code, channel, exc)
            continue
        return


@cache
def _font_paths() -> tuple[str, str]:
    return str(FONTS / "DejaVuSans.ttf"), str(FONTS / "DejaVuSans-Bold.ttf")


def card_pdf(warranty: Warranty, *, url: str, rows: list[tuple[str, str]], title: str, note: str) -> bytes:
    """The card as an A5 PDF: title, the rows (label, value), a QR code of the card link, a closing note."""
    from fpdf import FPDF

    regular, bold = _font_paths()
    pdf = FPDF(format=(148, 210))  # A5 in mm
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("DejaVu", "", regular)
    pdf.add_font("DejaVu", "B", bold)
    pdf.add_page()
    pdf.set_title(f"{title} {warranty.code}")
    pdf.set_font("DejaVu", "B", 15)
    pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 7, warranty.code, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for label, value in rows:
        pdf.set_font("DejaVu", "B", 9)
        pdf.cell(42, 6, label)
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(0, 6, value or "—", new_x="LMARGIN", new_y="NEXT")
    qr = segno.make(url, error="m")
    png = _qr_png(qr)
    pdf.ln(3)
    pdf.image(png, w=34)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _qr_png(qr: Any) -> Any:
    import io

    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return buffer
