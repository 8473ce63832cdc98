"""The transaction helper: who/when on every edited row, stale forms refused, database
errors as one Indonesian line, text lengths checked before the database sees them, one
retry policy for a busy database."""

from __future__ import annotations

import re
import sqlite3
import threading
from datetime import date

import pytest
from sqlalchemy import select, text

from kinerja_desktop.db.models import Person, Team
from kinerja_desktop.domain.errors import (
    BusyError,
    ConflictError,
    DatabaseProblem,
    EditConflict,
    ValidationError,
)
from kinerja_desktop.services import accounts, cycles, formats, office, teams


def test_every_edit_records_who_and_when_and_moves_the_version(ctx, clock, office):
    before = teams.get_team(ctx, office.teams[0])
    clock.advance(hours=2)
    after = teams.update_team(ctx, office.admin, before.id, "Tim Bidang Satu", "Bidang 1",
                              expected_version=before.version)
    assert after.version == before.version + 1
    with ctx.read() as session:
        row = session.get(Team, before.id)
        assert row.updated_by_id == office.admin and row.updated_at == clock.current
    # Members are part of the team: changing them moves its version too.
    lead, member = office.members[before.id]
    again = teams.set_members(ctx, office.admin, before.id, [lead, member], lead_id=member,
                              expected_version=after.version)
    assert again.version == after.version + 1


@pytest.mark.parametrize("form", ["team", "person", "office", "objective", "indicator",
                                  "target", "format_item", "sk", "sop"])
def test_a_stale_form_is_refused_and_nothing_changes(ctx, clock, office, form):
    """Someone (the Kasubag, or the second administrator) saved while this form was open."""
    other = accounts.create_person(ctx, office.admin, accounts.PersonInput(
        "Admin Kedua", "admin2", roles=frozenset({accounts.Role.ADMIN})), "rahasia123").id
    clock.advance(minutes=5)
    if form == "team":
        loaded = teams.get_team(ctx, office.teams[0])
        teams.update_team(ctx, other, loaded.id, "Nama Baru", "", expected_version=loaded.version)
        save = lambda: teams.update_team(ctx, office.admin, loaded.id, "Nama Saya", "",  # noqa: E731
                                         expected_version=loaded.version)
        current = lambda: teams.get_team(ctx, loaded.id).name  # noqa: E731
    elif form == "person":
        loaded = accounts.get_person(ctx, office.sekretaris)
        data = accounts.PersonInput("Sekretaris Baru", "sekretaris",
                                    roles=frozenset({accounts.Role.SEKRETARIS}))
        accounts.update_person(ctx, other, loaded.id, data, expected_version=loaded.version)
        save = lambda: accounts.update_person(  # noqa: E731
            ctx, office.admin, loaded.id, accounts.PersonInput(
                "Sekretaris Saya", "sekretaris", roles=frozenset({accounts.Role.SEKRETARIS})),
            expected_version=loaded.version)
        current = lambda: accounts.get_person(ctx, loaded.id).name  # noqa: E731
    elif form == "office":
        from dataclasses import replace

        loaded = office_service().get_office(ctx)
        office_service().save_office(ctx, other, replace(loaded, phone="0484-21000"),
                                     expected_version=loaded.version)
        save = lambda: office_service().save_office(  # noqa: E731
            ctx, office.admin, replace(loaded, phone="0484-99999"),
            expected_version=loaded.version)
        current = lambda: office_service().get_office(ctx).phone  # noqa: E731
    elif form == "objective":
        loaded = formats.list_objectives(ctx)[0]
        formats.update_objective(ctx, office.kasubag, loaded.id, "Sasaran baru", "SS1",
                                 expected_version=loaded.version)
        save = lambda: formats.update_objective(ctx, office.kasubag2, loaded.id,  # noqa: E731
                                                "Sasaran saya", "SS1",
                                                expected_version=loaded.version)
        current = lambda: formats.list_objectives(ctx)[0].name  # noqa: E731
    elif form == "indicator":
        loaded = formats.list_indicators(ctx)[0]
        data = formats.IndicatorInput(loaded.objective_id, "Indikator baru", "%")
        formats.update_indicator(ctx, office.kasubag, loaded.id, data,
                                 expected_version=loaded.version)
        save = lambda: formats.update_indicator(  # noqa: E731
            ctx, office.kasubag2, loaded.id,
            formats.IndicatorInput(loaded.objective_id, "Indikator saya", "%"),
            expected_version=loaded.version)
        current = lambda: formats.list_indicators(ctx)[0].name  # noqa: E731
    elif form == "target":
        indicator = office.indicators[0]
        loaded = formats.indicator_targets(ctx, indicator)[0]
        formats.set_target(ctx, office.kasubag, indicator, 2025, 90.0,
                           expected_version=loaded.version)
        save = lambda: formats.set_target(ctx, office.kasubag2, indicator, 2025,  # noqa: E731
                                          70.0, expected_version=loaded.version)
        current = lambda: formats.indicator_targets(ctx, indicator)[0].target  # noqa: E731
    elif form == "format_item":
        cycle = cycles.start_cycle(ctx, office.sekretaris, 2025, "800/1", date(2026, 1, 9))
        cycles.finish_step(ctx, office.sekretaris, cycle.id, 1)
        loaded = formats.add_to_format(ctx, office.kasubag, cycle.id, office.indicators[0])
        formats.update_format_item(ctx, office.kasubag, loaded.id, loaded.team_id, 95.0,
                                   expected_version=loaded.version)
        save = lambda: formats.update_format_item(  # noqa: E731
            ctx, office.kasubag2, loaded.id, loaded.team_id, 60.0,
            expected_version=loaded.version)
        current = lambda: formats.format_items(ctx, cycle.id)[0].target  # noqa: E731
    elif form == "sk":
        loaded = cycles.start_cycle(ctx, office.sekretaris, 2025, "800/1", date(2026, 1, 9))
        cycles.update_sk(ctx, office.sekretaris, loaded.id, "800/2", date(2026, 1, 9), "",
                         expected_version=loaded.version)
        save = lambda: cycles.update_sk(ctx, office.sekretaris, loaded.id, "800/3",  # noqa: E731
                                        date(2026, 1, 9), "", expected_version=loaded.version)
        current = lambda: cycles.get_cycle(ctx, loaded.id).sk_number  # noqa: E731
    else:
        from dataclasses import replace

        from kinerja_desktop.services import sops

        loaded = sops.current_sop(ctx)
        sops.save_new_version(ctx, other, replace(loaded.definition, unit="Unit Baru"),
                              base_sop_id=loaded.id)
        save = lambda: sops.save_new_version(  # noqa: E731
            ctx, office.admin, replace(loaded.definition, unit="Unit Saya"),
            base_sop_id=loaded.id)
        current = lambda: sops.current_sop(ctx).definition.unit  # noqa: E731
    shown = current()
    with pytest.raises(EditConflict) as refusal:
        save()
    assert str(refusal.value).startswith("Data ini telah diubah oleh ")
    assert str(refusal.value).endswith(" WITA; muat ulang.")
    assert refusal.value.who in ("Admin Kedua", "Kasubag Perencanaan", "Sekretaris Dinas")
    assert current() == shown


