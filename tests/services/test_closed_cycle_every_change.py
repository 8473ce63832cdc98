"""A closed cycle refuses every change, in every service that changes a cycle's data
(issue 11).

The functions are found, not listed by hand: every public function of a module in
``kinerja_desktop/services`` that opens a write transaction (as the audit test finds
them). Each is either a change of a cycle's data, with a case below that calls it on a
closed cycle, or is named in :data:`NOT_CYCLE_DATA` with the reason it may run after
closing. A new writing service fails :func:`test_every_writing_service_is_classified`
until it is placed; placed as a change of a cycle, it fails its own case unless it
refuses the closed cycle with the one Indonesian message (``services.common.ensure_open``).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import shutil
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kinerja_desktop.db.models import AuditEntry

#: What ``ensure_open`` says; every refusal must say it (not some other error).
CLOSED_MESSAGE = ("Siklus Tahun 2025 sudah ditutup (langkah 7 selesai) dan menjadi catatan "
                  "resmi; data tidak dapat diubah. Untuk memperbaiki, Administrator atau "
                  "Kasubag membukanya kembali (Buka kembali untuk perbaikan).")

#: Parameters that name a cycle's data: a writing function taking one of them changes a
#: cycle unless :data:`NOT_CYCLE_DATA` says otherwise.
CYCLE_PARAMETERS = {"cycle_id", "item_id", "item_ids", "evidence_id"}


def writing_service_functions() -> dict[str, object]:
    import kinerja_desktop.services as package

    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"kinerja_desktop.services.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            if ".transaction()" in inspect.getsource(function):
                found[f"{info.name}.{name}"] = function
    return found


#: Writing services that do not change a closed cycle's data, and why.
NOT_CYCLE_DATA = {
    "earlier_years.save_earlier_actuals": "master indikator: tahun yang ditutup menyimpan "
                                          "perbandingan yang dicetaknya",
    "programmes.create_programme": "master program: siklus menyimpan salinannya",
    "programmes.update_programme": "master program: siklus menyimpan salinannya",
    "programmes.delete_programme": "master program: yang dipakai siklus hanya dinonaktifkan",
    "accounts.authenticate": "masuk: pengguna, bukan data siklus",
    "accounts.create_first_admin": "pengguna",
    "accounts.create_person": "pengguna",
    "accounts.set_password": "pengguna",
    "accounts.update_person": "pengguna",
    "cycles.start_cycle": "membuat siklus baru",
    "cycles.reopen_cycle": "satu-satunya jalan mengubah siklus yang ditutup",
    "documents.archive": "menambah cetakan ke arsip; catatan resmi tidak berubah",
    "files.import_legacy_files": "memindahkan berkas lama ke basis data",
    "formats.copy_targets_from_previous_year": "data induk (target indikator)",
    "formats.create_indicator": "data induk",
    "formats.create_objective": "data induk",
    "formats.set_indicator_active": "data induk",
    "formats.set_target": "data induk (target indikator)",
    "formats.update_indicator": "data induk; siklus memakai catatannya sendiri",
    "formats.update_objective": "data induk; siklus memakai catatannya sendiri",
    "indicator_import.import_indicators": "data induk",
    "integrity.quarantine_orphans": "berkas yatim di folder data",
    "monitoring.choose_monitoring": "monitoring SOP, kegiatan terpisah dari catatan kinerja",
    "numbering.save_number_template": "pengaturan kantor",
    "office.add_day_off": "pengaturan kantor",
    "office.remove_day_off": "pengaturan kantor",
    "office.save_office": "profil kantor; siklus memakai catatannya sendiri",
    "office.save_predikat_scale": "skala predikat; siklus memakai catatannya sendiri",
    "sops.install_seed_if_missing": "SOP",
    "sops.save_new_version": "SOP",
    "teams.create_team": "tim",
    "teams.set_members": "anggota tim",
    "teams.update_team": "tim; siklus memakai nama tim dalam catatannya",
    "workbooks.export_team_workbook": "hanya membaca (mencatat ekspor di jejak audit)",
}


@dataclass
class Closed:
    """A closed demo office: cycle 2025 through step 7."""

    ctx: object
    cycle_id: int
    kasubag: int
    sekretaris: int
    admin: int
    folder: Path

    def items(self):
        from kinerja_desktop.services import formats

        return formats.format_items(self.ctx, self.cycle_id)

    def members(self, team_id: int) -> tuple[int, int]:
        from kinerja_desktop.services import teams

        team = next(t for t in teams.list_teams(self.ctx) if t.id == team_id)
        lead = next(m.person_id for m in team.members if m.is_lead)
        other = next(m.person_id for m in team.members if not m.is_lead)
        return lead, other


@pytest.fixture(scope="module")
def closed_template(databases, tmp_path_factory):
    """One closed office per module, on the session's engine; each test gets a copy."""
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    root = tmp_path_factory.mktemp("siklus-tutup") / "data"
    root.mkdir()
    url = databases.fresh()
    databases.seed_folder(root)
    ctx = open_context(root, database_url=url)
    try:
        demo.build_demo(ctx, year=2025, teams=2, indicators=2, through_step=7)
    finally:
        ctx.dispose()
    yield root, url
    databases.drop(url)


