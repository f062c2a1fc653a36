"""Advancing due journey runs step by step (the scheduler's handler for `journeys.runs`).

A claimed batch is advanced in memory with everything it needs loaded up front (journeys and steps,
customers, consents, recent marketing sends, trigger events), then written back in bulk: StepRun rows,
care tasks and the runs' new position/due_at. The batch's sends are queued together (one messaging
call per round; a refused channel falls back in the next round). Each send has the idempotency key
`journey-run:<run id>:step:<step id>`, so a repeated tick (after a crash before commit, or a deferral)
never makes a second message.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.customers.consents import effective_consents
from haumai.customers.models import Customer
from haumai.events.models import Event
from haumai.journeys import conf, rewarding, sending, surveying
from haumai.journeys.conditions import OrderFacts, branch_holds
from haumai.journeys.models import (
    CareTask,
    Journey,
    JourneyRun,
    JourneyStep,
    Outcome,
    Purpose,
    Reason,
    RunStatus,
    StepKind,
    StepRun,
    TriggerKind,
)
from haumai.journeys.rules import ConsentState, choose_channel, quiet_until, restriction_purpose
from haumai.privacy import restrictions

MAX_STEPS_PER_ADVANCE = 50
DATE_RULE_EVENT = {
    TriggerKind.BIRTHDAY: "customer.birthday",
    TriggerKind.WARRANTY_EXPIRY: "warranty.expiring",
    TriggerKind.MAINTENANCE_DUE: "maintenance.due",
}


def idempotency_key(run: JourneyRun, step: JourneyStep) -> str:
    """One key per step of a run: a repeated tick or a deferral never sends twice."""
    return f"journey-run:{run.pk}:step:{step.pk}"


@dataclass
class PendingSend:
    """A run stopped at a send step until the batch's sends are queued; `tried` channels refused so far."""

    run: JourneyRun
    step: JourneyStep
    customer: Customer
    purpose: str
    source: str
    channels: list[str]
    context: dict[str, Any]
    tried: int = 0
    reason: str = ""
    refusals: list[str] = field(default_factory=list)
    invitation_id: int | None = None  # survey steps: the invitation whose link the message carries
    surveyed: bool = False

    def request(self) -> sending.SendRequest:
        return sending.SendRequest(
            customer=self.customer,
            template_key=self.step.template_key,
            channel=self.channels[self.tried],
            context=self.context,
            idempotency_key=idempotency_key(self.run, self.step),
            purpose=self.purpose,
            source=self.source,
        )


