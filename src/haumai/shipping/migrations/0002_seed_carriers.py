"""Seed the carriers Haumai ships with (inactive ones can be switched on in the admin)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CARRIERS = [
    ("ghn", "Giao Hàng Nhanh (GHN)", "api"),
    ("ghtk", "Giao Hàng Tiết Kiệm (GHTK)", "api"),
    ("viettel_post", "Viettel Post", "api"),
    ("jt", "J&T Express", "api"),
    ("ninjavan", "Ninja Van", "api"),
    ("own_fleet", "Nhân viên cửa hàng đến lấy", "own_fleet"),
    ("store_dropoff", "Gửi tại cửa hàng", "dropoff"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    Carrier = apps.get_model("shipping", "Carrier")
    for code, name, kind in CARRIERS:
        Carrier.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, "is_active": True})


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("shipping", "Carrier").objects.filter(code__in=[c[0] for c in CARRIERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("shipping", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
