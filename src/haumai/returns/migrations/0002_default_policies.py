"""Default return policies shipped as data (managers edit them in the admin/console)."""

from typing import Any

from django.db import migrations

DEFAULTS = [
    {
        # The typical Vietnamese retail promise: "đổi trả trong 7 ngày" from delivery, any reason,
        # approved automatically; defects are accepted up to 30 days (seller's fault).
        "name": "Đổi trả trong 7 ngày",
        "window_days": 7,
        "window_start": "delivery",
        "allowed_reasons": [],
        "allowed_conditions": ["sealed", "opened_unused", "used", "missing_accessories"],
        "allowed_resolutions": [],
        "defect_reasons_ignore_window_days": 30,
        "restocking_fee_percent": 0,
        "auto_approve": True,
        "refund_on_first_scan": True,
        "missing_item_grace_days": 7,
    },
]


def add_defaults(apps: Any, schema_editor: Any) -> None:
    ReturnPolicy = apps.get_model("returns", "ReturnPolicy")
    for values in DEFAULTS:
        if not ReturnPolicy.objects.filter(name=values["name"]).exists():
            ReturnPolicy.objects.create(**values)


def remove_defaults(apps: Any, schema_editor: Any) -> None:
    ReturnPolicy = apps.get_model("returns", "ReturnPolicy")
    ReturnPolicy.objects.filter(name__in=[values["name"] for values in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("returns", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
