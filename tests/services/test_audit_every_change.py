"""Every service function that changes data writes its audit entry (issue 12).

The functions are found, not listed by hand: every public function of a module in
``kinerja_desktop/services`` that opens a write transaction. Each must have a case
below that calls it and names the audit action it writes; a new service function
without a case fails :func:`test_every_writing_service_function_has_a_case`, and a
service that stops writing its entry fails its own case.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kinerja_desktop.db.models import AuditEntry

pytestmark = pytest.mark.sqlite_only("the services write the same audit on either engine")

PASSWORD = "demo12345"


def writing_service_functions() -> list[str]:
    import kinerja_desktop.services as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"kinerja_desktop.services.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            if ".transaction()" in inspect.getsource(function):
                found.append(f"{info.name}.{name}")
    return sorted(found)


@dataclass
class Env:
    ctx: object
    cycle_id: int
    team_id: int
    lead: int
    member: int
    admin: int
    sekretaris: int
    kasubag: int
    root: Path
    empty_root: Path

    def items(self, team_id: int | None = None):
        from kinerja_desktop.services import entries

        return entries.list_team_items(self.ctx, self.cycle_id, team_id or self.team_id)

    def new_cycle(self) -> int:
        """Cycle 2026, step 1 done, the Kasubag building its format (step 2)."""
        from kinerja_desktop.services import cycles

        cycle = cycles.start_cycle(self.ctx, self.sekretaris, 2026, "800/1/Itprov/I/2027",
                                   date(2026, 12, 1), "Inspektur Provinsi")
        cycles.finish_step(self.ctx, self.sekretaris, cycle.id, 1)
        return cycle.id


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    root = tmp_path_factory.mktemp("jejak-audit") / "data"
    ctx = open_context(root)
    try:
        demo.build_demo(ctx, year=2025, teams=2, indicators=2, through_step=4)
    finally:
        ctx.dispose()
    return root


@pytest.fixture
def env(template, tmp_path):
    from kinerja_desktop.services import accounts, cycles, teams
    from kinerja_desktop.services.startup import open_context

    root = tmp_path / "data"
    shutil.copytree(template, root)
    ctx = open_context(root)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    team = teams.list_teams(ctx)[0]
    lead = next(m.person_id for m in team.members if m.is_lead)
    member = next(m.person_id for m in team.members if not m.is_lead)
    yield Env(ctx, cycles.list_cycles(ctx)[0].id, team.id, lead, member, people["admin"],
              people["sekretaris"], people["kasubag"], root, tmp_path / "kosong")
    ctx.dispose()


def _evidence_file(env: Env) -> Path:
    path = env.root.parent / "bukti.pdf"
    path.write_bytes(b"%PDF-1.4\n% bukti dukung\n")
    return path


def _submitted(env: Env) -> list:
    from kinerja_desktop.services import submissions

    submissions.submit(env.ctx, env.lead, env.cycle_id, env.team_id)
    return env.items()


def _person_input(name: str, username: str):
    from kinerja_desktop.services import accounts

    return accounts.PersonInput(name, username)


def _workbook(env: Env) -> Path:
    from kinerja_desktop.services import workbooks

    path = env.root.parent / "tim.xlsx"
    path.write_bytes(workbooks.export_team_workbook(env.ctx, env.kasubag, env.cycle_id,
                                                    env.team_id))
    from openpyxl import load_workbook

    from kinerja_desktop.spreadsheets import format_workbook as fw

    book = load_workbook(path)
    ws = book[fw.SHEET_DATA]
    ws.cell(fw.FIRST_ROW, fw.COLUMN_INDEX["explanation"]).value = "Diubah lewat Excel."
    book.save(path)
    return path


def _legacy_folder(env: Env) -> None:
    """An earlier version's attachment file whose content is not yet in the database."""
    import hashlib
    import sqlite3

    data = b"%PDF-1.4\n% lampiran lama\n"
    sha = hashlib.sha256(data).hexdigest()
    folder = env.root / "lampiran" / sha[:2]
    folder.mkdir(parents=True)
    (folder / sha).write_bytes(data)
    conn = sqlite3.connect(env.root / "kinerja.sqlite3")
    conn.execute("INSERT INTO stored_files (sha256, size, created_at, name, mime) VALUES "
                 "(?, ?, '2026-01-01 00:00:00.000000', 'lama.pdf', 'application/pdf')",
                 (sha, len(data)))
    conn.commit()
    conn.close()


