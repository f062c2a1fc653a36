"""What customers buy with, and after, what: the structure the recommendation model has to find.

A phone often goes out with a screen protector, and its charger or case comes a few weeks later; a
laptop gets a mouse in the same order and a bag or hub later; a water purifier's filter cartridges come
back months after it. The generator applies these with their own random stream (the main stream of
people, products and orders is untouched), and a little noise: anyone may buy an accessory on its own.
Nothing here is read by the model: it learns from the order lines alone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Companion:
    """A product bought with (same order) or after (a later order) an anchor product."""

    sku: str
    same_order: float = 0.0  # probability it is in the anchor's order
    later: float = 0.0  # probability of a later order with it
    after_days: tuple[int, int] = (7, 60)


# (department, brand or "") -> companions; "" applies to every brand of the department.
COMPANIONS: dict[tuple[str, str], tuple[Companion, ...]] = {
    ("phone", ""): (Companion("MP-KINH-CL", same_order=0.3), Companion("AK-TWS-P2", later=0.05, after_days=(20, 150))),
    ("phone", "Apple"): (
        Companion("AP-20W-USBC", same_order=0.08, later=0.3, after_days=(5, 60)),
        Companion("UG-CASE-IP16", same_order=0.2, later=0.08, after_days=(3, 45)),
    ),
    ("phone", "Samsung"): (
        Companion("SS-25W-USBC", same_order=0.05, later=0.25, after_days=(5, 60)),
        Companion("SS-CASE-SILI", same_order=0.2, later=0.08, after_days=(3, 45)),
    ),
    ("phone", "OPPO"): (Companion("SS-CASE-SILI", later=0.05),),
    ("laptop", ""): (
        Companion("LG-M331-MOUSE", same_order=0.3),
        Companion("TG-BALO-15", later=0.15, after_days=(3, 60)),
    ),
    ("laptop", "Apple"): (Companion("UG-HUB-USBC", same_order=0.1, later=0.3, after_days=(3, 45)),),
    ("purifier", "Kangaroo"): (Companion("KG-LOI123-SET", later=0.65, after_days=(90, 200)),),
    ("purifier", "Karofi"): (Companion("KR-LOI-RO-50G", later=0.6, after_days=(120, 240)),),
    ("purifier", "A. O. Smith"): (Companion("AOS-LOI-E3", later=0.55, after_days=(150, 240)),),
}
PURIFIER_WITH_APPLIANCE = 0.12  # an order with a large appliance also gets a water purifier
PURIFIER_ANY_ORDER = 0.012
ACCESSORY_NOISE = 0.03  # any order: one accessory nobody's rule predicts


def companions(department: str, brand: str) -> tuple[Companion, ...]:
    """The companions of a product of this department and brand."""
    return COMPANIONS.get((department, ""), ()) + COMPANIONS.get((department, brand), ())
