"""Whether someone is at the computer: :class:`IdleWatcher` (the idle lock, and the
warnings that wait until the user stops typing)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

#: Events that show someone is at the computer.
_ACTIVITY = frozenset({QEvent.Type.MouseMove, QEvent.Type.MouseButtonPress,
                       QEvent.Type.KeyPress, QEvent.Type.Wheel, QEvent.Type.TouchBegin})


class IdleWatcher(QObject):
    """Emits :attr:`idle` after ``interval_ms`` without a key press or mouse movement."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self._watching = False

    def set_interval(self, interval_ms: int) -> None:
        """Watch with this interval; 0 stops watching."""
        app = QApplication.instance()
        if interval_ms <= 0:
            self.timer.stop()
            if self._watching:
                app.removeEventFilter(self)
                self._watching = False
            return
        self.timer.setInterval(interval_ms)
        if not self._watching:
            app.installEventFilter(self)
            self._watching = True
        self.timer.start()

    def pause(self) -> None:
        self.timer.stop()

    def resume(self) -> None:
        if self._watching:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in _ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False
