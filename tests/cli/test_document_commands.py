"""Printing commands for administrators: receipt, verification-record, sop-monitoring with
its date and semester, and ``--paper A4|F4`` on each."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from kinerja_desktop.cli import main

A4_HEIGHT, F4_HEIGHT = 841.89, 935.43


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-docs") / "data"
    assert main(["--data-dir", str(root), "demo", "--year", "2025"]) == 0
    return root


def _read(path) -> tuple[str, list[tuple[float, float]]]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))
    return text, [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def test_receipt_of_the_latest_or_a_chosen_version(folder, tmp_path, capsys):
    base = ["--data-dir", str(folder), "receipt", "--year", "2025", "--team",
            "Tim Bidang Pemerintahan Desa"]
    latest, first = tmp_path / "tt.pdf", tmp_path / "tt1.pdf"
    assert main([*base, "--out", str(latest), "--paper", "F4"]) == 0
    assert main([*base, "--version", "1", "--out", str(first), "--paper", "a4"]) == 0
    text, sizes = _read(latest)
    assert "TANDA TERIMA" in text and "Versi penyerahan : 2 (perbaikan" in text
    assert all(h == pytest.approx(F4_HEIGHT, abs=1) for _w, h in sizes)
    text1, sizes1 = _read(first)
    assert "Versi penyerahan : 1" in text1
    assert all(h == pytest.approx(A4_HEIGHT, abs=1) for _w, h in sizes1)
    capsys.readouterr()
    assert main([*base, "--version", "7", "--out", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Gagal:") and "versi yang ada: 1, 2" in err and "\n" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_team_and_paper_are_refused_in_one_line(folder, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert main(["--data-dir", str(folder), "receipt", "--year", "2025", "--team", "Tim Hantu",
                 "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert "Tim 'Tim Hantu' tidak ditemukan" in err and "Tim Sekretariat" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["--data-dir", str(folder), "sop-sheet", "--out", str(out), "--paper", "A5"])
    assert exit_info.value.code == 2
    assert "pilihan tidak sah" in capsys.readouterr().err
    assert not out.exists()


def test_verification_record_for_one_team_and_for_all(folder, tmp_path):
    one, every = tmp_path / "ba1.pdf", tmp_path / "ba.pdf"
    assert main(["--data-dir", str(folder), "verification-record", "--year", "2025", "--team",
                 "Tim Sekretariat", "--out", str(one), "--paper", "F4"]) == 0
    assert main(["--data-dir", str(folder), "verification-record", "--year", "2025",
                 "--out", str(every)]) == 0
    text_one, sizes = _read(one)
    text_all, _ = _read(every)
    assert "yang diserahkan oleh Tim Sekretariat" in text_one
    assert "Tim Bidang Pemerintahan Desa" not in text_one
    assert "yang diserahkan oleh Tim Penyusun Data" in text_all
    assert all(h == pytest.approx(F4_HEIGHT, abs=1) for _w, h in sizes)
    number_one = re.search(r"Nomor : (\S+)", text_one).group(1)
    number_all = re.search(r"Nomor : (\S+)", text_all).group(1)
    assert number_one != number_all
    again = tmp_path / "ba1-lagi.pdf"
    assert main(["--data-dir", str(folder), "verification-record", "--year", "2025", "--team",
                 "Tim Sekretariat", "--out", str(again)]) == 0
    assert f"Nomor : {number_one}" in _read(again)[0]


def test_monitoring_date_and_semester_from_the_command_line(folder, tmp_path, capsys):
    base = ["--data-dir", str(folder), "sop-monitoring", "--year", "2025"]
    first, again = tmp_path / "m.pdf", tmp_path / "m2.pdf"
    assert main([*base, "--date", "2026-07-10", "--semester", "II", "--out", str(first),
                 "--paper", "F4"]) == 0
    assert main([*base, "--out", str(again)]) == 0
    for path in (first, again):
        text, sizes = _read(path)
        assert "Tanggal monitoring : 10 Juli 2026" in text
        assert "Semester : Semester II (Juli–Desember)" in text
        assert all(w > h for w, h in sizes)  # landscape
    capsys.readouterr()
    assert main([*base, "--date", "2026-07-10", "--semester", "I",
                 "--out", str(tmp_path / "x.pdf")]) == 1
    assert "jatuh pada semester II, bukan semester I" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*base, "--date", "10-07-2026", "--out", str(tmp_path / "x.pdf")])
    assert "bukan tanggal TTTT-BB-HH" in capsys.readouterr().err
