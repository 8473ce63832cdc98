"""The base of every role tab: sections in an inner QTabWidget.

A section is added with :meth:`RoleTab.add_section` (a widget, or a factory that builds
it when the section is first shown), placed by the tab's ``SECTION_ORDER``. A section
with a ``refresh()`` method is refreshed after every change while visible, and on show
when something changed while it was hidden.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from kinerja_desktop.ui.signals import CHANGE_CYCLE, UiSession


class _LazySection(QWidget):
    """A section page built by its factory the first time it is shown or asked for."""

    def __init__(self, factory: Callable[[], QWidget]) -> None:
        super().__init__()
        self._factory: Callable[[], QWidget] | None = factory
        self.content: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        if self.content is None:
            factory, self._factory = self._factory, None
            self.content = factory()
            self.content._needs_refresh = True  # type: ignore[attr-defined]
            # A tall section scrolls inside its page rather than making the window taller
            # than a 1280×720 screen (Pengaturan ▸ Lokasi data with its server fields).
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(self.content)
            self.layout().addWidget(scroll)
        return self.content


class RoleTab(QWidget):
    """A tab of one role: sections in an inner QTabWidget."""

    def __init__(self, session: UiSession, name: str, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName(name)
        self.sections = QTabWidget()
        self.sections.setDocumentMode(True)
        # One section needs no tab of its own (the role tab names it): the room goes to
        # the work, which a 1366×768 screen needs.
        self.sections.setTabBarAutoHide(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.sections)
        self._dirty = False
        session.signals.data_changed.connect(self._on_change)
        session.cycle_selected.connect(lambda _c: self._on_change(CHANGE_CYCLE))
        self.sections.currentChanged.connect(lambda _i: self._refresh_current())

    #: Titles in the order they appear, whoever adds them; others follow, as added.
    SECTION_ORDER: tuple[str, ...] = ()

    def _rank(self, title: str) -> int:
        order = self.SECTION_ORDER
        return order.index(title) if title in order else len(order)

    def add_section(self, title: str, widget: QWidget | Callable[[], QWidget]) -> int:
        """Add a section page (placed by ``SECTION_ORDER``); returns its index.

        ``widget`` is the page, or a factory building it the first time the page is
        shown (or asked for with :meth:`section`), so start-up builds only what is
        visible. ``widget.refresh()`` is called if present, when the page is shown.
        """
        rank = self._rank(title)
        position = next((i for i in range(self.sections.count())
                         if self._rank(self.sections.tabText(i)) > rank), self.sections.count())
        page = widget if isinstance(widget, QWidget) else _LazySection(widget)
        index = self.sections.insertTab(position, page, title)
        # Filled when first shown, so start-up only queries what is visible.
        page._needs_refresh = True  # type: ignore[attr-defined]
        if self.isVisible():
            self._refresh_current()
        return index

    def _built(self, i: int) -> QWidget | None:
        """Section ``i``'s widget, or None while a lazy section is not built yet."""
        page = self.sections.widget(i)
        return page.content if isinstance(page, _LazySection) else page

    def _section_widget(self, i: int) -> QWidget:
        page = self.sections.widget(i)
        return page.build() if isinstance(page, _LazySection) else page

    def section(self, title: str) -> QWidget | None:
        """The section titled ``title`` (built now if it was not yet)."""
        for i in range(self.sections.count()):
            if self.sections.tabText(i) == title:
                return self._section_widget(i)
        return None

    def show_section(self, title: str) -> None:
        for i in range(self.sections.count()):
            if self.sections.tabText(i) == title:
                self.sections.setCurrentIndex(i)

    def _on_change(self, _area: str) -> None:
        for i in range(self.sections.count()):
            widget = self._built(i)
            if widget is not None:
                widget._needs_refresh = True  # type: ignore[attr-defined]
        if self.isVisible():
            self._refresh_current()

    def _refresh_current(self) -> None:
        index = self.sections.currentIndex()
        if index < 0 or (self._built(index) is None and not self.isVisible()):
            return  # a lazy section is built when its page is first shown
        widget = self._section_widget(index)
        if getattr(widget, "manages_refresh", False):
            return  # refreshes itself: on a change while visible, on show when stale
        if getattr(widget, "_needs_refresh", False):
            widget._needs_refresh = False  # type: ignore[attr-defined]
            if hasattr(widget, "refresh"):
                widget.refresh()

    def refresh_all(self) -> None:
        for i in range(self.sections.count()):
            widget = self._section_widget(i)
            widget._needs_refresh = False  # type: ignore[attr-defined]
            if hasattr(widget, "refresh"):
                widget.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self._refresh_current()


def follow_cycle(widget: QWidget, session: UiSession) -> QWidget:
    """Show the window's cycle in ``widget`` (``set_cycle``), now and whenever it changes."""
    if session.cycle_id is not None:
        widget.set_cycle(session.cycle_id)  # type: ignore[attr-defined]
    session.cycle_selected.connect(widget.set_cycle)  # type: ignore[attr-defined]
    return widget
