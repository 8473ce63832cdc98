"""``import-format --dry-run`` prints a PERINGATAN line per plausibility warning."""

from __future__ import annotations

from openpyxl import load_workbook

from kinerja_desktop.cli import main
from kinerja_desktop.spreadsheets import format_workbook as fw


def _exported(state, tmp_path, capsys, root, actual) -> str:
    out = tmp_path / "format.xlsx"
    assert main([*root, "export-format", "--year", str(state.year), "--team",
                 state.team_name, "--out", str(out)]) == 0
    capsys.readouterr()
    book = load_workbook(out)
    book[fw.SHEET_DATA][f"G{fw.FIRST_ROW}"] = actual
    book.save(out)
    return str(out)


def test_dry_run_prints_peringatan_only_for_implausible_values(state, tmp_path, capsys,
                                                              cli_args):
    root = cli_args(state.ctx)
    plausible = _exported(state, tmp_path, capsys, root, 88)
    assert main([*root, "import-format", plausible, "--dry-run"]) == 0
    assert "PERINGATAN" not in capsys.readouterr().out

    odd = _exported(state, tmp_path, capsys, root, 914.3)
    assert main([*root, "import-format", odd, "--dry-run"]) == 0
    out = capsys.readouterr().out
    lines = [line.strip() for line in out.splitlines() if "PERINGATAN" in line]
    assert len(lines) == 2, out
    assert lines[0].startswith(f"PERINGATAN [{fw.SHEET_DATA}!G{fw.FIRST_ROW}]")
    assert "914,3% di luar 0–100%" in lines[0] and "Capaian 914,30%" in lines[1]
    assert "uji coba" in out
