"""Repair writes: intake, the state machine (diagnosis, quote, parts, QC, pickup), rules (see README.md)."""

from haumai.repairs.services.intake import open_for_claim, receive_unit
from haumai.repairs.services.orders import (
    assign,
    close,
    fail_qc,
    finish_repair,
    hand_back,
    pass_qc,
    resume_work,
    return_unrepaired,
    service_days,
    start_diagnosis,
    start_repair,
    technicians,
    wait_for_parts,
)
from haumai.repairs.services.outsourcing import book_return_from_brand, outsource, outsource_returned
from haumai.repairs.services.parts import PartsOutOfStock, use_part
from haumai.repairs.services.quotes import (
    QuoteLineInput,
    decide_goodwill,
    decide_quote,
    order_from_token,
    quote_token,
    quote_totals,
    send_quote,
)
from haumai.repairs.services.rules import lend_device, replace_instead, take_back_loan

__all__ = [
    "PartsOutOfStock",
    "QuoteLineInput",
    "assign",
    "book_return_from_brand",
    "close",
    "decide_goodwill",
    "decide_quote",
    "fail_qc",
    "finish_repair",
    "hand_back",
    "lend_device",
    "open_for_claim",
    "order_from_token",
    "outsource",
    "outsource_returned",
    "pass_qc",
    "quote_token",
    "quote_totals",
    "receive_unit",
    "replace_instead",
    "resume_work",
    "return_unrepaired",
    "send_quote",
    "service_days",
    "start_diagnosis",
    "start_repair",
    "take_back_loan",
    "technicians",
    "use_part",
    "wait_for_parts",
]
