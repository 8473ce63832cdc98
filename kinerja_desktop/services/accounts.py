"""People, accounts, roles and log-in (with lock-out after five failures)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from kinerja_desktop.db.models import Person, PersonRole, TeamMember
from kinerja_desktop.domain.errors import ConflictError, NotFound, ValidationError
from kinerja_desktop.domain.people import NipError, find_pangkat, normalize_nip
from kinerja_desktop.domain.permissions import ASSIGNABLE_ROLES, Principal, Role, require_role
from kinerja_desktop.services.common import audit, check_lengths, check_version, load_principal
from kinerja_desktop.services.context import ServiceContext, retry_busy
from kinerja_desktop.services.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    hash_password,
    verify_password,
)

MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=5)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")


class LoginError(ValidationError):
    pass


@dataclass(frozen=True)
class PersonInfo:
    id: int
    name: str
    nip: str | None
    pangkat: str
    jabatan: str
    username: str
    active: bool
    roles: frozenset[Role]
    team_ids: frozenset[int]
    locked: bool
    #: The row version a form editing this person passes back to ``update_person``.
    version: int = 0


@dataclass(frozen=True)
class PersonInput:
    name: str
    username: str
    nip: str = ""
    pangkat: str = ""
    jabatan: str = ""
    roles: frozenset[Role] = frozenset()
    active: bool = True


def _info(
    session: Session, person: Person, now, team_ids: frozenset[int] | None = None
) -> PersonInfo:
    if team_ids is None:
        team_ids = frozenset(
            session.scalars(select(TeamMember.team_id).where(TeamMember.person_id == person.id))
        )
    roles = {Role(r.role) for r in person.roles}
    if team_ids:
        roles.add(Role.TIM)
    return PersonInfo(
        person.id,
        person.name,
        person.nip,
        person.pangkat,
        person.jabatan,
        person.username,
        person.active,
        frozenset(roles),
        team_ids,
        bool(person.locked_until and person.locked_until > now),
        person.row_version,
    )


def _validate(data: PersonInput) -> tuple[str, str | None, str]:
    name = data.name.strip()
    if not name:
        raise ValidationError("Nama wajib diisi.")
    check_lengths(Person, name=("Nama", name), jabatan=("Jabatan", data.jabatan.strip()))
    username = data.username.strip().lower()
    if not _USERNAME.match(username):
        raise ValidationError(
            "Nama pengguna harus 3–40 karakter: huruf kecil, angka, titik, garis bawah "
            "atau tanda hubung, diawali huruf atau angka."
        )
    try:
        nip = normalize_nip(data.nip)
    except NipError as exc:
        raise ValidationError(str(exc)) from None
    pangkat = ""
    if data.pangkat.strip():
        found = find_pangkat(data.pangkat)
        if found is None:
            raise ValidationError(f"Pangkat/golongan '{data.pangkat}' tidak dikenal.")
        pangkat = found.label
    bad = [r for r in data.roles if r not in ASSIGNABLE_ROLES]
    if bad:
        raise ValidationError("Peran Tim Penyusun diberikan lewat keanggotaan tim.")
    return username, nip, pangkat


def _check_unique(session: Session, username: str, nip: str | None, own_id: int | None) -> None:
    other = session.scalar(select(Person).where(Person.username == username))
    if other is not None and other.id != own_id:
        raise ConflictError(f"Nama pengguna '{username}' sudah dipakai.")
    if nip:
        other = session.scalar(select(Person).where(Person.nip == nip))
        if other is not None and other.id != own_id:
            raise ConflictError(f"NIP {nip} sudah terdaftar atas nama {other.name}.")


#: Lock taken while the first administrator is created.
FIRST_ADMIN_LOCK = "kinerja-desktop:admin-pertama"


def count_people(ctx: ServiceContext) -> int:
    with ctx.read() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


@retry_busy
def create_first_admin(ctx: ServiceContext, data: PersonInput, password: str) -> PersonInfo:
    """The administrator made by the first-run setup (only on an empty database)."""
    with ctx.transaction() as session:
        # Two PCs running the first-run setup at once: exactly one administrator.
        ctx.lock(session, FIRST_ADMIN_LOCK)
        if session.scalar(select(func.count()).select_from(Person)):
            raise ConflictError("Administrator pertama sudah dibuat.")
        person = _create(session, ctx, data, password, extra_roles={Role.ADMIN})
        audit(
            session,
            ctx.now(),
            None,
            "pengguna.buat_admin_pertama",
            "person",
            person.id,
            after={"username": person.username},
            actor_name="penyiapan awal",
        )
        return _info(session, person, ctx.now())


def _check_password_length(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"Kata sandi minimal {MIN_LENGTH} karakter.")
    if len(password) > MAX_LENGTH:
        raise ValidationError(f"Kata sandi terlalu panjang ({len(password)} karakter; "
                              f"maksimal {MAX_LENGTH}).")


def _create(
    session: Session,
    ctx: ServiceContext,
    data: PersonInput,
    password: str,
    extra_roles: set[Role] | None = None,
) -> Person:
    username, nip, pangkat = _validate(data)
    _check_password_length(password)
    _check_unique(session, username, nip, None)
    person = Person(
        name=data.name.strip(),
        nip=nip,
        pangkat=pangkat,
        jabatan=data.jabatan.strip(),
        username=username,
        password_hash=hash_password(password),
        active=data.active,
        failed_logins=0,
        created_at=ctx.now(),
    )
    person.roles = [PersonRole(role=r.value) for r in set(data.roles) | (extra_roles or set())]
    session.add(person)
    session.flush()
    return person


@retry_busy
def create_person(
    ctx: ServiceContext, actor_id: int, data: PersonInput, password: str
) -> PersonInfo:
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.ADMIN, "Menambah pengguna")
        person = _create(session, ctx, data, password)
        audit(
            session,
            ctx.now(),
            principal,
            "pengguna.buat",
            "person",
            person.id,
            after={
                "username": person.username,
                "nama": person.name,
                "peran": sorted(r.role for r in person.roles),
            },
        )
        return _info(session, person, ctx.now())


@retry_busy
def update_person(
    ctx: ServiceContext, actor_id: int, person_id: int, data: PersonInput,
    expected_version: int | None = None,
) -> PersonInfo:
    """Change an account (administrator). ``expected_version``: :attr:`PersonInfo.version`
    as the form loaded it."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.ADMIN, "Mengubah pengguna")
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("Pengguna tidak ditemukan.")
        check_version(session, person, expected_version)
        username, nip, pangkat = _validate(data)
        _check_unique(session, username, nip, person.id)
        before = {
            "username": person.username,
            "nama": person.name,
            "nip": person.nip,
            "peran": sorted(r.role for r in person.roles),
            "aktif": person.active,
        }
        if person.id == principal.person_id and (Role.ADMIN not in data.roles or not data.active):
            raise ConflictError(
                "Anda tidak dapat mencabut peran administrator atau menonaktifkan "
                "akun Anda sendiri."
            )
        person.name, person.username, person.nip = data.name.strip(), username, nip
        person.pangkat, person.jabatan, person.active = pangkat, data.jabatan.strip(), data.active
        person.roles = [PersonRole(role=r.value) for r in data.roles]
        session.flush()
        audit(
            session,
            ctx.now(),
            principal,
            "pengguna.ubah",
            "person",
            person.id,
            before=before,
            after={
                "username": username,
                "nama": person.name,
                "nip": nip,
                "peran": sorted(r.value for r in data.roles),
                "aktif": data.active,
            },
        )
        return _info(session, person, ctx.now())


