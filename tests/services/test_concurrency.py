"""Several PCs acting at the same moment: real separate processes, on either engine (on
SQLite against one data folder's file, as two windows on one PC would be; on PostgreSQL
against one database, as two PCs would be).

Every race below once lost data or left a cycle stuck; now each ends with no lost update,
no stuck cycle and, for the loser, only a friendly Indonesian refusal. Processes start
each action at one barrier, so they really do meet.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from kinerja_desktop.db.models import AuditEntry, ItemReview, StepRun, Submission
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services import cycles, entries, formats, submissions, verification, workflow

# --------------------------------------------------------------------------- child side


def _save(ctx, actor: int, item: int, explanation: str, version: int | None) -> int:
    view = entries.save_entry(ctx, actor, item, entries.EntryInput(
        actual=70.0, explanation=explanation), expected_version=version)
    return view.version


def _writer_loop(ctx, actor: int, item: int, rounds: int) -> tuple[int, int]:
    """Read the item, add one to the counter in its explanation, save with the version
    read; on a conflict read again. Returns (saves, conflicts)."""
    from kinerja_desktop.domain.errors import EditConflict

    saved = conflicts = 0
    while saved < rounds:
        view = entries.get_item(ctx, item)
        count = int(view.values.explanation.rsplit("=", 1)[1]) if view.values.explanation \
            else 0
        try:
            _save(ctx, actor, item, f"hitungan={count + 1}", view.version)
            saved += 1
        except EditConflict:
            conflicts += 1
    return saved, conflicts


def _verify(ctx, actor: int, item: int) -> str:
    return verification.verify_item(ctx, actor, item).state.value


def _return(ctx, actor: int, item: int) -> str:
    return verification.return_item(ctx, actor, item, "Angka berbeda dengan laporan.").state.value


def _submit(ctx, actor: int, cycle: int, team: int) -> int:
    return submissions.submit(ctx, actor, cycle, team).version


def _start_step(ctx, actor: int, cycle: int, step: int, team: int) -> str:
    cycles.start_step(ctx, actor, cycle, step, team)
    return "mulai"


def _finish_step(ctx, actor: int, cycle: int, step: int, team: int) -> str:
    cycles.finish_step(ctx, actor, cycle, step, team)
    return "selesai"


ACTIONS = {"save": _save, "writer_loop": _writer_loop, "verify": _verify, "return": _return,
           "submit": _submit, "start_step": _start_step, "finish_step": _finish_step}


def _act(root: str, url: str | None, action: str, kwargs: dict, barrier) -> tuple:
    """One PC: open the data, get ready, wait for the others, act. ("ok", result),
    ("refused", error class, message) for a friendly refusal, ("error", text) otherwise."""
    from kinerja_desktop.domain.errors import KinerjaError
    from kinerja_desktop.services.startup import open_existing_context

    ctx = open_existing_context(Path(root), database_url=url)
    try:
        cycles.list_cycles(ctx)  # connected and warm before the start signal
        barrier.wait(timeout=120)
        try:
            return ("ok", ACTIONS[action](ctx, **kwargs))
        except KinerjaError as exc:
            return ("refused", type(exc).__name__, str(exc))
        except Exception as exc:  # noqa: BLE001 - reported to the parent as a failure
            return ("error", f"{type(exc).__name__}: {exc}")
    finally:
        ctx.dispose()


# --------------------------------------------------------------------------- parent side


@pytest.fixture(scope="module")
def pcs():
    """Four worker processes (four PCs) and a manager handing them barriers."""
    spawn = multiprocessing.get_context("spawn")
    manager = spawn.Manager()
    pool = spawn.Pool(4)
    yield pool, manager
    pool.terminate()
    pool.join()
    manager.shutdown()


def at_once(pcs, ctx, *calls: tuple[str, dict]) -> list[tuple]:
    """Run ``calls`` (action, arguments) in separate processes starting together."""
    pool, manager = pcs
    url = ctx.backend.url.render_as_string(hide_password=False) if ctx.backend.is_server \
        else None
    barrier = manager.Barrier(len(calls))
    pending = [pool.apply_async(_act, (str(ctx.data_dir.root), url, action, kwargs, barrier))
               for action, kwargs in calls]
    outcomes = [p.get(timeout=300) for p in pending]
    errors = [o for o in outcomes if o[0] == "error"]
    assert not errors, errors  # never a raw database error, never a crash
    return outcomes


def ok(outcomes: list[tuple]) -> list:
    return [o[1] for o in outcomes if o[0] == "ok"]


def refused(outcomes: list[tuple]) -> list[tuple[str, str]]:
    return [(o[1], o[2]) for o in outcomes if o[0] == "refused"]


def audits(ctx, action: str) -> list[dict]:
    with ctx.read() as session:
        return [e.after or {} for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


def _to_step_four(ctx, clock, office) -> int:
    cycle = cycles.start_cycle(ctx, office.sekretaris, 2025, "800/12/Itprov/I/2026",
                               date(2026, 1, 9))
    clock.advance(minutes=20)
    cycles.finish_step(ctx, office.sekretaris, cycle.id, 1)
    for indicator in office.indicators:
        formats.add_to_format(ctx, office.kasubag, cycle.id, indicator)
    clock.advance(minutes=30)
    cycles.finish_step(ctx, office.kasubag, cycle.id, 2)
    for team in office.teams:
        clock.advance(minutes=5)
        cycles.finish_step(ctx, office.kasubag, cycle.id, 3, team)
    return cycle.id


def _fill(ctx, clock, office, cycle_id: int, team: int) -> list[int]:
    member = office.members[team][1]
    items = [i.id for i in formats.format_items(ctx, cycle_id, team)]
    for item in items:
        clock.advance(minutes=10)
        entries.save_entry(ctx, member, item, entries.EntryInput(
            actual=72.0, explanation="Hasil monev triwulan IV."))
    return items


def _to_step_six(ctx, clock, office) -> tuple[int, dict[int, list[int]]]:
    cycle_id = _to_step_four(ctx, clock, office)
    items = {}
    for team in office.teams:
        items[team] = _fill(ctx, clock, office, cycle_id, team)
        clock.advance(minutes=5)
        submissions.submit(ctx, office.members[team][0], cycle_id, team)
    return cycle_id, items


def _run(ctx, cycle_id: int, step: int, team: int | None) -> SimpleNamespace | None:
    """A step run's times as stored now (None: the step is not ready)."""
    with ctx.read() as session:
        run = session.scalar(select(StepRun).where(
            StepRun.cycle_id == cycle_id, StepRun.step_number == step,
            StepRun.team_id.is_(None) if team is None else StepRun.team_id == team))
        return None if run is None else SimpleNamespace(
            ready_at=run.ready_at, started_at=run.started_at, finished_at=run.finished_at)


