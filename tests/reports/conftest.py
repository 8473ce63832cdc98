"""Reading printed documents back: page text (pdftotext, in drawing order), page sizes,
sections between headings. Shared by the report tests."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

PAPER_POINTS = {"A4": (595.28, 841.89), "F4": (609.45, 935.43)}


@dataclass(frozen=True)
class PrintedDocument:
    """A PDF read back: one text per page (whitespace collapsed) and the page sizes."""

    pdf: bytes
    pages: tuple[str, ...]
    sizes: tuple[tuple[float, float], ...]

    @property
    def text(self) -> str:
        return " ".join(self.pages)

    def section(self, start: str, end: str | None = None, footer: str = "") -> str:
        """The text from heading ``start`` up to heading ``end`` (or the end), page
        footers (``footer`` … "Halaman X dari Y") removed."""
        text = self.text
        if footer:
            text = re.sub(re.escape(footer) + r" Halaman \d+ dari \d+ ", "", text)
        begin = text.index(start)
        stop = text.index(end, begin) if end else len(text)
        return text[begin:stop]


def read_pdf(pdf: bytes) -> PrintedDocument:
    """Text of every page in drawing order (``pdftotext -raw``), whitespace collapsed."""
    from pypdf import PdfReader

    result = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf,
                            capture_output=True, check=True)
    raw_pages = result.stdout.decode("utf-8").split("\f")
    if raw_pages and not raw_pages[-1].strip():
        raw_pages.pop()
    reader = PdfReader(io.BytesIO(pdf))
    sizes = tuple((float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages)
    assert len(raw_pages) == len(sizes)
    return PrintedDocument(pdf, tuple(re.sub(r"\s+", " ", p).strip() + " " for p in raw_pages),
                           sizes)


def assert_paper(doc: PrintedDocument, paper: str, landscape: bool = False) -> None:
    """Every page is ``paper`` (A4 or F4), portrait or landscape."""
    width, height = PAPER_POINTS[paper]
    expected = (height, width) if landscape else (width, height)
    for size in doc.sizes:
        assert size == pytest.approx(expected, abs=1), (paper, size)


@pytest.fixture(scope="session")
def pdf() -> SimpleNamespace:
    """``pdf.read(bytes)`` → :class:`PrintedDocument`; ``pdf.assert_paper(doc, paper)``."""
    return SimpleNamespace(read=read_pdf, assert_paper=assert_paper)
