"""The berita acara verifikasi (step 6): every review event and a summary per team."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import (
    Cycle,
    FormatItem,
    ItemEntry,
    ItemReview,
    Person,
    StepRun,
    Submission,
    Team,
)
from kinerja_desktop.domain.errors import NotFound
from kinerja_desktop.domain.numbers import format_date_long, format_datetime_long
from kinerja_desktop.domain.permissions import Role
from kinerja_desktop.domain.review import ReviewAction
from kinerja_desktop.services.context import ServiceContext
from kinerja_desktop.services.document_data.common import (
    ACTION_LABELS,
    NOT_AVAILABLE,
    CycleBlock,
    OfficeBlock,
    Signatory,
    cycle_block,
    jabatan_title,
    load_cycle,
    office_block,
    role_holder,
    signatory_of,
)
from kinerja_desktop.services.numbering import number_of, verification_subject
from kinerja_desktop.services.record import Columns, join_facts, team_names


@dataclass(frozen=True)
class ReviewEvent:
    at: datetime
    at_label: str
    team_name: str
    indicator_name: str
    person: str
    action: str
    action_label: str
    comment: str


@dataclass(frozen=True)
class TeamVerification:
    team_id: int
    team_name: str
    item_count: int
    verified_count: int
    returned_count: int  # items returned at least once
    verifiers: tuple[str, ...]
    last_verified_at: datetime | None
    last_verified_label: str
    submission_count: int
    last_submission_sha256: str


@dataclass(frozen=True)
class VerificationRecordData:
    office: OfficeBlock
    cycle: CycleBlock
    team_id: int | None  # None: every team
    teams: tuple[TeamVerification, ...]
    events: tuple[ReviewEvent, ...]
    returned: tuple[ReviewEvent, ...]  # the "dikembalikan" events with their reasons
    verifier: Signatory
    acknowledger: Signatory  # "Mengetahui": Sekretaris (Ketua Tim Penyusun), else head
    generated_at: datetime  # the day verification finished, else the time of printing
    signing_date_label: str
    #: While verification is unfinished the record is a draft: DRAF, status, no signatures.
    draft: bool = False
    status_label: str = ""  # "9 dari 13 indikator diverifikasi"
    complete: bool = False  # every item of the subject verified
    number: str = ""  # Nomor, given once verification is complete ("" before)




def verification_record(session: Session, office: OfficeBlock, cycle: Cycle, block: CycleBlock,
                  team_id: int | None, now: datetime,
                  item_states: list[tuple[int | None, str | None]] | None = None
                  ) -> VerificationRecordData:
    """The verification record; ``item_states`` (team id, entry state or None) of every
    item of the cycle when the caller already read them (every team only)."""
    query = (
        join_facts(
            select(ItemReview.at, ItemReview.item_id, ItemReview.action, ItemReview.comment,
                   FormatItem.team_id, Columns.indicator_name, Person.name)
            .select_from(ItemReview)
            .join(FormatItem, FormatItem.id == ItemReview.item_id))
        .outerjoin(Person, Person.id == ItemReview.person_id)
        .where(FormatItem.cycle_id == cycle.id)
        .order_by(ItemReview.at, ItemReview.id)
    )
    if team_id is not None:
        query = query.where(FormatItem.team_id == team_id)
    names: dict[int, str] = {}
    order: dict[int, tuple[int, str]] = {}
    recorded = team_names(session, cycle.id)  # as the cycle's record has them
    for tid, name, position in session.execute(select(Team.id, Team.name, Team.position)):
        names[tid] = recorded.get(tid, name)
        order[tid] = (position, name)
    events: list[ReviewEvent] = []
    per_team: dict[int, dict] = {}
    if item_states is None or team_id is not None:
        item_query = select(FormatItem.team_id, ItemEntry.state).outerjoin(
            ItemEntry, ItemEntry.item_id == FormatItem.id).where(FormatItem.cycle_id == cycle.id)
        if team_id is not None:
            item_query = item_query.where(FormatItem.team_id == team_id)
        item_states = session.execute(item_query).all()
    for tid, state in item_states:
        if tid is None:
            continue
        info = per_team.setdefault(tid, {"items": 0, "verified": 0, "returned": set(),
                                         "verifiers": [], "last": None})
        info["items"] += 1
        if state == "diverifikasi":
            info["verified"] += 1
    at_labels: dict[datetime, str] = {}  # many events share a time (bulk verification)
    rows = session.connection().execute(query)  # Core rows: no ORM result processing
    for at, item_id, action, comment, tid, ind_name, person_name in rows:
        at_label = at_labels.get(at)
        if at_label is None:
            at_label = at_labels[at] = format_datetime_long(at)
        events.append(ReviewEvent(
            at, at_label, names.get(tid, ""), ind_name, person_name or "",
            action, ACTION_LABELS.get(action, action), comment))
        if tid is None or tid not in per_team:
            continue
        info = per_team[tid]
        if action == ReviewAction.RETURNED:
            info["returned"].add(item_id)
        elif action == ReviewAction.VERIFIED:
            if person_name and person_name not in info["verifiers"]:
                info["verifiers"].append(person_name)
            info["last"] = at
    subs: dict[int, list[str]] = defaultdict(list)  # snapshot hashes by version
    for sub_team, sha in session.execute(
            select(Submission.team_id, Submission.snapshot_sha256)
            .where(Submission.cycle_id == cycle.id).order_by(Submission.version)):
        subs[sub_team].append(sha)
    teams = tuple(
        TeamVerification(
            tid, names.get(tid, ""), info["items"], info["verified"], len(info["returned"]),
            tuple(info["verifiers"]), info["last"],
            format_datetime_long(info["last"]) if info["last"] else NOT_AVAILABLE,
            len(subs.get(tid, [])), subs[tid][-1] if subs.get(tid) else "")
        for tid, info in sorted(per_team.items(), key=lambda kv: order.get(kv[0], (0, "")))
    )
    kasubag = role_holder(session, Role.KASUBAG)
    sekretaris = role_holder(session, Role.SEKRETARIS)
    verifier = signatory_of(jabatan_title(kasubag, "Kepala Sub Bagian Perencanaan, Pelaporan "
                                                  "dan Keuangan"), kasubag)
    acknowledger = (signatory_of(jabatan_title(sekretaris, "Sekretaris"), sekretaris)
                    if sekretaris else office.head)
    # A record of completed verification carries the day it was completed (the team's
    # step 6 finished; for every team, the last of them), not the day it is printed.
    # While verification is unfinished it is a draft, dated today.
    done = dict(session.execute(
        select(StepRun.team_id, StepRun.finished_at)
        .where(StepRun.cycle_id == cycle.id, StepRun.step_number == 6)).all())
    finished = [done.get(t.team_id) for t in teams]
    draft = not teams or not all(finished)
    if not draft:
        now = max(f for f in finished if f is not None)
    total = sum(t.item_count for t in teams)
    verified = sum(t.verified_count for t in teams)
    return VerificationRecordData(
        office, block, team_id, teams, tuple(events),
        tuple(e for e in events if e.action == ReviewAction.RETURNED), verifier, acknowledger,
        now, format_date_long(now), draft=draft,
        status_label=f"{verified} dari {total} indikator diverifikasi", complete=not draft,
        number=number_of(session, verification_subject(cycle.id, team_id)))


def ensure_verification_number(ctx: ServiceContext, cycle_id: int,
                               team_id: int | None = None) -> str:
    """Give the berita acara its Nomor once verification of its subject is complete (dated
    the day it was completed); "" while items are still open."""
    from kinerja_desktop.services import numbering

    with ctx.transaction() as session:
        subject = verification_subject(cycle_id, team_id)
        existing = number_of(session, subject)
        if existing:
            return existing
        office = office_block(session)
        cycle = load_cycle(session, cycle_id)
        data = verification_record(session, office, cycle, cycle_block(cycle), team_id,
                                   ctx.now())
        if not data.complete:
            return ""
        return numbering.ensure_number(session, ctx.now(), numbering.VERIFICATION_RECORD,
                                       subject, cycle_id,
                                       numbering.local_date(data.generated_at))


def verification_record_data(ctx: ServiceContext, cycle_id: int,
                             team_id: int | None = None) -> VerificationRecordData:
    """The berita acara verifikasi of a cycle (of one team when ``team_id`` is given)."""
    now = ctx.now()
    with ctx.read() as session:
        cycle = load_cycle(session, cycle_id)
        office = office_block(session, cycle)
        if team_id is not None and session.get(Team, team_id) is None:
            raise NotFound("Tim tidak ditemukan.")
        return verification_record(session, office, cycle, cycle_block(cycle), team_id, now)
