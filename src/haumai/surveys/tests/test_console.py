"""Console pages of surveys: answers (filters, diacritic-free search, pages), follow-ups, edit, panels."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haumai.core.registry import sentence_for
from haumai.events.models import Event
from haumai.surveys import links
from haumai.surveys.models import FollowUp, Survey
from haumai.surveys.tests.conftest import invite

pytestmark = pytest.mark.django_db


def answer(survey: Survey, customer: Any, score: int, comment: str = "", **fields: Any) -> Any:
    invitation = invite(survey, customer, **fields)
    assert Client().post(links.path_for(invitation), {"score": str(score), "comment": comment}).status_code == 200
    return invitation


def test_answers_list_filters_and_searches_without_diacritics(
    surveys: Any, customer: Any, noon: Any, client: Any, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    answer(surveys["csat-order"], customer, 1, "Nhân viên giao hàng thái độ không tốt")
    answer(surveys["nps-relationship"], customer, 10, "Rất hài lòng")
    for n in range(30):
        answer(surveys["csat-order"], customer, 4, f"ổn {n}")
    client.force_login(make_staff("agent"))
    with django_assert_max_num_queries(20):
        page = client.get("/console/surveys/responses/")
    assert page.status_code == 200 and 'href="?kind=' in page.content.decode()  # a next page
    found = client.get("/console/surveys/responses/", {"q": "thai do khong tot"}).content.decode()
    assert "thái độ không tốt" in found and "Rất hài lòng" not in found
    low = client.get("/console/surveys/responses/", {"low": "1"}).content.decode()
    assert "thái độ" in low and "ổn 3" not in low
    nps = client.get("/console/surveys/responses/", {"kind": "nps"}).content.decode()
    assert "Rất hài lòng" in nps and "thái độ" not in nps
    bad = client.get("/console/surveys/responses/", {"since": "2026-03-05", "until": "2026-03-01"})
    assert 'id="filter-error"' in bad.content.decode()


def test_follow_up_is_assigned_and_closed(surveys: Any, customer: Any, noon: Any, client: Any, make_staff: Any) -> None:
    invitation = answer(surveys["ces-return"], customer, 6, "Phải gọi tổng đài 3 lần mới được hoàn tiền")
    follow_up = FollowUp.objects.get()
    agent = make_staff("agent")
    client.force_login(agent)
    queue = client.get("/console/surveys/follow-ups/").content.decode()
    assert follow_up.code in queue
    detail = client.get(f"/console/surveys/follow-ups/{follow_up.code}/").content.decode()
    assert "+84912345678" in detail  # agents see phones
    client.post(f"/console/surveys/follow-ups/{follow_up.code}/assign/", {"me": "1"})
    follow_up.refresh_from_db()
    assert (follow_up.assignee, follow_up.status) == (agent, "in_progress")
    refused = client.post(f"/console/surveys/follow-ups/{follow_up.code}/close/", {"note": "  "}, follow=True)
    assert "Please write what was done" in refused.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == "in_progress"
    client.post(f"/console/surveys/follow-ups/{follow_up.code}/close/", {"note": "Đã gọi lại, tặng voucher"})
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and follow_up.closed_by == agent
    names = list(Event.objects.filter(customer=customer).order_by("id").values_list("name", flat=True))
    assert names == [
        "survey.answered",
        "survey.follow_up_opened",
        "survey.follow_up_assigned",
        "survey.follow_up_closed",
    ]
    for event in Event.objects.filter(customer=customer):
        sentence = sentence_for(event.name)
        assert sentence is not None
        assert "survey." not in sentence.describe(event).text
    assert invitation.code in client.get(f"/console/customers/{customer.code}/").content.decode()


def test_warehouse_staff_cannot_read_answers(
    surveys: Any, customer: Any, noon: Any, client: Any, make_staff: Any
) -> None:
    answer(surveys["csat-order"], customer, 2)
    client.force_login(make_staff("warehouse"))
    assert client.get("/console/surveys/responses/").status_code == 403
    code = FollowUp.objects.get().code
    assert client.post(f"/console/surveys/follow-ups/{code}/close/", {"note": "x"}).status_code == 403
    assert FollowUp.objects.get().status == "open"


def test_manager_edits_a_survey_and_bad_input_is_refused(surveys: Any, client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("manager"))
    url = "/console/surveys/manage/csat-order/"
    base = {
        "name": "CSAT",
        "question_vi": "Hài lòng không?",
        "question_en": "Happy?",
        "why_vi": "",
        "why_en": "",
        "valid_days": "7",
        "is_active": "on",
    }
    bad = client.post(url, {**base, "valid_days": "900", "question_vi": ""})
    assert bad.status_code == 422
    assert Survey.objects.get(key="csat-order").valid_days == 14
    client.post(url, base)
    assert Survey.objects.get(key="csat-order").valid_days == 7
    agent = Client()
    agent.force_login(make_staff("agent"))
    assert agent.post(url, {**base, "valid_days": "3"}).status_code == 403
    assert Survey.objects.get(key="csat-order").valid_days == 7


def test_the_return_page_shows_the_feedback_about_it(surveys: Any, customer: Any, noon: Any) -> None:
    from django.template import Context, Template
    from django.test import RequestFactory

    answer(surveys["ces-return"], customer, 2, "Dễ dàng", subject_code="RMA-2026-000077")
    request = RequestFactory().get("/")
    from haumai.accounts.services import create_staff_user

    request.user = create_staff_user(username="m1", password="s3cret-pass-123", role="manager")
    html = Template('{% load surveys %}{% survey_responses "return" "RMA-2026-000077" %}').render(
        Context({"request": request})
    )
    assert "Dễ dàng" in html and "CES 2" in html


def test_global_search_finds_answers_and_follow_ups_by_code(surveys: Any, customer: Any, noon: Any) -> None:
    from haumai.surveys.ui import search_surveys

    invitation = answer(surveys["csat-order"], customer, 1, "Tệ")
    follow_up = FollowUp.objects.get()
    assert [h.title for h in search_surveys(invitation.code.lower(), None, 5)] == [
        f"{invitation.code} · {surveys['csat-order'].name}"
    ]
    assert [h.title for h in search_surveys(follow_up.code, None, 5)] == [follow_up.code]
    assert search_surveys("nguyen thi lan", None, 5) == [] and search_surveys("SV-1999-000000", None, 5) == []
