"""One-time costs of the first main window, paid while the log-in dialog waits.

The person types a name and a password for some seconds; meanwhile the dialog does the
first-time work the first window after the log-in would otherwise do while the person
waits for it (tests/benchmarks/bench_screens.py). Nothing is shown or changed: what is
done stays in the ordinary caches of PySide6, Babel and SQLAlchemy.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

_done = False
_data_done: object | None = None  # the ServiceContext already read once


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


def data_steps(ctx) -> list:
    """Reads every first window makes, one callable each (a dialog runs them between the
    person's key presses): SQLAlchemy compiles a statement the first time it runs and
    keeps it in the engine's cache, some 40 ms for the workflow panel's twenty queries.
    Empty when ``ctx`` was read once already."""
    global _data_done
    if _data_done is ctx:
        return []
    _data_done = ctx
    from kinerja_desktop.services import cycles, entries, summary, workflow

    found: dict[str, int] = {}

    def active() -> None:
        cycle = cycles.active_cycle(ctx)
        if cycle is not None:
            found["cycle"] = cycle.id
            teams = cycles.list_cycle_teams(ctx, cycle.id)
            if teams:
                found["team"] = teams[0].id

    def panel() -> None:  # every window: the workflow panel
        if "cycle" in found:
            workflow.workflow(ctx, found["cycle"])

    def items() -> None:  # the team entry, the verification desk
        if "team" in found:
            entries.list_team_items(ctx, found["cycle"], found["team"])

    def counts() -> None:  # the Kasubag's and the Sekretaris's summaries
        if "cycle" in found:
            summary.cycle_summary(ctx, found["cycle"])

    return [_quietly(step) for step in (active, panel, items, counts)]


def _quietly(step):
    def run() -> None:
        try:
            step()
        except Exception:  # noqa: BLE001 - only a warm-up: the window reads and reports
            log.info("warm-up step skipped", exc_info=True)
    return run


def warm_data(ctx) -> None:
    """All of :func:`data_steps` at once."""
    for step in data_steps(ctx):
        step()
