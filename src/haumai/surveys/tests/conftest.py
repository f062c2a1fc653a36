"""Fixtures for survey tests: a customer and the built-in surveys (re-created after flushing tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock
from haumai.customers.models import Customer
from haumai.journeys.tests.conftest import _fresh_journey_cache, capture, catalog, morning  # noqa: F401 (fixtures)
from haumai.surveys.models import Question, Survey
from haumai.surveys.services import create_invitation

NOON = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)  # 12:00 in Ho Chi Minh City


def ensure_surveys() -> dict[str, Survey]:
    """The built-in surveys (migration data; transactional tests flush them, so make them again)."""
    from importlib import import_module

    builtin = import_module("haumai.surveys.migrations.0002_builtin_surveys").BUILTIN
    surveys = {}
    for spec in builtin:
        spec = dict(spec)
        questions = spec.pop("questions", [])
        survey, created = Survey.objects.get_or_create(key=spec["key"], defaults=spec)
        if created:
            for position, question in enumerate(questions, start=1):
                Question.objects.create(survey=survey, position=position, **question)
        surveys[survey.key] = survey
    return surveys


@pytest.fixture
def surveys(db: Any) -> dict[str, Survey]:
    return ensure_surveys()


@pytest.fixture
def noon() -> dt.datetime:
    clock.freeze(NOON)
    return NOON


@pytest.fixture
def customer(db: Any) -> Customer:
    return Customer.objects.create(
        code="CUS-2026-000001", full_name="Nguyễn Thị Lan", search_key="nguyen thi lan", phone="+84912345678"
    )


def invite(survey: Survey, customer: Customer, **fields: Any) -> Any:
    """An invitation about a return (unless told otherwise)."""
    fields.setdefault("subject_kind", "return")
    fields.setdefault("subject_code", "RMA-2026-000001")
    fields.setdefault("channel", "zalo")
    return create_invitation(survey=survey, customer=customer, **fields)