def _orphan(env: Env) -> None:
    folder = env.root / "lampiran" / "ab"
    folder.mkdir(parents=True)
    (folder / ("ab" + "2" * 62)).write_bytes(b"yatim")


def _scale():
    from kinerja_desktop.domain.achievement import DEFAULT_PREDIKAT_SCALE, PredikatBand
    from kinerja_desktop.domain.achievement import PredikatScale as Scale

    return Scale(DEFAULT_PREDIKAT_SCALE.bands[:-1] + (PredikatBand("Sangat Kurang", 1),))


def _indicator_input(env: Env, name: str):
    from kinerja_desktop.domain.achievement import Polarity
    from kinerja_desktop.services import formats

    objective = formats.list_objectives(env.ctx)[0].id
    return formats.IndicatorInput(objective_id=objective, name=name, unit="%",
                                  polarity=Polarity.POSITIF, team_id=env.team_id)


def _first_indicator(env: Env) -> int:
    from kinerja_desktop.services import formats

    return formats.list_indicators(env.ctx)[0].id


def _new_format_item(env: Env) -> tuple[int, int]:
    from kinerja_desktop.services import formats

    cycle = env.new_cycle()
    item = formats.add_to_format(env.ctx, env.kasubag, cycle, _first_indicator(env),
                                 env.team_id)
    return cycle, item.id


def _sop_definition(env: Env):
    from dataclasses import replace

    from kinerja_desktop.services import sops

    current = sops.current_sop(env.ctx).definition
    return replace(current, name=current.name + " (revisi)")


def _new_context(root: Path):
    from kinerja_desktop.services.startup import open_context

    return open_context(root)


