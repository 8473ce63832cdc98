"""Indonesian everywhere, whatever the system language.

Qt takes dates, month and day names and numbers from its default locale, and the texts
it draws itself (standard buttons, the right-click menu of text fields, its own file and
print dialogs, the wizard buttons) from an installed translator. Qt ships no Indonesian
``qtbase`` translation, so the program carries its own: ``resources/translations/
qtbase_id.ts`` (source texts and contexts as in Qt's translation sources), compiled to
``qtbase_id.qm`` by ``installer/build_translations.py``.

:func:`install_indonesian` must run before the first widget is made.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

QT_TRANSLATION = "qtbase_id"


def indonesian_locale() -> QLocale:
    return QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)


def translations_dir() -> Path:
    from kinerja_desktop.paths import resources_dir

    return resources_dir() / "translations"


def install_indonesian(app: QApplication) -> QTranslator | None:
    """Make Indonesian Qt's default locale and install the Qt translation on ``app``.

    Idempotent; returns the installed translator (None when the file cannot be loaded:
    the program still runs, with Qt's own strings in English, and the log says why).
    """
    QLocale.setDefault(indonesian_locale())
    installed = getattr(app, "_kinerja_translator", None)
    if installed is not None:
        return installed
    translator = QTranslator(app)
    path = translations_dir() / f"{QT_TRANSLATION}.qm"
    if not translator.load(str(path)):
        log.warning("Terjemahan Qt tidak dapat dimuat: %s", path)
        return None
    app.installTranslator(translator)
    app._kinerja_translator = translator  # type: ignore[attr-defined] - kept alive with app
    return translator
