"""Every personal-looking field of every Haumai model is declared, personal or not (registry heuristic)."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from haumai.privacy import registry


def _haumai_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("haumai.")]


def test_every_personal_looking_field_is_declared() -> None:
    personal = registry.declared_personal()
    not_personal = registry.declared_not_personal()
    missing = []
    for model in _haumai_models():
        label = model._meta.label
        for model_field in model._meta.concrete_fields:
            if not registry.looks_personal(model_field):
                continue
            name = model_field.name
            if name in personal.get(label, set()) or name in not_personal.get(label, set()):
                continue
            missing.append(f"{label}.{name}")
    assert not missing, (
        "These fields look personal but no app declared them in its privacy.py "
        "(PersonalModel fields, or not_personal with a reason): " + ", ".join(missing)
    )


def test_declared_fields_exist() -> None:
    """A typo in a declaration would silently hide a field from export and deletion."""
    problems = []
    for declared in (registry.declared_personal(), registry.declared_not_personal()):
        for label, names in declared.items():
            model = apps.get_model(label)
            existing = {f.name for f in model._meta.concrete_fields}
            problems += [f"{label}.{name}" for name in names if name not in existing]
    assert not problems, problems


def test_every_app_with_customer_data_can_export_and_anonymize() -> None:
    for source in registry.sources():
        holds_customer_data = any(m.subject == registry.SUBJECT_CUSTOMER and m.fields for m in source.models)
        if holds_customer_data and source.app != "privacy":
            assert source.anonymize is not None, f"{source.app} holds customer data but cannot anonymize it"


@isolate_apps("haumai.privacy")
def test_heuristic_catches_a_new_unregistered_model() -> None:
    """The check is not vacuous: a model like a future app's would be reported."""

    class Probe(models.Model):
        contact_phone = models.CharField(max_length=20)
        remarks = models.TextField()
        sku = models.CharField(max_length=20)
        status = models.CharField(max_length=10, choices=[("a", "A")])

        class Meta:
            app_label = "privacy"
            managed = False

        def __str__(self) -> str:
            return self.sku

    flagged = {f.name for f in Probe._meta.concrete_fields if registry.looks_personal(f)}
    assert flagged == {"contact_phone", "remarks"}
