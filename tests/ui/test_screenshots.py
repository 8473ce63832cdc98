"""The smoke and screenshots commands: every screen and dialog rendered to PNG, each
window checked against the screen (1366×768 here; 1280×720 and a too small screen in a
child process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

#: A capture for each thing the issue names, by the words of its file name.
EXPECTED = ("masuk", "sekretaris", "kasubag", "tim-penyusun", "arsip", "pengaturan",
            "alur-kerja", "alur-kerja-berjalan", "penyunting-sop-identitas",
            "penyunting-sop-langkah", "siklus-baru", "siklus-baru-kalender", "pilih-dokumen",
            "pratinjau-cetak", "laporan-impor-format", "ganti-pengguna-masuk", "kunci-layar",
            "menu-berkas", "konfirmasi-serahkan", "konfirmasi-pulihkan",
            "dialog-berkas-simpan-cadangan", "cadangan-selesai", "dialog-berkas-buka-cadangan",
            "tambah-pengguna", "tambah-tim", "tambah-catatan", "alasan-dikembalikan",
            "ekspor-format-tim", "panduan", "tentang", "penyiapan-1-selamat-datang",
            "penyiapan-2-profil-kantor", "penyiapan-3-administrator",
            "penyiapan-4-tim-dan-pengguna")


@pytest.fixture
def demo_data(data_root):
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(data_root)
    demo.build_demo(ctx, teams=2, indicators=2, through_step=7)
    ctx.dispose()
    return data_root


def test_smoke_and_screenshots_commands(qtbot, demo_data, tmp_path, capsys):
    from kinerja_desktop.cli import main

    data_root = demo_data
    before = sorted(p.name for p in data_root.rglob("*"))
    size = (data_root / "kinerja.sqlite3").stat().st_mtime_ns
    assert main(["--data-dir", str(data_root), "smoke"]) == 0
    assert "Jendela utama tampil" in capsys.readouterr().out
    out = tmp_path / "layar"
    assert main(["--data-dir", str(data_root), "screenshots", str(out)]) == 0
    printed = capsys.readouterr().out
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) >= 30
    assert f"{len(pngs)} gambar disimpan (layar 1366×768)." in printed
    assert len({p.read_bytes() for p in pngs}) == len(pngs)
    names = {p.stem.split("-", 1)[1] for p in pngs}
    for part in EXPECTED:
        assert any(n == part or n.startswith(part + "-") or n.startswith(part)
                   for n in names), part
    if sys.platform.startswith("linux"):
        assert "dialog-cetak" in names  # Qt's own print dialog, drawn by the program
    # Nothing of the user's data changed.
    assert sorted(p.name for p in data_root.rglob("*")) == before
    assert (data_root / "kinerja.sqlite3").stat().st_mtime_ns == size


def test_smoke_refuses_missing_database(tmp_path: Path, capsys):
    from kinerja_desktop.cli import main

    assert main(["--data-dir", str(tmp_path / "kosong"), "smoke"]) == 1
    assert "Basis data tidak ditemukan" in capsys.readouterr().err


def test_screen_size_option_is_checked(capsys):
    from kinerja_desktop.cli import main

    with pytest.raises(SystemExit):
        main(["screenshots", "keluar", "--screen", "besar"])
    assert "LEBARxTINGGI" in capsys.readouterr().err


def screenshots_in_child(data: Path, out: Path, screen: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # --screen chooses the offscreen screen itself
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir", str(data),
                           "screenshots", str(out), "--screen", screen],
                          capture_output=True, text=True, env=env, timeout=900)


@pytest.mark.slow
def test_every_window_fits_1280x720(demo_data, tmp_path):
    proc = screenshots_in_child(demo_data, tmp_path / "layar", "1280x720")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "(layar 1280×720)." in proc.stdout


@pytest.mark.slow
def test_screenshots_fail_when_a_window_does_not_fit(demo_data, tmp_path):
    proc = screenshots_in_child(demo_data, tmp_path / "layar", "800x600")
    assert proc.returncode == 1
    assert "jendela tidak muat di layar 800×600" in proc.stderr
    assert "Traceback" not in proc.stderr