class Batch:
    """Everything a claimed batch of runs needs, loaded in a fixed number of queries."""

    def __init__(self, runs: Sequence[JourneyRun]) -> None:
        self.now = clock.now()
        self.context_changed: list[JourneyRun] = []  # runs given a voucher: their context is saved
        self.birthday_campaign: bool | None = None  # is a birthday-gift campaign running? (asked once a batch)
        journey_ids = {run.journey_id for run in runs}
        customer_ids = {run.customer_id for run in runs}
        self.journeys = {j.pk: j for j in Journey.objects.filter(pk__in=journey_ids)}
        self.steps: dict[int, dict[int, JourneyStep]] = defaultdict(dict)
        for step in JourneyStep.objects.filter(journey_id__in=journey_ids):
            self.steps[step.journey_id][step.position] = step
        # Identities prefetched: messaging reads reachable channels from this cache, not one query each.
        # The restriction of processing in force comes with the customers (privacy.restrictions), no extra query.
        self.customers = restrictions.with_restricted_purposes(
            Customer.objects.prefetch_related("identities")
        ).in_bulk(customer_ids)
        # A grant of a consent wording superseded by one that requires re-consent counts as no grant.
        consent_rows = effective_consents(customer_ids)
        self.consents = {cid: ConsentState(consent_rows.get(cid, {})) for cid in customer_ids}
        self.restricted = {  # {customer id: purposes stopped}
            pk: restrictions.expand(c.restricted_purposes) for pk, c in self.customers.items() if c.restricted_purposes
        }
        self.cap = conf.marketing_cap()
        self.marketing_sent: dict[int, int] = {}
        if self.cap and any(j.purpose == Purpose.MARKETING for j in self.journeys.values()):
            since = self.now - dt.timedelta(days=conf.marketing_cap_days())
            self.marketing_sent = dict(
                StepRun.objects.filter(
                    customer_id__in=customer_ids, outcome=Outcome.SENT, purpose=Purpose.MARKETING, created_at__gte=since
                )
                .values("customer_id")
                .annotate(n=Count("id"))
                .values_list("customer_id", "n")
            )
        event_ids = {run.event_id for run in runs if run.event_id}
        self.events = Event.objects.in_bulk(event_ids) if event_ids else {}
        self.quiet_hours = conf.quiet_hours()
        self.step_runs: list[StepRun] = []
        self.tasks: list[CareTask] = []
        self.pending: list[PendingSend] = []
        self.steps_taken: dict[int, int] = defaultdict(int)
        self.carried: dict[int, tuple[int, str]] = {}  # invitation id -> (delivery id, channel)
        self._reachable: dict[int, list[str]] = {}
        self._orders: dict[int, OrderFacts | None] = {}

    def reachable(self, customer: Customer) -> list[str]:
        if customer.pk not in self._reachable:
            self._reachable[customer.pk] = sending.reachable_channels(customer)
        return self._reachable[customer.pk]

    def order_facts(self, run: JourneyRun) -> OrderFacts | None:
        if run.pk not in self._orders:
            self._orders[run.pk] = OrderFacts.for_subject(run.subject_type, run.subject_id)
        return self._orders[run.pk]

    def record(self, run: JourneyRun, step: JourneyStep | None, outcome: str, **fields: Any) -> StepRun:
        step_run = StepRun(
            run=run,
            step=step,
            customer_id=run.customer_id,
            position=step.position if step else run.position,
            kind=step.kind if step else "",
            outcome=outcome,
            created_at=self.now,
            **fields,
        )
        self.step_runs.append(step_run)
        return step_run


def advance_runs(runs: Sequence[JourneyRun]) -> None:
    """Scheduler handler: advance each claimed run until it waits, is deferred or ends.

    Runs stop at their send steps; the batch's sends are queued together in one messaging call, then
    those runs go on (a refused channel is retried on the next one in a further call).
    """
    batch = Batch(runs)
    for run in runs:
        if _enter(batch, run):
            _advance(batch, run)
    while batch.pending:
        pending, batch.pending = _with_survey_links(batch, batch.pending), []
        answers = sending.queue_many([send.request() for send in pending])
        for send, answer in zip(pending, answers, strict=True):
            if _settle(batch, send, answer):
                _advance(batch, send.run)
    surveying.attach_deliveries(batch.carried)
    StepRun.objects.bulk_create(batch.step_runs, batch_size=1000)
    if batch.tasks:
        CareTask.objects.bulk_create(batch.tasks, batch_size=1000)
    _save_runs(runs)
    for run in batch.context_changed:
        JourneyRun.objects.filter(pk=run.pk).update(context=run.context)


def _save_runs(runs: Sequence[JourneyRun]) -> None:
    """One UPDATE per distinct new state (most of a batch ends alike), cheaper than a CASE per row."""
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for run in runs:
        groups[(run.status, run.position, run.due_at, run.finished_at)].append(run.pk)
    for (status, position, due_at, finished_at), ids in groups.items():
        JourneyRun.objects.filter(pk__in=ids).update(
            status=status, position=position, due_at=due_at, finished_at=finished_at
        )


def _finish(batch: Batch, run: JourneyRun, status: str) -> None:
    run.status = status
    run.due_at = None
    run.finished_at = batch.now


def _enter(batch: Batch, run: JourneyRun) -> bool:
    """Whether a claimed run can take steps (else it is put aside or exited)."""
    journey = batch.journeys[run.journey_id]
    if batch.customers.get(run.customer_id) is None or run.status != RunStatus.ACTIVE:
        run.due_at = None
        return False
    if not journey.is_active:
        batch.record(
            run, None, Outcome.EXITED, reason=Reason.JOURNEY_INACTIVE, message=_("The journey is switched off")
        )
        _finish(batch, run, RunStatus.EXITED)
        return False
    if restriction_purpose(journey.purpose) in batch.restricted.get(run.customer_id, ()):
        batch.record(run, None, Outcome.EXITED, reason=Reason.RESTRICTED,
                     message=_("The customer restricted this processing; the run stops"))  # fmt: skip
        _finish(batch, run, RunStatus.EXITED)
        return False
    return True


