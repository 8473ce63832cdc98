"""The English finder used by the LANG=C test finds what it must, and only that."""

from __future__ import annotations

from datetime import date

import pytest

from tests.ui.english import english_in, english_texts

pytestmark = pytest.mark.gui


def test_english_words_and_qt_defaults():
    assert english_in("&Cancel") == "Cancel"
    assert english_in("< &Back") == "< Back"
    assert english_in("2 December 2026") == "December"
    assert english_in("Mon") == "Mon"
    assert english_in("Batal") is None
    assert english_in("2 Desember 2026") is None
    assert english_in("April") is None  # the same word in Indonesian
    assert english_in("No", header=True) is None  # "Nomor" heading a column
    assert english_in("No") == "No"


def test_finds_qt_english_when_the_translation_is_missing(qtbot, qapp):
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout

    from kinerja_desktop.ui.common import DateEdit

    translator = qapp._kinerja_translator
    qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    try:
        dialog = QDialog()
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLineEdit())
        layout.addWidget(DateEdit(date(2026, 12, 2)))
        layout.addWidget(QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                          | QDialogButtonBox.StandardButton.Cancel))
        qtbot.addWidget(dialog)
        dialog.show()
        hits = " ".join(english_texts(dialog))
        for word in ("'OK'", "'Cancel'", "'Undo'", "'Select All'", "(December)"):
            assert word in hits
    finally:
        qapp.installTranslator(translator)
        from kinerja_desktop.ui.language import indonesian_locale

        QLocale.setDefault(indonesian_locale())
    dialog2 = QDialog()
    layout = QVBoxLayout(dialog2)
    layout.addWidget(QLineEdit())
    layout.addWidget(QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                      | QDialogButtonBox.StandardButton.Cancel))
    qtbot.addWidget(dialog2)
    dialog2.show()
    assert english_texts(dialog2) == []
