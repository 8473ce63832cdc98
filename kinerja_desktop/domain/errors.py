"""Errors the user sees; every message is Indonesian and names what is wrong."""

from __future__ import annotations


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