def _advance(batch: Batch, run: JourneyRun) -> None:
    """Take the run's steps until it waits, ends, or stops at a send (queued with the batch's sends)."""
    journey = batch.journeys[run.journey_id]
    customer = batch.customers[run.customer_id]
    steps = batch.steps[journey.pk]
    while batch.steps_taken[run.pk] < MAX_STEPS_PER_ADVANCE:
        step = steps.get(run.position)
        if step is None:
            _finish(batch, run, RunStatus.COMPLETED)
            return
        batch.steps_taken[run.pk] += 1
        if not _run_step(batch, run, journey, customer, step):
            return
    run.due_at = batch.now  # a very long chain: continue on the next tick


def _run_step(batch: Batch, run: JourneyRun, journey: Journey, customer: Customer, step: JourneyStep) -> bool:
    """Run one step; True to go on with the next step now, False when the run waits, ended or sends."""
    if step.kind == StepKind.WAIT:
        until = batch.now + dt.timedelta(hours=step.wait_hours)
        batch.record(
            run,
            step,
            Outcome.WAITING,
            message=_("Waiting %(hours)s h, until %(until)s")
            % {"hours": step.wait_hours, "until": until.astimezone(clock.LOCAL_TZ).strftime("%d/%m/%Y %H:%M")},
        )
        run.position = step.position + 1
        run.due_at = until
        return False
    if step.kind in (StepKind.SEND, StepKind.SURVEY):
        return _send(batch, run, journey, customer, step)
    if step.kind == StepKind.TASK:
        batch.tasks.append(
            CareTask(
                run=run,
                customer=customer,
                title=step.task_title,
                subject_label=run.subject_label,
                created_at=batch.now,
            )
        )
        batch.record(run, step, Outcome.DONE, message=_("Care task created: %(title)s") % {"title": step.task_title})
        run.position = step.position + 1
        return True
    if step.kind == StepKind.VOUCHER:
        return _give_voucher(batch, run, customer, step)
    if step.kind == StepKind.BRANCH:
        holds = branch_holds(
            condition=step.branch_condition,
            value=step.branch_value,
            customer=customer,
            order=batch.order_facts(run),
            reachable=lambda: batch.reachable(customer),
            last_send_outcome=lambda: _last_send_outcome(batch, run),
        )
        target = step.branch_target if holds and step.branch_target else step.position + 1
        batch.record(
            run,
            step,
            Outcome.DONE,
            message=(
                _("Condition true: go to step %(target)s") if holds else _("Condition false: go to step %(target)s")
            )
            % {"target": target},
        )
        run.position = target
        return True
    batch.record(run, step, Outcome.EXITED, message=_("Exit step reached"))
    _finish(batch, run, RunStatus.EXITED)
    return False


def _give_voucher(batch: Batch, run: JourneyRun, customer: Customer, step: JourneyStep) -> bool:
    """Give the customer a code of the step's campaign; the run's later messages carry it as `voucher`."""
    given = rewarding.give_voucher(
        campaign_code=step.voucher_campaign,
        customer=customer,
        reference=idempotency_key(run, step),
        birthday_year=rewarding.birthday_year(batch.journeys[run.journey_id], run),
    )
    if isinstance(given, str):
        return _skip(batch, run, step, Reason.VOUCHER_UNAVAILABLE,
                     _("No voucher of %(campaign)s: %(why)s") % {"campaign": step.voucher_campaign, "why": given})
    run.context = {**run.context, "voucher": given}
    batch.context_changed.append(run)
    batch.record(run, step, Outcome.DONE, message=_("Voucher %(code)s given") % {"code": given["code"]})
    run.position = step.position + 1
    return True


def _last_send_outcome(batch: Batch, run: JourneyRun) -> str | None:
    for step_run in reversed(batch.step_runs):
        if step_run.run is run and step_run.kind == StepKind.SEND:
            return step_run.outcome
    earlier = StepRun.objects.filter(run=run, kind=StepKind.SEND).exclude(outcome=Outcome.DEFERRED).order_by("-id")
    return earlier.values_list("outcome", flat=True).first()


