"""Passwords (issue 12): scrypt cost, upgrades, log-in answers that reveal nothing, and
no hash in any log."""

from __future__ import annotations

import hashlib
import logging
import re
import time

import pytest

from kinerja_desktop.services import accounts, passwords
from kinerja_desktop.services.accounts import LoginError

HASH_TEXT = re.compile(r"scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]{8,}")


def test_production_cost_is_n_2_17(monkeypatch):
    monkeypatch.delenv(passwords.TEST_COST_ENV, raising=False)
    stored = passwords.hash_password("rahasia123")
    assert stored.startswith("scrypt$131072$8$1$")
    assert passwords.verify_password("rahasia123", stored)
    assert not passwords.verify_password("rahasia124", stored)
    assert not passwords.needs_upgrade(stored)
    assert passwords.needs_upgrade(passwords._hash("rahasia123", 2**14, b"g" * 16))


def test_the_test_setting_only_lowers_the_cost_within_bounds(monkeypatch):
    for raw, n in (("4096", 4096), ("1000", passwords.PRODUCTION_N),
                   (str(2**20), passwords.PRODUCTION_N), ("abc", passwords.PRODUCTION_N)):
        monkeypatch.setenv(passwords.TEST_COST_ENV, raw)
        assert passwords.current_n() == n


def test_an_old_hash_is_upgraded_at_the_next_log_in(ctx, office, monkeypatch):
    from sqlalchemy import select

    from kinerja_desktop.db.models import AuditEntry, Person

    monkeypatch.setenv(passwords.TEST_COST_ENV, str(2**12))  # today's cost in this test
    old = passwords._hash(office.password, 2**10, b"s" * 16)
    with ctx.transaction() as session:
        session.get(Person, office.sekretaris).password_hash = old
    accounts.authenticate(ctx, "sekretaris", office.password)
    with ctx.read() as session:
        stored = session.get(Person, office.sekretaris).password_hash
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        action, after = last.action, last.after
    assert stored != old and stored.startswith(f"scrypt${passwords.current_n()}$")
    assert passwords.verify_password(office.password, stored)
    assert action == "masuk.berhasil" and after == {"hash_kata_sandi_diperbarui": True}


