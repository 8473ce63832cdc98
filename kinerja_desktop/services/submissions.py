"""Submission (step 5): a frozen, hashed version of a team's data."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import (
    Evidence,
    FormatItem,
    ItemReview,
    Person,
    StepRun,
    Submission,
    Team,
)
from kinerja_desktop.domain.errors import ConflictError, IncompleteError, NotFound
from kinerja_desktop.domain.permissions import require_team_member
from kinerja_desktop.domain.review import ItemState, ReviewAction
from kinerja_desktop.services.common import (
    NeedsCycleLock,
    audit,
    ensure_open,
    load_principal,
    lock_cycle,
    shared_first,
)
from kinerja_desktop.services.context import ServiceContext, retry_busy
from kinerja_desktop.services.entries import achievement_of, warnings_of
from kinerja_desktop.services.items import (
    entry_input,
    last_year_actuals,
    missing_for_team,
    team_items,
)
from kinerja_desktop.services.record import item_facts, team_names

SNAPSHOT_FIELDS = {
    "target": "Target", "actual": "Realisasi", "actual_text": "Realisasi", "budget": "Pagu",
    "spent": "Realisasi anggaran", "explanation": "Penjelasan", "supporting": "Faktor pendukung",
    "inhibiting": "Faktor penghambat", "follow_up": "Upaya / tindak lanjut",
    "manual_achievement": "Capaian manual", "evidence": "Bukti dukung",
    "plausibility_note": "Catatan peringatan",
}


@dataclass(frozen=True)
class Change:
    indicator: str
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class SubmissionInfo:
    id: int
    cycle_id: int
    team_id: int
    team_name: str
    version: int
    submitted_at: datetime
    submitted_by: str
    snapshot_sha256: str
    item_count: int
    evidence_count: int
    snapshot: dict[str, Any]
    changes: tuple[Change, ...]


def _snapshot(session: Session, items: list[FormatItem]) -> dict[str, Any]:
    rows = []
    files: dict[int, list[Evidence]] = {item.id: [] for item in items}
    for ev in session.scalars(select(Evidence).where(Evidence.item_id.in_(list(files)))
                              .order_by(Evidence.id)):
        files[ev.item_id].append(ev)
    last_year, actuals = (last_year_actuals(session, items[0].cycle_id,
                                            [i.indicator_id for i in items])
                          if items else (None, {}))
    for item in items:
        facts = item_facts(item)
        values = entry_input(item.entry, item)
        evidence = files[item.id]
        ach = achievement_of(item)
        warnings = warnings_of(item, ach, last_year, actuals.get(item.indicator_id))
        rows.append({
            "item_id": item.id,
            "indicator": facts.indicator_name,
            "unit": facts.unit,
            "target": item.target,
            "target_text": item.target_text,
            **{k: v for k, v in values.__dict__.items() if k != "manual_justification"},
            "manual_justification": values.manual_justification,
            "achievement": None if ach.value is None else str(ach.value),
            "evidence": [{"name": e.original_name, "sha256": e.sha256, "size": e.size}
                         for e in evidence],
            "plausibility": [w.to_json() for w in warnings],
        })
    return {"items": rows}


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def diff_snapshots(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    """What changed per indicator between two frozen versions."""
    if not old:
        return []
    before = {r["item_id"]: r for r in old.get("items", [])}
    changes = []
    for row in new.get("items", []):
        prev = before.get(row["item_id"])
        if prev is None:
            changes.append(Change(row["indicator"], "Indikator", None, "baru"))
            continue
        for key, label in SNAPSHOT_FIELDS.items():
            a, b = prev.get(key), row.get(key)
            if key == "evidence":
                a = sorted(e["name"] for e in a or [])
                b = sorted(e["name"] for e in b or [])
            if a != b:
                changes.append(Change(row["indicator"], label, a, b))
    return changes


def _info(session: Session, sub: Submission, previous: Submission | None) -> SubmissionInfo:
    team = session.get(Team, sub.team_id)
    team_name = team_names(session, sub.cycle_id).get(sub.team_id) or (team.name if team else "")
    person = session.get(Person, sub.submitted_by_id)
    return SubmissionInfo(
        sub.id, sub.cycle_id, sub.team_id, team_name, sub.version,
        sub.submitted_at, person.name if person else "", sub.snapshot_sha256,
        len(sub.snapshot.get("items", [])), sub.evidence_count, sub.snapshot,
        tuple(diff_snapshots(previous.snapshot if previous else None, sub.snapshot)),
    )


def latest_submission(session: Session, cycle_id: int, team_id: int) -> Submission | None:
    return session.scalar(select(Submission).where(Submission.cycle_id == cycle_id,
                                                   Submission.team_id == team_id)
                          .order_by(Submission.version.desc()).limit(1))


@retry_busy
def submit(ctx: ServiceContext, actor_id: int, cycle_id: int, team_id: int) -> SubmissionInfo:
    """Hand in the team's data (step 5), or resubmit corrected items during step 6."""

    def run(shared: bool) -> SubmissionInfo:
        from kinerja_desktop.services import cycles

        with ctx.transaction() as session:
            principal = load_principal(session, actor_id)
            require_team_member(principal, team_id, "Menyerahkan data tim")
            # Two members handing in at once: the second waits here, then finds it handed in.
            # Handing corrections in again changes only this team's items: the cycle's shared
            # lock and the rows of the team's items (the team's saves and verifications wait,
            # other teams go on). The first hand-in finishes steps 4 and 5: the cycle's lock.
            cycle = lock_cycle(session, cycle_id, shared=shared)
            if shared:
                session.execute(select(FormatItem.id).where(FormatItem.cycle_id == cycle_id,
                                                            FormatItem.team_id == team_id)
                                .order_by(FormatItem.id).with_for_update(key_share=True)).all()
            ensure_open(cycle)
            runs = {r.step_number: r for r in session.scalars(
                select(StepRun).where(StepRun.cycle_id == cycle_id, StepRun.team_id == team_id))}
            run4, run5 = runs.get(4), runs.get(5)
            if run5 is None and (run4 is None or run4.finished_at is not None):
                raise ConflictError("Data belum dapat diserahkan: format belum disampaikan kepada "
                                    "tim ini (langkah 3 belum selesai).")
            resubmission = run5 is not None and run5.finished_at is not None
            if shared and not resubmission:
                raise NeedsCycleLock
            items = team_items(session, cycle_id, team_id)
            if not items:
                raise ConflictError("Tim ini tidak memiliki indikator dalam format.")
            states = [ItemState(i.entry.state) for i in items]
            if resubmission and ItemState.RETURNED not in states:
                raise ConflictError("Tidak ada butir yang dikembalikan; data tim sudah diserahkan.")
            missing = missing_for_team(session, cycle_id, team_id)
            if missing:
                raise IncompleteError("Data belum dapat diserahkan",
                                      [f"{name}: {', '.join(fields)}" for name, fields in missing])
            if run5 is None:
                # Serahkan closes the filling step (4) too: one click for the team.
                cycles.finish_step_in(session, ctx, principal, cycle, 4, team_id)
            now = ctx.now()
            snapshot = _snapshot(session, items)
            previous = latest_submission(session, cycle_id, team_id)
            version = (session.scalar(select(func.max(Submission.version)).where(
                Submission.cycle_id == cycle_id, Submission.team_id == team_id)) or 0) + 1
            evidence_count = sum(len(r["evidence"]) for r in snapshot["items"])
            sub = Submission(cycle_id=cycle_id, team_id=team_id, version=version, submitted_at=now,
                             submitted_by_id=principal.person_id, snapshot=snapshot,
                             snapshot_sha256=snapshot_hash(snapshot), evidence_count=evidence_count)
            session.add(sub)
            session.flush()
            # The tanda terima's Nomor: the next of the year, given now and kept for reprints.
            from kinerja_desktop.services import numbering

            # The next Nomor of the year: teams (and cycles) handing in at once take turns.
            ctx.lock(session, f"nomor:{numbering.RECEIPT}")
            numbering.ensure_number(session, now, numbering.RECEIPT,
                                    numbering.receipt_subject(sub.id), cycle_id,
                                    numbering.local_date(now))
            for item in items:
                state = ItemState(item.entry.state)
                if state in (ItemState.DRAFT, ItemState.RETURNED):
                    item.entry.state = ItemState.SUBMITTED.value
                    action = ReviewAction.SUBMITTED if state is ItemState.DRAFT \
                        else ReviewAction.CORRECTED
                    session.add(ItemReview(item_id=item.id, at=now, person_id=principal.person_id,
                                           action=action.value, submission_id=sub.id,
                                           comment=f"Versi {version}"))
            audit(session, now, principal, "data.serahkan", "submission", sub.id,
                  after={"siklus": cycle_id, "tim": team_id, "versi": version,
                         "sha256": sub.snapshot_sha256, "butir": len(items),
                         "bukti": evidence_count})
            if not resubmission:
                cycles.finish_step_in(session, ctx, principal, cycle, 5, team_id)
            session.flush()
            return _info(session, sub, previous)

    return shared_first(run)


