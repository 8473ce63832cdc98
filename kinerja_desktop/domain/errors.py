"""Errors the user sees; every message is Indonesian and names what is wrong."""

from __future__ import annotations

from datetime import datetime


class KinerjaError(Exception):
    """Base of every refusal a user may see. ``str(err)`` is the Indonesian message."""


class ValidationError(KinerjaError):
    """Input that cannot be accepted (a typo, a missing field)."""


class PermissionDenied(KinerjaError):
    """The person may not take this action."""


class NotFound(KinerjaError):
    pass


class ConflictError(KinerjaError):
    """The action does not fit the current state (step not ready, already done, ...)."""


class IncompleteError(KinerjaError):
    """A step cannot finish: its kelengkapan is missing. ``missing`` lists each item."""

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message + ": " + "; ".join(missing))
        self.missing = list(missing)


class Cancelled(KinerjaError):
    """The person stopped a long action (an import); nothing was changed."""


class EditConflict(ConflictError):
    """A form saved over a row someone else changed since the form loaded it.

    ``who``/``when`` name that change; the form keeps what its user typed and offers to
    load the current data.
    """

    def __init__(self, who: str, when: datetime | None) -> None:
        from kinerja_desktop.domain.numbers import format_datetime_short

        moment = f"{format_datetime_short(when)} WITA" if when is not None else "baru saja"
        super().__init__(f"Data ini telah diubah oleh {who} pada {moment}; muat ulang.")
        self.who = who
        self.when = when


class BusyError(KinerjaError):
    """The database could not do it now (locked, deadlock, serialization failure); the
    same action a moment later may succeed. Services decorated with
    ``services.context.retry_busy`` try again by themselves first."""


class DatabaseProblem(KinerjaError):
    """The database refused or failed in a way the user cannot fix by changing input (the
    server is unreachable, the disk is full, ...). The message says what to do; the
    details are in the log."""


class FileProblem(KinerjaError):
    """A file the user chose could not be read or written (disk full, permission denied,
    a read-only flash drive, ...); the message names the file in Indonesian."""
