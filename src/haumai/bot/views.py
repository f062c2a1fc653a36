"""Console page of the bot (/console/bot/): what customers asked, what the bot answered, hand-overs, gaps."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from haumai.bot import conf, handover, selectors
from haumai.bot.models import HandoverReason
from haumai.core import clock
from haumai.core.paging import page_number, page_of

PAGE_SIZE = 25
PERIODS = (1, 7, 30, 90)
LISTS = ("handovers", "unanswered")


@login_required
@permission_required("support.view_ticket", raise_exception=True)
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """Totals, intents, hand-over reasons and one paginated list (hand-overs or not understood)."""
    text = request.GET.get("days", "")
    days = int(text) if text.isdigit() and int(text) in PERIODS else 7
    shown = request.GET.get("list", "handovers")
    shown = shown if shown in LISTS else "handovers"
    since = clock.now() - dt.timedelta(days=days)
    page = page_number(request)
    source = selectors.recent_handovers(since=since) if shown == "handovers" else selectors.unanswered(since=since)
    rows, has_next = page_of(source, page, PAGE_SIZE)
    intents = [{**row, "label": handover.intent_label(row["intent"])} for row in selectors.intents(since=since)]
    reasons = [
        {**row, "label": HandoverReason(row["handover_reason"]).label if row["handover_reason"] else "—"}
        for row in selectors.handover_reasons(since=since)
    ]
    context = {
        "summary": selectors.summary(since=since), "intents": intents, "reasons": reasons, "rows": rows,
        "shown": shown, "page": page, "has_next": has_next, "days": days, "periods": PERIODS,
        "enabled": conf.enabled(), "channels": conf.channels(), "bot_name": conf.name(),
    }  # fmt: skip
    return render(request, "bot/report.html", context)
