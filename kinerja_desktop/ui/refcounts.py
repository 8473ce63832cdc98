"""Protection against a reference-count bug of PySide6 6.12.0 on CPython 3.11.

PySide6 6.12.0 hands back ``None`` from every Qt method that returns nothing
(``setText``, ``processEvents``, …) and ``True`` from a signal's ``emit`` without taking
a reference (measured: exactly one reference lost per call). After a few thousand calls —
about 8 000 keystrokes in the team entry — CPython deallocates the singleton and aborts
with "Fatal Python error: none_dealloc". PySide6 6.11.3 does not lose them, and CPython 3.12
does not mind: it made these objects immortal (PEP 683). We pin the tested 6.12.0 (the PDF
preview needs its PySide6-Pdf) and run on 3.11, so we do here what PEP 683 does there: give
``None``, ``True`` and ``False`` a reference count so large (2**60) that lost references can
never bring it to zero. Nothing else changes: the objects are never freed anyway.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 60


def protect_singletons() -> bool:
    """Make ``None``, ``True`` and ``False`` effectively immortal; True when applied.

    Only on CPython before 3.12 and not in a debug build (whose object header differs).
    Calling it again is harmless.
    """
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    if hasattr(sys, "gettotalrefcount"):  # debug build: ob_refcnt is not the first field
        return False
    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))  # PyObject.ob_refcnt
        if count.value < _HEADROOM:
            count.value += _HEADROOM
    return True
