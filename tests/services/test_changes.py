"""What a transaction announces to the other PCs (NOTIFY on a server, on commit only)."""

from __future__ import annotations

import select
import socket
from types import SimpleNamespace

import pytest

from kinerja_desktop.db.models import Base
from kinerja_desktop.services import changes, demo, entries, live
from kinerja_desktop.services.changes import Change


def test_every_table_has_an_area_or_is_unannounced():
    tables = set(Base.metadata.tables)
    unmapped = tables - set(changes.TABLE_AREAS) - changes.UNANNOUNCED
    assert unmapped == set(), "give each new table an area in services/changes.py"
    assert set(changes.TABLE_AREAS) <= tables


def test_areas_are_the_windows_change_areas():
    from kinerja_desktop.ui import signals

    window_areas = {value for name, value in vars(signals).items() if name.startswith("CHANGE_")}
    assert set(changes.TABLE_AREAS.values()) | {changes.ALL} <= window_areas
    assert signals.CHANGE_ENTRY == changes.ENTRY and signals.CHANGE_ALL == changes.ALL


def test_messages_round_trip_and_stay_under_the_server_limit():
    [one] = changes.messages("data", 7, "ab12", [5, 3])
    assert one == "data:7:ab12:3,5"
    assert Change.parse(one) == Change("data", 7, "ab12", frozenset({3, 5}))
    assert Change.parse("format::ab12:") == Change("format", None, "ab12")
    many = changes.messages("data", 7, "ab12", range(100_000, 103_000))
    assert len(many) > 1 and all(len(m.encode()) <= changes.MAX_MESSAGE for m in many)
    assert set().union(*(Change.parse(m).item_ids for m in many)) == set(range(100_000, 103_000))
    for bad in ("", "data", "data:x:ab:", "data:1::", "data:1:ab:1,x", ":1:ab:"):
        assert Change.parse(bad) is None


def test_the_sqlite_file_announces_nothing(ctx, databases):
    if databases.server:
        pytest.skip("berkas SQLite saja")
    assert ctx.changes is None
    with pytest.raises(live.FeedLost, match="komputer ini"):
        live.ChangeFeed(ctx)
    assert live.data_place(ctx).label == "Data: komputer ini"


def _wait_for(feed: live.ChangeFeed, timeout: float = 5.0) -> list[Change]:
    readable, _, _ = select.select([feed.fileno()], [], [], timeout)
    return feed.read() if readable else []


def test_a_committed_change_reaches_other_pcs_with_area_cycle_and_item(ctx, databases):
    if not databases.server:
        pytest.skip("pemberitahuan hanya ada di server PostgreSQL")
    demo.build_demo(ctx, teams=1, indicators=2, through_step=3)
    from kinerja_desktop.services import accounts, cycles, teams

    cycle = cycles.active_cycle(ctx)
    team = teams.list_teams(ctx)[0]
    member = team.members[-1].person_id
    item = entries.list_team_items(ctx, cycle.id, team.id)[0]
    assert accounts.get_person(ctx, member) is not None

    other_pc = _other_context(ctx)
    feed = live.ChangeFeed(other_pc)
    own = live.ChangeFeed(ctx)
    try:
        assert feed.read() == []
        data = item.values.__class__(**{**item.values.__dict__, "actual": 42.0})
        entries.save_entry(ctx, member, item.item_id, data)
        received = _wait_for(feed)
        # The first save also starts the team's step 4: the workflow changed too.
        assert [(c.area, c.cycle_id, c.item_ids) for c in received] == [
            ("data", cycle.id, frozenset({item.item_id})), ("siklus", cycle.id, frozenset())]
        assert {c.origin for c in received} == {ctx.changes.origin} != {other_pc.changes.origin}
        entries.save_entry(ctx, member, item.item_id, data.__class__(
            **{**data.__dict__, "explanation": "Naik karena pendampingan"}))
        assert [(c.area, c.item_ids) for c in _wait_for(feed)] == [
            ("data", frozenset({item.item_id}))]
        # A window does not hear its own changes back.
        select.select([own.fileno()], [], [], 0.5)
        assert own.read() == []

        # Rolled back: nothing is announced.
        with pytest.raises(RuntimeError), ctx.transaction() as session:
            from kinerja_desktop.db.models import ItemEntry

            session.query(ItemEntry).first().explanation = "tidak jadi"
            session.flush()
            raise RuntimeError("batal")
        assert _wait_for(feed, 0.5) == []
    finally:
        feed.close()
        own.close()
        other_pc.dispose()


