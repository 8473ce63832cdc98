"""The tanda terima of one submission (step 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from kinerja_desktop.db.models import FormatItem, Person, Submission, Team
from kinerja_desktop.domain.errors import NotFound
from kinerja_desktop.domain.numbers import format_date_long, format_datetime_long
from kinerja_desktop.domain.permissions import Role
from kinerja_desktop.domain.timing import WITA
from kinerja_desktop.services.context import ServiceContext
from kinerja_desktop.services.document_data.common import (
    CycleBlock,
    OfficeBlock,
    Signatory,
    cycle_block,
    fast_number,
    jabatan_title,
    load_cycle,
    number_label,
    office_block,
    role_holder,
    signatory_of,
    to_dec,
)
from kinerja_desktop.services.numbering import number_of, receipt_subject
from kinerja_desktop.services.record import Columns, join_facts, team_names


@dataclass(frozen=True)
class ReceiptItem:
    number: int
    indicator_name: str
    unit: str
    target_label: str
    actual_label: str
    achievement_label: str
    evidence_count: int


@dataclass(frozen=True)
class ReceiptWarning:
    """A plausibility warning of a handed-in item, with the team's note."""

    number: int
    indicator_name: str
    message: str
    note: str


@dataclass(frozen=True)
class ReceiptData:
    office: OfficeBlock
    cycle: CycleBlock
    submission_id: int
    team_name: str
    version: int
    submitted_at: datetime
    submitted_label: str  # "30 Januari 2018 pukul 10.35 WITA"
    snapshot_sha256: str
    item_count: int
    evidence_count: int
    items: tuple[ReceiptItem, ...]
    change_count: int
    submitter: Signatory  # "Yang menyerahkan"
    receiver: Signatory  # "Yang menerima" (Kasubag)
    signing_date_label: str
    warnings: tuple[ReceiptWarning, ...] = ()
    number: str = ""  # Nomor "050/12/TT/DPMD/II/2026" ("" before one is given)




def _not_computable(row: dict, indicator: tuple[str, bool] | None) -> str:
    """"Tidak dapat dihitung: <alasan>" for a frozen row whose capaian has no value,
    the reason found again from the frozen target and realisasi."""
    from kinerja_desktop.domain.achievement import REASON_QUALITATIVE, Formula, compute_achievement

    if indicator is None:
        return "Tidak dapat dihitung"
    formula, qualitative = indicator
    ach = compute_achievement(row.get("target"), row.get("actual"), Formula(formula),
                              qualitative=qualitative)
    return f"Tidak dapat dihitung: {ach.reason or REASON_QUALITATIVE}"


def ensure_receipt_number(ctx: ServiceContext, submission_id: int) -> str:
    """The tanda terima's Nomor; a submission handed in before numbering existed gets the
    next number of its year now (dated the day it was handed in)."""
    from kinerja_desktop.services import numbering

    with ctx.transaction() as session:
        sub = session.get(Submission, submission_id)
        if sub is None:
            raise NotFound("Penyerahan data tidak ditemukan.")
        return numbering.ensure_number(session, ctx.now(), numbering.RECEIPT,
                                       receipt_subject(sub.id), sub.cycle_id,
                                       numbering.local_date(sub.submitted_at))


def receipt_data(ctx: ServiceContext, submission_id: int) -> ReceiptData:
    """The tanda terima of one submission (a frozen version of a team's data)."""
    with ctx.read() as session:
        sub = session.get(Submission, submission_id)
        if sub is None:
            raise NotFound("Penyerahan data tidak ditemukan.")
        cycle = load_cycle(session, sub.cycle_id)
        office = office_block(session, cycle)
        team = session.get(Team, sub.team_id)
        team_name = team_names(session, cycle.id).get(sub.team_id) or (team.name if team
                                                                       else "")
        submitter = session.get(Person, sub.submitted_by_id)
        kasubag = role_holder(session, Role.KASUBAG)
        from kinerja_desktop.domain.plausibility import warnings_from_json

        items, warnings = [], []
        snapshot_items = sub.snapshot.get("items", [])
        # The formula as the cycle's record has it (a later master edit changes nothing).
        formulas = {item_id: (formula, qualitative) for item_id, formula, qualitative in
                    session.execute(join_facts(
                        select(FormatItem.id, Columns.formula, Columns.qualitative)
                        .select_from(FormatItem))
            .where(FormatItem.id.in_([r.get("item_id") for r in snapshot_items])))}
        for n, row in enumerate(snapshot_items, start=1):
            for warning in warnings_from_json(row.get("plausibility")):
                warnings.append(ReceiptWarning(n, row.get("indicator", ""), warning.message,
                                               str(row.get("plausibility_note") or "").strip()))
            target = to_dec(row.get("target"))
            actual = to_dec(row.get("actual"))
            ach = row.get("achievement")
            if ach is not None:
                ach_label = fast_number(Decimal(ach), 2)
            else:
                ach_label = _not_computable(row, formulas.get(row.get("item_id")))
            items.append(ReceiptItem(
                n, row.get("indicator", ""), row.get("unit", ""),
                number_label(target, row.get("target_text", "")),
                number_label(actual, row.get("actual_text", "")), ach_label,
                len(row.get("evidence") or [])))
        previous = session.scalar(
            select(Submission).where(Submission.cycle_id == sub.cycle_id,
                                     Submission.team_id == sub.team_id,
                                     Submission.version < sub.version)
            .order_by(Submission.version.desc()).limit(1))
        from kinerja_desktop.services.submissions import diff_snapshots

        changes = diff_snapshots(previous.snapshot if previous else None, sub.snapshot)
        return ReceiptData(
            office, cycle_block(cycle), sub.id, team_name, sub.version,
            sub.submitted_at, format_datetime_long(sub.submitted_at), sub.snapshot_sha256,
            len(items), sub.evidence_count, tuple(items), len(changes),
            signatory_of(f"Ketua {team_name}" if team_name else "Tim Penyusun Data",
                         submitter),
            signatory_of(jabatan_title(kasubag, "Kepala Sub Bagian Perencanaan, Pelaporan "
                                               "dan Keuangan"), kasubag),
            # One date rule: the receipt carries the submission time, on every reprint.
            format_date_long(sub.submitted_at.astimezone(WITA).date()),
            tuple(warnings), number_of(session, receipt_subject(sub.id)))