@retry_busy
def set_password(
    ctx: ServiceContext,
    actor_id: int,
    person_id: int,
    password: str,
    old_password: str | None = None,
) -> None:
    """Administrator sets anyone's password; a person changes their own with the old one."""
    _check_password_length(password)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("Pengguna tidak ditemukan.")
        if person_id != actor_id:
            require_role(principal, Role.ADMIN, "Mengganti kata sandi pengguna lain")
        elif not verify_password(old_password or "", person.password_hash):
            raise ValidationError("Kata sandi lama tidak cocok.")
        person.password_hash = hash_password(password)
        person.failed_logins = 0
        person.locked_until = None
        audit(session, ctx.now(), principal, "pengguna.kata_sandi", "person", person.id)


def list_people(ctx: ServiceContext) -> list[PersonInfo]:
    with ctx.read() as session:
        now = ctx.now()
        memberships: dict[int, set[int]] = {}
        for person_id, team_id in session.execute(
            select(TeamMember.person_id, TeamMember.team_id)
        ).tuples():
            memberships.setdefault(person_id, set()).add(team_id)
        people = session.scalars(
            select(Person).options(selectinload(Person.roles)).order_by(Person.name)
        )
        return [_info(session, p, now, frozenset(memberships.get(p.id, ()))) for p in people]


def get_person(ctx: ServiceContext, person_id: int) -> PersonInfo:
    with ctx.read() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("Pengguna tidak ditemukan.")
        return _info(session, person, ctx.now())


def first_with_role(ctx: ServiceContext, role: Role) -> PersonInfo | None:
    """The earliest registered (lowest id) active person holding ``role``, or None.

    One query finds the id; the person is then read as :func:`get_person` reads it.
    ``Role.TIM`` means a member of any team.
    """
    if role is Role.TIM:
        holders = select(TeamMember.person_id)
    else:
        holders = select(PersonRole.person_id).where(PersonRole.role == role.value)
    with ctx.read() as session:
        person_id = session.scalar(
            select(Person.id)
            .where(Person.active.is_(True), Person.id.in_(holders))
            .order_by(Person.id)
            .limit(1)
        )
        if person_id is None:
            return None
        return _info(session, session.get(Person, person_id), ctx.now())


