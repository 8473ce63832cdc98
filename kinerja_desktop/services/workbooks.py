"""Team workbooks (Excel): export at step 3, import with a validation report at step 4.

Who may do what (decided here, enforced from the database):

* **Export**: the Kasubag (executor of step 3, "send the format to the teams"), once
  the format is final (step 2 finished). The export is recorded in the audit log.
* **Import**: a member of the workbook's team, because imported values are the team's
  entries and follow exactly the rules of typing them (``services.entries``: only the
  team edits its data, only draft or returned items, step 4 started on first change).
  The Kasubag who receives a file from a team without network may run the import as a
  *check* (``dry_run``): the report lists every problem and what would change, plus a
  note that a team member must apply it (log in as that member on the same PC).

The import is all or nothing: the file is read and validated, then every changed row is
applied through :func:`kinerja_desktop.services.entries.apply_entry_in` inside ONE
transaction; any problem (or ``dry_run``) rolls the whole transaction back. A successful
import adds a ``workbook_imports`` row and an audit entry with the file's SHA-256; the same
file imported again is recognised (warning), as is a file exported before the team's
latest submission (warning).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kinerja_desktop.db.models import (
    Cycle,
    FormatItem,
    FormatSpec,
    OfficeProfile,
    Person,
    StepRun,
    Submission,
    Team,
    TeamMember,
    WorkbookImport,
)
from kinerja_desktop.domain.errors import Cancelled, ConflictError, KinerjaError, NotFound
from kinerja_desktop.domain.format_fields import item_requirements, normalise_requirements
from kinerja_desktop.domain.input_rules import NUMBER_RULES
from kinerja_desktop.domain.permissions import Role, require_role
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services import workbook_programmes
from kinerja_desktop.services.common import (
    CycleClosedError,
    audit,
    ensure_open,
    load_principal,
    lock_cycle,
)
from kinerja_desktop.services.context import ServiceContext, retry_busy
from kinerja_desktop.services.entries import MAX_SHORT_TEXT, MAX_TEXT, apply_entry_in
from kinerja_desktop.services.items import EntryInput, entry_input, team_items
from kinerja_desktop.services.record import item_facts, team_names

FIELD_LABELS = {
    "actual": "Realisasi", "actual_text": "Realisasi", "budget": "Pagu anggaran",
    "spent": "Realisasi anggaran", "explanation": "Penjelasan",
    "supporting": "Faktor pendukung", "inhibiting": "Faktor penghambat",
    "follow_up": "Upaya / tindak lanjut", "manual_achievement": "Capaian manual",
    "manual_justification": "Alasan capaian manual",
    "plausibility_note": "Catatan peringatan",
}


@dataclass(frozen=True)
class ReportLine:
    """One problem or warning, with its sheet and cell when it has one."""

    sheet: str
    cell: str
    message: str

    def describe(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.sheet and self.cell else self.sheet
        return f"[{where}] {self.message}" if where else self.message


@dataclass(frozen=True)
class RowChange:
    item_id: int
    row: int
    indicator: str
    fields: tuple[str, ...]


#: Errors (and warnings) listed one by one; the others are counted.
MAX_REPORTED = 100


@dataclass(frozen=True)
class ImportReport:
    file_name: str
    file_sha256: str
    file_size: int
    cycle_id: int | None
    year: int | None
    team_id: int | None
    team_name: str
    #: the first MAX_REPORTED errors; ``error_count`` says how many there were
    errors: tuple[ReportLine, ...]
    warnings: tuple[ReportLine, ...]
    changes: tuple[RowChange, ...]
    unchanged: int
    dry_run: bool
    applied: bool
    error_count: int = 0
    #: why this person may not apply the file (the file itself may be valid)
    permission_problem: str = ""
    #: the programmes whose pagu or realisasi the file changes (budget sheet)
    programmes_changed: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        """The file itself is right (whoever may apply it)."""
        return not self.errors and not self.error_count

    @property
    def ok(self) -> bool:
        """Valid, and the person who ran it may apply it."""
        return self.valid and not self.permission_problem

    @property
    def items_changed(self) -> int:
        return len(self.changes)

    def lines(self) -> list[str]:
        """The report as Indonesian text lines (CLI and dialogs)."""
        head = f"Berkas: {self.file_name} (SHA-256 {self.file_sha256[:16]}…)"
        out = [head]
        if self.team_name:
            out.append(f"Tim: {self.team_name}" + (f", tahun {self.year}" if self.year else ""))
        total = max(self.error_count, len(self.errors))
        if total:
            out.append(f"{total} kesalahan:")
            out.extend(f"  KESALAHAN {e.describe()}" for e in self.errors)
            if total > len(self.errors):
                out.append(f"  … dan {total - len(self.errors)} kesalahan lainnya (hanya "
                           f"{len(self.errors)} yang pertama ditampilkan).")
        if self.warnings:
            out.append(f"{len(self.warnings)} peringatan:")
            out.extend(f"  PERINGATAN {w.describe()}" for w in self.warnings)
        if self.changes:
            verb = "berubah" if self.applied else "akan berubah"
            out.append(f"{len(self.changes)} butir {verb}:")
            out.extend(f"  baris {c.row}: {c.indicator} ({', '.join(c.fields)})"
                       for c in self.changes)
        if self.programmes_changed:
            verb = "berubah" if self.applied else "akan berubah"
            out.append(f"{len(self.programmes_changed)} program {verb}:")
            out.extend(f"  {label} (pagu/realisasi anggaran)"
                       for label in self.programmes_changed)
        if self.valid:
            out.append(f"{self.unchanged} butir tidak berubah.")
        if not self.valid:
            out.append("Tidak ada data yang diubah: perbaiki kesalahan di atas lalu impor ulang.")
        elif self.applied:
            out.append(f"Impor selesai: {len(self.changes)} butir disimpan.")
        else:
            out.append("Berkas valid." if self.permission_problem else
                       "Pemeriksaan selesai (uji coba): belum ada data yang diubah.")
        if self.permission_problem:  # said apart from the file's validity
            out.append(f"IZIN: {self.permission_problem}")
        return out


@dataclass(frozen=True)
class ExportTarget:
    team_id: int
    team_name: str
    file_name: str
    items: int


@dataclass(frozen=True)
class ImportRecord:
    """One applied workbook import (``workbook_imports``)."""

    id: int
    imported_at: datetime
    team_id: int
    team_name: str
    file_name: str
    file_sha256: str
    imported_by: str
    items_changed: int


def list_imports(ctx: ServiceContext, cycle_id: int) -> list[ImportRecord]:
    """The workbook imports of a cycle, newest first."""
    with ctx.read() as session:
        rows = session.execute(
            select(WorkbookImport, Team.name, Person.name)
            .join(Team, Team.id == WorkbookImport.team_id)
            .outerjoin(Person, Person.id == WorkbookImport.imported_by_id)
            .where(WorkbookImport.cycle_id == cycle_id)
            .order_by(WorkbookImport.imported_at.desc(), WorkbookImport.id.desc())).all()
        return [ImportRecord(r.id, r.imported_at, r.team_id, team, r.file_name, r.file_sha256,
                             who or "", r.items_changed) for r, team, who in rows]


class _Rollback(Exception):
    """Raised inside the transaction to discard it (dry run or problems)."""


INSTALLATION_KEY = "installation_id"


def installation_id(session: Session) -> str:
    """This installation's id (made by migration 0003 at setup; see DataDir)."""
    from kinerja_desktop.db.models import Setting

    row = session.get(Setting, INSTALLATION_KEY)
    return row.value if row is not None else ""


