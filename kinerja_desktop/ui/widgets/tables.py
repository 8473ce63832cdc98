"""Tables of records: row selection, remembered column widths, columns fitted once."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def make_table(model, name: str, stretch: int | None = None) -> QTableView:
    """A row-selecting table; column ``stretch`` takes the spare width (else the last)."""
    from kinerja_desktop import settings

    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setDefaultSectionSize(130)
    header.setMinimumSectionSize(50)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    settings.remember_header(header, name)
    return table


def fit_columns_once(table: QTableView, widest: int = 320) -> None:
    """Fit the columns to their text the first time the table has rows (the stretch
    column keeps the spare width); later the user's own widths are left alone."""
    if getattr(table, "_fitted", False) or not table.model().rowCount():
        return
    table._fitted = True  # type: ignore[attr-defined]
    header = table.horizontalHeader()
    for column in range(table.model().columnCount()):
        if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
            continue
        table.resizeColumnToContents(column)
        header.resizeSection(column, min(header.sectionSize(column) + 8, widest))


def selected_record(table: QTableView):
    index = table.currentIndex()
    if not index.isValid():
        return None
    return table.model().record(index.row())


#: Rows measured when a record table fits its columns to their content.
FIT_SAMPLE_ROWS = 20


def record_table(model, stretch_column: int, *, single_selection: bool = True) -> QTableView:
    """A table of records selected by row: word-wrapped, alternating rows, columns fitted
    to their content except ``stretch_column``, which takes the remaining width."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    if single_selection:
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    # Fit the columns to a sample of rows, not to all of them: a format of 3 600
    # indicators would otherwise be measured cell by cell on every layout.
    header.setResizeContentsPrecision(FIT_SAMPLE_ROWS)
    return table


class _NarrowColumns(QObject):
    """Hides a table's optional columns while the table is too narrow for them."""

    def __init__(self, table: QTableView, optional: Sequence[int], stretch_minimum: int) -> None:
        super().__init__(table)
        self.table, self.optional, self.stretch_minimum = table, tuple(optional), stretch_minimum
        self._widths: dict[int, int] = {}
        # The content's width per column, measured once per content: the table is
        # resized many times while a window is laid out, its rows stay the same.
        self._content: dict[int, int] = {}
        table.viewport().installEventFilter(self)  # resized after the table has laid out
        model = table.model()
        model.modelReset.connect(self._content_changed)
        model.rowsInserted.connect(self._content_changed)
        model.rowsRemoved.connect(self._content_changed)
        model.dataChanged.connect(lambda *_: self._content.clear())
        model.layoutChanged.connect(lambda *_: self._content.clear())

    def _content_changed(self, *_args: object) -> None:
        self._content.clear()
        self.update()

    def _needed(self, column: int) -> int:
        """The column's width: its own (remembered while hidden) or its content's."""
        header = self.table.horizontalHeader()
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.ResizeToContents:
            if not header.isSectionHidden(column):
                self._widths[column] = header.sectionSize(column)
            return self._widths.get(column, header.defaultSectionSize())
        width = self._content.get(column)
        if width is None:
            title = str(self.table.model().headerData(column, Qt.Orientation.Horizontal) or "")
            width = self._content[column] = max(
                header.fontMetrics().horizontalAdvance(title) + 16,
                self.table.sizeHintForColumn(column))
        return width

    def update(self) -> None:
        header = self.table.horizontalHeader()
        room = self.table.viewport().width()
        width = self.stretch_minimum
        for column in range(self.table.model().columnCount()):
            if (column not in self.optional
                    and header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch):
                width += self._needed(column)
        shown = set()
        for column in reversed(self.optional):  # the last one listed is hidden last
            needed = self._needed(column)
            if width + needed <= room:
                width += needed
                shown.add(column)
        for column in self.optional:
            if header.isSectionHidden(column) == (column in shown):
                header.setSectionHidden(column, column not in shown)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            self.update()
        return False


def hide_columns_when_narrow(table: QTableView, optional: Sequence[int],
                             stretch_minimum: int = 240) -> None:
    """Hide ``optional`` columns (first listed hidden first) while the table is too narrow
    to show them and still give its stretching column ``stretch_minimum`` pixels; they
    come back when the table is widened (a splitter, a larger window)."""
    _NarrowColumns(table, optional, stretch_minimum)
