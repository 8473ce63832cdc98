"""The office's daily backup started beside the window (ui/instance.py), on both engines."""

from __future__ import annotations


def test_the_office_backup_runs_beside_the_window_and_never_stops_it(ctx, caplog,
                                                                     monkeypatch):
    """On a server the first PC of the day makes the office's backup in a background
    thread; on SQLite that thread makes nothing (the data folder's own backup ran
    already); a failure is logged, never raised into the window."""
    import logging

    from kinerja_desktop.services import server_backup
    from kinerja_desktop.ui.instance import start_office_backup, wait_for_auto_backup

    caplog.set_level(logging.INFO, logger="kinerja_desktop.start")
    start_office_backup(ctx)
    wait_for_auto_backup(timeout=120)
    made = sorted(ctx.data_dir.backups.glob("otomatis-*.zip"))
    if ctx.backend.is_server:
        assert len(made) == 1
        assert f"Cadangan harian kantor dibuat di komputer ini: {made[0]}" in caplog.text
    else:
        assert made == [] and "Cadangan harian kantor" not in caplog.text

    def broken(_ctx):
        raise OSError("disk penuh")

    monkeypatch.setattr(server_backup, "office_daily_backup", broken)
    thread = start_office_backup(ctx)
    thread.join(120)
    assert not thread.is_alive()
    assert "Cadangan harian kantor gagal: disk penuh" in caplog.text
