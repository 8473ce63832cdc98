"""Where the data lives: the URL, the seam's engine-specific parts, the command line on a
server without a local SQLite file."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from kinerja_desktop.db.backends import DatabaseError, backend_for
from kinerja_desktop.db.backends.postgresql import parse_server_url
from kinerja_desktop.paths import DataDir


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kinerja_desktop", *args], capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.parametrize(("url", "message"), [
    ("postgresql+psycopg://admin:rahasia@server/kinerja", "Jangan menulis kata sandi"),
    ("sqlite:///kinerja.sqlite3", "--data-dir"),
    ("mysql://u@server/kinerja", "PostgreSQL"),
    ("postgresql+psycopg2://u@server/kinerja", "psycopg"),
    ("postgresql+psycopg://u@server", "nama basis datanya"),
    ("bukan url", "tidak sah"),
])
def test_bad_database_urls_are_refused(url, message):
    with pytest.raises(DatabaseError, match=message):
        parse_server_url(url)


def test_plain_postgresql_url_uses_psycopg():
    url = parse_server_url("postgresql://kasubag@192.168.1.10:5433/kinerja?sslmode=prefer")
    assert url.drivername == "postgresql+psycopg"
    assert (url.username, url.host, url.port, url.database) == (
        "kasubag", "192.168.1.10", 5433, "kinerja")
    assert url.query == {"sslmode": "prefer"}


def test_bad_url_on_the_command_line_is_one_indonesian_line(tmp_path):
    proc = run("--data-dir", str(tmp_path / "data"), "--database-url",
               "postgresql://kasubag:rahasia@server/kinerja", "check")
    assert proc.returncode == 1
    assert proc.stderr.startswith("Gagal: Jangan menulis kata sandi")
    assert len(proc.stderr.strip().splitlines()) == 1 and "rahasia" not in proc.stderr


def test_unreachable_server_is_one_indonesian_line(tmp_path):
    proc = run("--data-dir", str(tmp_path / "data"), "--database-url",
               "postgresql+psycopg://kasubag@127.0.0.1:1/kinerja", "demo", timeout=120)
    assert proc.returncode == 1
    assert "tidak dapat dipakai: server tidak menerima sambungan" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert not list((tmp_path / "data").glob("*.sqlite3"))


def test_sqlite_default_never_imports_psycopg(tmp_path):
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from kinerja_desktop.services.startup import open_context\n"
        "from kinerja_desktop.services import cycles\n"
        f"ctx = open_context(Path({str(tmp_path / 'data')!r}))\n"
        "cycles.list_cycles(ctx)\n"
        "ctx.dispose()\n"
        "print(sorted(m for m in sys.modules if m.startswith('psycopg')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_backup_of_either_engine_restores_into_a_sqlite_folder(ctx, tmp_path):
    """The backup format is one: a server's backup is an SQLite snapshot of its rows."""
    from kinerja_desktop.db.models import AuditEntry, Base, Person
    from kinerja_desktop.services import backup, demo, restore
    from kinerja_desktop.services.startup import open_existing_context

    demo.build_demo(ctx, year=2025, teams=2, indicators=2, through_step=6)
    info = backup.backup(ctx, tmp_path / "cadangan.zip")
    assert zipfile.ZipFile(info.path).testzip() is None

    def rows(context):
        with context.engine.connect() as conn:
            return {t.name: sorted(map(tuple, conn.execute(select(t))), key=repr)
                    for t in Base.metadata.sorted_tables}

    original = rows(ctx)
    restored_root = tmp_path / "pulih"
    restore.restore(DataDir(restored_root), info.path)
    restored = open_existing_context(restored_root)
    try:
        found = rows(restored)
        # The restore itself is written to the restored audit log, after everything else.
        restores = [r for r in found["audit_log"] if r[4] == "cadangan.pulihkan"]
        assert len(restores) == 1 and restores[0][3] == "pemulihan tanpa akun"
        found["audit_log"] = [r for r in found["audit_log"] if r not in restores]
        assert found == original
        with restored.read() as session:
            assert session.scalar(select(func.count()).select_from(Person)) > 3
            assert session.scalar(select(func.count()).select_from(AuditEntry)) > 10
        with pytest.raises(Exception, match="append-only"), restored.engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_log"))
    finally:
        restored.dispose()


def test_server_clock_is_the_servers(ctx):
    if not ctx.backend.is_server:
        assert abs(ctx.now() - datetime.now(UTC)) < timedelta(seconds=5)
        return
    with ctx.engine.connect() as conn:
        server = conn.execute(text("SELECT clock_timestamp()")).scalar_one()
    assert abs(ctx.now() - server) < timedelta(seconds=2)
    assert ctx.now().tzinfo is not None


