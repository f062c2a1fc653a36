"""One generic policy per warranty terms the products already have (months, start rule, provider)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from haumai.warranty.policy import generic_policy_fields


def create_policies(apps: Any, schema_editor: Any) -> None:
    Product = apps.get_model("catalog", "Product")
    WarrantyPolicy = apps.get_model("warranty", "WarrantyPolicy")
    terms = (
        Product.objects.filter(warranty_months__gt=0)
        .values_list("warranty_months", "warranty_start", "warranty_provider")
        .distinct()
    )
    for months, start, provider in terms:
        WarrantyPolicy.objects.get_or_create(
            code=f"default-{months}m-{start}-{provider}", defaults=generic_policy_fields(months, start, provider)
        )


class Migration(migrations.Migration):
    dependencies = [("warranty", "0001_initial"), ("catalog", "0001_initial")]

    operations = [migrations.RunPython(create_policies, migrations.RunPython.noop)]