# Each case: (what it does, given the environment and ``run(callable)``, the action).
CASES: dict[str, tuple] = {
    "accounts.authenticate": (
        lambda e, run: run(lambda: __import__("kinerja_desktop.services.accounts", fromlist=["x"])
                           .authenticate(e.ctx, "admin", PASSWORD)), "masuk.berhasil"),
    "accounts.create_first_admin": (
        lambda e, run: _first_admin(e, run), "pengguna.buat_admin_pertama"),
    "accounts.create_person": (
        lambda e, run: run(lambda: _accounts().create_person(
            e.ctx, e.admin, _person_input("Pegawai Baru", "pegawai.baru"), "rahasia123")),
        "pengguna.buat"),
    "accounts.set_password": (
        lambda e, run: run(lambda: _accounts().set_password(e.ctx, e.admin, e.member,
                                                            "sandibaru123")),
        "pengguna.kata_sandi"),
    "accounts.update_person": (
        lambda e, run: run(lambda: _accounts().update_person(
            e.ctx, e.admin, e.sekretaris, _accounts().PersonInput(
                "Sekretaris Baru", "sekretaris",
                roles=frozenset(_accounts().get_person(e.ctx, e.sekretaris).roles
                                - {__import__("kinerja_desktop.domain.permissions",
                                              fromlist=["Role"]).Role.TIM})))),
        "pengguna.ubah"),
    "cycles.start_cycle": (
        lambda e, run: run(lambda: _cycles().start_cycle(
            e.ctx, e.sekretaris, 2026, "800/2/2027", date(2026, 12, 1))), "siklus.mulai"),
    "cycles.update_sk": (
        lambda e, run: (lambda cycle: run(lambda: _cycles().update_sk(
            e.ctx, e.sekretaris, cycle, "800/3/2027", date(2026, 12, 2), "Inspektur")))(
            _started_cycle(e)), "siklus.ubah_sk"),
    "cycles.reopen_cycle": (
        lambda e, run: _in_office_at_step(e, run, 7, lambda ctx, kasubag, cycle: _cycles()
                                          .reopen_cycle(ctx, kasubag, cycle,
                                                        "Realisasi satu indikator salah ketik.")),
        "siklus.buka_kembali"),
    "documents.compile_and_close": (
        lambda e, run: _in_office_at_step(e, run, 6, lambda ctx, kasubag, cycle: _module(
            "documents").compile_and_close(ctx, kasubag, cycle)), "siklus.tutup"),
    "monitoring.choose_monitoring": (
        lambda e, run: run(lambda: _module("monitoring").choose_monitoring(
            e.ctx, e.sekretaris, e.cycle_id, date(2026, 3, 10), "I")), "monitoring.tetapkan"),
    "numbering.save_number_template": (
        lambda e, run: run(lambda: _module("numbering").save_number_template(
            e.ctx, e.admin, _module("numbering").RECEIPT, "050/{urut}/TT/{tahun}")),
        "pengaturan.nomor_dokumen"),
    "cycles.start_step": (
        lambda e, run: _start_step(e, run), "langkah.mulai"),
    "cycles.finish_step": (
        lambda e, run: (lambda cycle: run(lambda: _cycles().finish_step(
            e.ctx, e.sekretaris, cycle, 1)))(_started_cycle(e)), "langkah.selesai"),
    "documents.archive": (
        lambda e, run: run(lambda: _module("documents").archive(
            e.ctx, e.kasubag, e.cycle_id, "lembar_sop", "Lembar SOP", "sop.pdf",
            b"%PDF-1.4\n")), "dokumen.arsip"),
    "entries.save_entry": (
        lambda e, run: _save_entry(e, run), "data.simpan"),
    "entries.attach_evidence": (
        lambda e, run: run(lambda: _module("entries").attach_evidence(
            e.ctx, e.member, e.items()[0].item_id, _evidence_file(e))), "bukti.lampirkan"),
    "entries.remove_evidence": (
        lambda e, run: _remove_evidence(e, run), "bukti.hapus"),
    "files.import_legacy_files": (
        lambda e, run: (_legacy_folder(e), run(lambda: _module("files").import_legacy_files(
            e.ctx))), "lampiran.pindah_ke_basis_data"),
    "formats.add_to_format": (
        lambda e, run: _add_to_format(e, run), "format.tambah"),
    "formats.add_many_to_format": (
        lambda e, run: (lambda cycle: run(lambda: _formats().add_many_to_format(
            e.ctx, e.kasubag, cycle, [_first_indicator(e)])))(e.new_cycle()), "format.tambah"),
    "formats.update_format_items": (
        lambda e, run: (lambda made: run(lambda: _formats().update_format_items(
            e.ctx, e.kasubag, [made[1]], fields={"penjelasan": "opsional"})))(
            _new_format_item(e)), "format.ubah"),
    "indicator_import.import_indicators": (
        lambda e, run: _import_indicators(e, run), "indikator.impor_excel"),
    "verification.verify_items": (
        lambda e, run: (lambda items: run(lambda: _module("verification").verify_items(
            e.ctx, e.kasubag, [items[0].item_id])))(_submitted(e)), "verifikasi.setujui"),
    "formats.copy_from_previous_year": (
        lambda e, run: (lambda cycle: run(lambda: _formats().copy_from_previous_year(
            e.ctx, e.kasubag, cycle)))(e.new_cycle()), "format.salin_tahun_lalu"),
    "formats.copy_targets_from_previous_year": (
        lambda e, run: run(lambda: _formats().copy_targets_from_previous_year(
            e.ctx, e.kasubag, 2026)), "indikator.salin_target"),
    "formats.create_indicator": (
        lambda e, run: run(lambda: _formats().create_indicator(
            e.ctx, e.kasubag, _indicator_input(e, "Indikator baru"))), "indikator.buat"),
    "formats.create_objective": (
        lambda e, run: run(lambda: _formats().create_objective(
            e.ctx, e.kasubag, "Sasaran baru", "SS9")), "sasaran.buat"),
    "formats.remove_from_format": (
        lambda e, run: (lambda made: run(lambda: _formats().remove_from_format(
            e.ctx, e.kasubag, made[1])))(_new_format_item(e)), "format.hapus"),
    "formats.set_field_requirements": (
        lambda e, run: (lambda cycle: run(lambda: _formats().set_field_requirements(
            e.ctx, e.kasubag, cycle, {"penjelasan": "opsional"})))(e.new_cycle()),
        "format.isian"),
    "formats.set_indicator_active": (
        lambda e, run: run(lambda: _formats().set_indicator_active(
            e.ctx, e.kasubag, _first_indicator(e), False)), "indikator.aktif"),
    "earlier_years.save_earlier_actuals": (
        lambda e, run: run(lambda: _module("earlier_years").save_earlier_actuals(
            e.ctx, e.kasubag, _first_indicator(e), {2023: (61.5, ""), 2024: (64.0, "")})),
        "indikator.realisasi_sebelumnya"),
    "formats.set_target": (
        lambda e, run: run(lambda: _formats().set_target(
            e.ctx, e.kasubag, _first_indicator(e), 2027, 90.0)), "indikator.target"),
    "formats.update_format_item": (
        lambda e, run: (lambda made: run(lambda: _formats().update_format_item(
            e.ctx, e.kasubag, made[1], e.team_id, 75.0)))(_new_format_item(e)),
        "format.ubah"),
    "formats.update_indicator": (
        lambda e, run: run(lambda: _formats().update_indicator(
            e.ctx, e.kasubag, _first_indicator(e), _indicator_input(e, "Nama baru"))),
        "indikator.ubah"),
    "formats.update_objective": (
        lambda e, run: run(lambda: _formats().update_objective(
            e.ctx, e.kasubag, _formats().list_objectives(e.ctx)[0].id, "Sasaran diubah")),
        "sasaran.ubah"),
    "integrity.quarantine_orphans": (
        lambda e, run: (_orphan(e), run(lambda: _module("integrity").quarantine_orphans(
            e.ctx))), "lampiran.karantina"),
    "office.add_day_off": (
        lambda e, run: run(lambda: _module("office").add_day_off(
            e.ctx, e.admin, date(2026, 8, 18), "Cuti bersama kantor")),
        "pengaturan.libur_kantor"),
    "office.remove_day_off": (
        lambda e, run: (_module("office").add_day_off(e.ctx, e.admin, date(2026, 8, 18), "x"),
                        run(lambda: _module("office").remove_day_off(e.ctx, e.admin,
                                                                     date(2026, 8, 18)))),
        "pengaturan.hapus_libur_kantor"),
    "office.save_office": (
        lambda e, run: run(lambda: _module("office").save_office(
            e.ctx, e.admin, _module("office").SEED_OFFICE)), "kantor.simpan"),
    "office.save_predikat_scale": (
        lambda e, run: run(lambda: _module("office").save_predikat_scale(
            e.ctx, e.admin, _scale())), "pengaturan.predikat"),
    "programmes.create_programme": (
        lambda e, run: run(lambda: _module("programmes").create_programme(
            e.ctx, e.admin, _module("programmes").ProgrammeInput(
                "2.13.06", "Program Percontohan Desa", e.team_id))),
        "program.buat"),
    "programmes.update_programme": (
        lambda e, run: (lambda p: run(lambda: _module("programmes").update_programme(
            e.ctx, e.kasubag, p.id, _module("programmes").ProgrammeInput(
                p.code, p.name + " (diubah)", p.team_id))))(
            _module("programmes").list_programmes(e.ctx)[0]), "program.ubah"),
    "programmes.delete_programme": (
        lambda e, run: (lambda p: run(lambda: _module("programmes").delete_programme(
            e.ctx, e.kasubag, p.id)))(_module("programmes").list_programmes(e.ctx)[0]),
        "program.hapus"),
    "programmes.save_programme_figures": (
        lambda e, run: (lambda v: run(lambda: _module("programmes").save_programme_figures(
            e.ctx, e.member, e.cycle_id, v.programme_id, 500_000_000.0, 450_000_000.0,
            v.version)))(_module("programmes").cycle_programmes(e.ctx, e.cycle_id,
                                                                 e.team_id)[0]),
        "program.anggaran"),
    "sops.install_seed_if_missing": (
        lambda e, run: _seed_sop(e, run), "sop.pasang"),
    "sops.save_new_version": (
        lambda e, run: run(lambda: _module("sops").save_new_version(
            e.ctx, e.admin, _sop_definition(e))), "sop.versi_baru"),
    "submissions.submit": (
        lambda e, run: run(lambda: _module("submissions").submit(
            e.ctx, e.lead, e.cycle_id, e.team_id)), "data.serahkan"),
    "teams.create_team": (
        lambda e, run: run(lambda: _module("teams").create_team(
            e.ctx, e.admin, "Tim Baru", "Bidang Baru")), "tim.buat"),
    "teams.set_members": (
        lambda e, run: run(lambda: _module("teams").set_members(
            e.ctx, e.admin, e.team_id, [e.lead], lead_id=e.lead)), "tim.anggota"),
    "teams.update_team": (
        lambda e, run: run(lambda: _module("teams").update_team(
            e.ctx, e.admin, e.team_id, "Tim Diubah", "Bidang Diubah", True)), "tim.ubah"),
    "verification.add_comment": (
        lambda e, run: (lambda items: run(lambda: _module("verification").add_comment(
            e.ctx, e.kasubag, items[0].item_id, "Mohon dicek lagi.")))(_submitted(e)),
        "butir.catatan"),
    "verification.return_item": (
        lambda e, run: (lambda items: run(lambda: _module("verification").return_item(
            e.ctx, e.kasubag, items[0].item_id, "Angka belum sesuai.")))(_submitted(e)),
        "verifikasi.kembalikan"),
    "verification.verify_item": (
        lambda e, run: (lambda items: run(lambda: _module("verification").verify_item(
            e.ctx, e.kasubag, items[0].item_id)))(_submitted(e)), "verifikasi.setujui"),
    "workbooks.export_team_workbook": (
        lambda e, run: run(lambda: _module("workbooks").export_team_workbook(
            e.ctx, e.kasubag, e.cycle_id, e.team_id)), "format.ekspor_excel"),
    "workbooks.import_workbook": (
        lambda e, run: (lambda path: run(lambda: _module("workbooks").import_workbook(
            e.ctx, e.member, path)))(_workbook(e)), "format.impor_excel"),
}


