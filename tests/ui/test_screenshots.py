"""The smoke and screenshots commands (the window rendered to PNG)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_smoke_and_screenshots_commands(qtbot, data_root, tmp_path, capsys):
    from kinerja_desktop.cli import main
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(data_root)
    demo.build_demo(ctx, teams=2, indicators=2, through_step=7)
    ctx.dispose()
    before = sorted(p.name for p in data_root.rglob("*"))
    size = (data_root / "kinerja.sqlite3").stat().st_mtime_ns
    assert main(["--data-dir", str(data_root), "smoke"]) == 0
    assert "Jendela utama tampil" in capsys.readouterr().out
    out = tmp_path / "layar"
    assert main(["--data-dir", str(data_root), "screenshots", str(out)]) == 0
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) >= 5
    assert len({p.read_bytes() for p in pngs}) == len(pngs)
    names = " ".join(p.name for p in pngs)
    for part in ("masuk", "sekretaris", "kasubag", "tim-penyusun", "arsip", "pengaturan",
                 "alur-kerja", "penyunting-sop"):
        assert part in names
    assert sorted(p.name for p in data_root.rglob("*")) == before
    assert (data_root / "kinerja.sqlite3").stat().st_mtime_ns == size


def test_smoke_refuses_missing_database(tmp_path: Path, capsys):
    from kinerja_desktop.cli import main

    assert main(["--data-dir", str(tmp_path / "kosong"), "smoke"]) == 1
    assert "Basis data tidak ditemukan" in capsys.readouterr().err
