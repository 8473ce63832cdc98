"""Issue 12 items 8 and 12 through the services: text cleaned and bounded before it is
written, numbers bounded, and whatever is stored (also before these rules) prints."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from kinerja_desktop.domain import input_rules
from kinerja_desktop.domain.errors import ValidationError


@pytest.fixture
def closed(ctx):
    """A demo office with a cycle through step 7 (every document has content)."""
    from kinerja_desktop.services import cycles, demo

    demo.build_demo(ctx, year=2025, teams=2, indicators=2, through_step=7)
    return cycles.find_cycle(ctx, 2025, None)


def _documents(ctx, cycle_id: int) -> dict[str, bytes]:
    """Every printed document of the cycle, and the Excel report."""
    from kinerja_desktop.db.models import Submission
    from kinerja_desktop.services import documents
    from kinerja_desktop.services.document_data.compiled_report import compiled_report_data
    from kinerja_desktop.spreadsheets.compiled_workbook import render_compiled_workbook

    with ctx.read() as session:
        submission = session.scalars(select(Submission.id)).first()
    return {
        "dokumen.pdf": documents.compiled_report_pdf(ctx, cycle_id),
        "dokumen.xlsx": render_compiled_workbook(compiled_report_data(ctx, cycle_id)),
        "berita-acara.pdf": documents.verification_record_pdf(ctx, cycle_id),
        "tanda-terima.pdf": documents.receipt_pdf(ctx, submission),
        "monitoring.pdf": documents.monitoring_pdf(ctx, cycle_id),
        "lembar-sop.pdf": documents.sop_sheet_pdf(ctx),
    }


def test_vertical_tab_pasted_from_word_is_removed_and_reports_still_build(ctx, office, clock):
    """The case of the issue: one vertical tab made that year's Excel report impossible."""
    from kinerja_desktop.services import accounts, teams

    team = teams.create_team(ctx, office.admin, "Tim\x0b Baru\x0c", "Bidang\tBaru")
    assert team.name == "Tim Baru"
    person = accounts.create_person(ctx, office.admin, accounts.PersonInput(
        "Andi\x0bRahmat\x00", "andi.rahmat"), "rahasia123")
    assert person.name == "AndiRahmat"


def test_old_text_with_control_characters_still_prints(ctx, closed):
    """Text stored before the rules (or by hand) never stops a document."""
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE item_entries SET explanation = 'Naik\x0bturun\x01 ' "
                          "|| explanation"))
        conn.execute(text("UPDATE teams SET name = name || '\x0b'"))
        conn.execute(text("UPDATE people SET name = name || '\x0c'"))
    built = _documents(ctx, closed.id)
    assert all(built.values())


def test_a_name_of_927_characters_is_refused_with_a_clear_message(ctx, office):
    from kinerja_desktop.services import accounts

    long_name = "Andi " * 185 + "Ra"
    assert len(long_name) == 927
    with pytest.raises(ValidationError, match=r"Nama terlalu panjang \(927 karakter; "
                                              r"maksimal 200\)"):
        accounts.create_person(ctx, office.admin, accounts.PersonInput(
            long_name, "andi.panjang"), "rahasia123")
    assert all(p.username != "andi.panjang" for p in accounts.list_people(ctx))


def test_the_final_guard_refuses_what_a_service_forgot(ctx, office):
    """A service that checks nothing still cannot store an over-long or unbounded value."""
    from kinerja_desktop.db.models import Team

    with pytest.raises(ValidationError, match="Bidang terlalu panjang"):
        with ctx.transaction() as session:
            session.get(Team, office.teams[0]).bidang = "b" * 201
    with pytest.raises(ValidationError, match="Target terlalu kecil"):
        from kinerja_desktop.services import formats

        formats.set_target(ctx, office.kasubag, office.indicators[0], 2026, 1e-9)
    with pytest.raises(ValidationError, match="Pagu anggaran di luar rentang"):
        from kinerja_desktop.db.models import FormatItem

        with ctx.transaction() as session:
            session.add(FormatItem(cycle_id=_any_cycle(ctx, office), indicator_id=office
                                   .indicators[0], budget=1e16, position=0))


def _any_cycle(ctx, office) -> int:
    from datetime import date

    from kinerja_desktop.services import cycles

    return cycles.start_cycle(ctx, office.sekretaris, 2026, "SK/1/2026", date(2026, 1, 5)).id


