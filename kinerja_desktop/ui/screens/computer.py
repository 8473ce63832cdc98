"""Pengaturan ▸ Kunci otomatis: this computer locks its window after idle minutes.

A preference of the computer (settings registry ``security/lock_minutes``), not office
data: a shared office PC may lock after a few minutes, the Kasubag's own laptop never.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from kinerja_desktop.ui.common import show_status
from kinerja_desktop.ui.signals import CHANGE_PREFERENCES, UiSession

MAX_LOCK_MINUTES = 240


class LockSection(QWidget):
    """How many idle minutes before the window locks (0 = never)."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        intro = QLabel("Jendela dikunci bila komputer ini tidak dipakai (tanpa ketikan atau "
                       "gerakan tetikus) selama waktu di bawah. Untuk membukanya, pengguna "
                       "yang sama memasukkan kata sandinya, atau pengguna lain masuk (Ganti "
                       "pengguna). Pengaturan ini berlaku untuk komputer ini saja.")
        intro.setWordWrap(True)
        self.minutes = QSpinBox()
        self.minutes.setObjectName("menitKunci")
        self.minutes.setRange(0, MAX_LOCK_MINUTES)
        self.minutes.setSuffix(" menit")
        self.minutes.setSpecialValueText("Tidak pernah")
        self.save_button = QPushButton("Simpan")
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.minutes.setMinimumWidth(160)
        row = QHBoxLayout()
        row.addWidget(QLabel("Kunci setelah tidak aktif:"))
        row.addWidget(self.minutes)
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        from kinerja_desktop import settings

        self.minutes.setValue(min(settings.get("security/lock_minutes"), MAX_LOCK_MINUTES))

    def save(self) -> None:
        from kinerja_desktop import settings

        minutes = self.minutes.value()
        settings.set("security/lock_minutes", minutes)
        show_status(self.status, "Tersimpan: jendela dikunci setelah "
                    f"{minutes} menit tidak aktif." if minutes else
                    "Tersimpan: jendela tidak pernah dikunci otomatis.", True)
        self.session.changed(CHANGE_PREFERENCES)
