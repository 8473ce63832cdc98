"""The one notice area of a form whose item changed on another PC, whose save lost a
race, or whose server stopped answering (the team entry, the verification desk).

One widget per form, one message at a time (the form decides which matters most): never
two banners stacked. It never touches what the user typed: it says what happened and
offers *Muat ulang* (show the stored data) and, where the form holds unsaved typing,
*Simpan isian saya* (save it over the other change, deliberately); a message with
nothing to choose has *Tutup*, a message that lasts while its cause lasts (the server
does not answer) has neither. Shown, it is brought into view in every scroll area that
holds it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QWidget

#: Something happened, nothing is at risk (the form shows the newest data already).
INFO = "info"
#: The user's typing waits for a choice, or cannot be saved now.
WARNING = "peringatan"

_TONES = {
    INFO: ("#e8f1fb", "#90b4dc", "#0d3050"),
    WARNING: ("#fff8e1", "#ffb300", "#4e342e"),
}


def _style(tone: str) -> str:
    background, border, colour = _TONES[tone]
    return (f"QFrame#pemberitahuanFormulir {{ background: {background}; border: 1px solid "
            f"{border}; border-radius: 4px; }} QLabel {{ color: {colour}; }}")


class FormNotice(QFrame):
    """Hidden until :meth:`tell`; its buttons emit :attr:`reload_requested` and
    :attr:`keep_mine_requested`; *Tutup* emits :attr:`dismissed` and hides it."""

    reload_requested = Signal()
    keep_mine_requested = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pemberitahuanFormulir")
        self.tone = INFO
        self.setStyleSheet(_style(INFO))
        self.text = QLabel()
        self.text.setObjectName("teksPemberitahuan")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reload_button = QPushButton("Muat ulang")
        self.reload_button.setToolTip("Tampilkan data yang tersimpan sekarang")
        self.reload_button.clicked.connect(self.reload_requested)
        self.keep_button = QPushButton("Simpan isian saya")
        self.keep_button.setToolTip("Simpan isian di formulir ini, menggantikan perubahan "
                                    "dari komputer lain")
        self.keep_button.clicked.connect(self.keep_mine_requested)
        self.close_button = QPushButton("Tutup")
        self.close_button.clicked.connect(self._dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.text, 1)
        for button in (self.reload_button, self.keep_button, self.close_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def tell(self, text: str, *, reload: bool = False, keep_mine: bool = False,
             closable: bool | None = None, tone: str | None = None) -> None:
        """Show ``text`` with *Muat ulang* (``reload``) and *Simpan isian saya*
        (``keep_mine``); *Tutup* when there is nothing to choose (unless ``closable`` is
        False: the message lasts while its cause does). ``tone``: :data:`INFO` or
        :data:`WARNING` (by default a warning when there is a choice to make)."""
        tone = tone or (WARNING if reload or keep_mine else INFO)
        if tone != self.tone:
            self.tone = tone
            self.setStyleSheet(_style(tone))
        self.text.setText(text)
        self.reload_button.setVisible(reload)
        self.keep_button.setVisible(keep_mine)
        if closable is None:
            closable = not reload and not keep_mine
        self.close_button.setVisible(closable)
        was_hidden = self.isHidden()
        self.show()
        if was_hidden:
            QTimer.singleShot(0, self.bring_into_view)

    def bring_into_view(self) -> None:
        """Scroll every scroll area holding the notice so that it shows."""
        if self.isHidden():
            return
        parent = self.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea) and parent.widget() is not None \
                    and parent.widget().isAncestorOf(self):
                parent.ensureWidgetVisible(self, 0, 0)
            parent = parent.parentWidget()

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()

    def draw_attention(self) -> None:
        """The user tried to leave while the notice waits for an answer."""
        for target in (self.reload_button, self.keep_button, self.close_button):
            if target.isVisible():
                target.setFocus(Qt.FocusReason.OtherFocusReason)
                return