def _module(name: str):
    return importlib.import_module(f"kinerja_desktop.services.{name}")


def _accounts():
    return _module("accounts")


def _cycles():
    return _module("cycles")


def _formats():
    return _module("formats")


def _first_admin(env: Env, run) -> None:
    ctx = _new_context(env.empty_root)
    try:
        run(lambda: _accounts().create_first_admin(
            ctx, _person_input("Admin Pertama", "admin.pertama"), "rahasia123"), ctx)
    finally:
        ctx.dispose()


def _seed_sop(env: Env, run) -> None:
    from kinerja_desktop.db.backends.sqlite import SqliteBackend
    from kinerja_desktop.db.migrate import upgrade
    from kinerja_desktop.paths import DataDir
    from kinerja_desktop.services.context import ServiceContext

    data_dir = DataDir(env.empty_root).ensure()
    upgrade(data_dir.database, data_dir.backups)  # migrated, no SOP yet
    ctx = ServiceContext(data_dir, SqliteBackend(data_dir.database))
    try:
        run(lambda: _module("sops").install_seed_if_missing(ctx), ctx)
    finally:
        ctx.dispose()


def _in_office_at_step(env: Env, run, through_step: int, call) -> None:
    """Run ``call(ctx, kasubag, cycle)`` in a second demo office whose cycle has gone
    through ``through_step`` (6: all verified, step 7 ready; 7: closed)."""
    from kinerja_desktop.services import accounts, demo

    ctx = _new_context(env.empty_root)
    try:
        demo.build_demo(ctx, year=2025, teams=2, indicators=2, through_step=through_step)
        kasubag = next(p.id for p in accounts.list_people(ctx) if p.username == "kasubag")
        cycle = _cycles().list_cycles(ctx)[0].id
        run(lambda: call(ctx, kasubag, cycle), ctx)
    finally:
        ctx.dispose()