def _skip(batch: Batch, run: JourneyRun, step: JourneyStep, reason: str, message: str, **fields: Any) -> bool:
    batch.record(
        run, step, Outcome.SKIPPED, reason=reason, message=message[:300], template_key=step.template_key, **fields
    )
    run.position = step.position + 1
    return True


def _send(batch: Batch, run: JourneyRun, journey: Journey, customer: Customer, step: JourneyStep) -> bool:
    purpose = journey.purpose
    choice = choose_channel(
        preferred=customer.preferred_channel,
        channel_order=journey.channel_order,
        reachable=batch.reachable(customer),
        consent=batch.consents[customer.pk],
        purpose=purpose,
    )
    if not choice.channels:
        return _skip(batch, run, step, choice.reason, choice.message, purpose=purpose)
    first = choice.channels[0]
    if purpose == Purpose.MARKETING and batch.cap and batch.marketing_sent.get(customer.pk, 0) >= batch.cap:
        message = _("%(count)s marketing messages in the last %(days)s days (cap %(cap)s)") % {
            "count": batch.marketing_sent.get(customer.pk, 0),
            "days": conf.marketing_cap_days(),
            "cap": batch.cap,
        }
        return _skip(batch, run, step, Reason.CAPPED, message, purpose=purpose, channel=first)
    if not (purpose == Purpose.SERVICE and journey.allow_quiet_hours):
        until = quiet_until(batch.now, batch.quiet_hours)
        if until is not None:
            batch.record(
                run,
                step,
                Outcome.DEFERRED,
                reason=Reason.QUIET_HOURS,
                message=_("Quiet hours: deferred to %(until)s")
                % {"until": until.astimezone(clock.LOCAL_TZ).strftime("%d/%m/%Y %H:%M")},
                purpose=purpose,
                channel=first,
                template_key=step.template_key,
            )
            run.due_at = until
            return False
    _birthday_gift(batch, run, customer)
    batch.pending.append(
        PendingSend(
            run=run,
            step=step,
            customer=customer,
            purpose=purpose,
            source=f"journey:{journey.key}",
            channels=choice.channels,
            context=_with_voucher(sending.context_for(_event_for(batch, run, journey, customer)), run),
        )
    )
    if purpose == Purpose.MARKETING:
        # Counted now, so another run of the customer in this batch sees it; given back if refused.
        batch.marketing_sent[customer.pk] = batch.marketing_sent.get(customer.pk, 0) + 1
    return False


def _birthday_gift(batch: Batch, run: JourneyRun, customer: Customer) -> None:
    """A birthday message without a voucher from a step carries the running birthday campaign's gift."""
    year = rewarding.birthday_year(batch.journeys[run.journey_id], run)
    if year is None or (run.context or {}).get("voucher"):
        return
    if batch.birthday_campaign is None:
        batch.birthday_campaign = rewarding.birthday_campaign_running()
    if not batch.birthday_campaign:
        return  # no campaign: no per-customer lock and lookup (one query for the whole batch)
    given = rewarding.birthday_gift(customer=customer, year=year)
    if given is not None:
        run.context = {**run.context, "voucher": given}
        batch.context_changed.append(run)


def _with_voucher(context: dict[str, Any], run: JourneyRun) -> dict[str, Any]:
    """A voucher given earlier in the run is in every later message's context."""
    voucher = (run.context or {}).get("voucher")
    return {**context, "voucher": voucher} if voucher else context


