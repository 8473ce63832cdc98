"""Password hashing with hashlib.scrypt (no extra dependency).

Production cost: N = 2^17, r = 8, p = 1 (128 MiB and a few tenths of a second per hash
on an office PC). A stored hash records its own parameters, so older, cheaper hashes
still verify; :func:`needs_upgrade` tells the log-in to re-hash them with today's cost.

**Test-only setting.** The environment variable ``KINERJA_DESKTOP_TEST_SCRYPT_N`` (a
power of two between 2^10 and 2^17) lowers N so that a test suite creating hundreds of
accounts runs in seconds; ``tests/conftest.py`` sets it, and one test proves the
production parameters with it removed. Never set it on an office PC: hashes made with a
lower N are upgraded at the next log-in once it is gone, and the log warns while it is set.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

PRODUCTION_N = 2**17
_R, _P = 8, 1
#: scrypt needs 128 × r × N bytes; room for N = 2^17 and a little more.
_MAXMEM = 256 * 1024 * 1024
#: A stored hash asking for more than this is refused rather than computed (a forged row
#: could otherwise make every log-in allocate gigabytes).
_MAX_STORED_N = 2**20
MIN_LENGTH = 8
#: The longest password accepted (a longer one is refused in one line; the window's password
#: fields take no more).
MAX_LENGTH = 128
TEST_COST_ENV = "KINERJA_DESKTOP_TEST_SCRYPT_N"

_warned = False


def current_n() -> int:
    """N for new hashes: production, unless the test-only setting lowers it."""
    global _warned
    raw = os.environ.get(TEST_COST_ENV)
    if not raw:
        return PRODUCTION_N
    try:
        n = int(raw)
    except ValueError:
        return PRODUCTION_N
    if n < 2**10 or n > PRODUCTION_N or n & (n - 1):
        return PRODUCTION_N
    if not _warned:
        _warned = True
        logging.getLogger(__name__).warning(
            "%s=%d: biaya scrypt diturunkan untuk pengujian; jangan dipakai di kantor.",
            TEST_COST_ENV, n)
    return n


def _hash(password: str, n: int, salt: bytes) -> str:
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=_R, p=_P,
                            maxmem=_MAXMEM, dklen=32)
    salt_b64 = base64.b64encode(salt).decode()
    digest_b64 = base64.b64encode(digest).decode()
    return f"scrypt${n}${_R}${_P}${salt_b64}${digest_b64}"


_shared: ContextVar[tuple[str, str] | None] = ContextVar("kinerja_shared_hash", default=None)


def hash_password(password: str) -> str:
    shared = _shared.get()
    if shared is not None and hmac.compare_digest(shared[0], password):
        return shared[1]
    return _hash(password, current_n(), os.urandom(16))


@contextmanager
def one_hash_for(password: str) -> Iterator[None]:
    """Within the block, accounts given ``password`` share one hash (computed once).

    Only for the demo office, whose accounts all use the same published password: one
    scrypt instead of one per account. Real accounts always get their own salt.
    """
    token = _shared.set((password, _hash(password, current_n(), os.urandom(16))))
    try:
        yield
    finally:
        _shared.reset(token)


def _parameters(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return None
        return int(n), int(r), int(p), base64.b64decode(salt_b64), base64.b64decode(digest_b64)
    except (ValueError, TypeError):
        return None


def verify_password(password: str, stored: str) -> bool:
    params = _parameters(stored)
    if params is None:
        return False
    n, r, p, salt, expected = params
    if n > _MAX_STORED_N or r > 16 or p > 4 or not expected:
        return False
    try:
        digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                                maxmem=_MAXMEM * max(1, r // _R) * max(1, n // PRODUCTION_N),
                                dklen=len(expected))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(digest, expected)


def needs_upgrade(stored: str) -> bool:
    """True when ``stored`` was made with less than today's cost (re-hash at log-in)."""
    params = _parameters(stored)
    if params is None:
        return True
    n, r, p, _salt, _digest = params
    return n < current_n() or r != _R or p != _P


def spend_like_a_check(password: str) -> None:
    """Take the time one :func:`verify_password` takes, for a log-in that has no hash to
    check (unknown user, locked account): every log-in costs one scrypt, whatever fails.
    The stand-in hash matches no password (its digest is zeros) and costs nothing to make."""
    zeros = base64.b64encode(bytes(32)).decode()
    salt = base64.b64encode(bytes(16)).decode()
    verify_password(password, f"scrypt${current_n()}${_R}${_P}${salt}${zeros}")
