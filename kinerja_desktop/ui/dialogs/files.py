"""Choosing files and folders: Qt's own dialog (drawn by the program, so in Indonesian
whatever the system language), sized from the screen, each kind remembering its folder.

Every file chooser of the window goes through :func:`open_file`, :func:`save_file` or
:func:`choose_folder` with a ``purpose`` (``"pdf"``, ``"excel"``, ``"cadangan"``, …): the
folder last used for that purpose is remembered in the settings registry
(``folders/<purpose>``) and offered next time, also after a restart.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from kinerja_desktop.ui.sizing import size_window

ALL_FILES = "Semua berkas (*)"


def documents_folder() -> Path:
    """The user's Documents folder (their home folder when there is none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def _key(purpose: str) -> str:
    from kinerja_desktop import settings

    return settings.view_key("folders", purpose)


def last_folder(purpose: str, start: Path | None = None) -> Path:
    """The folder last used for ``purpose`` if it still exists, else ``start`` or Documents."""
    from kinerja_desktop import settings

    remembered = settings.get(_key(purpose))
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    return start if start is not None and start.is_dir() else documents_folder()


def remember_folder(purpose: str, chosen: Path) -> None:
    from kinerja_desktop import settings

    folder = chosen if chosen.is_dir() else chosen.parent
    settings.set(_key(purpose), str(folder))


def file_dialog(parent: QWidget | None, caption: str, *, purpose: str,
                filter_text: str = ALL_FILES, save_as: str | None = None,
                folders: bool = False, start: Path | None = None) -> QFileDialog:
    """The dialog, not yet shown: to open a file, save as ``save_as`` or pick a folder."""
    folder = last_folder(purpose, start)
    dialog = QFileDialog(parent, caption, str(folder))
    dialog.setObjectName("dialogBerkas")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if folders:
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    else:
        dialog.setNameFilters([f for f in filter_text.split(";;") if f])
        if save_as is not None:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setFileMode(QFileDialog.FileMode.AnyFile)
            dialog.selectFile(str(folder / Path(save_as).name))
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    size_window(dialog, 860, 540)
    return dialog


def _run(dialog: QFileDialog, purpose: str) -> Path | None:
    if not dialog.exec() or not dialog.selectedFiles():
        return None
    chosen = Path(dialog.selectedFiles()[0])
    remember_folder(purpose, chosen)
    return chosen


def open_file(parent: QWidget | None, caption: str, filter_text: str = ALL_FILES, *,
              purpose: str, start: Path | None = None) -> Path | None:
    """An existing file chosen by the user, or None."""
    return _run(file_dialog(parent, caption, purpose=purpose, filter_text=filter_text,
                            start=start), purpose)


def save_file(parent: QWidget | None, caption: str, suggested_name: str,
              filter_text: str = ALL_FILES, *, purpose: str) -> Path | None:
    """Where to save (the dialog asks before replacing a file), or None."""
    return _run(file_dialog(parent, caption, purpose=purpose, filter_text=filter_text,
                            save_as=suggested_name), purpose)


def choose_folder(parent: QWidget | None, caption: str, *, purpose: str,
                  start: Path | None = None) -> Path | None:
    """A folder chosen by the user, or None."""
    return _run(file_dialog(parent, caption, purpose=purpose, folders=True, start=start),
                purpose)