@pytest.fixture
def closed(closed_template, databases, tmp_path):
    from kinerja_desktop.services import accounts, cycles
    from kinerja_desktop.services.startup import open_context

    source, source_url = closed_template
    root = tmp_path / "data"
    shutil.copytree(source, root)
    url = databases.clone(source_url)
    ctx = open_context(root, database_url=url)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    cycle = cycles.find_cycle(ctx, 2025)
    assert cycle.status == "selesai"
    yield Closed(ctx, cycle.id, people["kasubag"], people["sekretaris"], people["admin"],
                 tmp_path)
    ctx.dispose()
    databases.drop(url)


def _service(name: str):
    module, function = name.split(".")
    return getattr(importlib.import_module(f"kinerja_desktop.services.{module}"), function)


def _evidence_file(o: Closed) -> Path:
    path = o.folder / "bukti-baru.pdf"
    path.write_bytes(b"%PDF-1.4\n% bukti baru\n")
    return path


def _an_evidence(o: Closed) -> int:
    from kinerja_desktop.services import entries

    return next(e.id for i in o.items() for e in entries.get_item(o.ctx, i.id).evidence)


def _save_entry(o: Closed) -> None:
    from kinerja_desktop.services import entries

    item = o.items()[0]
    view = entries.get_item(o.ctx, item.id)
    _, member = o.members(item.team_id)
    entries.save_entry(o.ctx, member, item.id, replace(view.values,
                                                       explanation="Diubah sesudah ditutup."))


def _export(o: Closed) -> None:
    """The team's own workbook, exported from the closed cycle and edited."""
    from openpyxl import load_workbook

    from kinerja_desktop.services import workbooks
    from kinerja_desktop.spreadsheets import format_workbook as fw

    path = o.folder / "tim.xlsx"
    path.write_bytes(workbooks.export_team_workbook(o.ctx, o.kasubag, o.cycle_id,
                                                    _first(o).team_id))
    book = load_workbook(path)
    book[fw.SHEET_DATA].cell(fw.FIRST_ROW, fw.COLUMN_INDEX["explanation"]).value = "Lewat Excel."
    book.save(path)


def _import(o: Closed) -> None:
    """The import reports the closed cycle as its error (all or nothing) and applies
    nothing."""
    from kinerja_desktop.services import workbooks
    from kinerja_desktop.services.common import CycleClosedError

    report = workbooks.import_workbook(o.ctx, o.members(_first(o).team_id)[1],
                                       o.folder / "tim.xlsx")
    assert not report.applied and report.error_count == 1
    raise CycleClosedError(report.errors[0].message)


#: What a case needs made first (not part of the change measured).
PREPARE = {"workbooks.import_workbook": _export}


def _first(o: Closed):
    return o.items()[0]


def _programme_figures(o: Closed) -> None:
    programme = _service("programmes.cycle_programmes")(o.ctx, o.cycle_id)[0]
    _service("programmes.save_programme_figures")(
        o.ctx, o.members(programme.team_id)[1], o.cycle_id, programme.programme_id, 1.0, 1.0)