def _locked_cells(item: FormatItem) -> dict[str, object]:
    """The locked cells of the item's row as the export writes them, from the database."""
    from kinerja_desktop.spreadsheets import format_workbook as fw

    ind = item.indicator
    return fw.locked_cells(ind.name, ind.unit, ind.polarity,
                           fw.target_value(item.target, item.target_text, ind.qualitative))


# --------------------------------------------------------------------------- export


def _office_paper(session: Session) -> str:
    """The office's paper ("A4"/"F4"): the workbooks print on it too."""
    office = session.get(OfficeProfile, 1)
    return office.paper_size if office is not None and office.paper_size in ("A4", "F4") \
        else "A4"


def _office_name(session: Session) -> str:
    office = session.get(OfficeProfile, 1)
    if office is None:
        return ""
    return f"{office.name} {office.regency}".strip()


def _step_run(session: Session, cycle_id: int, step: int, team_id: int | None) -> StepRun | None:
    return session.scalar(select(StepRun).where(StepRun.cycle_id == cycle_id,
                                                StepRun.step_number == step,
                                                StepRun.team_id == team_id))


def _format_final(session: Session, cycle: Cycle) -> None:
    run2 = _step_run(session, cycle.id, 2, None)
    if run2 is None or run2.finished_at is None:
        raise ConflictError("Format belum final (langkah 2 belum selesai); format tim belum "
                            "dapat diekspor.")


