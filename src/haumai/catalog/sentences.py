"""Timeline sentences of the catalog (product.*, unit.*)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from haumai.core.registry import TimelineEntry, register_sentence
from haumai.events.sentences import said, value


def product_created(event: Any) -> TimelineEntry:
    return said(_("Product %(sku)s was added to the catalog") % {"sku": value(event, "sku") or "—"}, icon="tag")


def product_updated(event: Any) -> TimelineEntry:
    return said(_("Product %(sku)s was updated") % {"sku": value(event, "sku") or "—"}, icon="tag")


def unit_created(event: Any) -> TimelineEntry:
    params = {"serial": value(event, "serial") or "—", "sku": value(event, "sku") or "—"}
    return said(_("Unit %(serial)s of %(sku)s was registered") % params, icon="barcode")


def unit_returned(event: Any) -> TimelineEntry:
    return said(_("Unit %(serial)s came back from a return") % {"serial": value(event, "serial") or "—"},
                icon="barcode", tone="info")


register_sentence("product.created", product_created)
register_sentence("product.updated", product_updated)
register_sentence("unit.created", unit_created)
register_sentence("unit.returned", unit_returned)