def _started_cycle(env: Env) -> int:
    """Cycle 2026 just started by the Sekretaris (step 1 running)."""
    return _cycles().start_cycle(env.ctx, env.sekretaris, 2026, "800/1/2027",
                                 date(2026, 12, 1), "Inspektur Provinsi").id


def _start_step(env: Env, run) -> None:
    cycle = env.new_cycle()
    run(lambda: _cycles().start_step(env.ctx, env.kasubag, cycle, 2))


def _save_entry(env: Env, run) -> None:
    from dataclasses import replace

    item = env.items()[0]
    run(lambda: _module("entries").save_entry(
        env.ctx, env.member, item.item_id, replace(item.values, explanation="Diperbarui.")))


def _remove_evidence(env: Env, run) -> None:
    entries = _module("entries")
    view = entries.attach_evidence(env.ctx, env.member, env.items()[0].item_id,
                                   _evidence_file(env))
    run(lambda: entries.remove_evidence(env.ctx, env.member, view.evidence[0].id))


def _import_indicators(env: Env, run) -> None:
    """The indicator master's own template, imported back as it is."""
    importer = _module("indicator_import")
    path = env.root.parent / "indikator.xlsx"
    path.write_bytes(importer.template(env.ctx, env.kasubag, 2026))
    run(lambda: importer.import_indicators(env.ctx, env.kasubag, path, 2026))


