"""The program's log: a rotating file in the data directory's ``log`` folder."""

from __future__ import annotations

import logging
import logging.handlers
import platform
import re
import sys
from pathlib import Path

from kinerja_desktop import APP_NAME, __version__
from kinerja_desktop.paths import DataDir

LOG_NAME = "kinerja.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"

_HANDLER_NAME = "kinerja-desktop-file"

#: A password hash as services.passwords writes it (and the older plain forms of it).
_HASH = re.compile(r"scrypt\$[0-9]+\$[0-9]+\$[0-9]+\$[A-Za-z0-9+/=]*\$[A-Za-z0-9+/=]*")
#: The parameters SQLAlchemy appends to a failed statement's message.
_SQL_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\n|$)", re.DOTALL)
HIDDEN = "(disembunyikan)"


def scrub(text: str) -> str:
    """``text`` without password hashes and without the parameters of SQL statements.

    Everything written to the log, and every detail shown in the error dialog (which asks
    people to send the log), passes through here.
    """
    text = _HASH.sub(f"scrypt${HIDDEN}", text)
    return _SQL_PARAMETERS.sub(f"[parameters: {HIDDEN}]", text)


class ScrubbingFormatter(logging.Formatter):
    """The log's formatter: the formatted record, exception and traceback scrubbed."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def log_path(data_dir: DataDir) -> Path:
    return data_dir.logs / LOG_NAME


def setup_logging(data_dir: DataDir, level: int = logging.INFO) -> Path:
    """Send the root logger to ``log/kinerja.log`` (1 MB x 5 files). Safe to call twice.

    A data directory that cannot be written still lets the program run: the log then
    goes to standard error only.
    """
    root = logging.getLogger()
    root.setLevel(min(root.level or level, level) if root.handlers else level)
    path = log_path(data_dir)
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            if Path(getattr(handler, "baseFilename", "")) == path.resolve():
                return path
            root.removeHandler(handler)
            handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True)
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(ScrubbingFormatter(FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)
    logging.getLogger("kinerja_desktop").info(
        "%s %s dimulai (Python %s, %s), folder data %s", APP_NAME, __version__,
        platform.python_version(), platform.platform(), data_dir.root)
    return path


def stop_logging() -> None:
    """Remove the file handler added by :func:`setup_logging` (tests, a restart)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
