"""Shared by the performance-data screens (format builder, indicator master, team entry,
verification desk, summary): refresh only while visible, and the cycle shown first.
"""

from __future__ import annotations


def default_cycle_id(ctx) -> int | None:
    """The cycle a screen shows before the window selects one: the running one."""
    from kinerja_desktop.services import cycles

    cycle = cycles.active_cycle(ctx)
    return cycle.id if cycle else None


class LazyRefresh:
    """Mixin for the performance-data screens: refresh on the app-level signal only while
    visible (else on the next show), and never in reaction to the widget's own emission.

    The class sets :attr:`REFRESH_AREAS`; the widget calls :meth:`announce` after a
    change it made itself and guards ``refresh`` with :meth:`refresh_blocked`.
    """

    REFRESH_AREAS: tuple[str, ...] = ()
    #: The role tab leaves the refreshing to the widget (on change while visible, on show).
    manages_refresh = True
    _own_change = False
    _stale = False

    def _on_data_changed(self, area: str) -> None:
        if self._own_change or (area not in self.REFRESH_AREAS and area != "semua"):
            return
        if self.isVisible():  # type: ignore[attr-defined]
            self.refresh()  # type: ignore[attr-defined]
        else:
            self._stale = True

    def request_refresh(self) -> None:
        """Refresh now when visible, else on the next show (nothing is read for a hidden
        screen)."""
        if self.isVisible():  # type: ignore[attr-defined]
            self._stale = False
            self.refresh()  # type: ignore[attr-defined]
        else:
            self._stale = True

    def change_cycle(self, cycle_id: int | None) -> None:
        """``set_cycle`` of the screens: a new cycle is read when the screen is shown."""
        if cycle_id == getattr(self, "cycle_id", None) and not self._stale:
            return
        self.cycle_id = cycle_id
        self.request_refresh()

    def refresh_blocked(self) -> bool:
        """True while this widget announces its own change (the tab may call refresh)."""
        return self._own_change

    def announce(self, area: str) -> None:
        self._own_change = True
        try:
            self.signals.data_changed.emit(area)  # type: ignore[attr-defined]
        finally:
            self._own_change = False

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)  # type: ignore[misc]
        if self._stale:
            self._stale = False
            self.refresh()  # type: ignore[attr-defined]
