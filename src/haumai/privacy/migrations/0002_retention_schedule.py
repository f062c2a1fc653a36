import datetime as dt
import zoneinfo

from django.db import migrations


def create_schedule(apps, schema_editor):
    schedule = apps.get_model("privacy", "RetentionSchedule")
    local = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    first = local.replace(hour=3, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    schedule.objects.get_or_create(key="daily", defaults={"next_run_at": first.astimezone(dt.UTC)})


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(create_schedule, migrations.RunPython.noop)]
