"""The public form: a signed link opens it without login; bad links and bad scores store nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from haumai.core import clock
from haumai.events.models import Event
from haumai.surveys import links
from haumai.surveys.models import FollowUp, Invitation, InvitationStatus, Response
from haumai.surveys.tests.conftest import invite


def test_customer_answers_csat_from_the_link(surveys: Any, customer: Any, noon: Any) -> None:
    invitation = invite(surveys["csat-order"], customer)
    url = links.path_for(invitation)
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    assert "How satisfied are you" in page.content.decode()
    answer = client.post(url, {"score": "5", "comment": "Giao hàng nhanh, đóng gói cẩn thận"})
    assert answer.status_code == 200
    assert "Your answer was saved" in answer.content.decode()
    response = Response.objects.get()
    assert (response.score, response.kind, response.subject_code, response.is_low) == (
        5,
        "csat",
        "RMA-2026-000001",
        False,
    )
    assert response.comment_key == "giao hang nhanh, dong goi can than"
    assert Invitation.objects.get().status == InvitationStatus.ANSWERED
    assert Event.objects.filter(name="survey.answered", customer=customer).count() == 1
    assert not FollowUp.objects.exists()
    again = client.post(url, {"score": "1"})
    assert again.status_code == 409
    assert "already answered" in again.content.decode()
    assert Response.objects.get().score == 5


def test_tampered_link_is_refused(surveys: Any, customer: Any, noon: Any) -> None:
    invitation = invite(surveys["csat-order"], customer)
    token = links.token_for(invitation)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    client = Client()
    for bad in (forged, "nonsense", token.replace(token.split(":")[0], "eyJpIjoiU1YtMjAyNi0wMDAwMDIifQ")):
        page = client.post(f"/s/{bad}/", {"score": "5"})
        assert page.status_code == 400
        assert "not valid" in page.content.decode()
    assert not Response.objects.exists()


def test_expired_link_is_refused(surveys: Any, customer: Any, noon: Any) -> None:
    invitation = invite(surveys["csat-order"], customer)
    clock.advance(dt.timedelta(days=surveys["csat-order"].valid_days, seconds=1))
    page = Client().post(links.path_for(invitation), {"score": "4"})
    assert page.status_code == 410
    assert "expired" in page.content.decode()
    assert not Response.objects.exists()


def test_out_of_range_scores_show_the_error_beside_the_field(surveys: Any, customer: Any, noon: Any) -> None:
    client = Client()
    for key, bad in (
        ("csat-order", "6"),
        ("csat-order", "0"),
        ("nps-relationship", "11"),
        ("ces-return", "8"),
        ("nps-relationship", "-1"),
        ("csat-order", "abc"),
        ("csat-order", ""),
    ):
        invitation = invite(surveys[key], customer)
        page = client.post(links.path_for(invitation), {"score": bad, "comment": "giữ lại chữ này"})
        body = page.content.decode()
        assert page.status_code == 422, (key, bad)
        assert 'id="error-score"' in body
        assert "giữ lại chữ này" in body  # what was typed stays
    assert not Response.objects.exists()
    assert not Invitation.objects.filter(status=InvitationStatus.ANSWERED).exists()


def test_low_scores_open_a_follow_up(surveys: Any, customer: Any, noon: Any) -> None:
    cases = [
        ("csat-order", 2, True),
        ("csat-order", 3, False),
        ("nps-relationship", 6, True),
        ("nps-relationship", 7, False),
        ("ces-return", 5, True),
        ("ces-return", 4, False),
    ]
    for key, score, low in cases:
        invitation = invite(surveys[key], customer)
        Client().post(links.path_for(invitation), {"score": str(score)})
        response = Response.objects.get(invitation=invitation)
        assert response.is_low is low, (key, score)
        assert FollowUp.objects.filter(response=response).exists() is low
    assert Event.objects.filter(name="survey.follow_up_opened").count() == 3


def test_custom_survey_checks_each_question(surveys: Any, customer: Any, noon: Any) -> None:
    survey = surveys["delivery-experience"]
    choice, scale, text = list(survey.questions.all())
    invitation = invite(survey, customer, subject_kind="order", subject_code="ORD-2026-000001")
    url = links.path_for(invitation)
    client = Client()
    assert "Was your order delivered on time?" in client.get(url).content.decode()
    bad = client.post(url, {f"q{choice.pk}": "tomorrow", f"q{scale.pk}": "9"})
    assert bad.status_code == 422
    body = bad.content.decode()
    assert f'id="error-q{choice.pk}"' in body and f'id="error-q{scale.pk}"' in body
    assert not Response.objects.exists()
    good = client.post(url, {f"q{choice.pk}": "late", f"q{scale.pk}": "4", f"q{text.pk}": "Shipper thân thiện"})
    assert good.status_code == 200
    response = Response.objects.get()
    assert response.score is None
    answers = {a.question_id: (a.choice, a.number, a.text) for a in response.answers.all()}
    assert answers == {choice.pk: ("late", None, ""), scale.pk: ("", 4, ""), text.pk: ("", None, "Shipper thân thiện")}


def test_vietnamese_form(surveys: Any, customer: Any, noon: Any) -> None:
    invitation = invite(surveys["ces-return"], customer)
    page = Client(HTTP_ACCEPT_LANGUAGE="vi").get(links.path_for(invitation), HTTP_COOKIE="django_language=vi")
    assert "dễ hay khó" in page.content.decode()
    assert "RMA-2026-000001" in page.content.decode()
