"""A ruled table for thousands of rows, fast enough for 12 teams × 300 indicators.

reportlab's ``Table`` of ``Paragraph`` cells parses, wraps and re-wraps every cell
(tens of thousands of them in a large office's Dokumen Data Kinerja). This flowable
takes plain user text, wraps it once with cached word widths, and writes the text
operators directly. Cells are plain text (no markup), so user text prints literally.

The header is an ordinary small reportlab ``Table`` (it may span columns) drawn again
at the top of every page the table continues on. Rows taller than a page are split
between lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Table

from kinerja_desktop.reports.base import FONT, FONT_BOLD, GROUP_FILL

SIZE = 9
LEADING = 11
PAD_X = 3
PAD_TOP = 2
PAD_BOTTOM = 3

SPLIT_MIN_LINES = 8  # shorter rows move whole to the next page

NORMAL = "normal"
GROUP = "group"  # one text spanning every column, bold on grey
TOTAL = "total"  # bold on grey


_WHITESPACE = re.compile(r"\s")  # what str.split() splits on


class _CharWidths(dict):
    """Width per character; characters the font lacks get its default width."""

    def __init__(self, default: float) -> None:
        super().__init__()
        self.default = default

    def __missing__(self, key: str) -> float:
        return self.default


class TextWrapper:
    """Greedy line breaking with cached word widths for one font and size."""

    _instances: dict[tuple[str, float], TextWrapper] = {}

    def __init__(self, font_name: str, size: float) -> None:
        face = pdfmetrics.getFont(font_name).face
        scale = size / 1000
        self._chars = _CharWidths(face.defaultWidth * scale)
        self._chars.update({chr(code): w * scale for code, w in face.charWidths.items()})
        self._cache: dict[str, float] = {}
        self.space = self.width(" ")

    @classmethod
    def get(cls, font_name: str, size: float = SIZE) -> TextWrapper:
        key = (font_name, size)
        if key not in cls._instances:
            cls._instances[key] = cls(font_name, size)
        return cls._instances[key]

    def width(self, text: str) -> float:
        cached = self._cache.get(text)
        if cached is None:
            cached = sum(map(self._chars.__getitem__, text))
            if len(self._cache) < 200_000:
                self._cache[text] = cached
        return cached

    def wrap(self, text: str, width: float) -> list[str]:
        return self._wrap(text or "", width)

    def column(self, width: float) -> _ColumnWrap:
        """Line breaking at one width with its own cache (one per table column, freed
        with the table)."""
        return _ColumnWrap(self, width)

    def _wrap(self, text: str, width: float) -> list[str]:
        if text and _WHITESPACE.search(text) is None and self.width(text) <= width:
            return [text]  # one word that fits: numbers, codes, short labels
        lines: list[str] = []
        for paragraph in text.replace("\r\n", "\n").split("\n"):
            words = paragraph.split()
            if not words:
                lines.append("")
                continue
            current: list[str] = []
            used = 0.0
            for word in words:
                w = self.width(word)
                if w > width:  # a word longer than the column: break it by characters
                    if current:
                        lines.append(" ".join(current))
                        current, used = [], 0.0
                    piece = ""
                    for ch in word:
                        if piece and self.width(piece + ch) > width:
                            lines.append(piece)
                            piece = ""
                        piece += ch
                    current, used = [piece], self.width(piece)
                    continue
                extra = w + (self.space if current else 0)
                if current and used + extra > width:
                    lines.append(" ".join(current))
                    current, used = [word], w
                else:
                    current.append(word)
                    used += extra
            lines.append(" ".join(current))
        while len(lines) > 1 and lines[-1] == "":
            lines.pop()
        return lines or [""]


class _ColumnWrap:
    """Wrapped lines of one column, cached per text (the lists are shared: read only)."""

    __slots__ = ("_wrap", "_width", "_cache")

    def __init__(self, wrapper: TextWrapper, width: float) -> None:
        self._wrap = wrapper._wrap
        self._width = width
        self._cache: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        lines = self._cache.get(text)
        if lines is None:
            lines = self._cache[text] = self._wrap(text or "", self._width)
        return lines


class _Row:
    __slots__ = ("kind", "cells", "lines", "height", "carry", "continued")

    def __init__(self, kind: str, cells: list[list[str]],
                 carry: list[list[str]] | None = None, continued: _Row | None = None) -> None:
        self.kind = kind
        self.cells = cells  # wrapped lines per cell (one cell for a GROUP row)
        self.lines = max(map(len, cells))
        self.height = self.lines * LEADING + PAD_TOP + PAD_BOTTOM
        # A NORMAL row: the cells it shows when it opens a page (its No and Prosedur
        # repeated); None when it shows its own cells. A GROUP row: the group row that
        # opens a page the group continues on ("… (lanjutan)").
        self.carry = carry
        self.continued = continued

    def opening(self) -> _Row:
        """This row as the first row of a page: with its carried cells filled in."""
        if self.carry is None:
            return self
        cells = [c if any(c) else (carried or c)
                 for c, carried in zip(self.cells, self.carry, strict=True)]
        return _Row(self.kind, cells, None, None)


class FastTable(Flowable):
    """Rows of plain text under a repeated header table.

    ``align`` per column: "L", "C" or "R"; ``bold_columns`` print in bold;
    ``repeat_columns``: what a row split across two pages shows again on the second
    (its No, by default).
    """

    def __init__(self, header: Table, widths: Sequence[float], align: Sequence[str],
                 bold_columns: Sequence[int] = (), repeat_columns: Sequence[int] = (0,)
                 ) -> None:
        super().__init__()
        self.header = header
        self.widths = list(widths)
        self.align = list(align)
        self.bold_columns = set(bold_columns)
        self.repeat_columns = set(repeat_columns)
        self.rows: list[_Row] = []
        self._header_height: float | None = None
        self._rows_height: float | None = None
        self._shared: dict[str, object] = {}  # the same for every part of the table
        self._normal = TextWrapper.get(FONT)
        self._bold = TextWrapper.get(FONT_BOLD)
        # line breaking per column: normal rows, then total rows (all bold)
        self._wrappers = [(self._bold if col in self.bold_columns else self._normal)
                          .column(width - 2 * PAD_X) for col, width in enumerate(self.widths)]
        self._total_wrappers = [self._bold.column(width - 2 * PAD_X) for width in self.widths]

    # ------------------------------------------------------------------ content
    def _wrapped(self, cells: Sequence[object], kind: str) -> list[list[str]]:
        wrappers = self._total_wrappers if kind == TOTAL else self._wrappers
        return [wrap(value if type(value) is str else "" if value is None else str(value))
                for wrap, value in zip(wrappers, cells, strict=True)]

    def add_row(self, cells: Sequence[object], kind: str = NORMAL,
                carry: Sequence[object] | None = None) -> None:
        """A row; ``carry``: the cells it shows instead of its empty ones when it opens a
        page (a continued step repeats its No and Prosedur)."""
        self.rows.append(_Row(kind, self._wrapped(cells, kind),
                              self._wrapped(carry, kind) if carry is not None else None))
        self._rows_height = None

    def add_group(self, text: str, continued: str | None = None) -> None:
        """A group title across every column; ``continued``: the title repeated on the
        next page when the group goes on there ("Sasaran Strategis SS3 (lanjutan)")."""
        width = sum(self.widths) - 2 * PAD_X
        repeat = _Row(GROUP, [self._bold.wrap(continued, width)]) if continued else None
        self.rows.append(_Row(GROUP, [self._bold.wrap(text, width)], None, repeat))
        self._rows_height = None

    # ------------------------------------------------------------------ layout
    def _header_h(self, avail_width: float) -> float:
        if self._header_height is None:
            self._header_height = self.header.wrap(avail_width, 10_000)[1]
        return self._header_height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        if self._rows_height is None:
            self._rows_height = sum(r.height for r in self.rows)
        self.height = self._header_h(avail_width) + self._rows_height
        return self.width, self.height

    def _part(self, rows: list[_Row], height: float | None = None) -> FastTable:
        part = FastTable(self.header, self.widths, self.align, tuple(self.bold_columns),
                         tuple(self.repeat_columns))
        part.rows = rows
        part._shared = self._shared
        part._header_height = self._header_height
        part._rows_height = height
        return part

    def _continuation(self, rows: list[_Row], fit: int) -> list[_Row]:
        """The rows that open the next page: the group title repeated ("(lanjutan)")
        when its group goes on, and the first row with its carried cells."""
        group = next((r for r in reversed(rows[:fit]) if r.kind == GROUP), None)
        rest = rows[fit:]
        if rest and rest[0].kind != GROUP:
            rest = [rest[0].opening(), *rest[1:]]
            if group is not None and group.continued is not None:
                rest = [group.continued, *rest]
        return rest

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        room = avail_height - self._header_h(avail_width)
        used, fit = 0.0, 0
        for row in self.rows:
            if used + row.height > room:
                break
            used += row.height
            fit += 1
        if fit == len(self.rows):
            return [self]
        row = self.rows[fit]
        lines_room = int((room - used - PAD_TOP - PAD_BOTTOM) // LEADING)
        if (row.kind != GROUP and lines_room >= 4
                and row.lines > max(lines_room, SPLIT_MIN_LINES)):
            # A tall row fills the rest of the page and continues on the next one
            # (the first part is exactly ``lines_room`` lines high); the continued part
            # repeats the cells the row carries (its No and Prosedur).
            first = _Row(row.kind, [c[:lines_room] for c in row.cells])
            carry = row.carry if row.carry is not None else [
                c if col in self.repeat_columns else [""] for col, c in enumerate(row.cells)]
            second = _Row(row.kind, [c[lines_room:] or [""] for c in row.cells], carry)
            rows = [*self.rows[:fit], first, second, *self.rows[fit + 1:]]
            return [self._part(rows[:fit + 1]), self._part(self._continuation(rows, fit + 1))]
        while fit and self.rows[fit - 1].kind == GROUP:  # never leave a group title behind
            fit -= 1
        if fit == 0:
            return []
        head_height = sum(r.height for r in self.rows[:fit])
        return [self._part(self.rows[:fit], head_height),
                self._part(self._continuation(self.rows, fit))]

    # ------------------------------------------------------------------ drawing
    def _draw_header(self, canv, header_h: float) -> None:
        """The header, drawn once per document as a form and placed on every page."""
        # Forms are numbered in the order first drawn (never by object address), so the
        # same document gives the same bytes in every run.
        defined: dict[int, str] = canv._doc.__dict__.setdefault("_kinerja_forms", {})
        name = defined.get(id(self.header))
        if name is None:
            name = defined[id(self.header)] = _form_name(len(defined) + 1)
            canv.beginForm(name, lowerx=0, lowery=0, upperx=sum(self.widths),
                           uppery=header_h)
            self.header.drawOn(canv, 0, 0)
            canv.endForm()
        canv.saveState()
        canv.translate(0, self.height - header_h)
        canv.doForm(name)
        canv.restoreState()

    def _columns(self, xs: list[float]) -> tuple[list[_Column], list[_Column], _Column]:
        """Column writers (normal rows, total rows, group rows), shared by every part of
        the table so that line positions are computed once per distinct text."""
        if "columns" not in self._shared:
            columns = []
            for col, how in enumerate(self.align):
                bold = col in self.bold_columns
                columns.append(_Column(FONT_BOLD if bold else FONT,
                                       self._bold if bold else self._normal,
                                       how, xs[col] + PAD_X, xs[col + 1] - PAD_X))
            totals = [_Column(FONT_BOLD, self._bold, c.how, c.left, c.right) for c in columns]
            self._shared["columns"] = (columns, totals,
                                       _Column(FONT_BOLD, self._bold, "L", PAD_X, PAD_X))
        return self._shared["columns"]

    def draw(self) -> None:
        canv = self.canv
        header_h = self._header_height or 0.0
        self._draw_header(canv, header_h)
        total_w = sum(self.widths)
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        top = self.height - header_h
        # backgrounds of group and total rows
        fills = []
        y = top
        for row in self.rows:
            if row.kind != NORMAL:
                fills.append(f"0 {y - row.height:.2f} {total_w:.2f} {row.height:.2f} re")
            y -= row.height
        if fills:
            r, g, b = GROUP_FILL.red, GROUP_FILL.green, GROUP_FILL.blue
            canv._code.append(f"q {r:.3f} {g:.3f} {b:.3f} rg {' '.join(fills)} f Q")
        # text: one absolute position per line; the font is selected only when it changes
        canv.setFillColor(colors.black)
        canv.setFont(FONT, SIZE)  # registers the font with the page
        code = ["BT"]
        emit = code.append
        formatter = _Formatter.of(canv)
        selected = ""
        columns, total_columns, group_column = self._columns(xs)
        y = top
        for row in self.rows:
            baseline = y - PAD_TOP - SIZE
            line_ys = [f"{baseline - k * LEADING:.2f} Tm " for k in range(row.lines)]
            if row.kind == GROUP:
                pairs = [(group_column, row.cells[0])]
            else:
                pairs = zip(total_columns if row.kind == TOTAL else columns, row.cells,
                            strict=True)
            for column, lines in pairs:
                written = column.written
                for i, line in enumerate(lines):
                    if line:
                        prefix, first_font, body, last_font = (
                            written.get(line) or column.write(line, formatter))
                        if first_font == selected:
                            emit(prefix + line_ys[i] + body)
                        else:
                            emit(prefix + line_ys[i] + first_font + " " + body)
                        selected = last_font
            y -= row.height
        code.append("ET")
        canv._code.append("\n".join(code))
        # grid: horizontal rules, then vertical rules that stop at group rows
        segments: list[tuple[float, float, float, float]] = []
        y = top
        run_start = top
        for row in self.rows:
            bottom = y - row.height
            if row.kind == GROUP:
                if run_start > y:
                    segments += [(x, run_start, x, y) for x in xs]
                segments += [(0, y, 0, bottom), (total_w, y, total_w, bottom)]
                run_start = bottom
            segments.append((0, bottom, total_w, bottom))
            y = bottom
        if run_start > y:
            segments += [(x, run_start, x, y) for x in xs]
        segments.append((0, top, total_w, top))
        path = " ".join(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l" for x1, y1, x2, y2 in segments)
        canv._code.append(f"q 0 G 0.5 w {path} S Q")


def _form_name(number: int) -> str:
    return f"kinerjaTableHeader{number}"


class _Column:
    """Where and in which font the lines of one column are written; the operators of
    each distinct line are made once per table."""

    __slots__ = ("font", "wrapper", "how", "left", "right", "written")

    def __init__(self, font: str, wrapper: TextWrapper, how: str, left: float,
                 right: float) -> None:
        self.font, self.wrapper, self.how, self.left, self.right = (font, wrapper, how,
                                                                     left, right)
        # line -> (text matrix up to y, first font selection, show operators, last font)
        self.written: dict[str, tuple[str, str, str, str]] = {}

    def write(self, line: str, formatter: _Formatter) -> tuple[str, str, str, str]:
        if self.how == "L":
            x = self.left
        elif self.how == "R":
            x = self.right - self.wrapper.width(line)
        else:
            x = (self.left + self.right - self.wrapper.width(line)) / 2
        parts = formatter.show(self.font, line)
        ops: list[str] = []
        selected = parts[0][0]
        for i, (font_op, show) in enumerate(parts):
            if i and font_op != selected:
                ops.append(font_op)
                selected = font_op
            ops.append(show)
        entry = (f"1 0 0 1 {x:.2f} ", parts[0][0], " ".join(ops), selected)
        self.written[line] = entry
        return entry


_LITERAL_UNSAFE = re.compile(rb"[^\x20-\x7e]")
_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", "(": "\\(", ")": "\\)"})


def _show(codes: bytes) -> str:
    """The show-text operator for font codes: a literal string when the codes are
    printable ASCII (the usual case), hexadecimal otherwise."""
    if _LITERAL_UNSAFE.search(codes) is None:
        return f"({codes.decode('ascii').translate(_LITERAL_ESCAPES)}) Tj"
    return f"<{codes.hex()}> Tj"


class _Formatter:
    """PDF text operators for one line, cached per (font, text)."""

    def __init__(self, canv) -> None:
        self.canv = canv
        self.doc = canv._doc
        self.shows: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.names: dict[tuple[str, int], str] = {}

    @classmethod
    def of(cls, canv) -> _Formatter:
        """One formatter per document (the font subsets are the document's)."""
        formatter = getattr(canv._doc, "_kinerja_formatter", None)
        if formatter is None:
            formatter = cls(canv)
            canv._doc._kinerja_formatter = formatter
        formatter.canv = canv
        return formatter

    def show(self, font_name: str, text: str) -> list[tuple[str, str]]:
        """(font selection, show text) operator pairs for ``text`` (cached).

        The usual case (every character already has a code in the first subset) skips
        reportlab's per-character subsetting loop.
        """
        key = (font_name, text)
        parts = self.shows.get(key)
        if parts is not None:
            return parts
        font = pdfmetrics.getFont(font_name)
        try:
            if "\xa0" in text:
                raise KeyError(text)
            assignments = font.state[self.doc].assignments
            codes = bytes(map(assignments.__getitem__, map(ord, text)))
            parts = [(f"{self._subset_name(font, 0)} {SIZE} Tf", _show(codes))]
        except (KeyError, ValueError):
            parts = [(f"{self._subset_name(font, subset)} {SIZE} Tf", _show(chunk))
                     for subset, chunk in font.splitString(text, self.doc)]
        self.shows[key] = parts
        return parts

    def _subset_name(self, font, subset: int) -> str:
        key = (font.fontName, subset)
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = font.getSubsetInternalName(subset, self.doc)
        return name
