"""Console pages of imports: upload a file (a preview first), follow the worker's progress, read the problems,
download the full problem report, then import the previewed file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.core.errors import DomainError
from haumai.core.paging import page_number, page_of
from haumai.integrations import uploads
from haumai.integrations.importing.progress import read_progress
from haumai.integrations.models import KIND_LABELS, ImportRun
from haumai.integrations.services import KINDS, columns_of

PAGE_SIZE = 25
PROBLEMS_SHOWN = 50
VIEW = "integrations.view_importrun"


def _kinds() -> list[tuple[str, str, str]]:
    return [
        (kind, str(KIND_LABELS[kind]), ", ".join(c.name + ("*" if c.required else "") for c in columns_of(kind)))
        for kind in KINDS
    ]


def _refused(request: HttpRequest, exc: DomainError) -> None:
    details = "; ".join(error.message for error in exc.errors)
    messages.error(request, f"{exc.message} {details}" if details else exc.message)


def _load(request: HttpRequest, run_id: int) -> ImportRun:
    try:
        return uploads.run_for(actor=request.user, run_id=run_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    """Recent runs (uploads, the command line's and the demo's), newest first, and the upload form."""
    if request.method == "POST":
        upload = request.FILES.get("file")
        kind = request.POST.get("kind", "")
        if upload is None:
            messages.error(request, _("Choose a file to upload."))
        else:
            try:
                run = uploads.queue_upload(
                    actor=request.user, kind=kind, name=upload.name or "", size=upload.size or 0, stream=upload,
                    dry_run=request.POST.get("mode", "preview") != "import",
                    skip_invalid=request.POST.get("skip_invalid") == "1",
                )  # fmt: skip
            except DomainError as exc:
                _refused(request, exc)
            else:
                return redirect("integrations:detail", run_id=run.pk)
    page = page_number(request)
    rows, has_next = page_of(ImportRun.objects.select_related("actor").order_by("-started_at", "-pk"), page, PAGE_SIZE)
    context = {
        "rows": rows,
        "page": page,
        "has_next": has_next,
        "kinds": _kinds(),
        "can_import": request.user.has_perm(uploads.PERMISSION),
        "max_mb": int(settings.HAUMAI_MAX_IMPORT_BYTES) // (1024 * 1024),
    }
    return render(request, "integrations/list.html", context)


def _progress_context(run: ImportRun) -> dict[str, Any]:
    live = run.status in uploads.LIVE
    progress = read_progress(run.pk) if live else None
    phase = (progress or {}).get("phase", "queued" if run.status == "queued" else "read")
    phases = {
        "queued": _("Waiting for the worker"),
        "read": _("Reading the file"),
        "validate": _("Checking the rows"),
        "write": _("Writing"),
    }
    return {
        "run": run,
        "live": live,
        "percent": (progress or {}).get("percent", 0) if live else 100,
        "phase_label": phases.get(phase, phase),
        "done": (progress or {}).get("done", 0),
        "total": (progress or {}).get("total", 0),
    }


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def import_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """One run: its progress while the worker runs it, then the counts and the first problems."""
    run = _load(request, run_id)
    context = {
        **_progress_context(run),
        "problems": run.errors[:PROBLEMS_SHOWN],
        "more_problems": max(0, run.problems_total - PROBLEMS_SHOWN),
        "has_report": bool(run.report_file) and Path(run.report_file).exists(),
        "can_import": request.user.has_perm(uploads.PERMISSION)
        and run.dry_run
        and run.status == "dry_run"
        and (not run.rows_invalid or run.skip_invalid),
        "counts": run.counts or {},
    }
    return render(request, "integrations/detail.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def import_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """The progress bar alone (htmx polls it every second); when the run ends the page reloads."""
    run = _load(request, run_id)
    response = render(request, "integrations/_progress.html", _progress_context(run))
    if run.status not in uploads.LIVE:
        response["HX-Refresh"] = "true"
    return response


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def import_report(request: HttpRequest, run_id: int) -> FileResponse:
    """Every problem of the run as a CSV file."""
    run = _load(request, run_id)
    path = Path(run.report_file) if run.report_file else None
    if path is None or not path.exists():
        raise Http404(_("This run has no problem report."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"import-{run.pk}-problems.csv")


@login_required
@permission_required(uploads.PERMISSION, raise_exception=True)
@require_POST
def import_confirm(request: HttpRequest, run_id: int) -> HttpResponse:
    """Import the file a preview checked."""
    run = _load(request, run_id)
    try:
        queued = uploads.import_previewed(actor=request.user, run=run)
    except DomainError as exc:
        _refused(request, exc)
        return redirect("integrations:detail", run_id=run.pk)
    return redirect("integrations:detail", run_id=queued.pk)
