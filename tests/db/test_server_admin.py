"""server-init: the database, the owner and app roles, the app role's rights; the
password file; checks on the server."""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import pytest
from sqlalchemy import text

from kinerja_desktop.db import server as admin
from kinerja_desktop.db.backends import DatabaseError


def connect_as(offices, result, role: str, **kwargs) -> psycopg.Connection:
    return psycopg.connect(host="127.0.0.1", port=offices.cluster.port, user=role,
                           dbname=result.database, autocommit=True, **kwargs)


# --------------------------------------------------------------------------- pgpass


def test_server_init_takes_a_new_roles_password_from_pgpass_then_the_environment(
        tmp_path, monkeypatch):
    from kinerja_desktop.cli.server import _password_source

    file = tmp_path / "pgpass"
    file.write_text("# komentar\n*:*:lain:*:salah\n192.168.1.10:5432:kinerja:kinerja_app:"
                    "a\\:b\n", encoding="utf-8")
    monkeypatch.setenv("PGPASSFILE", str(file))
    monkeypatch.setenv("KINERJA_OWNER_PASSWORD", "dari-lingkungan")
    monkeypatch.delenv("KINERJA_APP_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", None)
    url = admin.parse_admin_url("postgresql+psycopg://postgres@192.168.1.10/postgres")
    password_for = _password_source(url, "kinerja", {"kinerja_owner": "KINERJA_OWNER_PASSWORD",
                                                     "kinerja_app": "KINERJA_APP_PASSWORD"})
    assert password_for("kinerja_app", False) == "a:b"
    assert password_for("kinerja_owner", False) == "dari-lingkungan"
    # No line, no variable and no terminal: none (server-init then refuses a new role).
    assert password_for("kinerja_lain", False) is None
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "tidak-ada"))
    assert password_for("kinerja_app", True) is None


# --------------------------------------------------------------------------- server-init