# --------------------------------------------------------------------------- the races


def test_stale_form_is_refused_naming_who_changed_it(ctx, clock, office, pcs):
    cycle_id = _to_step_four(ctx, clock, office)
    team = office.teams[0]
    lead, member = office.members[team]
    item = formats.format_items(ctx, cycle_id, team)[0].id
    loaded = entries.get_item(ctx, item).version  # both PCs opened the form now
    (first,) = at_once(pcs, ctx, ("save", {"actor": lead, "item": item,
                                            "explanation": "dari ketua", "version": loaded}))
    assert first[0] == "ok"
    (second,) = at_once(pcs, ctx, ("save", {"actor": member, "item": item,
                                             "explanation": "dari anggota", "version": loaded}))
    assert second[0] == "refused" and second[1] == "EditConflict"
    assert second[2].startswith("Data ini telah diubah oleh Ketua Tim 1 pada ")
    assert second[2].endswith("WITA; muat ulang.")
    assert entries.get_item(ctx, item).values.explanation == "dari ketua"


def test_same_moment_saves_one_wins(ctx, clock, office, pcs):
    cycle_id = _to_step_four(ctx, clock, office)
    team = office.teams[0]
    lead, member = office.members[team]
    item = formats.format_items(ctx, cycle_id, team)[0].id
    entries.save_entry(ctx, member, item, entries.EntryInput(explanation="awal"))
    loaded = entries.get_item(ctx, item).version
    outcomes = at_once(pcs, ctx, *[
        ("save", {"actor": (lead, member)[n % 2], "item": item, "explanation": f"simpan {n}",
                  "version": loaded}) for n in range(4)])
    assert len(ok(outcomes)) == 1
    assert {kind for kind, _ in refused(outcomes)} == {"EditConflict"}
    winner = next(n for n, o in enumerate(outcomes) if o[0] == "ok")
    assert entries.get_item(ctx, item).values.explanation == f"simpan {winner}"
    assert entries.get_item(ctx, item).version == loaded + 1
    # Step 4 was started by one of them, and audited once.
    started = [a for a in audits(ctx, "langkah.mulai") if a.get("langkah") == 4]
    assert len(started) == 1


