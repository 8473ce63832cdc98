"""Issue 12 item 11: a full disk, a full database, a locked database — wherever the
program writes (a backup, an attachment, saving an entry, an export) the user reads one
Indonesian line naming the file (or the server's database), never the operating
system's English words ("No space left on device") nor a raw SQL error."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from kinerja_desktop.domain.errors import BusyError, DatabaseProblem, FileProblem, KinerjaError
from kinerja_desktop.system_messages import describe_failure, describe_os_error, user_text

#: errno -> a word of its Indonesian reason.
OS_FAULTS = {
    errno.ENOSPC: "Disk penuh",
    errno.EDQUOT: "kuota disk",
    errno.EACCES: "Izin ditolak",
    errno.EPERM: "tidak diizinkan",
    errno.EROFS: "hanya dapat dibaca",
    errno.EIO: "kesalahan baca/tulis",
    errno.EFBIG: "terlalu besar",
    errno.ENAMETOOLONG: "terlalu panjang",
}
ENGLISH = ("No space", "Permission denied", "Read-only", "Input/output", "quota", "Errno",
           "database or disk is full", "database is locked", "OperationalError",
           "not permitted", "too large", "too long")


def _fault(code: int, filename: str | None = None) -> OSError:
    """The error the operating system raises, with its own (English) text."""
    return OSError(code, os.strerror(code), filename)


def assert_indonesian(message: str, word: str, names: object) -> None:
    """One line, the Indonesian reason, the file named, no English system text."""
    assert "\n" not in message, message
    assert word.lower() in message.lower(), message
    assert str(names) in message, message
    for english in ENGLISH:
        assert english not in message, (english, message)


# --------------------------------------------------------------------------- the mapping


@pytest.mark.parametrize("code", list(OS_FAULTS))
def test_every_os_fault_is_one_indonesian_line_naming_the_file(code, tmp_path):
    target = tmp_path / "cadangan.zip"
    assert_indonesian(describe_os_error(_fault(code), target), OS_FAULTS[code], target)
    assert_indonesian(describe_failure(_fault(code, str(target))), OS_FAULTS[code], target)
    assert_indonesian(user_text(_fault(code, str(target))), OS_FAULTS[code], target)


@pytest.mark.parametrize("text, word", [
    ("database or disk is full", "penuh"),
    ("database is locked", "dikunci"),
    ("disk I/O error", "baca/tulis"),
    ("attempt to write a readonly database", "hanya dapat dibaca"),
])
def test_sqlite_failures_name_the_database_file(text, word, tmp_path):
    database = tmp_path / "kinerja.sqlite3"
    wrapped = RuntimeError("pembungkus")
    wrapped.__cause__ = sqlite3.OperationalError(text)
    assert_indonesian(describe_failure(wrapped, database), word, database)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def office3(ctx):
    """A demo office through step 3: a team member may fill and attach."""
    from kinerja_desktop.services import cycles, demo, entries, teams

    demo.build_demo(ctx, teams=1, indicators=2, through_step=3)
    cycle = cycles.active_cycle(ctx)
    team = teams.list_teams(ctx)[0]
    member = next(m.person_id for m in team.members if not m.is_lead)
    item = entries.list_team_items(ctx, cycle.id, team.id)[0]
    return cycle, team, member, item


def _full_sqlite(ctx) -> None:
    """Make the SQLite file unable to grow (SQLite's own "database or disk is full")."""
    engine = ctx.backend.write_engine

    @event.listens_for(engine, "connect")
    def _no_growth(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA max_page_count = 1")  # = its size now

    engine.dispose()


def _raise_on_write(ctx, monkeypatch, error: Exception, table: str) -> None:
    """The database driver answers every write to ``table`` with ``error`` (what the
    server or SQLite sends when its disk is full or the row is locked)."""
    dialect = ctx.backend.write_engine.dialect
    real = dialect.do_execute

    def execute(cursor, statement, parameters, context=None):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE")) and table in statement:
            raise error
        return real(cursor, statement, parameters, context)

    monkeypatch.setattr(dialect, "do_execute", execute)


def _disk_full_error(ctx) -> Exception:
    if ctx.backend.is_server:
        import psycopg

        return psycopg.errors.DiskFull("could not extend file: No space left on device")
    return sqlite3.OperationalError("database or disk is full")


def _where(ctx) -> str:
    return ctx.backend.location


def _entry(item, **changes):
    return item.values.__class__(**{**item.values.__dict__, **changes})


# --------------------------------------------------------------------------- saving an entry


@pytest.mark.sqlite_only("fills the SQLite file itself (max_page_count)")
def test_saving_an_entry_into_a_full_database_names_the_file(ctx, office3):
    from kinerja_desktop.services import entries

    cycle, team, member, item = office3
    _full_sqlite(ctx)
    long = "Penjelasan panjang. " * 190
    with pytest.raises(DatabaseProblem) as refused:
        entries.save_entry(ctx, member, item.item_id, _entry(
            item, actual=42.0, explanation=long, supporting=long, inhibiting=long,
            follow_up=long))
    assert_indonesian(str(refused.value), "penuh", ctx.backend.location)
    assert entries.get_item(ctx, item.item_id).values.actual is None  # nothing saved


def test_saving_an_entry_when_the_disk_is_full_names_the_database(ctx, office3, monkeypatch):
    from kinerja_desktop.services import entries

    cycle, team, member, item = office3
    _raise_on_write(ctx, monkeypatch, _disk_full_error(ctx), "item_entries")
    with pytest.raises(DatabaseProblem) as refused:
        entries.save_entry(ctx, member, item.item_id, _entry(item, actual=42.0))
    assert_indonesian(str(refused.value), "penuh", _where(ctx))
    monkeypatch.undo()
    assert entries.get_item(ctx, item.item_id).values.actual is None


@pytest.mark.sqlite_only("holds the SQLite file's write lock from a second connection")
def test_saving_an_entry_while_the_database_is_locked_names_the_file(ctx, office3,
                                                                      monkeypatch):
    from kinerja_desktop.db.backends import sqlite as sqlite_backend
    from kinerja_desktop.services import context as context_module
    from kinerja_desktop.services import entries
    from kinerja_desktop.services.startup import open_existing_context

    cycle, team, member, item = office3
    monkeypatch.setattr(sqlite_backend, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(context_module, "RETRY_POLICY",
                        context_module.RetryPolicy(attempts=2, first_delay_s=0.05))
    fresh = open_existing_context(ctx.data_dir.root)
    holder = sqlite3.connect(ctx.backend.location, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(BusyError) as refused:
            entries.save_entry(fresh, member, item.item_id, _entry(item, actual=42.0))
    finally:
        holder.rollback()
        holder.close()
        fresh.dispose()
    assert_indonesian(str(refused.value), "sibuk", ctx.backend.location)
    assert entries.get_item(ctx, item.item_id).values.actual is None


def test_a_locked_row_on_the_server_names_the_database(ctx, office3, monkeypatch, databases):
    """A lock the server would not wait for (or SQLite's busy file): the busy line names
    the database, after the service tried again by itself."""
    from kinerja_desktop.services import context as context_module
    from kinerja_desktop.services import entries

    cycle, team, member, item = office3
    if databases.server:
        import psycopg

        error: Exception = psycopg.errors.LockNotAvailable("could not obtain lock on row")
    else:
        error = sqlite3.OperationalError("database is locked")
    monkeypatch.setattr(context_module, "RETRY_POLICY",
                        context_module.RetryPolicy(attempts=2, first_delay_s=0.01))
    _raise_on_write(ctx, monkeypatch, error, "item_entries")
    with pytest.raises(BusyError) as refused:
        entries.save_entry(ctx, member, item.item_id, _entry(item, actual=42.0))
    assert_indonesian(str(refused.value), "sibuk", _where(ctx))
    if databases.server:
        assert "di server" in str(refused.value)


# --------------------------------------------------------------------------- attachments


@pytest.mark.sqlite_only("fills the SQLite file itself (max_page_count)")
def test_attaching_into_a_full_database_names_it_and_registers_nothing(ctx, office3, tmp_path):
    from kinerja_desktop.db.models import Evidence, StoredFile, StoredFileChunk
    from kinerja_desktop.services import entries

    cycle, team, member, item = office3
    scan = tmp_path / "sk-kepala-desa.pdf"
    scan.write_bytes(os.urandom(300_000))
    _full_sqlite(ctx)
    with pytest.raises(DatabaseProblem) as refused:
        entries.attach_evidence(ctx, member, item.item_id, scan)
    assert_indonesian(str(refused.value), "penuh", ctx.backend.location)
    with ctx.read() as session:
        for model in (Evidence, StoredFile, StoredFileChunk):
            assert session.scalar(select(func.count()).select_from(model)) == 0


def test_attaching_when_the_disk_is_full_names_the_database(ctx, office3, tmp_path,
                                                            monkeypatch):
    from kinerja_desktop.db.models import Evidence
    from kinerja_desktop.services import entries

    cycle, team, member, item = office3
    scan = tmp_path / "foto.jpg"
    scan.write_bytes(b"\xff\xd8" + os.urandom(5000))
    _raise_on_write(ctx, monkeypatch, _disk_full_error(ctx), "stored_file")
    with pytest.raises(DatabaseProblem) as refused:
        entries.attach_evidence(ctx, member, item.item_id, scan)
    assert_indonesian(str(refused.value), "penuh", _where(ctx))
    monkeypatch.undo()
    with ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(Evidence)) == 0


@pytest.mark.parametrize("code", [errno.EACCES, errno.EIO, errno.ENOENT])
def test_an_unreadable_attachment_is_named_in_indonesian(ctx, office3, tmp_path, monkeypatch,
                                                         code):
    from kinerja_desktop.services import entries

    cycle, team, member, item = office3
    scan = tmp_path / "surat.pdf"
    scan.write_bytes(b"%PDF-1.4 isi")
    real_open = Path.open

    def refusing_open(self, *args, **kwargs):
        if self == scan:
            raise _fault(code, str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    with pytest.raises(FileProblem) as refused:
        entries.attach_evidence(ctx, member, item.item_id, scan)
    word = {errno.EACCES: "Izin ditolak", errno.EIO: "kesalahan baca/tulis",
            errno.ENOENT: "tidak ditemukan"}[code]
    assert_indonesian(str(refused.value), word, scan)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_copying_an_attachment_out_to_a_full_disk_names_the_target(ctx, office3, tmp_path,
                                                                   monkeypatch, code):
    from kinerja_desktop.services import entries, files

    cycle, team, member, item = office3
    scan = tmp_path / "surat.pdf"
    scan.write_bytes(b"%PDF-1.4 isi " * 1000)
    view = entries.attach_evidence(ctx, member, item.item_id, scan)
    sha = view.evidence[0].sha256
    target = tmp_path / "keluar" / "surat.pdf"
    target.parent.mkdir()
    real_open = Path.open

    class FullDisk:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def write(self, _data):
            raise _fault(code)

    def full_open(self, mode="r", *args, **kwargs):
        if self.parent == target.parent and "w" in mode:
            return FullDisk()
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", full_open)
    with pytest.raises(FileProblem) as refused:
        files.copy_out(ctx, sha, target)
    assert_indonesian(str(refused.value), OS_FAULTS[code], target)
    assert list(target.parent.iterdir()) == []  # no temporary file left behind


# --------------------------------------------------------------------------- backup


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES,
                                  errno.EIO])
def test_a_backup_the_destination_cannot_hold_names_the_destination(ctx, office3, tmp_path,
                                                                     monkeypatch, code):
    from kinerja_desktop.services import backup

    out = tmp_path / "flashdisk" / "cadangan.zip"

    def failing(zf, *args, **kwargs):
        raise _fault(code)

    monkeypatch.setattr(backup, "_write_entries", failing)
    with pytest.raises(backup.BackupError) as refused:
        backup.backup(ctx, out)
    assert_indonesian(str(refused.value), OS_FAULTS[code], out)
    assert not isinstance(refused.value, backup.DamagedDataError)
    assert list(out.parent.iterdir()) == []  # nothing half-written stays behind


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.ENOSPC])
def test_a_backup_destination_that_refuses_the_file_is_named(ctx, office3, tmp_path,
                                                             monkeypatch, code):
    from kinerja_desktop.services import backup

    out = tmp_path / "flashdisk" / "cadangan.zip"

    def refusing(*args, **kwargs):
        raise _fault(code, str(out.parent))

    monkeypatch.setattr(backup.tempfile, "mkstemp", refusing)
    with pytest.raises(backup.BackupError) as refused:
        backup.backup(ctx, out)
    assert_indonesian(str(refused.value), OS_FAULTS[code], out)