def list_export_targets(ctx: ServiceContext, cycle_id: int) -> list[ExportTarget]:
    """The teams of a cycle with their workbook file names."""
    from kinerja_desktop.services.cycles import cycle_teams
    from kinerja_desktop.spreadsheets.format_workbook import workbook_file_name

    with ctx.read() as session:
        cycle = session.get(Cycle, cycle_id)
        if cycle is None:
            raise NotFound("Siklus tidak ditemukan.")
        return [ExportTarget(t.id, t.name, workbook_file_name(cycle.year, t.name),
                             len(team_items(session, cycle_id, t.id)))
                for t in cycle_teams(session, cycle_id)]


@retry_busy
def export_team_workbook(ctx: ServiceContext, actor_id: int, cycle_id: int,
                         team_id: int) -> bytes:
    """The team's protected workbook (.xlsx bytes); Kasubag only, format final."""
    import hashlib

    from kinerja_desktop.domain.achievement import Formula
    from kinerja_desktop.spreadsheets import format_workbook as fw

    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.KASUBAG, "Mengekspor format tim ke Excel")
        cycle = session.get(Cycle, cycle_id)
        if cycle is None:
            raise NotFound("Siklus tidak ditemukan.")
        team = session.get(Team, team_id)
        if team is None:
            raise NotFound("Tim tidak ditemukan.")
        _format_final(session, cycle)
        items = team_items(session, cycle_id, team_id)
        if not items:
            raise ConflictError(f"{team.name} tidak memiliki indikator dalam format siklus ini.")
        spec = session.scalar(select(FormatSpec).where(FormatSpec.cycle_id == cycle_id))
        run4 = _step_run(session, cycle_id, 4, team_id)
        filling_closed = run4 is not None and run4.finished_at is not None
        rows = []
        for item in items:
            state = ItemState(item.entry.state if item.entry else "draf")
            editable = state.editable and (not filling_closed or state is ItemState.RETURNED)
            ind = item_facts(item)  # what the team was given (the cycle's record)
            own = ({k: v.value for k, v in item_requirements(spec.fields if spec else None,
                                                             item.fields).items()}
                   if item.fields else None)
            rows.append(fw.WorkbookItem(
                item.id, ind.objective_name, ind.indicator_name, ind.unit, ind.polarity,
                Formula(ind.formula).describe(), ind.qualitative, item.target,
                item.target_text, entry_input(item.entry).__dict__.copy(), state.label,
                editable, own))
        from kinerja_desktop.services.cycles import cycle_label

        data = fw.TeamWorkbookData(
            cycle.id, cycle.year, cycle_label(cycle.year, cycle.quarter), team.id,
            team_names(session, cycle.id).get(team.id, team.name),
            _office_name(session), spec.version if spec else 1, ctx.now(), principal.name,
            {k: v.value for k, v in normalise_requirements(spec.fields if spec else None)
             .items()},
            tuple(rows), MAX_TEXT, MAX_SHORT_TEXT, installation_id=installation_id(session),
            paper_size=_office_paper(session),
            programmes=workbook_programmes.export_rows(session, cycle, team.id))
        content = fw.render_team_workbook(data)
        audit(session, ctx.now(), principal, "format.ekspor_excel", "team", team.id,
              after={"siklus": cycle.id, "tahun": cycle.year, "butir": len(rows),
                     "sha256": hashlib.sha256(content).hexdigest()})
        return content