def test_four_writers_lose_no_update(ctx, clock, office, pcs):
    cycle_id = _to_step_four(ctx, clock, office)
    team = office.teams[0]
    lead, member = office.members[team]
    item = formats.format_items(ctx, cycle_id, team)[0].id
    rounds = 12
    outcomes = at_once(pcs, ctx, *[
        ("writer_loop", {"actor": (lead, member)[n % 2], "item": item, "rounds": rounds})
        for n in range(4)])
    saves = sum(o[1][0] for o in outcomes)
    assert saves == 4 * rounds
    # Every save built on the one before it: none was overwritten unseen.
    assert entries.get_item(ctx, item).values.explanation == f"hitungan={saves}"
    assert len([a for a in audits(ctx, "data.simpan")]) == saves


def test_verify_and_return_of_one_item_at_once(ctx, clock, office, pcs):
    cycle_id, items = _to_step_six(ctx, clock, office)
    team = office.teams[0]
    first, last = items[team]
    verification.verify_item(ctx, office.kasubag, first)
    outcomes = at_once(pcs, ctx, ("verify", {"actor": office.kasubag, "item": last}),
                       ("return", {"actor": office.kasubag2, "item": last}))
    assert len(ok(outcomes)) == 1 and len(refused(outcomes)) == 1
    state = entries.get_item(ctx, last).state
    run6 = _run(ctx, cycle_id, 6, team)
    with ctx.read() as session:
        reviews = [r.action for r in session.scalars(
            select(ItemReview).where(ItemReview.item_id == last)
            .where(ItemReview.action.in_(("diverifikasi", "dikembalikan"))))]
    if outcomes[0][0] == "ok":
        assert state is ItemState.VERIFIED and run6.finished_at is not None
        assert reviews == ["diverifikasi"]
    else:
        assert state is ItemState.RETURNED and run6.finished_at is None
        assert reviews == ["dikembalikan"]


def test_a_teams_last_two_items_verified_at_once(ctx, clock, office, pcs):
    cycle_id, items = _to_step_six(ctx, clock, office)
    team = office.teams[0]
    one, two = items[team]
    outcomes = at_once(pcs, ctx, ("verify", {"actor": office.kasubag, "item": one}),
                       ("verify", {"actor": office.kasubag2, "item": two}))
    assert ok(outcomes) == ["diverifikasi", "diverifikasi"]
    assert _run(ctx, cycle_id, 6, team).finished_at is not None
    finished = [a for a in audits(ctx, "langkah.selesai")
                if a.get("langkah") == 6 and a.get("tim") == team]
    started = [a for a in audits(ctx, "langkah.mulai")
               if a.get("langkah") == 6 and a.get("tim") == team]
    assert len(finished) == 1 and len(started) == 1


def test_two_teams_last_items_verified_at_once(ctx, clock, office, pcs):
    cycle_id, items = _to_step_six(ctx, clock, office)
    a, b = office.teams[0], office.teams[1]
    for team in office.teams:
        for item in items[team]:
            if item not in (items[a][-1], items[b][-1]):
                verification.verify_item(ctx, office.kasubag, item)
    assert _run(ctx, cycle_id, 7, None) is None
    outcomes = at_once(pcs, ctx, ("verify", {"actor": office.kasubag, "item": items[a][-1]}),
                       ("verify", {"actor": office.kasubag2, "item": items[b][-1]}))
    assert ok(outcomes) == ["diverifikasi", "diverifikasi"]
    seven = _run(ctx, cycle_id, 7, None)
    assert seven is not None and seven.ready_at is not None  # step 7 is ready: not stuck
    with ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(StepRun).where(
            StepRun.cycle_id == cycle_id, StepRun.step_number == 7)) == 1
    view = workflow.workflow(ctx, cycle_id, office.kasubag)
    assert view.step(6).teams_done == 4 and view.step(7).can_finish


