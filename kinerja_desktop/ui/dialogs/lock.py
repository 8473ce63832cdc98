"""The idle lock: the window is covered until the same user's password is given, or
someone else logs in (Ganti pengguna).

:class:`LockDialog` asks; :class:`Curtain` hides what a window shows while it is locked.
The window shell (``ui/shell.py``) decides when to lock and what happens next.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop import APP_NAME
from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.ui.widgets.hint_line import HintLine
from kinerja_desktop.ui.widgets.text_limits import limit_password


class LockDialog(QDialog):
    """Asks the locked-out user's password; :data:`SWITCH_USER` when another user logs in."""

    SWITCH_USER = 2

    def __init__(self, ctx, person, minutes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.person = ctx, person
        self.setObjectName("dialogKunci")
        self.setWindowTitle(f"Terkunci — {APP_NAME}")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        # No close button: the lock ends with the password or with another log-in.
        self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint
                            | Qt.WindowType.WindowTitleHint)
        idle = f"tidak aktif selama {minutes} menit" if minutes > 0 else "dikunci"
        text = QLabel(f"<h3>{APP_NAME} terkunci</h3><p>Jendela {person.name} {idle}. "
                      "Masukkan kata sandi untuk melanjutkan pekerjaan, atau ganti pengguna "
                      "(pekerjaan yang belum disimpan sudah tersimpan sebagai draf).</p>")
        text.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("kataSandiKunci")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        limit_password(self.password)
        form = QFormLayout()
        form.addRow("Nama pengguna:", QLabel(person.username))
        form.addRow("Kata sandi:", self.password)
        self.message = HintLine(2)
        self.message.setStyleSheet("color: #8a4b00;")
        self.buttons = QDialogButtonBox()
        self.unlock_button = self.buttons.addButton("Buka kunci",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock_button.setDefault(True)
        self.switch_button = self.buttons.addButton("Ganti pengguna…",
                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.switch_button.clicked.connect(lambda: self.done(self.SWITCH_USER))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.password.setFocus()

    def try_unlock(self) -> None:
        from kinerja_desktop.services import accounts

        try:
            accounts.authenticate(self.ctx, self.person.username, self.password.text())
        except KinerjaError as exc:
            self.password.clear()
            self.password.setFocus()
            self.message.setText(str(exc))
            return
        self.accept()

    def reject(self) -> None:
        """Esc does not unlock."""


class Curtain(QWidget):
    """Covers a window while the program is locked (follows its size)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("tiraiKunci")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#tiraiKunci { background: #37474f; } QLabel { color: white; }")
        label = QLabel(f"<h2>{APP_NAME} terkunci</h2><p>Masukkan kata sandi untuk "
                       "melanjutkan.</p>", self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self._fit = _FollowSize(self, window)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()


class _FollowSize(QObject):
    def __init__(self, curtain: QWidget, window: QWidget) -> None:
        super().__init__(curtain)
        self.curtain = curtain
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            self.curtain.setGeometry(watched.rect())
            self.curtain.raise_()
        return False
