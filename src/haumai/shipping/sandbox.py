"""The offline demo's carrier simulator (`haumai serve --demo` starts it and sets HAUMAI_SANDBOX_CARRIERS_URL).

Staff press "carrier sends status" on a shipment; the simulator posts that carrier's documented, signed
webhook back to our /hooks/shipping/ URL, so the real webhook code path runs. Unset outside the sandbox.
"""

from __future__ import annotations

import httpx
from django.utils.translation import gettext as _

from haumai.core.errors import ValidationFailed
from haumai.shipping import conf
from haumai.shipping.carriers import WEBHOOK_CARRIERS, ghn, ghtk, jt, ninjavan, viettel_post
from haumai.shipping.models import Shipment
from haumai.shipping.statuses import ShipmentStatus, can_move

STATUS_MAPS = {
    "ghn": ghn.STATUS_MAP,
    "ghtk": ghtk.STATUS_MAP,
    "viettel_post": viettel_post.STATUS_MAP,
    "jt": jt.STATUS_MAP,
    "ninjavan": ninjavan.STATUS_MAP,
}
STEP_ORDER = (
    ShipmentStatus.PICKED_UP,
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.OUT_FOR_DELIVERY,
    ShipmentStatus.DELIVERED,
    ShipmentStatus.FAILED,
)


def is_on() -> bool:
    """Whether the carrier simulator runs (only in the offline demo)."""
    return bool(conf.sandbox_carriers_url())


def next_steps(shipment: Shipment) -> list[tuple[str, str]]:
    """(raw carrier code, our status label) the simulator may report next for a booked carrier shipment."""
    status_map = STATUS_MAPS.get(shipment.carrier.code)
    if not is_on() or status_map is None or not shipment.tracking_code:
        return []
    steps = []
    for status in STEP_ORDER:
        raw_code = next((code for code, mapped in status_map.items() if mapped == status), None)
        if raw_code is not None and can_move(shipment.status, status):
            steps.append((raw_code, str(ShipmentStatus(status).label)))
    return steps


def push_status(*, shipment: Shipment, raw_code: str, hooks_prefix: str) -> None:
    """Ask the simulator to send the carrier's webhook for `raw_code` (it arrives a moment later)."""
    if shipment.carrier.code not in WEBHOOK_CARRIERS or raw_code not in dict(next_steps(shipment)):
        raise ValidationFailed(_("This status cannot be simulated for this shipment now"))
    response = httpx.post(
        conf.sandbox_carriers_url().rstrip("/") + "/_sandbox/push",
        json={
            "carrier": shipment.carrier.code,
            "tracking_code": shipment.tracking_code,
            "raw_code": raw_code,
            "hooks_prefix": hooks_prefix,
        },
        timeout=5,
    )
    if response.status_code != 202:
        raise ValidationFailed(_("The carrier simulator refused: %(answer)s") % {"answer": response.text[:200]})
