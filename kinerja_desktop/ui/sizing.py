"""Windows sized from the screen they open on, never from fixed pixel sizes.

An office laptop has 1366×768 pixels (the taskbar takes some of it) and the program must
stay usable at 1280×720: every window is sized from ``QScreen.availableGeometry()``
(:func:`size_window`), a remembered geometry is brought back inside the screen
(:func:`keep_inside_screen`), and :func:`install_screen_guard` makes sure no top-level
window — ours, a message box or one of Qt's own dialogs — opens larger than that area or
outside it. :func:`outside_screen` says when a window does not fit (the ``screenshots``
command and the tests use it).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

#: Room kept for a window's frame and title bar: the real frame is only known once the
#: window system has shown the window (and some, like the offscreen one, draw none).
DECORATION = QMargins(8, 31, 8, 8)


def available_area(widget: QWidget | None = None) -> QRect:
    """The available geometry (without taskbars) of the screen ``widget`` is on."""
    screen = None
    if widget is not None:
        host = widget.parentWidget().window() if widget.parentWidget() else widget
        screen = host.screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def decoration(window: QWidget) -> QMargins:
    """The frame around ``window``'s client area: the real one, at least :data:`DECORATION`
    (menus, pop-ups and tooltips have none of their own)."""
    frame, inner = window.frameGeometry(), window.geometry()
    if window.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
        return QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                        frame.right() - inner.right(), frame.bottom() - inner.bottom())
    return QMargins(max(inner.left() - frame.left(), DECORATION.left()),
                    max(inner.top() - frame.top(), DECORATION.top()),
                    max(frame.right() - inner.right(), DECORATION.right()),
                    max(frame.bottom() - inner.bottom(), DECORATION.bottom()))


def usable_size(widget: QWidget | None = None) -> QSize:
    """The largest client size a window can have and still fit, frame included."""
    area = available_area(widget)
    margins = decoration(widget) if widget is not None else DECORATION
    return area.marginsRemoved(margins).size()


def size_window(window: QWidget, width: int, height: int) -> QSize:
    """Resize ``window`` to ``width``×``height``, or less where the screen is smaller."""
    size = QSize(width, height).boundedTo(usable_size(window))
    window.resize(size)
    return size


def screen_share(window: QWidget, width: float, height: float,
                 maximum: QSize | None = None) -> QSize:
    """Resize ``window`` to a share of the usable screen (0–1 each way), at most ``maximum``."""
    usable = usable_size(window)
    size = QSize(round(usable.width() * width), round(usable.height() * height))
    if maximum is not None:
        size = size.boundedTo(maximum)
    window.resize(size)
    return size


def frame_rect(window: QWidget) -> QRect:
    """Where the window's frame lies (its client area plus :func:`decoration`)."""
    return window.geometry().marginsAdded(decoration(window))


def _move_client_to(window: QWidget, left: int, top: int) -> None:
    """Move ``window`` so its client area starts at (left, top)."""
    geometry = window.geometry()
    if (left, top) != (geometry.x(), geometry.y()):
        window.move(window.x() + left - geometry.x(), window.y() + top - geometry.y())


def keep_inside_screen(window: QWidget) -> None:
    """Shrink and move ``window`` so its frame lies inside the available area."""
    inner = available_area(window).marginsRemoved(decoration(window))
    size = window.size().boundedTo(inner.size()).expandedTo(window.minimumSize())
    if size != window.size():
        window.resize(size)
    geometry = window.geometry()
    left = min(max(geometry.x(), inner.left()),
               max(inner.left(), inner.left() + inner.width() - geometry.width()))
    top = min(max(geometry.y(), inner.top()),
              max(inner.top(), inner.top() + inner.height() - geometry.height()))
    _move_client_to(window, left, top)


def center_on_screen(window: QWidget) -> None:
    """Put ``window`` (frame included) in the middle of the available area."""
    inner = available_area(window).marginsRemoved(decoration(window))
    _move_client_to(window, inner.left() + max(0, (inner.width() - window.width()) // 2),
                    inner.top() + max(0, (inner.height() - window.height()) // 2))


def outside_screen(window: QWidget) -> str:
    """"" when ``window``'s frame fits the available area, else why (in Indonesian)."""
    area = available_area(window)
    frame = frame_rect(window)
    if area.contains(frame):
        return ""
    return (f"{frame.width()}×{frame.height()} pada ({frame.x()}, {frame.y()}) di luar "
            f"area layar {area.width()}×{area.height()} pada ({area.x()}, {area.y()})")


_WINDOW_TYPES = (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet)
#: Looked up once: the guard sees every event of the application.
_SHOW = QEvent.Type.Show


def _settle_position(window: QWidget) -> None:
    if window.isVisible() and outside_screen(window):
        keep_inside_screen(window)


class ScreenGuard(QObject):
    """Keeps every top-level window inside the available screen area when it is shown.

    A window too large is made smaller before it appears; its place is checked once Qt
    has placed it (a dialog is centred over its parent after the show event), and only
    a window that does not fit is moved.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (event.type() == _SHOW and isinstance(watched, QWidget)
                and watched.isWindow() and watched.windowType() in _WINDOW_TYPES
                and not watched.isMaximized() and not watched.isFullScreen()):
            usable = usable_size(watched)
            if watched.width() > usable.width() or watched.height() > usable.height():
                watched.resize(watched.size().boundedTo(usable).expandedTo(
                    watched.minimumSize()))
            QTimer.singleShot(0, watched, lambda: _settle_position(watched))
        return False


def install_screen_guard(app: QApplication) -> ScreenGuard:
    """Watch every window the application shows (idempotent)."""
    guard = getattr(app, "_kinerja_screen_guard", None)
    if guard is None:
        guard = ScreenGuard(app)
        app.installEventFilter(guard)
        app._kinerja_screen_guard = guard  # type: ignore[attr-defined]
    return guard
