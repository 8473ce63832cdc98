"""Log-in dialog: a calm message for a wrong password, the lock-out from the service."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from kinerja_desktop import APP_NAME
from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.domain.input_rules import USERNAME_MAX
from kinerja_desktop.ui.common import label_buttons
from kinerja_desktop.ui.widgets.text_limits import limit_password


class LoginDialog(QDialog):
    """Asks for username and password; :attr:`person` holds the PersonInfo on success."""

    def __init__(self, ctx, office_name: str = "", parent=None) -> None:
        super().__init__(parent)
        from kinerja_desktop import settings

        self.ctx = ctx
        self.person = None
        self.setWindowTitle(f"Masuk — {APP_NAME}")
        title = QLabel(f"<h2>{APP_NAME}</h2><p>SOP Pengumpulan Data Kinerja"
                       + (f"<br>{office_name}" if office_name else "") + "</p>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        self.username = QLineEdit(settings.get("login/last_user"))
        self.username.setMaxLength(USERNAME_MAX)
        self.username.setObjectName("namaPengguna")
        self.password = QLineEdit()
        self.password.setObjectName("kataSandi")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        limit_password(self.password)
        form = QFormLayout()
        form.addRow("Nama pengguna:", self.username)
        form.addRow("Kata sandi:", self.password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #8a4b00;")
        self.message.hide()
        self.buttons = label_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                                      | QDialogButtonBox.StandardButton.Cancel))
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText("Masuk")
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        (self.password if self.username.text() else self.username).setFocus()
        self._warmed = False

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self._warmed:
            # While the person types: the first window's one-time costs (ui/warmup.py),
            # once the dialog is painted, a step at a time between key presses.
            self._warmed = True
            from PySide6.QtCore import QTimer

            from kinerja_desktop.ui import warmup

            steps = [warmup.warm_up, *warmup.data_steps(self.ctx)]

            def next_step() -> None:
                if steps and self.isVisible():
                    steps.pop(0)()
                    QTimer.singleShot(0, self, next_step)

            QTimer.singleShot(50, self, next_step)

    def try_login(self) -> None:
        from kinerja_desktop import settings
        from kinerja_desktop.services import accounts

        if not self.username.text().strip():
            self.show_message("Isi nama pengguna terlebih dahulu.")
            return
        try:
            self.person = accounts.authenticate(self.ctx, self.username.text(),
                                                self.password.text())
        except KinerjaError as exc:
            self.password.clear()
            self.password.setFocus()
            self.show_message(str(exc))
            return
        settings.set("login/last_user", self.person.username)
        self.accept()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