def _count_scrypt(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = hashlib.scrypt

    def counted(*args, **kwargs):
        calls.append(kwargs.get("n", 0))
        return real(*args, **kwargs)

    monkeypatch.setattr(passwords.hashlib, "scrypt", counted)
    return calls


def test_wrong_name_and_wrong_password_get_the_same_answer_and_cost(ctx, office, monkeypatch):
    calls = _count_scrypt(monkeypatch)
    answers = {}
    for name in ("bukan.siapa.siapa", "kasubag"):
        calls.clear()
        with pytest.raises(LoginError) as refused:
            accounts.authenticate(ctx, name, "salah-sekali")
        answers[name] = str(refused.value)
        assert calls == [passwords.current_n()], name  # exactly one scrypt, same cost
    assert answers["bukan.siapa.siapa"] == answers["kasubag"] == accounts.WRONG_LOGIN


def test_log_in_times_are_alike_for_a_wrong_name_and_a_wrong_password(ctx, office,
                                                                     monkeypatch):
    from kinerja_desktop.db.models import Person

    monkeypatch.setenv(passwords.TEST_COST_ENV, str(2**15))
    with ctx.transaction() as session:  # as every hash is once upgraded at log-in
        session.get(Person, office.members[office.teams[0]][1]).password_hash = \
            passwords.hash_password(office.password)

    def median(name: str) -> float:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            with pytest.raises(LoginError):
                accounts.authenticate(ctx, name, "salah-sekali")
            times.append(time.perf_counter() - started)
        return sorted(times)[2]

    unknown, wrong = median("tidak.ada"), median("anggota1")
    assert 0.6 < unknown / wrong < 1.6, (unknown, wrong)


def test_lock_out_answer_does_not_tell_whether_the_account_exists(ctx, office, clock):
    answers = {}
    for name in ("ketua1", "hantu.kantor"):
        seen = []
        for _ in range(accounts.MAX_FAILURES + 1):
            with pytest.raises(LoginError) as refused:
                accounts.authenticate(ctx, name, "salah-sekali")
            seen.append(str(refused.value))
        answers[name] = seen
    assert answers["ketua1"] == answers["hantu.kantor"]
    assert answers["ketua1"][:4] == [accounts.WRONG_LOGIN] * 4
    assert "Terlalu banyak percobaan" in answers["ketua1"][4] == answers["ketua1"][5]
    # The real account is locked even for its right password; 5 minutes later it is not.
    with pytest.raises(LoginError, match="Terlalu banyak percobaan"):
        accounts.authenticate(ctx, "ketua1", office.password)
    clock.advance(minutes=6)
    assert accounts.authenticate(ctx, "ketua1", office.password).username == "ketua1"


def test_a_name_that_is_no_account_is_never_stored(ctx, office):
    from sqlalchemy import select

    from kinerja_desktop.db.models import Base

    typed = "Sandi.Rahasia.Bos@Kantor"
    with pytest.raises(LoginError):
        accounts.authenticate(ctx, typed, "apa saja")
    with ctx.engine.connect() as conn:  # every row of every table, on either engine
        dump = "\n".join(repr(tuple(row)) for table in Base.metadata.sorted_tables
                         for row in conn.execute(select(table)))
    assert typed.lower() not in dump.lower() and "sandi.rahasia" not in dump.lower()
    assert "nama pengguna tidak dikenal" in dump


def test_no_password_hash_reaches_the_log_when_creating_a_user_fails(ctx, office, tmp_path):
    """The case of the issue: a database error while creating a user logged the scrypt
    hash, and the error dialog asks people to send the log."""
    from kinerja_desktop.logging_setup import scrub, setup_logging, stop_logging

    with ctx.engine.begin() as conn:
        if ctx.backend.is_server:
            conn.exec_driver_sql("CREATE FUNCTION gagal_simpan() RETURNS trigger AS $$ BEGIN "
                                 "RAISE EXCEPTION 'disk bermasalah'; END $$ LANGUAGE plpgsql")
            conn.exec_driver_sql("CREATE TRIGGER gagal_simpan BEFORE INSERT ON people FOR EACH "
                                 "ROW EXECUTE FUNCTION gagal_simpan()")
        else:
            conn.exec_driver_sql("CREATE TRIGGER gagal_simpan BEFORE INSERT ON people BEGIN "
                                 "SELECT RAISE(ABORT, 'disk bermasalah'); END")
    log_file = setup_logging(ctx.data_dir)
    try:
        with pytest.raises(Exception) as failed:
            accounts.create_person(ctx, office.admin, accounts.PersonInput(
                "Pegawai Baru", "pegawai.baru"), "kata-sandi-baru")
        logging.getLogger("kinerja_desktop.error").error("Kesalahan tak terduga", exc_info=(
            type(failed.value), failed.value, failed.value.__traceback__))
        for handler in logging.getLogger().handlers:
            handler.flush()
    finally:
        stop_logging()
    logged = log_file.read_text(encoding="utf-8")
    assert "disk bermasalah" in logged and "INSERT INTO people" in logged
    assert HASH_TEXT.search(logged) is None and HASH_TEXT.search(str(failed.value)) is None
    # The scrubber itself, on text that does carry a hash (an older log line, a message):
    leaked = f"[parameters: ('Pegawai', '{passwords.hash_password('x' * 8)}', 1)]"
    assert HASH_TEXT.search(scrub(leaked)) is None and "(disembunyikan)" in scrub(leaked)


def test_a_password_longer_than_the_limit_is_refused_in_one_line(ctx, office):
    from kinerja_desktop.domain.errors import ValidationError

    before = len(accounts.list_people(ctx))
    too_long = "k" * (passwords.MAX_LENGTH + 1)
    with pytest.raises(ValidationError, match=r"^Kata sandi terlalu panjang \(129 karakter; "
                                              r"maksimal 128\)\.$"):
        accounts.create_person(ctx, office.admin, accounts.PersonInput(
            "Pegawai Panjang", "pegawai.panjang"), too_long)
    assert len(accounts.list_people(ctx)) == before
    with pytest.raises(ValidationError, match="terlalu panjang"):
        accounts.set_password(ctx, office.admin, office.admin, too_long)
    # exactly at the limit is accepted
    accounts.create_person(ctx, office.admin, accounts.PersonInput(
        "Pegawai Panjang", "pegawai.panjang"), "k" * passwords.MAX_LENGTH)
