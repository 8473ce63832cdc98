"""One-time costs of the first main window, paid while the log-in dialog waits.

The person types a name and a password for some seconds; meanwhile the dialog does the
first-time work the first window after the log-in would otherwise do while the person
waits for it (tests/benchmarks/bench_screens.py). Nothing is shown or read from the
data: what is done stays in the ordinary caches of PySide6 and Babel.
"""

from __future__ import annotations

_done = False


def warm_up() -> None:
    """PySide6 builds the Python enums of the item views and of the style the first time a
    table is made (some 40 ms); Babel loads the Indonesian locale the first time a date is
    formatted (some 20 ms). Done once per process; later calls return at once."""
    global _done
    if _done:
        return
    _done = True
    from datetime import UTC, datetime

    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from kinerja_desktop.domain.numbers import format_date_long, format_datetime_short

    table = QTableView()
    table.setModel(QStandardItemModel(1, 1, table))
    table.horizontalHeader().sizeHint()
    table.deleteLater()
    moment = datetime(2000, 1, 1, tzinfo=UTC)
    format_datetime_short(moment)
    format_date_long(moment)
