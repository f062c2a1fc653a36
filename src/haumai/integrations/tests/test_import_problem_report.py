"""Every problem of an import is reported: a CSV with all of them, named by the command and the run."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from haumai.integrations.models import ImportRun
from haumai.integrations.services import MAX_STORED_ERRORS

pytestmark = pytest.mark.django_db

BAD_ROWS = 3_558


def _bad_customers(write_csv, count: int = BAD_ROWS) -> Path:
    # One good row first, then rows whose phone is not a phone: one problem each, on lines 3 .. count + 2.
    rows = [["full_name", "phone"], ["Nguyễn Văn An", "0912345678"]]
    rows += [[f"Khách {n}", f"12{n}"] for n in range(count)]
    return write_csv("customers.csv", rows)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_thousands_of_problems_are_all_in_the_report_the_command_names(
    run_import, write_csv, snapshot, settings, tmp_path
):
    settings.HAUMAI_IMPORT_REPORTS_DIR = tmp_path / "reports"
    before = snapshot()

    outcome = run_import("customers", _bad_customers(write_csv))

    assert not outcome.ok
    run = ImportRun.objects.get()
    report = tmp_path / "reports" / f"import-run-{run.pk}-problems.csv"
    assert f"all {BAD_ROWS} problem(s) are listed in {report}" in outcome
    problems = _read(report)
    assert len(problems) == BAD_ROWS
    assert problems[-1]["line"] == str(BAD_ROWS + 2)  # the last row's problem is not lost
    assert problems[-1]["column"] == "phone"
    assert (run.problems_total, run.report_file, len(run.errors)) == (BAD_ROWS, str(report), MAX_STORED_ERRORS)
    assert snapshot() == before


def test_skip_invalid_reports_the_skipped_rows_to_the_chosen_file(run_import, write_csv, tmp_path):
    chosen = tmp_path / "out" / "problems.csv"

    outcome = run_import("customers", _bad_customers(write_csv, 1_500), "--skip-invalid", "--report", str(chosen))

    assert outcome.ok, outcome
    assert "imported: 1" in outcome
    assert f"all 1500 problem(s) are listed in {chosen}" in outcome
    problems = _read(chosen)
    assert [p["line"] for p in problems] == [str(n) for n in range(3, 1_503)]
    assert problems[0]["column"] == "phone" and "phone" in problems[0]["message"]
    assert ImportRun.objects.get().report_file == str(chosen)


def test_an_unwritable_report_keeps_every_problem_on_the_run(run_import, write_csv, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the report folder should be")

    outcome = run_import("customers", _bad_customers(write_csv, 1_200), "--report", str(blocker / "problems.csv"))

    assert not outcome.ok
    assert "all 1200 problem(s) are stored on import run" in outcome
    run = ImportRun.objects.get()
    assert (run.problems_total, len(run.errors), run.report_file) == (1_200, 1_200, "")
    assert run.errors[-1]["line"] == 1_202


def test_a_clean_file_writes_no_report(run_import, write_csv, settings, tmp_path):
    settings.HAUMAI_IMPORT_REPORTS_DIR = tmp_path / "reports"

    outcome = run_import("customers", write_csv("ok.csv", [["full_name", "phone"], ["An", "0912345678"]]))

    assert outcome.ok, outcome
    assert not (tmp_path / "reports").exists()
    assert ImportRun.objects.get().report_file == ""