def test_items_whose_format_item_is_not_loaded_are_announced_with_their_cycle(ctx,
                                                                              databases):
    """A row naming its format item by id only (the item never loaded in the session):
    the cycle is looked up before the commit."""
    if not databases.server:
        pytest.skip("pemberitahuan hanya ada di server PostgreSQL")
    from kinerja_desktop.db.models import ItemReview
    from kinerja_desktop.services import cycles, teams

    demo.build_demo(ctx, teams=1, indicators=2, through_step=3)
    cycle = cycles.active_cycle(ctx)
    items = [v.item_id for v in entries.list_team_items(ctx, cycle.id,
                                                         teams.list_teams(ctx)[0].id)]
    other_pc = _other_context(ctx)
    feed = live.ChangeFeed(other_pc)
    try:
        with ctx.transaction() as session:
            for item_id in items:
                session.add(ItemReview(item_id=item_id, at=ctx.now(), action="catatan",
                                       comment="uji"))
        assert [(c.area, c.cycle_id, c.item_ids) for c in _wait_for(feed)] == [
            ("data", cycle.id, frozenset(items))]
    finally:
        feed.close()
        other_pc.dispose()


def test_a_lost_listening_connection_says_so(ctx, databases):
    if not databases.server:
        pytest.skip("pemberitahuan hanya ada di server PostgreSQL")
    feed = live.ChangeFeed(ctx)
    try:
        with ctx.engine.connect() as conn:
            from sqlalchemy import text

            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                              "application_name LIKE 'Kinerja Desktop (pemberitahuan)%'"))
        select.select([feed.fileno()], [], [], 5)
        with pytest.raises(live.FeedLost, match="memutus sambungan|tidak dapat dipakai"):
            feed.read()
    finally:
        feed.close()


def test_a_statement_failing_as_a_lost_server_does_is_reported_once(ctx, databases):
    """watch_failures: a connection killed under a statement is reported; a refused value
    is not; a stale pooled connection replaced on checkout (the pre-ping) is not."""
    if not databases.server:
        pytest.skip("hanya server PostgreSQL yang dapat hilang dari jaringan")
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from kinerja_desktop.domain.errors import KinerjaError

    failures = []
    stop = live.watch_failures(ctx, lambda: failures.append(1))
    try:
        with pytest.raises((DBAPIError, KinerjaError)), ctx.transaction() as session:
            session.execute(text("SELECT 1 / 0"))
        assert failures == []
        with pytest.raises((DBAPIError, KinerjaError)), ctx.transaction() as session:
            session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
        assert failures == [1]
        # The pool's next checkout meets a live server again: nothing more reported.
        with ctx.read() as session:
            assert session.execute(text("SELECT 1")).scalar() == 1
        assert failures == [1]
        assert live.server_answers(ctx) is None
    finally:
        stop()
    with pytest.raises((DBAPIError, KinerjaError)), ctx.transaction() as session:
        session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
    assert failures == [1]  # no longer watched


def test_a_server_that_is_not_there_does_not_answer(tmp_path, databases):
    from kinerja_desktop.db.backends import backend_for
    from kinerja_desktop.paths import DataDir

    if not databases.server:
        assert live.server_answers(SimpleNamespace(
            backend=backend_for(DataDir(tmp_path)))) is None  # this PC's own file
        return
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = backend_for(DataDir(tmp_path), f"postgresql+psycopg://kinerja@127.0.0.1:{port}/x")
    reason = live.server_answers(SimpleNamespace(backend=backend))
    assert reason == (f"Server basis data 127.0.0.1:{port}/x tidak dapat dipakai: server tidak "
                      "menerima sambungan (belum berjalan atau port salah).")


def _other_context(ctx):
    """A second PC: its own data folder, the same server database."""
    import tempfile
    from pathlib import Path

    from kinerja_desktop.services.startup import open_context

    url = ctx.backend.url.render_as_string(hide_password=False)
    return open_context(Path(tempfile.mkdtemp(prefix="pc-lain-")), database_url=url)