@pytest.mark.parametrize("text, word, names", [
    ("database or disk is full", "penuh", "copy"),
    ("database is locked", "dikunci", "database"),
])
def test_a_snapshot_that_meets_a_full_disk_or_a_lock_is_no_damage(ctx, office3, monkeypatch,
                                                                  tmp_path, text, word, names):
    """The copy of the database made first (inside the data folder): a full disk or a
    writer's lock is said as such, naming the file; never "data rusak"."""
    from kinerja_desktop.services import backup

    seen: list[Path] = []

    def failing(target: Path) -> None:
        seen.append(target)
        raise sqlite3.OperationalError(text)

    monkeypatch.setattr(ctx.backend, "write_snapshot", failing)
    with pytest.raises(backup.BackupError) as refused:
        backup.backup(ctx, tmp_path / "cadangan.zip")
    assert not isinstance(refused.value, backup.DamagedDataError)
    assert_indonesian(str(refused.value), word,
                      seen[0] if names == "copy" else ctx.backend.location)


def test_a_snapshot_the_folder_cannot_hold_is_named(ctx, office3, monkeypatch, tmp_path):
    from kinerja_desktop.services import backup

    def failing(target: Path) -> None:
        raise _fault(errno.ENOSPC, str(target))

    monkeypatch.setattr(ctx.backend, "write_snapshot", failing)
    with pytest.raises(backup.BackupError) as refused:
        backup.backup(ctx, tmp_path / "cadangan.zip")
    assert_indonesian(str(refused.value), "Disk penuh", ctx.data_dir.root)


