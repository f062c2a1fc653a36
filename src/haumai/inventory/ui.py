"""Inventory in the console: transfers between warehouses and available-to-sell per channel."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from haumai.core.registry import NavEntry, register_nav

register_nav(
    NavEntry(
        key="inventory.transfers",
        area="aftersales",
        label=_("Stock transfers"),
        url_name="inventory:transfers",
        icon="warehouse",
        permission="inventory.view_transfer",
        order=35,
    ),
    NavEntry(
        key="inventory.availability",
        area="aftersales",
        label=_("Available to sell"),
        url_name="inventory:availability",
        icon="layers",
        permission="inventory.view_channelstock",
        order=36,
    ),
)
