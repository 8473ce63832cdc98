"""``report`` on a closed year gives the archived document on any day (checked with the
system clock moved three days ahead by faketime); before closing it prints a DRAF."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader


def run(*args: str, faketime: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "kinerja_desktop", *args]
    if faketime:
        command = ["faketime", faketime, *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def _pages(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text() or "")
            for p in PdfReader(io.BytesIO(path.read_bytes())).pages]


def _values(path: Path) -> dict[str, list[tuple]]:
    book = load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in book}


@pytest.fixture
def closed_year(tmp_path, db_args) -> list[str]:
    """The global options of a data folder whose 2025 cycle was closed at step 7."""
    options = ["--data-dir", str(tmp_path / "data"), *db_args]
    proc = run(*options, "demo", "--year", "2025", "--teams", "2", "--indicators", "3",
               "--through-step", "7")
    assert proc.returncode == 0, proc.stderr
    return options


def test_report_of_a_closed_year_is_the_same_today_and_three_days_ahead(closed_year, tmp_path):
    files = {}
    for name, shift in (("today", None), ("later", "+3 days")):
        for paper in ("", "A4", "F4"):
            for suffix in (".pdf", ".xlsx"):
                out = tmp_path / f"{name}{paper}{suffix}"
                args = [*closed_year, "report", "--year", "2025", "--out",
                        str(out)] + (["--paper", paper] if paper else [])
                proc = run(*args, faketime=shift)
                assert proc.returncode == 0, proc.stderr
                files[(name, paper, suffix)] = out
    for paper in ("", "A4", "F4"):
        assert files[("today", paper, ".pdf")].read_bytes() == \
            files[("later", paper, ".pdf")].read_bytes()
        assert _values(files[("today", paper, ".xlsx")]) == \
            _values(files[("later", paper, ".xlsx")])
    # The office prints on A4: that is the archived paper; F4 lays out the same record.
    assert files[("today", "", ".pdf")].read_bytes() == files[("today", "A4", ".pdf")].read_bytes()
    a4, f4 = _pages(files[("today", "A4", ".pdf")]), _pages(files[("today", "F4", ".pdf")])
    box = PdfReader(files[("today", "F4", ".pdf")]).pages[0].mediabox
    assert (round(box.width), round(box.height)) == (609, 935)
    date_line = re.search(r"Watansoppeng, \d{1,2} \w+ \d{4}", " ".join(a4)).group(0)
    assert date_line in " ".join(f4) and "DRAF" not in " ".join(a4 + f4)


def test_report_before_closing_is_a_draft_on_every_page(tmp_path, db_args):
    options = ["--data-dir", str(tmp_path / "data"), *db_args]
    assert run(*options, "demo", "--year", "2025", "--through-step", "5").returncode == 0
    out = tmp_path / "draf.pdf"
    proc = run(*options, "report", "--year", "2025", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    pages = _pages(out)
    assert len(pages) > 1
    assert all("DRAF" in page and re.search(r"0 dari \d+ indikator diverifikasi", page)
               for page in pages)
    text = " ".join(pages)
    assert "NIP." not in text and "ANDI AGUS MONGKI" not in text
    bad = run(*options, "report", "--year", "2025", "--paper", "B5", "--out", str(out))
    assert bad.returncode == 2 and "pilihan tidak sah" in bad.stderr
