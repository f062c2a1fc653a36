"""The built-in birthday journey's description said the voucher was text only (before loyalty existed)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

OLD = "On the birthday: greeting with a voucher text (no loyalty app yet: the voucher is text only)."
NEW = (
    "On the birthday: greeting. Add a 'Give a voucher' step with a loyalty campaign before the message and the "
    "greeting shows the code; without one it promises no offer."
)


def forwards(apps: Any, schema_editor: Any) -> None:
    Journey = apps.get_model("journeys", "Journey")
    Journey.objects.filter(key="birthday-greeting", description=OLD).update(description=NEW)


class Migration(migrations.Migration):
    dependencies = [("journeys", "0008_voucher_step")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
