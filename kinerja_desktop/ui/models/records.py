"""Table models over service dataclasses (one model class, one column table each).

:class:`RecordTableModel` holds a list of frozen records and a tuple of
:class:`Column` (header, display text, optional colour/tooltip). Every model here
passes ``qtmodeltester.check``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from kinerja_desktop.domain.numbers import format_number
from kinerja_desktop.ui.common import fmt_date, fmt_dt

_ROOT = QModelIndex()
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1

# The roles as the plain numbers a view passes: a view asks data() thousands of times
# per paint (every visible cell, every role), mostly for roles no model here answers.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_RECORD = int(RECORD_ROLE)
_ANSWERED = frozenset({_DISPLAY, _EDIT, _TOOLTIP, _BACKGROUND, _FOREGROUND, _ALIGNMENT,
                       _RECORD})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_BRUSHES: dict[str, QBrush] = {}


def _brush(colour: str) -> QBrush:
    """One brush per colour (the cells of a column share a few colours)."""
    brush = _BRUSHES.get(colour)
    if brush is None:
        brush = _BRUSHES[colour] = QBrush(QColor(colour))
    return brush


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]
    background: Callable[[Any], str | None] | None = None
    tooltip: Callable[[Any], str] | None = None
    align_right: bool = False


class RecordTableModel(QAbstractTableModel):
    """Rows of frozen records, for every table of the window.

    Two ways to describe the columns: pass :class:`Column` objects, or subclass with a
    ``HEADERS`` tuple (and ``RIGHT_ALIGNED`` set) and override :meth:`_display`, and
    optionally :meth:`_tooltip` and :meth:`_background`.
    """

    HEADERS: tuple[str, ...] = ()
    RIGHT_ALIGNED: frozenset[int] = frozenset()

    def __init__(self, columns: Sequence[Column] = (), parent=None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.headers = tuple(c.header for c in self.columns) or self.HEADERS
        self.records: list[Any] = []
        # Cell texts and colours computed once per shown record: a view asks for each
        # cell many times (size, paint, tooltip), and formatting numbers is not free.
        self._texts: dict[tuple[int, int], str] = {}
        self._colours: dict[tuple[int, int], str | None] = {}
        self.modelReset.connect(self._forget)
        self.dataChanged.connect(self._forget)

    def _forget(self, *_args: object) -> None:
        self._texts.clear()
        self._colours.clear()

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self.records[row]

    def row_of(self, predicate: Callable[[Any], bool]) -> int | None:
        for row, record in enumerate(self.records):
            if predicate(record):
                return row
        return None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.records):
            return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in _ANSWERED or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self.records):
            return None
        record = self.records[row]
        column = index.column()
        key = (row, column)
        if role == _DISPLAY or role == _EDIT:
            text = self._texts.get(key)
            if text is None:
                text = self._texts[key] = self._display(record, column)
            return text
        if role == _TOOLTIP:
            return self._tooltip(record, column)
        if role == _BACKGROUND or role == _FOREGROUND:
            if key in self._colours:
                colour = self._colours[key]
            else:
                colour = self._colours[key] = self._background(record, column)
            if not colour:
                return None
            # Light backgrounds: keep the text dark whatever the desktop theme.
            return _brush(colour) if role == _BACKGROUND else _brush("#000000")
        if role == _ALIGNMENT:
            return _RIGHT if self._right_aligned(column) else None
        return record  # RECORD_ROLE

    def _display(self, record: Any, column: int) -> str:
        return self.columns[column].text(record)

    def _tooltip(self, record: Any, column: int) -> str:
        if self.columns and self.columns[column].tooltip:
            return self.columns[column].tooltip(record)
        return self._display(record, column)

    def _background(self, record: Any, column: int) -> str | None:
        if self.columns and self.columns[column].background:
            return self.columns[column].background(record)
        return None

    def _right_aligned(self, column: int) -> bool:
        if column in self.RIGHT_ALIGNED:
            return True
        return bool(self.columns) and self.columns[column].align_right


def people_model(parent=None) -> RecordTableModel:
    from kinerja_desktop.domain.people import format_nip

    return RecordTableModel((
        Column("Nama", lambda p: p.name),
        Column("Nama pengguna", lambda p: p.username),
        Column("NIP", lambda p: format_nip(p.nip) if p.nip else "–"),
        Column("Pangkat/golongan", lambda p: p.pangkat or "–"),
        Column("Jabatan", lambda p: p.jabatan or "–"),
        Column("Peran", lambda p: ", ".join(r.label for r in sorted(p.roles)) or "–"),
        Column("Status", lambda p: ("Terkunci" if p.locked else "Aktif") if p.active
               else "Nonaktif"),
    ), parent)


def teams_model(parent=None) -> RecordTableModel:
    def members(t) -> str:
        return ", ".join(m.name + (" (ketua)" if m.is_lead else "") for m in t.members) or "–"

    return RecordTableModel((
        Column("Nama tim", lambda t: t.name),
        Column("Bidang", lambda t: t.bidang or "–"),
        Column("Anggota", members),
        Column("Status", lambda t: "Aktif" if t.active else "Nonaktif"),
    ), parent)


def cycles_model(parent=None) -> RecordTableModel:
    return RecordTableModel((
        Column("Siklus", lambda c: c.label),
        Column("Status", lambda c: (f"Ditutup ({c.version_label})" if c.closed else
                                    "Dibuka kembali" if c.reopened else "Berjalan")),
        Column("Nomor SK", lambda c: c.sk_number),
        Column("Tanggal SK", lambda c: fmt_date(c.sk_date)),
        Column("Versi SOP", lambda c: str(c.sop_version), align_right=True),
        Column("Dimulai", lambda c: fmt_dt(c.created_at)),
        Column("Selesai", lambda c: fmt_dt(c.finished_at)),
    ), parent)


def documents_model(parent=None) -> RecordTableModel:
    return RecordTableModel((
        Column("Jenis", lambda d: d.kind_label),
        Column("Judul", lambda d: d.title),
        Column("Versi", lambda d: d.version_label or "–"),
        Column("Berkas", lambda d: d.file_name),
        Column("Ukuran", lambda d: f"{format_number(d.size / 1024, 1)} KB", align_right=True),
        Column("Dibuat", lambda d: fmt_dt(d.created_at)),
        Column("Oleh", lambda d: d.created_by or "–"),
        Column("SHA-256", lambda d: d.sha256[:16] + "…", tooltip=lambda d: d.sha256),
    ), parent)