def office_service():
    return office


def test_a_lost_race_at_flush_names_the_winner(ctx, clock, office):
    """The row changed between this transaction's read and its write (PostgreSQL lets
    that happen; the version counter catches it): StaleDataError becomes EditConflict."""
    if not ctx.backend.is_server:
        pytest.skip("on SQLite a write transaction holds the file's lock: no row changes "
                    "under it")
    with pytest.raises(EditConflict, match="Data ini telah diubah oleh Admin Sistem pada"):
        with ctx.transaction() as session:
            from kinerja_desktop.services.common import load_principal

            load_principal(session, office.kasubag)
            team = session.get(Team, office.teams[0])
            with ctx.engine.begin() as other:  # another PC's committed change
                other.execute(text("UPDATE teams SET row_version = row_version + 1, "
                                   "updated_by_id = :admin WHERE id = :id"),
                              {"admin": office.admin, "id": team.id})
            team.bidang = "kalah"
    assert teams.get_team(ctx, office.teams[0]).bidang == "Bidang 1"


def test_a_unique_violation_is_one_indonesian_line(ctx, office):
    with pytest.raises(ConflictError) as refusal:
        with ctx.transaction() as session:
            session.add(Team(name="Tim Bidang 1", bidang="", position=9, active=True))
    assert str(refusal.value) == ("Data yang sama baru saja disimpan oleh pengguna lain; muat "
                                  "ulang, lalu periksa kembali.")
    assert "INSERT" not in str(refusal.value) and "UNIQUE" not in str(refusal.value)


def test_a_value_too_long_for_the_server_is_one_indonesian_line(ctx, office):
    if not ctx.backend.is_server:
        pytest.skip("SQLite does not enforce String(n); the services check lengths first")
    # The input guard names the field first (issue 12) ...
    with pytest.raises(ValidationError, match=r"Nama tim terlalu panjang \(201 karakter"):
        with ctx.transaction() as session:
            session.get(Team, office.teams[0]).name = "x" * 201
    # ... and what gets past it (SQL written by hand) is still one Indonesian line.
    from sqlalchemy import text

    with pytest.raises(ValidationError, match="terlalu panjang atau di luar batas"):
        with ctx.transaction() as session:
            session.execute(text("UPDATE teams SET name = :name WHERE id = :id"),
                            {"name": "x" * 201, "id": office.teams[0]})