#: Each change of a cycle's data, called on the closed cycle by someone allowed to make it.
CASES = {
    "cycles.finish_step": lambda o: _service("cycles.finish_step")(
        o.ctx, o.kasubag, o.cycle_id, 3, _first(o).team_id),
    "cycles.start_step": lambda o: _service("cycles.start_step")(
        o.ctx, o.kasubag, o.cycle_id, 7),
    "cycles.update_sk": lambda o: _service("cycles.update_sk")(
        o.ctx, o.sekretaris, o.cycle_id, "800/9/2026", date(2026, 1, 5), "Inspektur"),
    "documents.compile_and_close": lambda o: _service("documents.compile_and_close")(
        o.ctx, o.kasubag, o.cycle_id),
    "entries.attach_evidence": lambda o: _service("entries.attach_evidence")(
        o.ctx, o.members(_first(o).team_id)[1], _first(o).id, _evidence_file(o)),
    "entries.remove_evidence": lambda o: _service("entries.remove_evidence")(
        o.ctx, o.members(_first(o).team_id)[1], _an_evidence(o)),
    "entries.save_entry": _save_entry,
    "formats.add_many_to_format": lambda o: _service("formats.add_many_to_format")(
        o.ctx, o.kasubag, o.cycle_id, [o.items()[1].indicator_id]),
    "formats.add_to_format": lambda o: _service("formats.add_to_format")(
        o.ctx, o.kasubag, o.cycle_id, o.items()[1].indicator_id),
    "formats.copy_from_previous_year": lambda o: _service("formats.copy_from_previous_year")(
        o.ctx, o.kasubag, o.cycle_id),
    "formats.remove_from_format": lambda o: _service("formats.remove_from_format")(
        o.ctx, o.kasubag, _first(o).id),
    "formats.set_field_requirements": lambda o: _service("formats.set_field_requirements")(
        o.ctx, o.kasubag, o.cycle_id, {"penjelasan": "wajib"}),
    "formats.update_format_item": lambda o: _service("formats.update_format_item")(
        o.ctx, o.kasubag, _first(o).id, _first(o).team_id, 1.0),
    "formats.update_format_items": lambda o: _service("formats.update_format_items")(
        o.ctx, o.kasubag, [_first(o).id], fields={"penjelasan": "opsional"}),
    "programmes.save_programme_figures": lambda o: _programme_figures(o),
    "submissions.submit": lambda o: _service("submissions.submit")(
        o.ctx, o.members(_first(o).team_id)[0], o.cycle_id, _first(o).team_id),
    "verification.add_comment": lambda o: _service("verification.add_comment")(
        o.ctx, o.kasubag, _first(o).id, "Catatan sesudah ditutup."),
    "verification.return_item": lambda o: _service("verification.return_item")(
        o.ctx, o.kasubag, _first(o).id, "Angka perlu diperiksa ulang."),
    "verification.verify_item": lambda o: _service("verification.verify_item")(
        o.ctx, o.kasubag, _first(o).id, "Sudah benar."),
    "verification.verify_items": lambda o: _service("verification.verify_items")(
        o.ctx, o.kasubag, [i.id for i in o.items()]),
    "workbooks.import_workbook": _import,
}


def test_every_writing_service_is_classified():
    found = writing_service_functions()
    assert len(found) >= 45
    unplaced = sorted(set(found) - set(CASES) - set(NOT_CYCLE_DATA))
    assert unplaced == [], (
        f"fungsi layanan yang mengubah data tanpa kasus siklus-ditutup: {unplaced}; tambahkan "
        "kasus di CASES (dan panggil ensure_open/cycle_for_change) atau alasannya di "
        "NOT_CYCLE_DATA")
    assert sorted((set(CASES) | set(NOT_CYCLE_DATA)) - set(found)) == [], \
        "kasus untuk fungsi yang tidak ada lagi"
    assert not set(CASES) & set(NOT_CYCLE_DATA)


def test_the_cases_are_every_service_that_takes_a_cycles_data():
    """A writing function with a cycle, item or evidence parameter changes a cycle; the few
    that may run after closing are named with their reason."""
    for name, function in writing_service_functions().items():
        takes = CYCLE_PARAMETERS & set(inspect.signature(function).parameters)
        if takes and name not in CASES:
            assert name in {"cycles.reopen_cycle", "documents.archive",
                            "monitoring.choose_monitoring",
                            "workbooks.export_team_workbook"}, \
                f"{name} menerima {sorted(takes)} tetapi tidak diuji pada siklus yang ditutup"


def _audit_count(ctx) -> int:
    with ctx.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry))


def _state(o: Closed):
    from kinerja_desktop.services import cycles, entries

    items = o.items()
    return (items, [entries.get_item(o.ctx, i.id) for i in items],
            cycles.get_cycle(o.ctx, o.cycle_id))


@pytest.mark.parametrize("function", sorted(CASES))
def test_the_service_refuses_a_closed_cycle(closed, function):
    from kinerja_desktop.services.common import CycleClosedError

    PREPARE.get(function, lambda o: None)(closed)
    before = _state(closed), _audit_count(closed.ctx)
    with pytest.raises(CycleClosedError) as refused:
        CASES[function](closed)
    assert str(refused.value) == CLOSED_MESSAGE
    assert (_state(closed), _audit_count(closed.ctx)) == before
