"""Tables of records: row selection, remembered column widths, columns fitted once."""

from __future__ import annotations

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