def test_an_unreachable_server_is_one_indonesian_line(tmp_path):
    from kinerja_desktop.db.backends.postgresql import PostgresBackend, parse_server_url
    from kinerja_desktop.paths import DataDir
    from kinerja_desktop.services.context import ServiceContext

    backend = PostgresBackend(parse_server_url("postgresql+psycopg://x@127.0.0.1:1/kinerja"))
    ctx = ServiceContext(DataDir(tmp_path), backend, clock=lambda: None)
    with pytest.raises(DatabaseProblem) as refusal:
        accounts.count_people(ctx)
    assert str(refusal.value).startswith("Sambungan ke server basis data 127.0.0.1:1/kinerja")
    assert "psycopg" not in str(refusal.value) and "connection" not in str(refusal.value)
    ctx.dispose()


@pytest.mark.parametrize(("call", "label"), [
    (lambda ctx, o: teams.create_team(ctx, o.admin, "T" * 201), "Nama tim"),
    (lambda ctx, o: teams.create_team(ctx, o.admin, "Tim Baru", "B" * 201), "Bidang"),
    (lambda ctx, o: accounts.create_person(ctx, o.admin, accounts.PersonInput(
        "N" * 201, "orang.baru"), "rahasia123"), "Nama"),
    (lambda ctx, o: accounts.create_person(ctx, o.admin, accounts.PersonInput(
        "Orang Baru", "orang.baru", jabatan="J" * 201), "rahasia123"), "Jabatan"),
    (lambda ctx, o: formats.create_objective(ctx, o.kasubag, "Sasaran", "K" * 31),
     "Kode sasaran strategis"),
    (lambda ctx, o: formats.create_indicator(ctx, o.kasubag, formats.IndicatorInput(
        o.objective, "Indikator", unit="u" * 61)), "Satuan"),
    (lambda ctx, o: formats.set_target(ctx, o.kasubag, o.indicators[0], 2026, None,
                                       "t" * 201), "Target (teks)"),
    (lambda ctx, o: cycles.start_cycle(ctx, o.sekretaris, 2025, "8" * 121, date(2026, 1, 9)),
     "Nomor SK"),
    (lambda ctx, o: office.add_day_off(ctx, o.admin, date(2026, 3, 2), "L" * 201),
     "Keterangan"),
], ids=["tim", "bidang", "nama", "jabatan", "kode-sasaran", "satuan", "target-teks",
        "nomor-sk", "libur"])
def test_text_lengths_are_checked_before_the_database(ctx, office, call, label):
    from kinerja_desktop.db.models import AuditEntry

    with ctx.read() as session:
        audits = len(session.scalars(select(AuditEntry.id)).all())
    with pytest.raises(ValidationError, match=f"^{re.escape(label)} terlalu panjang"):
        call(ctx, office)
    with ctx.read() as session:
        assert len(session.scalars(select(AuditEntry.id)).all()) == audits


# --------------------------------------------------------------------------- busy database


@pytest.fixture
def short_busy_wait(monkeypatch, data_root):
    """A fresh SQLite context that waits only 100 ms for a lock (the retry policy then
    decides), and a way to hold the database's write lock from elsewhere."""
    from kinerja_desktop.db.backends import sqlite as sqlite_backend
    from kinerja_desktop.services import context as context_module

    monkeypatch.setattr(sqlite_backend, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(context_module, "RETRY_POLICY",
                        context_module.RetryPolicy(attempts=4, first_delay_s=0.1))
    return data_root / "kinerja.sqlite3"


@pytest.mark.sqlite_only("holds the SQLite file's write lock from a second connection")
def test_busy_database_is_retried_then_succeeds(ctx, office, short_busy_wait):
    from kinerja_desktop.services.startup import open_existing_context

    fresh = open_existing_context(ctx.data_dir.root)  # engine made with the short wait
    holder = sqlite3.connect(short_busy_wait, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.25, holder.rollback)
    release.start()
    try:
        info = teams.create_team(fresh, office.admin, "Tim Sabar")
        assert info.name == "Tim Sabar"
    finally:
        release.join()
        holder.close()
        fresh.dispose()


@pytest.mark.sqlite_only("holds the SQLite file's write lock from a second connection")
def test_busy_database_too_long_is_one_indonesian_line(ctx, office, short_busy_wait):
    from kinerja_desktop.services.startup import open_existing_context

    fresh = open_existing_context(ctx.data_dir.root)
    holder = sqlite3.connect(short_busy_wait, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(BusyError, match="^Basis data sedang sibuk dipakai pengguna lain"):
            teams.create_team(fresh, office.admin, "Tim Tak Sabar")
    finally:
        holder.rollback()
        holder.close()
        fresh.dispose()
    assert "Tim Tak Sabar" not in [t.name for t in teams.list_teams(ctx)]
    with ctx.read() as session:
        assert session.scalar(select(Person.id).where(Person.username == "admin"))
