"""The day's automatic backup asked again and again by a window left open for days
(services.server_backup.daily_backup), on both engines: one backup a day, on a server one
for the whole office."""

from __future__ import annotations

from datetime import timedelta

from kinerja_desktop.services import backup, server_backup


def _automatic(ctx) -> list[str]:
    return sorted(p.name for p in ctx.data_dir.backups.glob(f"{backup.AUTO_PREFIX}*.zip"))


def _day(clock) -> str:
    return clock().astimezone().strftime("%Y%m%d")


def test_one_backup_a_day_however_often_the_window_asks(ctx, clock):
    first = server_backup.daily_backup(ctx)
    assert first.ok and first.made is not None and first.made.exists()
    assert first.made.name.startswith(f"{backup.AUTO_PREFIX}{_day(clock)}-")
    assert first.newest_good == first.made
    # Asked again the same day (minutes, then hours later): nothing new.
    for minutes in (5, 60, 600):
        clock.advance(minutes=minutes)
        assert _day(clock) in first.made.name
        again = server_backup.daily_backup(ctx)
        assert again.ok and again.made is None
    assert _automatic(ctx) == [first.made.name]
    # The next day (the window stayed open overnight): that day's backup, once.
    clock.advance(days=1)
    second = server_backup.daily_backup(ctx)
    assert second.made is not None
    assert second.made.name.startswith(f"{backup.AUTO_PREFIX}{_day(clock)}-")
    assert server_backup.daily_backup(ctx).made is None
    assert _automatic(ctx) == sorted([first.made.name, second.made.name])


def test_on_a_server_one_pc_makes_the_offices_backup(ctx, clock, database_url, tmp_path):
    """A second PC on the same data asks the same day: on a server it makes nothing (the
    first PC made the office's); on SQLite there is no sharing, its folder is its own."""
    from kinerja_desktop.services.startup import open_context

    made = server_backup.daily_backup(ctx).made
    assert made is not None
    other = open_context(tmp_path / "pc2", database_url=database_url)
    other.clock = clock
    try:
        theirs = server_backup.daily_backup(other)
        if ctx.backend.is_server:
            assert theirs.made is None and theirs.ok
            assert _automatic(other) == []
            clock.advance(days=1)
            # The next day the PC that asks first makes it.
            theirs = server_backup.daily_backup(other)
            assert theirs.made is not None and theirs.made.parent == other.data_dir.backups
            assert server_backup.daily_backup(ctx).made is None
        else:
            assert theirs.made is not None and theirs.made.parent == other.data_dir.backups
    finally:
        other.dispose()


def test_damaged_data_is_reported_not_raised(ctx, clock, monkeypatch):
    """The window shows the start-up warning for the problems; no backup is made."""

    def damaged(*_args, **_kwargs):
        raise backup.DamagedDataError("rusak", ["PRAGMA integrity_check: halaman 7 rusak"])

    monkeypatch.setattr(backup, "backup", damaged)
    result = server_backup.daily_backup(ctx, now=clock() + timedelta(days=1))
    assert not result.ok and result.made is None
    assert result.problems == ("PRAGMA integrity_check: halaman 7 rusak",)
    assert _automatic(ctx) == []
