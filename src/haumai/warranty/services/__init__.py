"""Warranty writes: start, activate, import, void, extend, plans and claims (see README.md)."""

from haumai.warranty.services.claims import (
    center_choices,
    complete_service,
    coverage_for,
    decide_claim,
    file_claim,
    resolve_claim,
)
from haumai.warranty.services.common import UploadedPhoto, check_photo
from haumai.warranty.services.importing import ImportRow, import_warranties
from haumai.warranty.services.merging import reassign_customer_warranties
from haumai.warranty.services.plans import cancel_plan, extend_warranty, pro_rata_refund, sell_plan
from haumai.warranty.services.starting import (
    activate,
    find_unit,
    start_for_order,
    start_replacement,
    void,
    void_returned_units,
)

__all__ = [
    "ImportRow",
    "UploadedPhoto",
    "activate",
    "cancel_plan",
    "center_choices",
    "check_photo",
    "complete_service",
    "coverage_for",
    "decide_claim",
    "extend_warranty",
    "file_claim",
    "find_unit",
    "import_warranties",
    "pro_rata_refund",
    "reassign_customer_warranties",
    "resolve_claim",
    "sell_plan",
    "start_for_order",
    "start_replacement",
    "void",
    "void_returned_units",
]
