"""Fixtures for the team-workbook tests (demo office through step 3)."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kinerja_desktop.db.models import AuditEntry, ItemEntry, WorkbookImport
from kinerja_desktop.services import accounts, cycles, demo, teams
from kinerja_desktop.services.startup import open_context


@dataclass
class DemoState:
    ctx: object
    cycle_id: int
    year: int
    kasubag: int
    team_id: int
    team_name: str
    lead: int
    member: int
    other_team_member: int


def build_template(root: Path, url: str | None = None) -> tuple[Path, str | None]:
    """A data directory (and its database) holding the demo office through step 3."""
    ctx = open_context(root, database_url=url)
    try:
        demo.build_demo(ctx, through_step=3)
    finally:
        ctx.dispose()
    return root, url


def open_copy(template: tuple[Path, str | None], target: Path, databases) -> DemoState:
    shutil.copytree(template[0], target)
    ctx = open_context(target, database_url=databases.clone(template[1]))
    cycle = cycles.list_cycles(ctx)[0]
    people = {p.username: p for p in accounts.list_people(ctx)}
    team_list = teams.list_teams(ctx)
    team = team_list[0]
    lead = next(m.person_id for m in team.members if m.is_lead)
    member = next(m.person_id for m in team.members if not m.is_lead)
    return DemoState(ctx, cycle.id, cycle.year, people["kasubag"].id, team.id, team.name, lead,
                     member, team_list[1].members[0].person_id)


def snapshot(ctx) -> tuple:
    """Everything an import could change: entries, import records, audit length."""
    with ctx.read() as session:
        entries = tuple(
            (e.item_id, e.actual, e.actual_text, e.budget, e.spent, e.explanation, e.supporting,
             e.inhibiting, e.follow_up, e.manual_achievement, e.manual_justification, e.state)
            for e in session.scalars(select(ItemEntry).order_by(ItemEntry.item_id)))
        imports = session.scalar(select(func.count()).select_from(WorkbookImport))
        audits = session.scalar(select(func.count()).select_from(AuditEntry))
    return entries, imports, audits


def load(content: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))


def save(wb, path: Path) -> Path:
    wb.save(path)
    return path


def item_rows(ws) -> list[int]:
    return [r for r in range(7, ws.max_row + 1) if ws.cell(r, 3).value]


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, databases) -> tuple[Path, str | None]:
    return build_template(tmp_path_factory.mktemp("demo-template") / "data", databases.fresh())


@pytest.fixture
def state(demo_template, tmp_path, databases):
    st = open_copy(demo_template, tmp_path / "data", databases)
    yield st
    st.ctx.dispose()
    if st.ctx.backend.is_server:
        databases.drop(st.ctx.backend.url.render_as_string(hide_password=False))


@pytest.fixture
def snap():
    return snapshot


@pytest.fixture
def xl():
    """openpyxl helpers: load(bytes), save(wb, path), item_rows(ws)."""
    from types import SimpleNamespace

    return SimpleNamespace(load=load, save=save, item_rows=item_rows)