def test_server_init_gives_the_app_role_only_what_the_app_needs(server_offices, tmp_path):
    result = server_offices.init()
    assert result.created == (f"basis data {result.database}", f"pengguna {result.owner}",
                              f"pengguna {result.app_user}")
    assert result.revision == admin_revision()
    # Every table belongs to the owner, not to the administrator who ran server-init.
    with connect_as(server_offices, result, result.owner) as conn:
        owners = {r[0] for r in conn.execute(
            "SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")}
        assert owners == {result.owner}
    with connect_as(server_offices, result, result.app_user) as conn:
        conn.execute("INSERT INTO audit_log (at, actor, action, entity) "
                     "VALUES (now(), 'uji', 'uji.tambah', '')")
        for statement in ("UPDATE audit_log SET actor = 'lain'", "DELETE FROM audit_log",
                          "TRUNCATE audit_log", "UPDATE alembic_version SET version_num = 'x'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        for statement in ("ALTER TABLE audit_log DISABLE TRIGGER USER",
                          "DROP TABLE people", "CREATE TABLE lain (x int)",
                          "ALTER TABLE people ADD COLUMN x int"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone() == (1,)
    # The owner may not change it either: the append-only trigger refuses.
    with connect_as(server_offices, result, result.owner) as conn:
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            conn.execute("DELETE FROM audit_log")
    # Nobody else may connect at all.
    server_offices.cluster.execute("CREATE ROLE uji_lain LOGIN")
    try:
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            connect_as(server_offices, result, "uji_lain").close()
    finally:
        server_offices.cluster.execute("DROP ROLE uji_lain")


def test_a_pc_works_as_the_app_role(server_offices, tmp_path):
    """The first PC seeds and works with the app role's rights alone; ``check`` finds
    nothing wrong, including amcheck on every index."""
    from kinerja_desktop.services import accounts, demo, integrity
    from kinerja_desktop.services.startup import open_context

    result = server_offices.init()
    assert result.amcheck
    ctx = open_context(tmp_path / "pc", database_url=server_offices.url(result))
    try:
        demo.build_demo(ctx, year=2025, teams=1, indicators=2, through_step=4)
        assert accounts.count_people(ctx) > 3
        report = integrity.run_checks(ctx)
        assert report.ok, report.problems
        assert any(note.startswith("amcheck:") for note in report.notes)
        assert "Skema sama dengan hasil migrasi" in report.notes
    finally:
        ctx.dispose()


def test_the_app_role_may_not_migrate(server_offices):
    from kinerja_desktop.db.backends.postgresql import PostgresBackend, parse_server_url

    result = server_offices.init()
    backend = PostgresBackend(parse_server_url(server_offices.url(result)))
    try:
        with pytest.raises(DatabaseError, match="tidak berhak mengubah skema.*server-init"), \
                backend.migrating("uji"):
            pass
    finally:
        backend.dispose()


def test_server_init_again_changes_nothing_but_rights_and_passwords(server_offices):
    first = server_offices.init()
    with connect_as(server_offices, first, first.owner) as conn:
        # Rights widened by hand are put back.
        conn.execute(f"GRANT UPDATE, DELETE, TRUNCATE ON audit_log TO {first.app_user}")
    again = server_offices.init(first.database)
    assert again.created == ()
    assert set(again.passwords_set) == {first.owner, first.app_user}
    with connect_as(server_offices, first, first.app_user) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE audit_log SET actor = 'lain'")


def test_check_names_who_could_change_the_audit_log(server_offices, tmp_path):
    from kinerja_desktop.services import integrity
    from kinerja_desktop.services.startup import open_context

    result = server_offices.init()
    with connect_as(server_offices, result, result.owner) as conn:
        conn.execute(f"GRANT DELETE ON audit_log TO {result.app_user}")
    ctx = open_context(tmp_path / "pc", database_url=server_offices.url(result))
    try:
        problems = integrity.run_checks(ctx).problems
    finally:
        ctx.dispose()
    assert problems == [f"Pengguna {result.app_user} berhak mengubah atau mengosongkan log "
                        "audit; jalankan server-init lagi untuk memulihkan hak-haknya"]


def test_server_init_refuses_names_it_did_not_make(server_offices):
    cluster = server_offices.cluster
    database, owner, app = server_offices.names()
    server_offices.made.append((database, owner, app))
    cluster.execute(f"CREATE ROLE {app} LOGIN")
    with pytest.raises(DatabaseError, match=f"{app} sudah ada di server dan bukan buatan"):
        server_offices.init(database)
    assert not _exists(cluster, f"SELECT 1 FROM pg_database WHERE datname = '{database}'")
    assert not _exists(cluster, f"SELECT 1 FROM pg_roles WHERE rolname = '{owner}'")
    cluster.execute(f"DROP ROLE {app}")
    cluster.execute(f"CREATE DATABASE {database}")
    with pytest.raises(DatabaseError, match=f"Basis data {database} sudah ada di server dan "
                                            "bukan milik Kinerja Desktop"):
        server_offices.init(database)


def test_server_init_refuses_an_administrator_without_rights(server_offices):
    cluster = server_offices.cluster
    cluster.execute("CREATE ROLE uji_biasa LOGIN")
    try:
        url = server_offices.admin_url.replace("kinerja_uji@", "uji_biasa@")
        from kinerja_desktop.services.server_setup import init_server

        with pytest.raises(DatabaseError, match="uji_biasa tidak berhak membuat basis data"):
            init_server(url, server_offices.passwords, database="tidak_dibuat")
    finally:
        cluster.execute("DROP ROLE uji_biasa")


def test_server_init_refuses_missing_or_weak_passwords(server_offices):
    from kinerja_desktop.services.server_setup import init_server

    database, owner, app = server_offices.names()
    server_offices.made.append((database, owner, app))
    with pytest.raises(DatabaseError, match=f"Kata sandi untuk pengguna server {owner} belum"):
        init_server(server_offices.admin_url, lambda role, exists: None, database=database)
    with pytest.raises(DatabaseError, match="terlalu pendek"):
        init_server(server_offices.admin_url, lambda role, exists: "pendek", database=database)
    assert not _exists(server_offices.cluster,
                       f"SELECT 1 FROM pg_roles WHERE rolname IN ('{owner}', '{app}')")


@pytest.mark.parametrize(("url", "message"), [
    ("postgresql+psycopg://postgres:rahasia@localhost/postgres", "Jangan menulis kata sandi"),
    ("mysql://root@localhost/x", "PostgreSQL"),
    ("postgresql+psycopg://localhost/postgres", "nama penggunanya"),
])
def test_bad_admin_urls_are_refused(url, message):
    with pytest.raises(DatabaseError, match=message):
        admin.parse_admin_url(url)


def test_bad_names_are_refused():
    for name in ("Kinerja", "1kantor", "kantor-baru", "x" * 64, ""):
        with pytest.raises(DatabaseError, match="tidak sah"):
            admin.check_name(name, "basis data")


def test_server_init_command_prints_the_next_steps_never_the_passwords(server_offices,
                                                                      tmp_path):
    database, owner, app = server_offices.names()
    server_offices.made.append((database, owner, app))
    env = {**os.environ, "KINERJA_OWNER_PASSWORD": "pemilik-rahasia-1",
           "KINERJA_APP_PASSWORD": "aplikasi-rahasia-1", "PGPASSFILE": str(tmp_path / "none")}
    proc = subprocess.run(
        [sys.executable, "-m", "kinerja_desktop", "--data-dir", str(tmp_path / "data"),
         "server-init", "--admin-url", server_offices.admin_url, "--database", database,
         "--network", "10.1.2.0/24"],
        capture_output=True, text=True, timeout=180, env=env, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"host {database} {app},{owner} 10.1.2.0/24 scram-sha-256" in out
    assert f"ALAMAT-SERVER:{server_offices.cluster.port}:{database}:{app}:KATA-SANDI-" in out
    assert f"copy-database --to postgresql+psycopg://{owner}@ALAMAT-SERVER" in out
    assert "rahasia-1" not in out + proc.stderr
    # The verifier on the server is SCRAM, the password never stored as text.
    assert _exists(server_offices.cluster, f"SELECT 1 FROM pg_authid WHERE rolname = '{app}' "
                                           "AND rolpassword LIKE 'SCRAM-SHA-256$%'")
    # Without a terminal and without a password for a new role: one line, nothing made.
    other, other_owner, other_app = server_offices.names()
    proc = subprocess.run(
        [sys.executable, "-m", "kinerja_desktop", "--data-dir", str(tmp_path / "data"),
         "server-init", "--admin-url", server_offices.admin_url, "--database", other],
        capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL,
        env={k: v for k, v in env.items() if not k.startswith("KINERJA_")})
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"Gagal: Kata sandi untuk pengguna server {other_owner}")
    assert len(proc.stderr.strip().splitlines()) == 1


def _exists(cluster, query: str) -> bool:
    with psycopg.connect(host="127.0.0.1", port=cluster.port, user="kinerja_uji",
                         dbname="postgres") as conn:
        return conn.execute(query).fetchone() is not None


def admin_revision() -> str:
    from kinerja_desktop.db.migrate import HEAD_REVISION

    return HEAD_REVISION


def test_other_sessions_are_named_and_kept_out(server_offices):
    from sqlalchemy import create_engine

    result = server_offices.init()
    other = connect_as(server_offices, result, result.app_user,
                       application_name="Kinerja Desktop PC-BIDANG/budi")
    engine = create_engine(server_offices.url(result, result.owner))
    try:
        with engine.connect() as conn:
            sessions = admin.other_sessions(conn)
            assert [(s.user, s.application) for s in sessions] == [
                (result.app_user, "Kinerja Desktop PC-BIDANG/budi")]
            assert "Kinerja Desktop PC-BIDANG/budi (pengguna" in sessions[0].label
            other.close()
            grantees = admin.keep_out(conn)
            assert grantees == [result.app_user]
            with pytest.raises(psycopg.OperationalError, match="permission denied"):
                connect_as(server_offices, result, result.app_user).close()
            admin.let_in(conn, grantees)
            conn.execute(text("SELECT 1"))
        connect_as(server_offices, result, result.app_user).close()
    finally:
        other.close()
        engine.dispose()


def test_check_finds_rows_loaded_past_the_foreign_keys(ctx):
    """Data loaded with the server's checks switched off (replica mode) is found row by row."""
    from kinerja_desktop.services import integrity

    if not ctx.backend.is_server:
        pytest.skip("hanya untuk server PostgreSQL (--engine=postgresql)")
    with ctx.engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("INSERT INTO person_roles (person_id, role) VALUES (9999, 'kasubag')"))
    report = integrity.run_checks(ctx)
    assert "Kunci asing rusak: 1 baris person_roles (person_id) tanpa baris people" \
        in report.problems