def _add_to_format(env: Env, run) -> None:
    cycle = env.new_cycle()
    run(lambda: _formats().add_to_format(env.ctx, env.kasubag, cycle, _first_indicator(env),
                                         env.team_id))


def test_every_writing_service_function_has_a_case():
    found = writing_service_functions()
    assert len(found) >= 40
    missing = sorted(set(found) - set(CASES))
    assert missing == [], f"fungsi layanan yang mengubah data tanpa kasus jejak audit: {missing}"
    assert sorted(set(CASES) - set(found)) == [], "kasus untuk fungsi yang tidak ada lagi"


def _audit_actions(ctx) -> list[str]:
    with ctx.read() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.mark.parametrize("function", sorted(CASES))
def test_the_service_function_writes_its_audit_entry(env, function):
    case, action = CASES[function]
    measured: list[list[str]] = []

    def run(call, ctx=None):
        ctx = ctx or env.ctx
        before = len(_audit_actions(ctx))
        call()
        measured.append(_audit_actions(ctx)[before:])

    case(env, run)
    assert len(measured) == 1, "the case must measure exactly one call"
    assert action in measured[0], f"{function} wrote {measured[0]}, not {action!r}"


def test_counting_sees_audit_entries(env):
    """The counting itself: an audit entry appended is seen."""
    from kinerja_desktop.services.common import audit

    before = _audit_actions(env.ctx)
    with env.ctx.transaction() as session:
        audit(session, env.ctx.now(), None, "uji.hitung")
    assert _audit_actions(env.ctx) == [*before, "uji.hitung"]
    with env.ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == len(before) + 1
