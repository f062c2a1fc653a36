"""Joins the two first migrations written in parallel (tickets on one branch, SLA on another)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("support", "0002_builtin_care_scripts"), ("support", "0001_sla_calendars_policies")]
    operations: list = []
