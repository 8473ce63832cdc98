"""A calm inline notice for a form whose item was changed on another PC.

It never touches what the user typed: it says what happened and offers *Muat ulang*
(show the stored data) and, where the form holds unsaved typing, *Simpan isian saya*
(save it over the other change, deliberately). It sits below the form's fields, so
showing it never moves a field under the user's cursor.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

NOTICE_STYLE = ("QFrame#pemberitahuanPerubahan { background: #e8f1fb; border: 1px solid "
                "#90b4dc; border-radius: 4px; } QLabel { color: #0d3050; }")


class ChangedElsewhereNotice(QFrame):
    """Hidden until :meth:`tell`; its buttons emit :attr:`reload_requested` and
    :attr:`keep_mine_requested`."""

    reload_requested = Signal()
    keep_mine_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pemberitahuanPerubahan")
        self.setStyleSheet(NOTICE_STYLE)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reload_button = QPushButton("Muat ulang")
        self.reload_button.setToolTip("Tampilkan data yang tersimpan sekarang")
        self.reload_button.clicked.connect(self.reload_requested)
        self.keep_button = QPushButton("Simpan isian saya")
        self.keep_button.setToolTip("Simpan isian di formulir ini, menggantikan perubahan "
                                    "dari komputer lain")
        self.keep_button.clicked.connect(self.keep_mine_requested)
        self.close_button = QPushButton("Tutup")
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.text, 1)
        for button in (self.reload_button, self.keep_button, self.close_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def tell(self, text: str, *, reload: bool = True, keep_mine: bool = False) -> None:
        """Show ``text`` with *Muat ulang* (``reload``) and *Simpan isian saya*
        (``keep_mine``); without either, with *Tutup*."""
        self.text.setText(text)
        self.reload_button.setVisible(reload)
        self.keep_button.setVisible(keep_mine)
        self.close_button.setVisible(not reload and not keep_mine)
        self.show()

    def draw_attention(self) -> None:
        """The user tried to leave while the notice waits for an answer."""
        target = self.reload_button if self.reload_button.isVisible() else self.close_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)
