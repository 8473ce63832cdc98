"""The official record (issue 11): a cycle keeps its own record from step 3, a closed
cycle refuses every change, reopening makes "Revisi N", prints of a closed cycle are the
archived bytes, drafts say so, and every document keeps one date on every reprint."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from kinerja_desktop.db.models import AuditEntry
from kinerja_desktop.domain.achievement import Polarity, PredikatBand, PredikatScale
from kinerja_desktop.domain.errors import ConflictError, PermissionDenied, ValidationError
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services import (
    accounts,
    cycles,
    documents,
    entries,
    formats,
    office,
    submissions,
    teams,
    verification,
    workbooks,
    workflow,
)
from kinerja_desktop.services.common import CycleClosedError
from kinerja_desktop.services.document_data.compiled_report import compiled_report_data
from kinerja_desktop.services.document_data.receipt import receipt_data
from kinerja_desktop.services.document_data.verification_record import verification_record_data

CLOSED_MESSAGE = "sudah ditutup (langkah 7 selesai)"


def _pages(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text() or "")
            for page in PdfReader(io.BytesIO(pdf)).pages]


def _people(ctx) -> dict[str, int]:
    return {p.username: p.id for p in accounts.list_people(ctx)}


def _open_demo(ctx, through_step: int) -> SimpleNamespace:
    """The small demo office in ``ctx`` (the test's database, on the session's engine)."""
    from kinerja_desktop.services import demo

    demo.build_demo(ctx, year=2025, teams=2, indicators=2, through_step=through_step)
    cycle = cycles.find_cycle(ctx, 2025)
    people = _people(ctx)
    team_list = [t for t in teams.list_teams(ctx)]
    items = formats.format_items(ctx, cycle.id)
    return SimpleNamespace(ctx=ctx, cycle=cycle, people=people, teams=team_list, items=items,
                           kasubag=people["kasubag"], admin=people["admin"],
                           sekretaris=people["sekretaris"])


@pytest.fixture
def closed(ctx):
    """A small demo office whose 2025 cycle was closed at step 7."""
    return _open_demo(ctx, 7)


def _members(office_, team_id: int) -> tuple[int, int]:
    team = next(t for t in office_.teams if t.id == team_id)
    lead = next(m.person_id for m in team.members if m.is_lead)
    other = next(m.person_id for m in team.members if not m.is_lead)
    return lead, other


def _audit_count(ctx) -> int:
    with ctx.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry))


def _xlsx_values(data) -> dict[str, list[tuple]]:
    from kinerja_desktop.spreadsheets.compiled_workbook import render_compiled_workbook

    book = load_workbook(io.BytesIO(render_compiled_workbook(data)))
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in book}


# --------------------------------------------------------------------------- refused changes


def _refusals(o: SimpleNamespace, tmp_path: Path):
    item = o.items[0]
    lead, member = _members(o, item.team_id)
    evidence = next(e for i in o.items for e in entries.get_item(o.ctx, i.id).evidence)
    evidence_file = tmp_path / "bukti.pdf"
    evidence_file.write_bytes(b"%PDF-1.4\n% bukti baru\n")
    workbook = tmp_path / "tim.xlsx"
    workbook.write_bytes(workbooks.export_team_workbook(o.ctx, o.kasubag, o.cycle.id,
                                                        item.team_id))
    ctx, cid, kas = o.ctx, o.cycle.id, o.kasubag
    return {
        "simpan data": lambda: entries.save_entry(ctx, member, item.id, entries.EntryInput(
            actual=1.0)),
        "lampirkan bukti": lambda: entries.attach_evidence(ctx, member, item.id,
                                                           evidence_file),
        "hapus bukti": lambda: entries.remove_evidence(ctx, member, evidence.id),
        "serahkan": lambda: submissions.submit(ctx, lead, cid, item.team_id),
        "verifikasi": lambda: verification.verify_item(ctx, kas, item.id),
        "kembalikan": lambda: verification.return_item(ctx, kas, item.id,
                                                       "Angka perlu diperiksa ulang."),
        "catatan": lambda: verification.add_comment(ctx, kas, item.id, "Catatan baru."),
        "tambah ke format": lambda: formats.add_to_format(ctx, kas, cid,
                                                          o.items[1].indicator_id),
        "ubah butir format": lambda: formats.update_format_item(ctx, kas, item.id,
                                                                item.team_id, 1.0),
        "hapus butir format": lambda: formats.remove_from_format(ctx, kas, item.id),
        "isian format": lambda: formats.set_field_requirements(ctx, kas, cid,
                                                               {"realisasi": "wajib"}),
        "salin tahun lalu": lambda: formats.copy_from_previous_year(ctx, kas, cid),
        "ubah SK": lambda: cycles.update_sk(ctx, o.sekretaris, cid, "800/9", date(2026, 1, 5),
                                            "Inspektur"),
        "mulai langkah": lambda: cycles.start_step(ctx, kas, cid, 7),
        "selesaikan langkah": lambda: cycles.finish_step(ctx, kas, cid, 3, item.team_id),
        "kompilasi lagi": lambda: documents.compile_and_close(ctx, kas, cid),
        "impor buku kerja": lambda: _import(ctx, member, workbook),
    }


def _import(ctx, member: int, path: Path) -> None:
    report = workbooks.import_workbook(ctx, member, path)
    assert not report.applied
    raise CycleClosedError(" ".join(e.message for e in report.errors))


REFUSED = ("simpan data", "lampirkan bukti", "hapus bukti", "serahkan", "verifikasi",
           "kembalikan", "catatan", "tambah ke format", "ubah butir format",
           "hapus butir format", "isian format", "salin tahun lalu", "ubah SK", "mulai langkah",
           "selesaikan langkah", "kompilasi lagi", "impor buku kerja")


@pytest.mark.parametrize("change", REFUSED)
def test_a_closed_cycle_refuses_every_change(closed, tmp_path, change):
    actions = _refusals(closed, tmp_path)
    assert set(actions) == set(REFUSED)
    before_audit = _audit_count(closed.ctx)
    before_pdf = documents.compiled_report_pdf(closed.ctx, closed.cycle.id)
    before_items = formats.format_items(closed.ctx, closed.cycle.id)
    with pytest.raises(CycleClosedError) as err:
        actions[change]()
    assert CLOSED_MESSAGE in str(err.value) and "Buka kembali untuk perbaikan" in str(err.value)
    assert _audit_count(closed.ctx) == before_audit
    assert formats.format_items(closed.ctx, closed.cycle.id) == before_items
    assert documents.compiled_report_pdf(closed.ctx, closed.cycle.id) == before_pdf
    assert cycles.get_cycle(closed.ctx, closed.cycle.id).status == "selesai"


def test_the_closed_cycle_shows_no_action_in_the_workflow(closed):
    view = workflow.workflow(closed.ctx, closed.cycle.id, closed.kasubag)
    assert view.cycle.status == "selesai"
    assert not any(s.can_start or s.can_finish for s in view.steps)
    assert not any(t.can_start or t.can_finish for s in view.steps for t in s.teams)


# --------------------------------------------------------------------------- the record


def _edit_every_master(o: SimpleNamespace) -> None:
    """Polarity, name and unit of an indicator, its objective, a team's name, the office
    profile and head of office, and the predikat scale."""
    ctx, kas, admin = o.ctx, o.kasubag, o.admin
    for info in formats.list_indicators(ctx):
        formats.update_indicator(ctx, kas, info.id, formats.IndicatorInput(
            objective_id=info.objective_id, name=info.name + " (diubah)", unit="unit baru",
            polarity=Polarity.NEGATIF if info.polarity is Polarity.POSITIF
            else Polarity.POSITIF, qualitative=info.qualitative, team_id=info.team_id,
            renstra_target=(info.renstra_target or 0) + 7, code=info.code))
    for obj in formats.list_objectives(ctx):
        formats.update_objective(ctx, kas, obj.id, "Sasaran yang diganti", "SX")
    for team in o.teams:
        teams.update_team(ctx, admin, team.id, team.name + " Baru", team.bidang, True)
    profile = office.get_office(ctx)
    office.save_office(ctx, admin, replace(profile, name="Dinas Lain Sama Sekali",
                                           head_name="Pejabat Baru, S.H.",
                                           head_nip="198001012005011002"))
    office.save_predikat_scale(ctx, admin, PredikatScale((
        PredikatBand("Istimewa", Decimal(50)), PredikatBand("Lemah", Decimal(0)))))


def test_master_data_edits_after_closing_leave_the_year_unchanged(closed):
    ctx, cid = closed.ctx, closed.cycle.id
    pdf = documents.compiled_report_pdf(ctx, cid)
    other = documents.compiled_report_pdf(ctx, cid, "F4")
    data = compiled_report_data(ctx, cid)
    xlsx = _xlsx_values(documents.compiled_report_content(ctx, cid))
    _edit_every_master(closed)
    assert documents.compiled_report_pdf(ctx, cid) == pdf
    assert documents.compiled_report_pdf(ctx, cid, "F4") == other
    assert _xlsx_values(documents.compiled_report_content(ctx, cid)) == xlsx
    again = compiled_report_data(ctx, cid)
    assert again.summary == data.summary and again.objectives == data.objectives
    assert again.office == data.office and again.predikat_scale == data.predikat_scale
    # The views of the year read the record too.
    item = entries.get_item(ctx, closed.items[0].id)
    assert item.indicator_name == closed.items[0].indicator_name
    assert "(diubah)" not in item.indicator_name and item.unit == closed.items[0].unit
    names = {t.team_name for t in workflow.workflow(ctx, cid).step(3).teams}
    assert names == {t.name for t in closed.teams}
    assert {v.team_name for v in submissions.list_submissions(ctx, cid)} == names
    record = verification_record_data(ctx, cid)
    assert {t.team_name for t in record.teams} == names
    assert record.office.head.name == data.office.head.name != "Pejabat Baru, S.H."


def test_an_earlier_year_entered_after_closing_adds_no_column(closed):
    ctx, cid = closed.ctx, closed.cycle.id
    data = compiled_report_data(ctx, cid)
    xlsx = _xlsx_values(documents.compiled_report_content(ctx, cid))
    year = min(c.year for c in cycles.list_cycles(ctx)) - 1
    cycles.start_cycle(ctx, closed.sekretaris, year, "800/1/2026", date(2026, 3, 1),
                       "Inspektur")
    assert _xlsx_values(documents.compiled_report_content(ctx, cid)) == xlsx
    assert compiled_report_data(ctx, cid).previous_years == data.previous_years
    # Before closing, the draft of a later year shows every earlier year there is.
    cycles.reopen_cycle(ctx, closed.admin, cid, "Tahun sebelumnya baru dimasukkan.")
    assert year in compiled_report_data(ctx, cid).previous_years


def test_the_record_is_frozen_when_the_format_is_sent(ctx):
    o = _open_demo(ctx, 2)
    kas, cid = o.kasubag, o.cycle.id
    first, second = o.teams[0], o.teams[1]
    # Before step 3 the format follows the master data.
    teams.update_team(ctx, o.admin, first.id, "Tim Sebelum Dikirim", first.bidang, True)
    item = next(i for i in formats.format_items(ctx, cid) if i.team_id == first.id)
    assert item.team_name == "Tim Sebelum Dikirim"
    cycles.start_step(ctx, kas, cid, 3, first.id)
    cycles.finish_step(ctx, kas, cid, 3, first.id)
    # Sent to the first team: its items keep what it was given.
    info = next(i for i in formats.list_indicators(ctx) if i.id == item.indicator_id)
    formats.update_indicator(ctx, kas, info.id, formats.IndicatorInput(
        objective_id=info.objective_id, name="Nama baru di master", unit="kali",
        polarity=Polarity.NEGATIF, team_id=info.team_id))
    teams.update_team(ctx, o.admin, first.id, "Tim Sesudah Dikirim", first.bidang, True)
    teams.update_team(ctx, o.admin, second.id, "Tim Kedua Diganti", second.bidang, True)
    office.save_predikat_scale(ctx, o.admin, PredikatScale((
        PredikatBand("Istimewa", Decimal(50)), PredikatBand("Lemah", Decimal(0)))))
    frozen = {i.id: i for i in formats.format_items(ctx, cid)}[item.id]
    assert (frozen.indicator_name, frozen.unit, frozen.polarity, frozen.team_name) == \
        (item.indicator_name, item.unit, item.polarity, "Tim Sebelum Dikirim")
    # The second team has not received its format yet: it still follows the master.
    later = [i for i in formats.format_items(ctx, cid) if i.team_id == second.id]
    assert {i.team_name for i in later} == {"Tim Kedua Diganti"}
    cycles.start_step(ctx, kas, cid, 3, second.id)
    cycles.finish_step(ctx, kas, cid, 3, second.id)
    teams.update_team(ctx, o.admin, second.id, "Tim Kedua Lagi", second.bidang, True)
    later = [i for i in formats.format_items(ctx, cid) if i.team_id == second.id]
    assert {i.team_name for i in later} == {"Tim Kedua Diganti"}
    # The scale was recorded with the first sending: the office's new one is not used.
    data = compiled_report_data(ctx, cid)
    assert [b.label for b in data.predikat_scale.bands][0] == "Sangat Baik"


def test_migration_fills_the_record_of_existing_cycles(ctx, tmp_path):
    from alembic import command

    from kinerja_desktop.db import migrate

    o = _open_demo(ctx, 7)
    pdf = documents.compiled_report_pdf(ctx, o.cycle.id)
    data = compiled_report_data(ctx, o.cycle.id)
    backend = ctx.backend
    # The database as the previous version left it: no record tables at all.
    with backend.migrating(migrate.MIGRATION_LOCK) as conn:  # as migrations run
        command.downgrade(migrate.alembic_config(conn), "0002_file_contents")
    assert backend.stored_revision() == "0002_file_contents"
    migrate.upgrade(backend, tmp_path / "cadangan")  # fills the record from today's data
    assert backend.stored_revision() == migrate.HEAD_REVISION
    versions = documents.record_versions(ctx, o.cycle.id)
    assert [v.label for v in versions] == ["Asli"] and versions[0].document_id is not None
    assert documents.compiled_report_pdf(ctx, o.cycle.id) == pdf
    _edit_every_master(o)
    again = compiled_report_data(ctx, o.cycle.id)
    assert again.objectives == data.objectives and again.office == data.office


# --------------------------------------------------------------------------- reopening


def test_reopen_correct_and_compile_makes_revisi_1(closed):
    o = closed
    ctx, cid, kas = o.ctx, o.cycle.id, o.kasubag
    original = documents.compiled_report_pdf(ctx, cid)
    lead, member = _members(o, o.items[0].team_id)
    with pytest.raises(PermissionDenied):
        cycles.reopen_cycle(ctx, member, cid, "Realisasi indikator pertama salah ketik.")
    with pytest.raises(ValidationError, match="Alasan"):
        cycles.reopen_cycle(ctx, kas, cid, "  ")
    ctx.clock = lambda: datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 2 Mar 2026 09.00 WITA
    info = cycles.reopen_cycle(ctx, o.admin, cid, "Realisasi indikator pertama salah ketik.")
    assert info.status == "berjalan"
    # A reopened cycle is a draft again until it is compiled.
    assert "DRAF" in _pages(documents.compiled_report_pdf(ctx, cid))[0]
    # Correction: the Kasubag returns the verified item, the team fixes and hands it in.
    item = o.items[0]
    verification.return_item(ctx, kas, item.id, "Realisasi salah ketik; mohon diperbaiki.")
    view = entries.get_item(ctx, item.id)
    entries.save_entry(ctx, member, item.id, replace(view.values, actual=(view.values.actual
                                                                          or 0) + 1))
    submissions.submit(ctx, lead, cid, item.team_id)
    verification.verify_item(ctx, kas, item.id, "Sudah benar.")
    assert entries.get_item(ctx, item.id).state is ItemState.VERIFIED
    ctx.clock = lambda: datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
    doc = documents.compile_and_close(ctx, kas, cid)
    assert doc.version_label == "Revisi 1" and "Revisi 1" in doc.title
    versions = documents.record_versions(ctx, cid)
    assert [v.label for v in versions] == ["Asli", "Revisi 1"]
    assert versions[0].reopen_reason == "Realisasi indikator pertama salah ketik."
    assert versions[0].reopened_by == "Muhammad Rizal, S.Kom"
    archived = documents.list_documents(ctx, cid, "dokumen_data_kinerja")
    assert sorted(d.version_label for d in archived) == ["Asli", "Revisi 1"]
    assert documents.document_content(ctx, versions[0].document_id) == original
    revised = documents.compiled_report_pdf(ctx, cid)
    assert revised == documents.document_content(ctx, versions[1].document_id)
    pages = _pages(revised)
    assert "REVISI 1" in pages[0] and "3 Maret 2026" in pages[-1]
    assert all("(Revisi 1)" in page for page in pages)  # in the footer of every page
    with ctx.read() as session:
        actions = list(session.scalars(select(AuditEntry.action)
                                       .where(AuditEntry.action.like("siklus.%"))))
    assert actions[-2:] == ["siklus.buka_kembali", "siklus.tutup"]


def test_only_a_reopened_cycle_lets_verified_items_go_back(ctx):
    o = _open_demo(ctx, 6)
    with pytest.raises(ConflictError, match="dibuka kembali"):
        verification.return_item(ctx, o.kasubag, o.items[0].id, "Perlu diperiksa ulang.")
    with pytest.raises(ConflictError, match="belum ditutup"):
        cycles.reopen_cycle(ctx, o.kasubag, o.cycle.id, "Tidak ada yang ditutup.")


# --------------------------------------------------------------------------- drafts


def test_before_closing_the_document_is_a_draft_without_signature(ctx):
    o = _open_demo(ctx, 5)
    pdf = documents.compiled_report_pdf(o.ctx, o.cycle.id)
    pages = _pages(pdf)
    assert len(pages) >= 3
    for page in pages:
        assert "DRAF" in page and "0 dari 4 indikator diverifikasi" in page
    text = " ".join(pages)
    head = office.get_office(o.ctx).head_name
    assert "NIP." not in text and head.split(",")[0].upper() not in text
    assert not re.search(r"Watansoppeng, \d{1,2} \w+ \d{4}", text)  # no place and date
    for paper, size in (("A4", (595, 842)), ("F4", (609, 935))):
        reader = PdfReader(io.BytesIO(documents.compiled_report_pdf(o.ctx, o.cycle.id,
                                                                    paper)))
        box = reader.pages[0].mediabox
        assert (round(box.width), round(box.height)) == size
        assert all("DRAF" in (p.extract_text() or "") for p in reader.pages)
    # The Excel version says so in its title and on every printed page of every sheet.
    from kinerja_desktop.spreadsheets.compiled_workbook import render_compiled_workbook

    book = load_workbook(io.BytesIO(render_compiled_workbook(
        documents.compiled_report_content(o.ctx, o.cycle.id))))
    assert len(book.worksheets) > 1
    for ws in book.worksheets:
        assert "DRAF (0 dari 4 indikator diverifikasi" in ws["A2"].value
        assert ws.oddHeader.center.text == "DRAF — 0 dari 4 indikator diverifikasi — belum " \
            "ditutup"
    # The berita acara certifies a verification not yet done: a draft as well.
    record = " ".join(_pages(documents.verification_record_pdf(o.ctx, o.cycle.id)))
    assert "DRAF" in record and "NIP." not in record and "Yang Melakukan" not in record


def test_a_closed_document_is_signed_and_carries_no_draft_mark(closed):
    text = " ".join(_pages(documents.compiled_report_pdf(closed.ctx, closed.cycle.id)))
    assert "DRAF" not in text and "NIP. 19710817 199101 1 001" in text
    from kinerja_desktop.spreadsheets.compiled_workbook import render_compiled_workbook

    book = load_workbook(io.BytesIO(render_compiled_workbook(
        documents.compiled_report_content(closed.ctx, closed.cycle.id))))
    assert not any(ws.oddHeader.center.text or "DRAF" in ws["A2"].value
                   for ws in book.worksheets)
    record = " ".join(_pages(documents.verification_record_pdf(closed.ctx, closed.cycle.id)))
    assert "DRAF" not in record and "Yang Melakukan Verifikasi" in record


# --------------------------------------------------------------------------- dates


def test_reprint_dates_equal_the_stored_dates_with_the_clock_days_ahead(closed):
    ctx, cid = closed.ctx, closed.cycle.id
    with ctx.read() as session:
        from kinerja_desktop.db.models import StepRun

        runs = session.scalars(select(StepRun).where(StepRun.cycle_id == cid)).all()
        closed_at = next(r.finished_at for r in runs if r.step_number == 7)
        verified_at = max(r.finished_at for r in runs if r.step_number == 6)
    sub = submissions.list_submissions(ctx, cid)[0]
    first = (compiled_report_data(ctx, cid), verification_record_data(ctx, cid),
             receipt_data(ctx, sub.id), documents.compiled_report_pdf(ctx, cid, "F4"),
             documents.receipt_pdf(ctx, sub.id))
    ctx.clock = lambda: datetime.now(UTC) + timedelta(days=3)
    later = (compiled_report_data(ctx, cid), verification_record_data(ctx, cid),
             receipt_data(ctx, sub.id), documents.compiled_report_pdf(ctx, cid, "F4"),
             documents.receipt_pdf(ctx, sub.id))
    from kinerja_desktop.domain.numbers import format_date_long

    assert first[0].signing_date_label == later[0].signing_date_label \
        == format_date_long(closed_at)
    assert first[0].generated_at == later[0].generated_at == closed_at
    assert first[1].signing_date_label == later[1].signing_date_label \
        == format_date_long(verified_at)
    assert first[2].signing_date_label == later[2].signing_date_label \
        == format_date_long(sub.submitted_at)
    assert first[3] == later[3] and first[4] == later[4]  # the same bytes days later


def test_a_signing_date_chosen_when_compiling_is_kept(ctx):
    o = _open_demo(ctx, 6)
    cid = o.cycle.id
    ctx.clock = lambda: datetime(2026, 2, 10, 1, 0, tzinfo=UTC)
    with pytest.raises(ValidationError, match="sebelum verifikasi selesai"):
        documents.compile_and_close(ctx, o.kasubag, cid, date(2026, 1, 2))
    with pytest.raises(ValidationError, match="terlalu jauh"):
        documents.compile_and_close(ctx, o.kasubag, cid, date(2026, 6, 1))
    documents.compile_and_close(ctx, o.kasubag, cid, date(2026, 2, 12))
    ctx.clock = lambda: datetime(2026, 5, 1, 1, 0, tzinfo=UTC)
    assert compiled_report_data(ctx, cid).signing_date_label == "12 Februari 2026"
    text = " ".join(_pages(documents.compiled_report_pdf(ctx, cid, "F4")))
    assert "Watansoppeng, 12 Februari 2026" in text
    assert documents.record_versions(ctx, cid)[0].signed_on == date(2026, 2, 12)


def test_a_receipt_explains_an_uncomputable_capaian_from_the_record(ctx):
    """The tanda terima's "Tidak dapat dihitung: <alasan>" follows the formula the team was
    given, not a later edit of the indicator in the master data."""
    from kinerja_desktop.services import demo

    demo.build_demo(ctx, year=2025, through_step=5)
    cid = cycles.find_cycle(ctx, 2025).id
    kas = _people(ctx)["kasubag"]
    receipts = {s.id: documents.receipt_pdf(ctx, s.id)
                for s in submissions.list_submissions(ctx, cid)}
    uncomputable = [(s, item) for s in receipts for item in receipt_data(ctx, s).items
                    if item.achievement_label.startswith("Tidak dapat dihitung")]
    assert uncomputable  # the demo has a qualitative indicator
    names = {item.indicator_name for _, item in uncomputable}
    for info in formats.list_indicators(ctx):
        if info.name in names:
            formats.update_indicator(ctx, kas, info.id, formats.IndicatorInput(
                objective_id=info.objective_id, name=info.name, unit=info.unit,
                polarity=info.polarity, qualitative=not info.qualitative,
                team_id=info.team_id, code=info.code))
    assert {s: documents.receipt_pdf(ctx, s) for s in receipts} == receipts
    for s, item in uncomputable:
        again = next(i for i in receipt_data(ctx, s).items if i.number == item.number)
        assert again.achievement_label == item.achievement_label