def principal_of(ctx: ServiceContext, person_id: int) -> Principal:
    with ctx.read() as session:
        return load_principal(session, person_id)


def _bookkeep(session: Session, person: Person, **values: object) -> None:
    """Log-in bookkeeping (failures, lock-out, last log-in, a re-hash at today's cost) is
    no edit of the account: it does not move the row's version, so a form open on this
    account stays valid."""
    session.execute(update(Person).where(Person.id == person.id).values(**values))
    for key, value in values.items():
        set_committed_value(person, key, value)


#: The one answer to a failed log-in, whether the name or the password was wrong.
WRONG_LOGIN = "Nama pengguna atau kata sandi salah. Silakan coba lagi."


def _locked_message(until, now) -> str:
    """The lock-out answer; the same for a real account and for a name that is none."""
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))  # rounded up
    return (f"Terlalu banyak percobaan masuk yang gagal dengan nama pengguna ini. Coba lagi "
            f"dalam {minutes} menit.")


class _UnknownNames:
    """Failed log-ins with names that are no account, kept in memory only (never written
    anywhere) under a keyed hash, so that such a name is locked out exactly like an
    account: the answers never tell whether an account exists."""

    LIMIT = 1000

    def __init__(self) -> None:
        import os

        self._key = os.urandom(32)
        self._failures: dict[bytes, tuple[int, object]] = {}

    def _id(self, name: str) -> bytes:
        import hashlib
        import hmac

        return hmac.new(self._key, name.encode("utf-8"), hashlib.sha256).digest()

    def locked_until(self, name: str, now):
        _count, until = self._failures.get(self._id(name), (0, None))
        return until if until is not None and until > now else None

    def fail(self, name: str, now):
        """Count one failure; the lock-out time when this one locks the name."""
        key = self._id(name)
        count, _until = self._failures.pop(key, (0, None))
        count += 1
        until = None
        if count >= MAX_FAILURES:
            until, count = now + LOCK_DURATION, 0
        self._failures[key] = (count, until)
        while len(self._failures) > self.LIMIT:
            self._failures.pop(next(iter(self._failures)))
        return until


_unknown_names = _UnknownNames()


def authenticate(ctx: ServiceContext, username: str, password: str) -> PersonInfo:
    """Check a log-in. Failures are counted; five in a row lock the name for 5 minutes.

    Every attempt costs exactly one scrypt computation and a wrong name gets the same
    answer as a wrong password, so neither the words nor the time tell whether an account
    exists; the lock-out answer is the same for names that are no account. A name that is
    no account is never written down (the audit entry says only that it was unknown).
    A hash made with a lower cost is upgraded on a successful log-in. The transaction
    commits the failure count even though a :class:`LoginError` is raised afterwards.
    """
    from kinerja_desktop.services.passwords import needs_upgrade, spend_like_a_check

    now = ctx.now()
    username = username.strip().lower()
    error: LoginError | None = None
    with ctx.transaction() as session:
        # Two attempts at once on one account count twice (the second waits here).
        person = session.scalar(select(Person).where(Person.username == username)
                                .with_for_update()) if username else None
        if person is None:
            spend_like_a_check(password)
            until = _unknown_names.locked_until(username, now) or \
                _unknown_names.fail(username, now)
            audit(session, now, None, "masuk.gagal", "person", None,
                  after={"alasan": "nama pengguna tidak dikenal"}, actor_name="?")
            error = LoginError(_locked_message(until, now) if until else WRONG_LOGIN)
        elif person.locked_until and person.locked_until > now:
            spend_like_a_check(password)
            audit(session, now, None, "masuk.ditolak_terkunci", "person", person.id,
                  actor_name=username)
            error = LoginError(_locked_message(person.locked_until, now))
        elif not verify_password(password, person.password_hash) or not person.active:
            _bookkeep(session, person, failed_logins=person.failed_logins + 1)
            audit(session, now, None, "masuk.gagal", "person", person.id,
                  after={"percobaan": person.failed_logins,
                         **({} if person.active else {"alasan": "akun tidak aktif"})},
                  actor_name=username)
            error = LoginError(WRONG_LOGIN)
            if person.failed_logins >= MAX_FAILURES:
                _bookkeep(session, person, locked_until=now + LOCK_DURATION, failed_logins=0)
                audit(session, now, None, "masuk.akun_dikunci", "person", person.id,
                      after={"sampai": person.locked_until}, actor_name=username)
                error = LoginError(_locked_message(person.locked_until, now))
        else:
            _bookkeep(session, person, failed_logins=0, locked_until=None, last_login_at=now)
            upgraded = needs_upgrade(person.password_hash)
            if upgraded:  # the password is at hand only now: re-hash with today's cost
                _bookkeep(session, person, password_hash=hash_password(password))
            audit(session, now, None, "masuk.berhasil", "person", person.id, actor_name=username,
                  after={"hash_kata_sandi_diperbarui": True} if upgraded else None)
            return _info(session, person, now)
    raise error