# --------------------------------------------------------------------------- export


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT])
def test_an_export_to_a_full_or_locked_disk_names_the_file(tmp_path, monkeypatch, code):
    from kinerja_desktop import atomic

    out = tmp_path / "usb" / "format-tim.xlsx"
    real_fdopen = os.fdopen

    def full_fdopen(fd, *args, **kwargs):
        handle = real_fdopen(fd, *args, **kwargs)

        def write(_data):
            raise _fault(code)

        handle.write = write
        return handle

    monkeypatch.setattr(atomic.os, "fdopen", full_fdopen)
    with pytest.raises(FileProblem) as refused:
        atomic.write_chosen_file(out, b"isi")
    assert_indonesian(str(refused.value), OS_FAULTS[code], out)
    assert list(out.parent.iterdir()) == []


def test_the_export_command_on_a_full_disk_prints_one_indonesian_line(ctx, office3, tmp_path,
                                                                      monkeypatch, capsys,
                                                                      cli_args):
    from kinerja_desktop import atomic
    from kinerja_desktop.cli import main

    cycle, team, member, item = office3
    out = tmp_path / "usb" / "format.xlsx"

    def full(*args, **kwargs):
        raise _fault(errno.ENOSPC, str(out.parent / ".format.xlsx.abc.tmp"))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", full)
    assert main([*cli_args(ctx), "export-format", "--year", str(cycle.year), "--team",
                 team.name, "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Gagal: Berkas tidak dapat disimpan.")
    assert_indonesian(err, "Disk penuh", out)
    assert ".tmp" not in err


def test_the_window_shows_an_os_failure_in_indonesian(tmp_path):
    """What ui.common.show_error and the export dialogs put in their message box."""
    target = tmp_path / "laporan.pdf"
    assert_indonesian(user_text(_fault(errno.ENOSPC, str(target))), "Disk penuh", target)
    refusal = KinerjaError("Isian terlalu panjang.")
    assert user_text(refusal) == "Isian terlalu panjang."

