"""Survey history for the demo: invitations after deliveries over the last 6 months, about a third answered
with realistic score distributions and Vietnamese comments, follow-ups for the low scores, then the daily
KPI rollups for those days (so the dashboard has a chart). Bulk inserts; a few thousand rows at the default size."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from haumai.analytics import rollups
from haumai.analytics.days import local_day
from haumai.core import clock
from haumai.core.codes import next_codes
from haumai.core.text import search_key
from haumai.events.models import Event
from haumai.sales.models import Order, OrderStatus
from haumai.surveys.models import FollowUp, FollowUpStatus, Invitation, InvitationStatus, Response, Survey
from haumai.surveys.services import is_low

MONTHS = 6
INVITED_SHARE = 0.6  # delivered orders that got the order CSAT or the NPS
ANSWER_RATE = 0.35
EVENTS_FOR_LATEST = 400  # timeline events for the newest answers only (history, already dispatched)
# Weights per score, shaped like published retail benchmarks (CSAT ~ 78 %, NPS ~ +30, CES ~ 2.8).
DISTRIBUTIONS = {
    "csat": {5: 45, 4: 32, 3: 11, 2: 7, 1: 5},
    "nps": {10: 26, 9: 22, 8: 17, 7: 11, 6: 8, 5: 6, 4: 3, 3: 3, 2: 2, 1: 1, 0: 1},
    "ces": {1: 24, 2: 30, 3: 20, 4: 11, 5: 8, 6: 4, 7: 3},
}
COMMENTS = {
    "good": (
        "Giao hàng nhanh, đóng gói cẩn thận.", "Nhân viên tư vấn nhiệt tình, sẽ ủng hộ tiếp.",
        "Sản phẩm đúng mô tả, giá tốt.", "Hài lòng, shipper thân thiện.", "Dịch vụ tốt, đổi trả dễ dàng.", "",
        "", "",
    ),
    "middle": (
        "Giao hơi chậm so với dự kiến.", "Sản phẩm ổn nhưng hộp bị móp nhẹ.", "Tạm được, cần cải thiện tổng đài.",
        "", "",
    ),
    "bad": (
        "Giao trễ 4 ngày mà không ai báo trước.", "Gọi tổng đài nhiều lần không ai nghe máy.",
        "Sản phẩm bị trầy xước khi nhận, chưa được xử lý.", "Nhân viên giao hàng thái độ không tốt.",
        "Hoàn tiền quá lâu, phải nhắc nhiều lần.", "Hàng lỗi, đổi mới mất cả tuần.",
    ),
}
FOLLOW_UP_NOTES = ("Đã gọi lại xin lỗi khách, tặng voucher 100.000 ₫.", "Đã đổi sản phẩm mới cho khách.",
                   "Khách đã được hoàn tiền, xác nhận hài lòng.")


def _score(rng: random.Random, kind: str) -> int:
    weights = DISTRIBUTIONS[kind]
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _comment(rng: random.Random, kind: str, score: int) -> str:
    bucket = "bad" if is_low(kind, score) else "good" if (
        (kind == "csat" and score >= 4) or (kind == "nps" and score >= 9) or (kind == "ces" and score <= 2)
    ) else "middle"
    return rng.choice(COMMENTS[bucket])


def seed_surveys(*, seed: int) -> dict[str, int]:
    """Invitations and answers for deliveries of the last 6 months, follow-ups, events, rollups."""
    rng = random.Random(seed * 13 + 5)
    now = clock.now()
    surveys = {s.key: s for s in Survey.objects.filter(key__in=("csat-order", "nps-relationship", "ces-return"))}
    if len(surveys) < 3 or Invitation.objects.exists():
        return {}
    since = now - dt.timedelta(days=30 * MONTHS)
    orders = list(
        Order.objects.filter(
            status__in=(OrderStatus.DELIVERED, OrderStatus.COMPLETED), delivered_at__gte=since, delivered_at__lt=now
        ).values_list("id", "code", "customer_id", "delivered_at").order_by("id")
    )
    chosen = [o for o in orders if rng.random() < INVITED_SHARE]
    if not chosen:
        return {}
    codes = iter(next_codes("SV", len(chosen)))
    invitations, answers = [], []
    for _id, code, customer_id, delivered_at in chosen:
        roll = rng.random()
        survey = surveys["csat-order"] if roll < 0.6 else surveys["nps-relationship"] if roll < 0.85 else \
            surveys["ces-return"]
        if delivered_at is None:
            continue
        sent: dt.datetime = delivered_at + dt.timedelta(days=3, hours=rng.randint(0, 6))
        if sent >= now:
            continue
        answered = rng.random() < ANSWER_RATE
        answer_at = sent + dt.timedelta(minutes=rng.randint(3, 60 * 48))
        if answer_at >= now:
            answered = False
        invitation = Invitation(
            code=next(codes), survey=survey, customer_id=customer_id, subject_kind="order" if survey.kind != "ces"
            else "return", subject_code=code, channel=rng.choice(("zalo", "zalo", "email", "sms")),
            status=InvitationStatus.ANSWERED if answered else InvitationStatus.OPEN, created_at=sent,
            expires_at=sent + dt.timedelta(days=survey.valid_days),
        )
        invitations.append(invitation)
        if answered:
            answers.append((invitation, answer_at))
    with transaction.atomic():
        Invitation.objects.bulk_create(invitations, batch_size=2000)
        responses = []
        for invitation, at in answers:
            kind = invitation.survey.kind
            score = _score(rng, kind)
            comment = _comment(rng, kind, score)
            responses.append(Response(
                invitation=invitation, survey=invitation.survey, customer_id=invitation.customer_id, kind=kind,
                score=score, comment=comment, comment_key=search_key(comment), subject_kind=invitation.subject_kind,
                subject_code=invitation.subject_code, channel=invitation.channel, is_low=is_low(kind, score),
                submitted_at=at,
            ))
        Response.objects.bulk_create(responses, batch_size=2000)
        low = [r for r in responses if r.is_low]
        follow_codes = iter(next_codes("FU", len(low)))
        follow_ups = []
        for response in low:
            recent = response.submitted_at > now - dt.timedelta(days=10)
            follow_ups.append(FollowUp(
                code=next(follow_codes), response=response, customer_id=response.customer_id,
                status=FollowUpStatus.OPEN if recent else FollowUpStatus.DONE,
                note="" if recent else rng.choice(FOLLOW_UP_NOTES), created_at=response.submitted_at,
                closed_at=None if recent else response.submitted_at + dt.timedelta(hours=rng.randint(2, 72)),
            ))
        FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
        latest = sorted(responses, key=lambda r: r.submitted_at)[-EVENTS_FOR_LATEST:]
        Event.objects.bulk_create([
            Event(name="survey.answered", occurred_at=r.submitted_at, customer_id=r.customer_id,
                  subject_type="surveys.response", subject_id=str(r.pk), actor_label="customer",
                  payload={"code": r.invitation.code, "survey": r.survey.key, "kind": r.kind, "score": r.score,
                           "subject_kind": r.subject_kind, "subject_code": r.subject_code, "low": r.is_low})
            for r in latest
        ], batch_size=2000)
    first = local_day(min(i.created_at for i in invitations))
    days = rollups.refresh_days(first, local_day(now))
    return {"surveys.invitation": len(invitations), "surveys.response": len(responses),
            "surveys.followup": len(follow_ups), "analytics.dailymetric": days}