def list_submissions(ctx: ServiceContext, cycle_id: int,
                     team_id: int | None = None) -> list[SubmissionInfo]:
    with ctx.read() as session:
        query = select(Submission).where(Submission.cycle_id == cycle_id)
        if team_id is not None:
            query = query.where(Submission.team_id == team_id)
        subs = session.scalars(query.order_by(Submission.team_id, Submission.version)).all()
        result, previous = [], {}
        for sub in subs:
            result.append(_info(session, sub, previous.get(sub.team_id)))
            previous[sub.team_id] = sub
        return result


def get_submission(ctx: ServiceContext, submission_id: int) -> SubmissionInfo:
    """One frozen version, with what changed since the team's previous version."""
    with ctx.read() as session:
        sub = session.get(Submission, submission_id)
        if sub is None:
            raise NotFound("Penyerahan data tidak ditemukan.")
        previous = session.scalar(select(Submission).where(
            Submission.cycle_id == sub.cycle_id, Submission.team_id == sub.team_id,
            Submission.version < sub.version).order_by(Submission.version.desc()).limit(1))
        return _info(session, sub, previous)


def latest_for_team(ctx: ServiceContext, cycle_id: int, team_id: int) -> SubmissionInfo | None:
    with ctx.read() as session:
        sub = latest_submission(session, cycle_id, team_id)
        if sub is None:
            return None
        previous = session.scalar(select(Submission).where(
            Submission.cycle_id == cycle_id, Submission.team_id == team_id,
            Submission.version < sub.version).order_by(Submission.version.desc()).limit(1))
        return _info(session, sub, previous)