def _settle(batch: Batch, send: PendingSend, answer: int | sending.SendRefused | sending.NotDelivered) -> bool:
    """Record a queued send (True: the run goes on); a refusal tries the next channel in the next call.

    A message messaging could not even prepare (a template that does not render) is recorded as not
    delivered, never as sent."""
    run, step, purpose = send.run, send.step, send.purpose
    if isinstance(answer, sending.SendRefused):
        send.refusals.append(answer.message)
        send.reason = send.reason or answer.reason
        send.tried += 1
        if send.tried < len(send.channels):
            batch.pending.append(send)
            return False
        if purpose == Purpose.MARKETING:
            batch.marketing_sent[send.customer.pk] -= 1
        return _skip(batch, run, step, send.reason, "; ".join(send.refusals), purpose=purpose, channel=send.channels[0])
    channel = send.channels[send.tried]
    if isinstance(answer, sending.NotDelivered):
        if purpose == Purpose.MARKETING:
            batch.marketing_sent[send.customer.pk] -= 1
        batch.record(
            run,
            step,
            Outcome.NOT_DELIVERED,
            reason=Reason.DELIVERY_FAILED,
            message=(_("Not delivered on %(channel)s: %(error)s") % {"channel": channel, "error": answer.error})[:300],
            purpose=purpose,
            channel=channel,
            template_key=step.template_key,
            delivery_id=answer.delivery_id,
        )
        run.position = step.position + 1
        return True
    if send.invitation_id is not None:
        batch.carried[send.invitation_id] = (answer, channel)
    batch.record(
        run,
        step,
        Outcome.SENT,
        message=_("Queued %(template)s on %(channel)s") % {"template": step.template_key, "channel": channel},
        purpose=purpose,
        channel=channel,
        template_key=step.template_key,
        delivery_id=answer,
    )
    run.position = step.position + 1
    return True


def _with_survey_links(batch: Batch, pending: list[PendingSend]) -> list[PendingSend]:
    """Open the invitations of this round's survey steps (one call) and put their links into the context.

    A survey that is missing or switched off skips the step (the run goes on after it)."""
    pending, batch.pending = list(pending), []
    asks = [send for send in pending if send.step.kind == StepKind.SURVEY and not send.surveyed]
    if not asks:
        return pending
    answers = surveying.open_invitations(
        [
            surveying.SurveyAsk(
                survey_key=send.step.survey_key,
                customer=send.customer,
                idempotency_key=idempotency_key(send.run, send.step),
                subject_type=send.run.subject_type,
                subject_id=send.run.subject_id,
                subject_code=send.run.subject_label if ":" not in send.run.subject_label else "",
                channel=send.channels[send.tried],
                language=send.customer.preferred_language or "vi",
            )
            for send in asks
        ]
    )
    dropped: set[int] = set()
    for send, answer in zip(asks, answers, strict=True):
        send.surveyed = True
        if answer is None:
            if send.purpose == Purpose.MARKETING:
                batch.marketing_sent[send.customer.pk] -= 1
            _skip(batch, send.run, send.step, Reason.SURVEY_MISSING,
                  _("Survey '%(key)s' is missing or switched off") % {"key": send.step.survey_key},
                  purpose=send.purpose)
            _advance(batch, send.run)
            dropped.add(id(send))
            continue
        send.invitation_id = answer["invitation_id"]
        send.context = {**send.context, "survey": answer["survey"],
                        "links": {**send.context.get("links", {}), "survey": answer["link"]}}
    # A skipped run that went on may have stopped at another send: it joins this round.
    kept = [send for send in pending if id(send) not in dropped] + batch.pending
    return _with_survey_links(batch, kept)


def _event_for(batch: Batch, run: JourneyRun, journey: Journey, customer: Customer) -> Event:
    """The triggering event, or an unsaved one describing a date rule (its context comes from messaging)."""
    if run.event_id and run.event_id in batch.events:
        return batch.events[run.event_id]
    subject_type, subject_id = run.subject_type, run.subject_id
    if subject_type == "customers.customer":
        subject_type, subject_id = "", ""  # the customer is in the context already
    payload = dict(run.context)
    if subject_type == "sales.orderline":
        facts = batch.order_facts(run)
        if facts is not None:
            payload.update(facts.line_payload)
            unit_id = facts.line_payload.get("unit_id")
            subject_type, subject_id = (
                ("catalog.unit", str(unit_id)) if unit_id else ("sales.order", str(facts.order_id))
            )
    return Event(
        name=DATE_RULE_EVENT.get(TriggerKind(journey.trigger_kind), "journey.step"),
        occurred_at=batch.now,
        customer=customer,
        subject_type=subject_type,
        subject_id=subject_id,
        payload=payload,
    )
