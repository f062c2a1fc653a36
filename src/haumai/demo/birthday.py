"""Demo: the birthday journey gives a real voucher of this year's birthday campaign (loyalty demo data)."""

from __future__ import annotations

from haumai.journeys import services as journey_services
from haumai.journeys.models import Journey, StepKind
from haumai.loyalty.models import VoucherCampaign

BIRTHDAY_JOURNEY = "birthday-greeting"


def wire_birthday_voucher() -> dict[str, int]:
    """Put a voucher step of the newest SINHNHAT-<year> campaign before the greeting (once; no branches moved)."""
    journey = Journey.objects.filter(key=BIRTHDAY_JOURNEY).first()
    campaign = VoucherCampaign.objects.filter(code__startswith="SINHNHAT-").order_by("-ends_at").first()
    if journey is None or campaign is None:
        return {"journeys.birthday_voucher": 0}
    data = journey_services.journey_input(journey)
    kinds = {step.kind for step in data.steps}
    if StepKind.VOUCHER in kinds or StepKind.BRANCH in kinds:
        return {"journeys.birthday_voucher": 0}
    data.steps = [journey_services.StepInput(kind=StepKind.VOUCHER, voucher_campaign=campaign.code), *data.steps]
    journey_services.save_journey(actor=None, data=data, journey=journey)
    return {"journeys.birthday_voucher": 1}