def _fill_to_the_limits(ctx) -> None:
    """Every text people fill in at its limit: words, and one word too long for any line."""
    from kinerja_desktop.db.models import Base

    unbroken = "Panjang" * 60
    with ctx.engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                rule = input_rules.TEXT_RULES.get(f"{table.name}.{column.name}")
                if rule is None or table.name == "audit_log" or column.name in (
                        "username", "nip", "head_nip", "postcode"):
                    continue
                if str(column.type) == "JSON":
                    continue
                filler = (unbroken + " " + "kata " * rule.limit) \
                    if rule.limit > 300 else ("Kata " * rule.limit)
                keys = list(table.primary_key.columns)
                rows = conn.execute(select(*keys).where(column.is_not(None))).all()
                for number, row in enumerate(rows):  # each its own: names are unique
                    value = filler[:rule.limit - 6] + f"{number:06d}"
                    conn.execute(table.update().where(
                        *[k == v for k, v in zip(keys, row, strict=True)]).values(
                        {column.name: value}))


def test_every_text_at_its_limit_still_prints(ctx, closed):
    """No length of user text can stop a PDF: a 927-character name once crashed the
    berita acara; now names are bounded, and what the bounds allow must print."""
    _fill_to_the_limits(ctx)
    built = _documents(ctx, closed.id)
    assert all(built.values())


def test_team_data_with_values_stored_before_the_bounds_can_still_be_listed(ctx, closed):
    """The issue's case: once stored, a pagu of 0,000000001 with a realisasi anggaran of
    10^15 made the team's data impossible to list."""
    from kinerja_desktop.services import entries, teams

    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE item_entries SET budget = 1e-9, spent = 1e15, actual = 1e15"))
        conn.execute(text("UPDATE format_items SET target = 1e-9"))
    team = teams.list_teams(ctx)[0]
    items = entries.list_team_items(ctx, closed.id, team.id)
    assert items and all("di luar batas" in i.absorption.status_label() for i in items)
    assert all(i.achievement.status_label() for i in items)
    assert all(_documents(ctx, closed.id).values())


@pytest.mark.parametrize("changes, problem", [
    ({"budget": 1e-9, "spent": 1e15}, "Pagu anggaran terlalu kecil"),  # the case
    ({"actual": 1 / 3}, "Realisasi terlalu rinci (16 angka penting"),
    ({"spent": 2e15}, "Realisasi anggaran di luar rentang"),
])
def test_the_services_keep_the_bounds_of_the_window_and_the_import(ctx, changes, problem):
    """One rule (domain.input_rules.number_problem) for every entrance: the service
    refuses what the window's fields and the workbook import refuse; nothing is saved."""
    from kinerja_desktop.services import cycles, demo, entries, teams

    demo.build_demo(ctx, teams=1, indicators=2, through_step=3)
    cycle = cycles.active_cycle(ctx)
    team = teams.list_teams(ctx)[0]
    member = next(m.person_id for m in team.members if not m.is_lead)
    item = next(i for i in entries.list_team_items(ctx, cycle.id, team.id)
                if not i.qualitative)
    data = item.values.__class__(**{**item.values.__dict__, **changes})
    with pytest.raises(ValidationError, match=problem.replace("(", r"\(")):
        entries.save_entry(ctx, member, item.item_id, data)
    assert entries.get_item(ctx, item.item_id).values == item.values
    with pytest.raises(ValidationError, match="Target terlalu rinci"):
        from kinerja_desktop.services import formats

        formats.set_target(ctx, _kasubag(ctx), formats.list_indicators(ctx)[0].id, 2026, 1 / 3)


def _kasubag(ctx) -> int:
    from kinerja_desktop.services import accounts

    return next(p.id for p in accounts.list_people(ctx) if p.username == "kasubag")


def test_every_new_context_is_guarded_even_at_a_freed_ones_address():
    """SQLAlchemy's ``event.contains`` answered True for a fresh session factory made
    after earlier ones were freed, so a later ServiceContext wrote text unchecked (a NUL
    byte reached PostgreSQL in the full suite)."""
    from sqlalchemy.orm import Session, sessionmaker

    from kinerja_desktop.services import input_guard

    unguarded = 0
    for _ in range(300):
        factory: sessionmaker[Session] = sessionmaker()
        input_guard.install(factory)
        input_guard.install(factory)  # twice: still one listener
        listeners = list(factory().dispatch.before_flush)
        unguarded += listeners.count(input_guard._guard) != 1
        del factory, listeners
    assert unguarded == 0
