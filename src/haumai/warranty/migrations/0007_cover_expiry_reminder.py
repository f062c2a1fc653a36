"""The expiry reminder follows the warranty's last covered day, `covered_until` (the end moved by days in
service, or an active extended plan's end beyond it), once per end date (`expiry_reminded_for`): a moved end
re-arms it. Existing rows: covered_until = ends_on, raised to the end of their active plans (set-based
updates); the reminded ones are marked as reminded for their end date, except those an active plan covered
(they were marked without a reminder; now they are reminded before the plan ends). The built-in journey
`warranty-expiry-reminder` allows re-entry, so the second reminder of a unit reaches the customer."""

from typing import Any

from django.db import migrations, models
from django.db.models import F, Max, OuterRef, Subquery


def forward(apps: Any, schema_editor: Any) -> None:
    Warranty = apps.get_model("warranty", "Warranty")
    ExtendedCoverage = apps.get_model("warranty", "ExtendedCoverage")
    Warranty.objects.filter(ends_on__isnull=False).update(covered_until=F("ends_on"))
    Warranty.objects.filter(expiry_reminded_at__isnull=False).update(expiry_reminded_for=F("ends_on"))
    plan_end = (
        ExtendedCoverage.objects.filter(warranty=OuterRef("pk"), status="active")
        .values("warranty")
        .annotate(end=Max("ends_on"))
        .values("end")
    )
    covered = Warranty.objects.filter(pk__in=ExtendedCoverage.objects.filter(status="active").values("warranty"))
    for warranty in covered.annotate(plan_end=Subquery(plan_end)).only("pk", "ends_on", "expiry_reminded_at"):
        if warranty.plan_end is None or (warranty.ends_on is not None and warranty.plan_end <= warranty.ends_on):
            continue
        Warranty.objects.filter(pk=warranty.pk).update(
            covered_until=warranty.plan_end, expiry_reminded_at=None, expiry_reminded_for=None
        )
    Journey = apps.get_model("journeys", "Journey")
    Journey.objects.filter(key="warranty-expiry-reminder", trigger_event="warranty.expiring").update(allow_reentry=True)


def backward(apps: Any, schema_editor: Any) -> None:
    apps.get_model("journeys", "Journey").objects.filter(key="warranty-expiry-reminder").update(allow_reentry=False)


class Migration(migrations.Migration):
    dependencies = [
        ("warranty", "0006_expiry_journey"),
        ("journeys", "0010_restricted_reason"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="warranty", name="warranty_expiry_due"),
        migrations.AddField(
            model_name="warranty",
            name="covered_until",
            field=models.DateField(blank=True, help_text="ends_on, or the end of an active plan beyond", null=True),
        ),
        migrations.AddField(
            model_name="warranty", name="expiry_reminded_for", field=models.DateField(blank=True, null=True)
        ),
        migrations.RunPython(forward, backward),
        migrations.AddIndex(
            model_name="warranty",
            index=models.Index(
                condition=models.Q(("expiry_reminded_at__isnull", True), ("status", "active")),
                fields=["covered_until"],
                name="warranty_cover_expiry_due",
            ),
        ),
    ]
