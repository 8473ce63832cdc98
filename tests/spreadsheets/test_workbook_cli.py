"""CLI: export-format and import-format on demo data."""

from __future__ import annotations

from openpyxl import load_workbook

from kinerja_desktop.cli import main
from kinerja_desktop.services import entries
from kinerja_desktop.spreadsheets import format_workbook as fw


def test_cli_round_trip(state, tmp_path, capsys, cli_args):
    root = cli_args(state.ctx)
    out = tmp_path / "format.xlsx"
    assert main([*root, "export-format", "--year", str(state.year), "--team",
                 state.team_name, "--out", str(out)]) == 0
    assert "diekspor" in capsys.readouterr().out
    book = load_workbook(out)
    ws = book[fw.SHEET_DATA]
    ws["G7"] = 88
    book.save(out)

    assert main([*root, "import-format", str(out), "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "1 butir akan berubah" in text and "uji coba" in text
    assert entries.list_team_items(state.ctx, state.cycle_id, state.team_id)[0].values.actual \
        is None

    assert main([*root, "import-format", str(out)]) == 0
    assert "Impor selesai: 1 butir disimpan." in capsys.readouterr().out
    assert entries.list_team_items(state.ctx, state.cycle_id, state.team_id)[0].values.actual \
        == 88.0

    assert main([*root, "import-format", str(out), "--as", "kasubag"]) == 1
    assert "anggota tim" in capsys.readouterr().out


def test_cli_bad_file_and_unknown_team(state, tmp_path, capsys, cli_args):
    root = cli_args(state.ctx)
    bad = tmp_path / "data.xlsx"
    bad.write_text("a;b\n1;2\n", encoding="utf-8")
    assert main([*root, "import-format", str(bad)]) == 1
    assert "teks biasa (misalnya CSV)" in capsys.readouterr().err
    assert main([*root, "export-format", "--year", str(state.year), "--team",
                 "Tim Tidak Ada", "--out", str(tmp_path / "x.xlsx")]) == 1
    assert "tidak ditemukan" in capsys.readouterr().err