class _FakeServer:
    """An engine whose server answers ``clock_timestamp()`` with ``now``, or not at all."""

    def __init__(self, now: datetime) -> None:
        self.now, self.up, self.asked = now, True, 0

    def connect(self):
        from contextlib import contextmanager

        from sqlalchemy.exc import OperationalError

        server = self

        @contextmanager
        def connection():
            server.asked += 1
            if not server.up:
                raise OperationalError("SELECT 1", {}, Exception("server tidak menjawab"))

            class _Conn:
                def execute(self, _statement):
                    class _Result:
                        def scalar_one(self):
                            return server.now
                    return _Result()
            yield _Conn()

        return connection()


def test_server_clock_goes_on_when_the_server_is_gone(monkeypatch):
    """The server's time, carried forward between readings; when the server stops
    answering, the last reading goes on (before any reading, this PC's clock), and the
    server is asked again only a resync interval later."""
    from kinerja_desktop.db.backends import postgresql

    mono = [1000.0]
    monkeypatch.setattr(postgresql.time, "monotonic", lambda: mono[0])
    ten_ahead = datetime.now(UTC) + timedelta(minutes=10)
    server = _FakeServer(ten_ahead)
    clock = postgresql.ServerClock(server, resync_s=60)  # type: ignore[arg-type]

    assert clock() == ten_ahead and server.asked == 1
    mono[0] += 30
    assert clock() == ten_ahead + timedelta(seconds=30) and server.asked == 1
    server.up = False
    mono[0] += 40  # a reading is due: the server does not answer
    assert clock() == ten_ahead + timedelta(seconds=70) and server.asked == 2
    mono[0] += 30  # not asked again before the interval
    assert clock() == ten_ahead + timedelta(seconds=100) and server.asked == 2
    server.up, server.now = True, ten_ahead + timedelta(seconds=200)
    mono[0] += 30
    assert clock() == ten_ahead + timedelta(seconds=200) and server.asked == 3

    never = _FakeServer(ten_ahead)
    never.up = False
    fallback = postgresql.ServerClock(never, resync_s=60)  # type: ignore[arg-type]
    assert abs(fallback() - datetime.now(UTC)) < timedelta(seconds=5)
    assert fallback().tzinfo is not None and never.asked == 1


def test_integrity_checks_of_the_engine(ctx):
    with ctx.engine.connect() as conn:
        result = ctx.backend.integrity_checks(conn)
    assert result.problems == [] and result.notes
    if ctx.backend.is_server:
        with ctx.engine.begin() as conn:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"))
        with ctx.engine.connect() as conn:
            problems = ctx.backend.integrity_checks(conn).problems
        assert problems == ["Pemicu audit_log_no_change (log audit hanya-tambah) dinonaktifkan"]


def test_server_commands_write_no_local_database(databases, tmp_path):
    """demo, check and report on a fresh server database; the data folder keeps no
    SQLite file (the done-when of the concurrency issue)."""
    if not databases.server:
        pytest.skip("hanya untuk server PostgreSQL")
    url = databases.fresh(empty=True)
    root = tmp_path / "data"
    options = ["--data-dir", str(root), "--database-url", url]
    proc = run(*options, "demo", "--through-step", "7")
    assert proc.returncode == 0, proc.stderr
    proc = run(*options, "check")
    assert proc.returncode == 0 and "tidak ada masalah" in proc.stdout, proc.stdout + proc.stderr
    assert "PostgreSQL" in proc.stdout
    year = str(datetime.now(UTC).year - 1)
    proc = run(*options, "report", "--year", year, "--out", str(tmp_path / "laporan.pdf"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "laporan.pdf").read_bytes().startswith(b"%PDF")
    assert not list(root.rglob("*.sqlite3*")) and not list(tmp_path.glob("*.sqlite3*"))
    backend = backend_for(DataDir(root), url)
    try:
        assert backend.stored_revision() is not None
    finally:
        backend.dispose()
        databases.drop(url)


def test_a_role_without_connect_on_the_database_is_named_as_such():
    """The owner of one office database trying another one (server-init names the roles
    after the database) is told it may be the wrong user, not only "being restored"."""
    from kinerja_desktop.db.backends.postgresql import describe_connection_error

    error = Exception('connection failed: FATAL:  permission denied for database "kinerja_draf"'
                      "\nDETAIL:  User does not have CONNECT privilege.")
    text = describe_connection_error(error, "127.0.0.1:55432/kinerja_draf")
    assert text.startswith("Server basis data 127.0.0.1:55432/kinerja_draf tidak dapat dipakai: ")
    assert "bukan pengguna basis data itu" in text and "sedang dipulihkan" in text
    assert "permission" not in text
