"""Issue 12 item 10: a clock that went backwards (a finish before its start, a start before
ready) is shown flagged wherever a timing is shown — the workflow view and the window's
panel, the Kasubag's summary, the monitoring form (PDF) and the command that prints it —
never an exception, never a silent zero. (The receipt and the berita acara show moments,
not durations: nothing to flag there.)"""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from kinerja_desktop.db.models import StepRun
from kinerja_desktop.domain.timing import CLOCK_SKEW_NOTE

FLAG = "tidak selaras"


@pytest.fixture
def skewed(ctx):
    """A demo cycle at step 4: team 1 finished step 4 an hour before it started (a PC's
    clock was behind), team 2 has not finished it; step 2 started before it was ready."""
    from kinerja_desktop.services import accounts, cycles, demo, teams

    demo.build_demo(ctx, teams=2, indicators=2, through_step=4)
    cycle = cycles.active_cycle(ctx)
    team1, team2 = teams.list_teams(ctx)[:2]
    with ctx.transaction() as session:
        runs = {(r.step_number, r.team_id): r for r in session.scalars(
            select(StepRun).where(StepRun.cycle_id == cycle.id))}
        late = runs[(4, team1.id)]
        late.finished_at = late.started_at - timedelta(hours=1)
        runs[(4, team2.id)].finished_at = None
        early = runs[(2, None)]
        early.started_at = early.ready_at - timedelta(hours=2)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    return SimpleNamespace(cycle=cycle, team1=team1, team2=team2, kasubag=people["kasubag"],
                           sekretaris=people["sekretaris"])


def _pdf_text(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "monitoring.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-raw", str(source), "-"], capture_output=True,
                          text=True, check=True)
    return " ".join(done.stdout.split())


def test_the_workflow_view_flags_the_team_the_step_and_the_whole_office_step(ctx, skewed):
    from kinerja_desktop.services import workflow

    view = workflow.workflow(ctx, skewed.cycle.id, skewed.kasubag)
    step4 = view.step(4)
    team1 = next(t for t in step4.teams if t.team_id == skewed.team1.id)
    team2 = next(t for t in step4.teams if t.team_id == skewed.team2.id)
    assert team1.timing.clock_skew and CLOCK_SKEW_NOTE in team1.timing.status_text
    assert team1.timing.status.is_finished  # counted as zero, not an error
    assert not team2.timing.clock_skew and FLAG not in team2.timing.status_text
    assert step4.timing.clock_skew and FLAG in step4.timing.status_text  # the parent row
    assert view.step(2).timing.clock_skew and FLAG in view.step(2).timing.status_text
    assert not view.step(1).timing.clock_skew


def test_the_kasubags_summary_flags_the_team(ctx, skewed):
    from kinerja_desktop.services import summary

    teams = {t.team_id: t for t in summary.cycle_summary(ctx, skewed.cycle.id).teams}
    flagged, plain = teams[skewed.team1.id].time(4), teams[skewed.team2.id].time(4)
    assert flagged.clock_skew and FLAG in flagged.status_text and FLAG in flagged.label
    assert not plain.clock_skew and FLAG not in plain.status_text + plain.label


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_monitoring_form_flags_the_rows(ctx, skewed, tmp_path):
    from kinerja_desktop.services import documents
    from kinerja_desktop.services.document_data.monitoring import monitoring_data

    data = monitoring_data(ctx, skewed.cycle.id)
    rows = {(r.step_number, r.team_name): r for r in data.rows}
    assert rows[(4, skewed.team1.name)].clock_skew
    assert not rows[(4, skewed.team2.name)].clock_skew
    assert [r.clock_skew for r in data.rows if r.step_number == 2] == [True]
    text = _pdf_text(documents.monitoring_pdf(ctx, skewed.cycle.id), tmp_path)
    assert text.count("Waktu yang tercatat mundur") == 2, text
    assert "Selaraskan jam komputer pencatat." in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_command_line_prints_the_flag(ctx, skewed, tmp_path, capsys, cli_args):
    """The command that prints timings (sop-monitoring); there is no other."""
    from kinerja_desktop.cli import main

    out = tmp_path / "monitoring-cli.pdf"
    assert main([*cli_args(ctx), "sop-monitoring", "--year", str(skewed.cycle.year),
                 "--out", str(out)]) == 0
    assert "Tersimpan" in capsys.readouterr().out
    text = _pdf_text(out.read_bytes(), tmp_path)
    assert text.count("Waktu yang tercatat mundur") == 2