def test_two_members_hand_in_at_once(ctx, clock, office, pcs):
    cycle_id = _to_step_four(ctx, clock, office)
    team = office.teams[0]
    lead, member = office.members[team]
    _fill(ctx, clock, office, cycle_id, team)
    outcomes = at_once(pcs, ctx, ("submit", {"actor": lead, "cycle": cycle_id, "team": team}),
                       ("submit", {"actor": member, "cycle": cycle_id, "team": team}))
    assert ok(outcomes) == [1]
    (kind, message), = refused(outcomes)
    assert kind == "ConflictError" and "sudah diserahkan" in message
    with ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1
    assert len([a for a in audits(ctx, "langkah.selesai")
                if a.get("langkah") == 5 and a.get("tim") == team]) == 1
    assert all(i.state is ItemState.SUBMITTED
               for i in entries.list_team_items(ctx, cycle_id, team))


def test_two_demos_at_once_on_one_empty_database(tmp_path, databases):
    """Two PCs load the demo into one empty database at once (migrate, seed, fill).

    On a server each PC has its own data folder: one demo fills the database, the other
    is told it is no longer empty. On SQLite both PCs open the one data folder: the other
    is told the folder is being written to (or, if the first already finished, that the
    database is no longer empty)."""
    from kinerja_desktop.services import accounts
    from kinerja_desktop.services.integrity import run_checks
    from kinerja_desktop.services.startup import open_existing_context

    url = databases.fresh(empty=True)
    server = url is not None
    root = tmp_path / "data"
    runs = []
    for pc in range(2):
        folder = tmp_path / f"pc{pc}" if server else root
        options = ["--data-dir", str(folder), *databases.args(url), "demo", "--through-step",
                   "7"]
        runs.append(subprocess.Popen([sys.executable, "-m", "kinerja_desktop", *options],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outputs = [p.communicate(timeout=600) for p in runs]
    results = [(p.returncode, out, err) for p, (out, err) in zip(runs, outputs, strict=True)]
    codes = sorted(code for code, _out, _err in results)
    assert codes == [0, 1], results
    # The test-only scrypt cost is logged by a PC that hashed a password before it lost
    # (timing decides): that line is the test's, not the program's answer.
    loser = "\n".join(line for line in next(err for code, _out, err in results if code == 1)
                      .strip().splitlines() if not line.startswith("KINERJA_DESKTOP_TEST_SCRYPT_N"))
    not_empty = ("Gagal: Basis data ini sudah berisi data; data contoh hanya dapat dimuat ke "
                 "basis data yang kosong.")
    if server:
        assert loser == not_empty
    else:
        assert loser == not_empty or (
            loser.startswith(f"Gagal: Folder data {root} sedang dipakai untuk menulis oleh "
                             "Kinerja Desktop") and len(loser.splitlines()) == 1), loser
    ctx = open_existing_context(root, database_url=url)
    try:
        report = run_checks(ctx)
        assert report.ok, report.problems
        assert [p.username for p in accounts.list_people(ctx)].count("admin") == 1
        assert cycles.active_cycle(ctx).status == "selesai"
    finally:
        ctx.dispose()
        databases.drop(url)


@pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime (Debian) not installed")
def test_a_pc_whose_clock_is_ten_minutes_ahead(ctx, clock, office, pcs, cli_args):
    """One PC's clock runs ten minutes ahead (libfaketime): it starts step 4, another PC
    finishes it. On a server both record the server's time; on one PC's SQLite file the
    finish lands before the start, and every view shows it flagged, never an error."""
    from kinerja_desktop.services import documents
    from kinerja_desktop.services.document_data.monitoring import monitoring_data

    cycle_id = _to_step_four(ctx, clock, office)
    team = office.teams[0]
    lead, member = office.members[team]
    _fill(ctx, clock, office, cycle_id, team)
    with ctx.transaction() as session:  # step 4 not started yet: the skewed PC starts it
        run = session.scalar(select(StepRun).where(StepRun.cycle_id == cycle_id,
                                                   StepRun.step_number == 4,
                                                   StepRun.team_id == team))
        run.started_at = run.started_by_id = None
    url = ctx.backend.url.render_as_string(hide_password=False) if ctx.backend.is_server \
        else ""
    code = ("import sys\nfrom pathlib import Path\n"
            "from kinerja_desktop.services import cycles\n"
            "from kinerja_desktop.services.startup import open_existing_context\n"
            f"ctx = open_existing_context(Path({str(ctx.data_dir.root)!r}), "
            f"database_url={url!r} or None)\n"
            f"cycles.start_step(ctx, {member}, {cycle_id}, 4, {team})\nctx.dispose()\n")
    skewed = subprocess.run(["faketime", "-f", "+600s", sys.executable, "-c", code],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert skewed.returncode == 0, skewed.stderr
    (finished,) = at_once(pcs, ctx, ("finish_step", {"actor": member, "cycle": cycle_id,
                                                      "step": 4, "team": team}))
    assert finished == ("ok", "selesai")
    run = _run(ctx, cycle_id, 4, team)
    real_now = datetime.now(UTC)
    view = workflow.workflow(ctx, cycle_id, office.kasubag, now=real_now)
    timing = next(t for t in view.step(4).teams if t.team_id == team).timing
    data = monitoring_data(ctx, cycle_id)
    pdf = documents.monitoring_pdf(ctx, cycle_id)
    assert pdf.startswith(b"%PDF")
    row = next(r for r in data.rows if r.step_number == 4 and r.team_name == "Tim Bidang 1")
    if ctx.backend.is_server:
        # The server's clock, not the PC's: in order, and not ten minutes ahead.
        assert run.started_at <= run.finished_at
        assert abs(run.started_at - real_now) < timedelta(minutes=2)
        assert not timing.clock_skew and not row.clock_skew
    else:
        assert run.finished_at < run.started_at
        assert timing.clock_skew and "jam komputer tidak selaras" in timing.status_text
        assert row.clock_skew and "tidak selaras" in row.status_label


def test_saves_of_two_items_do_not_queue_but_a_transition_waits(ctx, clock, office):
    """A save holds the cycle's shared lock and its item's row: another item's save goes
    on meanwhile, a workflow transition (the cycle's lock) waits for it."""
    import threading

    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from kinerja_desktop.services import common

    if not ctx.backend.is_server:
        pytest.skip("SQLite: one writer at a time (the database's write lock)")
    cycle_id = _to_step_four(ctx, clock, office)
    team = office.teams[0]
    member = office.members[team][1]
    first, second = [i.id for i in formats.format_items(ctx, cycle_id, team)][:2]
    entries.save_entry(ctx, member, first, entries.EntryInput(explanation="awal"))
    held = ctx.sessions()  # a save of the first item, stopped halfway
    held.begin()
    try:
        common.lock_cycle_of_item(held, first, shared=True)
        common.lock_item(held, first)
        saved = []
        other = threading.Thread(target=lambda: saved.append(entries.save_entry(
            ctx, member, second, entries.EntryInput(explanation="butir lain"))))
        other.start()
        other.join(10)
        assert [v.values.explanation for v in saved] == ["butir lain"]
        transition = ctx.sessions()
        try:
            transition.begin()
            transition.execute(text("SET LOCAL lock_timeout = '300ms'"))
            with pytest.raises(DBAPIError) as waited:
                common.lock_cycle(transition, cycle_id)
            assert waited.value.orig.sqlstate == "55P03"  # lock_not_available
        finally:
            transition.rollback()
            transition.close()
        # The same item's second save waits too (then meets the first one's version).
        same = ctx.sessions()
        try:
            same.begin()
            same.execute(text("SET LOCAL lock_timeout = '300ms'"))
            common.lock_cycle_of_item(same, first, shared=True)
            with pytest.raises(DBAPIError):
                common.lock_item(same, first)
        finally:
            same.rollback()
            same.close()
    finally:
        held.rollback()
        held.close()