# --------------------------------------------------------------------------- import


def default_importer(ctx: ServiceContext, path: Path) -> int | None:
    """The lead (else first member) of the team named in the workbook: the CLI's default."""
    from kinerja_desktop.spreadsheets.importer import read_team_workbook

    parsed = read_team_workbook(Path(path))
    team_id = parsed.int_value("tim_id")
    if team_id is None:
        return None
    with ctx.read() as session:
        rows = session.execute(select(TeamMember.person_id, TeamMember.is_lead)
                               .where(TeamMember.team_id == team_id)
                               .order_by(TeamMember.is_lead.desc(), TeamMember.person_id)).all()
        return rows[0][0] if rows else None


@retry_busy
def import_workbook(ctx: ServiceContext, actor_id: int, path: Path | str,
                    dry_run: bool = False,
                    cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Validate a team workbook and (unless ``dry_run`` or any error) apply it, all or nothing.

    Raises :class:`kinerja_desktop.spreadsheets.importer.WorkbookFileError` (a
    ValidationError) for a file that is no team workbook at all (not xlsx, corrupted,
    password-protected, .xls, CSV, too large, zip bomb, too slow to read); nothing is
    changed then. ``cancelled()`` (the window's Batal) stops it with
    :class:`~kinerja_desktop.domain.errors.Cancelled`, nothing changed. Whether the
    file is valid is reported apart from whether this person may apply it
    (:attr:`ImportReport.permission_problem`).
    """
    from kinerja_desktop.spreadsheets.importer import read_team_workbook

    parsed = read_team_workbook(Path(path), cancelled=cancelled)
    state = _ImportState(parsed, cancelled)
    try:
        with ctx.transaction() as session:
            _validate_and_apply(session, ctx, actor_id, state)
            state.check_cancelled()
            if state.error_count or dry_run or state.permission_problem:
                raise _Rollback
            _record(session, ctx, state)
            applied = True
    except _Rollback:
        applied = False
    return ImportReport(
        parsed.file_name, parsed.sha256, parsed.size, state.cycle_id, state.year,
        state.team_id, state.team_name, tuple(state.errors), tuple(state.warnings),
        tuple(state.changes), state.unchanged, dry_run, applied, state.error_count,
        state.permission_problem, tuple(state.programmes_changed))


class _ImportState:
    def __init__(self, parsed, cancelled: Callable[[], bool] | None = None) -> None:
        self.parsed = parsed
        self.cancelled = cancelled
        self.errors: list[ReportLine] = [ReportLine(p.sheet, p.cell, p.message)
                                         for p in parsed.problems]
        self.error_count = len(self.errors) + parsed.more_problems
        self.permission_problem = ""
        self.warnings: list[ReportLine] = []
        self.changes: list[RowChange] = []
        self.unchanged = 0
        self.cycle_id: int | None = None
        self.year: int | None = parsed.int_value("tahun")
        self.team_id: int | None = None
        self.team_name = parsed.identity.get("tim", "")
        self.principal = None
        self.programmes_changed: list[str] = []

    def error(self, sheet: str, cell: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(ReportLine(sheet, cell, message))

    def warn(self, sheet: str, cell: str, message: str) -> None:
        if len(self.warnings) < MAX_REPORTED:
            self.warnings.append(ReportLine(sheet, cell, message))

    def check_cancelled(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled("Impor dibatalkan; tidak ada data yang diubah.")


def _validate_and_apply(session: Session, ctx: ServiceContext, actor_id: int,
                        state: _ImportState) -> None:
    from kinerja_desktop.spreadsheets import format_workbook as fw

    parsed = state.parsed
    principal = state.principal = load_principal(session, actor_id)
    ident = parsed.identity
    if not ident:
        return
    sheet = fw.SHEET_ID
    ours = installation_id(session)
    if ident.get("instalasi") is not None and ident.get("instalasi") != ours:
        state.error(sheet, "", "Berkas ini diekspor dari instalasi Kinerja Desktop lain, bukan "
                    "dari aplikasi ini; data tidak dapat dipindahkan antarinstalasi lewat buku "
                    "kerja. Ekspor ulang format dari aplikasi ini.")
    office_name = _office_name(session)
    if ident.get("kantor") is not None and ident.get("kantor") != office_name:
        state.error(sheet, "", f"Berkas ini milik kantor lain ('{ident.get('kantor')}'), bukan "
                    f"'{office_name}'.")
    cycle_id = session.scalar(select(Cycle.id).where(
        Cycle.id == (parsed.int_value("siklus_id") or -1)))
    # The import changes many items and may start step 4: under the cycle's lock.
    cycle = lock_cycle(session, cycle_id) if cycle_id is not None else None
    if cycle is None or cycle.year != parsed.int_value("tahun"):
        state.error(sheet, "", f"Berkas ini untuk siklus lain (tahun {ident.get('tahun', '?')}) "
                    "yang tidak ada di basis data ini.")
        return
    state.cycle_id, state.year = cycle.id, cycle.year
    try:
        ensure_open(cycle)
    except CycleClosedError as exc:
        state.error(sheet, "", str(exc))
        return
    team = session.get(Team, parsed.int_value("tim_id") or -1)
    if team is None:
        state.error(sheet, "", f"Tim '{ident.get('tim', '?')}' dalam berkas tidak ada di basis "
                    "data ini (berkas tim lain).")
        return
    team_name = team_names(session, cycle.id).get(team.id, team.name)
    state.team_id, state.team_name = team.id, team_name
    if ident.get("tim") != team_name:
        state.error(sheet, "", f"Berkas ini untuk tim '{ident.get('tim')}', sedangkan tim "
                    f"dengan nomor yang sama di sini bernama '{team_name}' (berkas tim lain).")
    spec = session.scalar(select(FormatSpec).where(FormatSpec.cycle_id == cycle.id))
    current_version = spec.version if spec else 1
    if parsed.int_value("versi_format") != current_version:
        state.error(sheet, "", f"Versi format berkas ({ident.get('versi_format')}) berbeda dengan "
                    f"format siklus saat ini (versi {current_version}). Ekspor ulang format.")
    _warnings(session, state, cycle, team)
    if any(e.sheet == sheet for e in state.errors):
        return  # identity problems: the rows cannot be trusted to match
    member = team.id in principal.team_ids
    if not member:  # said apart from the file's validity (the Kasubag's check)
        state.permission_problem = (
            f"Impor data {team_name} hanya dapat dilakukan oleh anggota tim tersebut. "
            "Pemeriksaan ini tidak mengubah data; minta anggota tim masuk dan menerapkan impor.")
    requirements = normalise_requirements(spec.fields if spec else None)
    items = {i.id: i for i in session.scalars(
        select(FormatItem).where(FormatItem.cycle_id == cycle.id, FormatItem.team_id == team.id)
        .options(selectinload(FormatItem.entry), selectinload(FormatItem.indicator),
                 selectinload(FormatItem.record)))}
    with session.no_autoflush:  # one flush at commit instead of one per query
        _apply_rows(session, ctx, principal, state, items, requirements, member)
    state.programmes_changed = workbook_programmes.import_rows(
        session, ctx, principal, state, cycle, team, member)


def _warnings(session: Session, state: _ImportState, cycle: Cycle, team: Team) -> None:
    parsed = state.parsed
    previous = session.execute(
        select(WorkbookImport, Person.name).outerjoin(Person,
                                                      Person.id == WorkbookImport.imported_by_id)
        .where(WorkbookImport.file_sha256 == parsed.sha256)
        .order_by(WorkbookImport.imported_at)).all()
    if previous:
        first, who = previous[0]
        again = f"; diimpor {len(previous)} kali" if len(previous) > 1 else ""
        state.warn("", "", f"Berkas yang sama persis sudah pernah diimpor pada "
                   f"{_when(first.imported_at)} oleh {who or 'sistem'}{again}.")
    try:
        exported = datetime.fromisoformat(parsed.identity.get("diekspor_pada", ""))
    except ValueError:
        state.error("_identitas", "", "Waktu ekspor pada identitas tidak sah.")
        return
    latest = session.scalar(select(Submission).where(Submission.cycle_id == cycle.id,
                                                     Submission.team_id == team.id)
                            .order_by(Submission.version.desc()))
    if latest is not None and exported < latest.submitted_at:
        state.warn("", "", f"Berkas ini diekspor pada {_when(exported)}, sebelum penyerahan "
                   f"terakhir tim (versi {latest.version}, {_when(latest.submitted_at)}); "
                   "isinya mungkin sudah usang.")


def _when(moment: datetime) -> str:
    from kinerja_desktop.domain.numbers import format_datetime_short

    return format_datetime_short(moment)


def _apply_rows(session: Session, ctx: ServiceContext, principal, state: _ImportState,
                items: dict[int, FormatItem], requirements, member: bool) -> None:
    from kinerja_desktop.spreadsheets import format_workbook as fw
    from kinerja_desktop.spreadsheets import importer

    parsed = state.parsed
    data_sheet = fw.SHEET_DATA
    seen: set[int] = set()
    parsed_rows: list[tuple[int, int, EntryInput, FormatItem]] = []
    for item_id, row, fingerprint in parsed.items:
        state.check_cancelled()
        item = items.get(item_id)
        if item is None:
            state.error(data_sheet, f"A{row}", f"Baris {row} berisi butir yang tidak lagi "
                        "termasuk format tim ini (baris tambahan).")
            continue
        if item_id in seen:
            state.error(fw.SHEET_ID, "", f"Butir {item_id} tercantum dua kali pada identitas "
                        "berkas; identitas telah diubah.")
            continue
        seen.add(item_id)
        raw = parsed.rows.get(row)
        if raw is None or all(c.value in (None, "") for c in raw.values()):
            name = item_facts(item).indicator_name
            state.error(data_sheet, f"A{row}", f"Baris {row} ('{name}') hilang dari berkas.")
            continue
        expected = fw.row_fingerprint(_locked_cells(item))
        if fingerprint != expected:  # the identity names another indicator than the database
            state.error(data_sheet, f"C{row}", f"Baris {row}: butir {item_id} di basis data "
                        f"adalah '{item.indicator.name}', bukan yang tercatat pada identitas "
                        "berkas; identitas telah diubah. Ekspor ulang format.")
            continue
        shown = {k: raw[k].value for k in fw.FINGERPRINT_KEYS if k in raw}
        if fw.row_fingerprint(shown) != expected:
            state.error(data_sheet, raw["indicator"].coordinate if "indicator" in raw else
                        f"C{row}", f"Sel terkunci pada baris {row} (indikator, satuan, sifat "
                        "atau target) telah diubah.")
            continue
        values = _row_values(state, raw, item, item_requirements(
            {k: v.value for k, v in requirements.items()}, item.fields), importer, fw)
        if values is not None:
            parsed_rows.append((item_id, row, values, item))
    for item_id, item in items.items():
        if item_id not in seen:
            name = item_facts(item).indicator_name
            state.error(data_sheet, "", f"Indikator '{name}' tidak ada dalam berkas (baris "
                        "hilang).")
    if state.error_count:
        return
    from kinerja_desktop.services.entries import _check_input

    _plausibility_warnings(session, state, parsed_rows)
    for item_id, row, values, item in parsed_rows:
        state.check_cancelled()
        current = entry_input(item.entry)
        if values == current:
            state.unchanged += 1
            continue
        fields = tuple(dict.fromkeys(FIELD_LABELS[k] for k, v in values.__dict__.items()
                                     if getattr(current, k) != v))
        try:
            if member:
                apply_entry_in(session, ctx, principal, item_id, values)
            else:  # a check by a non-member: the entry rules that do not need membership
                _check_input(values, item_facts(item).qualitative)
                if not ItemState(item.entry.state if item.entry else "draf").editable:
                    raise ConflictError(f"Indikator '{item_facts(item).indicator_name}' sudah "
                                        "diserahkan atau diverifikasi dan tidak dapat diubah.")
        except KinerjaError as exc:
            name = item_facts(item).indicator_name
            state.error(data_sheet, f"G{row}:O{row}", f"Baris {row} ('{name}'): {exc}")
            continue
        state.changes.append(RowChange(item_id, row, item_facts(item).indicator_name, fields))


def _plausibility_warnings(session: Session, state: _ImportState,
                           parsed_rows: list[tuple[int, int, EntryInput, FormatItem]]) -> None:
    """A PERINGATAN line per plausibility warning of the file's values (never an error:
    the values are imported as they are, the team explains them in the app)."""
    from kinerja_desktop.domain.achievement import Formula, compute_achievement
    from kinerja_desktop.domain.plausibility import check_plausibility
    from kinerja_desktop.services.entries import rules_of
    from kinerja_desktop.services.items import last_year_actuals
    from kinerja_desktop.spreadsheets import format_workbook as fw

    if not parsed_rows:
        return
    last_year, actuals = last_year_actuals(session, state.cycle_id,
                                           [item.indicator_id for *_rest, item in parsed_rows])
    column = fw.COLUMN_INDEX["actual"]
    for _item_id, row, values, item in parsed_rows:
        ind = item.indicator
        try:
            achievement = compute_achievement(
                item.target, values.actual, Formula(ind.formula), qualitative=ind.qualitative,
                manual_value=values.manual_achievement,
                manual_justification=values.manual_justification or None)
        except ValueError:
            continue  # a manual capaian without its reason: reported by the entry rules
        budget = values.budget if values.budget is not None else item.budget
        for warning in check_plausibility(
                unit=ind.unit, actual=values.actual, achievement=achievement.value,
                budget=budget, spent=values.spent,
                last_year_actual=actuals.get(item.indicator_id), last_year=last_year,
                rules=rules_of(item), qualitative=ind.qualitative,
                manual_achievement=achievement.manual):
            note = values.plausibility_note.strip()
            state.warn(fw.SHEET_DATA, f"{_column_letter(column)}{row}",
                       f"Baris {row} ('{ind.name}'): {warning.message}"
                       + (f" Catatan tim: {note}" if note else
                          " Jelaskan dengan catatan singkat di aplikasi sebelum diserahkan."))


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _row_values(state: _ImportState, raw: dict, item: FormatItem, requirements, importer,
                fw) -> EntryInput | None:
    """The row's EntryInput, or None after reporting its cell problems."""
    current = entry_input(item.entry)
    updates: dict[str, object] = {}
    ok = True
    qualitative = item_facts(item).qualitative
    for column in fw.COLUMNS:
        key = column.key
        if key not in fw.INPUT_KEYS or key not in raw:
            continue
        if column.field and requirements.get(column.field).value == "tidak":
            continue  # not asked by the format: the file's cell is ignored
        cell = raw[key]
        label = column.header
        if key == "actual" and qualitative:
            value, problem = importer.text_from_cell(cell, limit=MAX_SHORT_TEXT, label=label)
            target_key = "actual_text"
        elif column.kind == "text":
            value, problem = importer.text_from_cell(cell, limit=MAX_TEXT, label=label)
            target_key = key
        else:
            rule = NUMBER_RULES[f"item_entries.{key}"]
            value, problem = importer.number_from_cell(cell, rule=rule, label=label)
            target_key = key
        if problem:
            state.error(fw.SHEET_DATA, cell.coordinate, problem)
            ok = False
            continue
        updates[target_key] = value
    if not ok:
        return None
    return replace(current, **updates)


def _record(session: Session, ctx: ServiceContext, state: _ImportState) -> None:
    parsed = state.parsed
    principal = state.principal
    session.add(WorkbookImport(cycle_id=state.cycle_id, team_id=state.team_id,
                               file_sha256=parsed.sha256, file_name=parsed.file_name[:255],
                               imported_at=ctx.now(), imported_by_id=principal.person_id,
                               items_changed=len(state.changes)))
    audit(session, ctx.now(), principal, "format.impor_excel", "team", state.team_id,
          after={"siklus": state.cycle_id, "berkas": parsed.file_name, "sha256": parsed.sha256,
                 "ukuran": parsed.size, "butir_berubah": len(state.changes),
                 "program_berubah": state.programmes_changed,
                 "peringatan": [w.message for w in state.warnings]})
