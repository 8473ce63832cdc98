"""Attachment files in the database: streamed in pieces, registered in the same
transaction as their row (a killed writer leaves nothing behind), and the files of an
earlier version's ``lampiran/`` folder moved in at start-up."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from kinerja_desktop.db.models import Evidence, StoredFile, StoredFileChunk
from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.services import demo, entries, files, office
from kinerja_desktop.services.integrity import run_checks


@pytest.fixture
def office_ctx(ctx):
    demo.build_demo(ctx, year=2025, teams=2, indicators=1, through_step=3)
    return ctx


@pytest.fixture
def filled_ctx(ctx):
    """The demo office through step 4: teams have attached evidence files."""
    demo.build_demo(ctx, year=2025, teams=2, indicators=2, through_step=4)
    return ctx


def _editable_item(ctx) -> tuple[int, int]:
    """(member id, item id) of a first team's item that may take evidence now."""
    from kinerja_desktop.services import accounts, cycles, formats, teams

    cycle = cycles.list_cycles(ctx)[0]
    team = teams.list_teams(ctx)[0]
    member = next(m.person_id for m in team.members if not m.is_lead)
    assert accounts.get_person(ctx, member).active
    return member, formats.format_items(ctx, cycle.id, team.id)[0].id


def _big_file(path: Path, megabytes: int) -> Path:
    block = hashlib.sha256(b"bukti").digest() * (1024 * 1024 // 32)
    with path.open("wb") as fh:
        for i in range(megabytes):
            fh.write(bytes([i % 251]) + block[1:])
    return path


def _limit(ctx, megabytes: int) -> None:
    from kinerja_desktop.db.models import Setting

    with ctx.transaction() as session:
        session.merge(Setting(key=office.EVIDENCE_LIMIT_KEY, value=str(megabytes * 1048576)))


def test_a_large_file_goes_in_and_out_in_pieces(office_ctx, tmp_path):
    member, item = _editable_item(office_ctx)
    _limit(office_ctx, 40)
    source = _big_file(tmp_path / "pindaian besar.pdf", 24)
    tracemalloc.start()
    try:
        view = entries.attach_evidence(office_ctx, member, item, source)
        _, peak_in = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        out = tmp_path / "keluar.pdf"
        files.copy_out(office_ctx, view.evidence[-1].sha256, out)
        _, peak_out = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out.read_bytes() == source.read_bytes()
    # 24 MB went through; never more than a few pieces of 1 MB were held at once.
    assert peak_in < 8 * 1048576 and peak_out < 8 * 1048576, (peak_in, peak_out)
    with office_ctx.read() as session:
        stored = session.get(StoredFile, view.evidence[-1].sha256)
        assert (stored.size, stored.name, stored.mime) == (
            24 * 1048576, "pindaian besar.pdf", "application/pdf")
        assert session.scalar(select(func.count()).select_from(StoredFileChunk)
                              .where(StoredFileChunk.sha256 == stored.sha256)) == 24


def test_too_large_a_file_is_refused_in_indonesian(office_ctx, tmp_path):
    member, item = _editable_item(office_ctx)
    _limit(office_ctx, 2)
    before = run_checks(office_ctx).notes
    with pytest.raises(ValidationError, match=r"terlalu besar \(3,0 MB\); batasnya 2 MB"):
        entries.attach_evidence(office_ctx, member, item, _big_file(tmp_path / "besar.pdf", 3))
    assert run_checks(office_ctx).notes == before


def test_the_same_content_is_stored_once(office_ctx, tmp_path):
    from kinerja_desktop.services import cycles, formats, teams

    member, item = _editable_item(office_ctx)
    cycle = cycles.list_cycles(office_ctx)[0]
    other = formats.format_items(office_ctx, cycle.id, teams.list_teams(office_ctx)[0].id)
    one = tmp_path / "satu.pdf"
    one.write_bytes(b"%PDF-1.4 sama")
    two = tmp_path / "dua.pdf"
    two.write_bytes(b"%PDF-1.4 sama")
    entries.attach_evidence(office_ctx, member, item, one)
    if len(other) > 1:
        entries.attach_evidence(office_ctx, member, other[1].id, two)
    with office_ctx.read() as session:
        sha = hashlib.sha256(b"%PDF-1.4 sama").hexdigest()
        assert session.scalar(select(func.count()).select_from(StoredFile)
                              .where(StoredFile.sha256 == sha)) == 1


def test_damaged_content_is_not_handed_out(office_ctx, tmp_path):
    member, item = _editable_item(office_ctx)
    source = tmp_path / "bukti.pdf"
    source.write_bytes(b"%PDF-1.4 isi asli")
    sha = entries.attach_evidence(office_ctx, member, item, source).evidence[-1].sha256
    with office_ctx.engine.begin() as conn:
        conn.execute(text("UPDATE stored_file_chunks SET data = :bad WHERE sha256 = :sha"),
                     {"bad": b"%PDF-1.4 isi palsu", "sha": sha})
    target = tmp_path / "keluar.pdf"
    with pytest.raises(ValidationError, match="rusak di basis data"):
        files.copy_out(office_ctx, sha, target)
    assert not target.exists() and not list(tmp_path.glob(".*.tmp"))


# --------------------------------------------------------------------------- killed writer


CHILD = r"""
import sys
from pathlib import Path
from kinerja_desktop.services import entries, files
from kinerja_desktop.services.startup import open_context

root, url, member, item, source = sys.argv[1:6]
ctx = open_context(Path(root), database_url=url or None)
original = files._write_content

def slow_write(session, sha, size, path):
    # After the first pieces are sent, say so and wait to be killed.
    from sqlalchemy import insert
    from kinerja_desktop.db.models import StoredFileChunk
    with open(path, "rb") as fh:
        for position in range(3):
            session.execute(insert(StoredFileChunk),
                            {"sha256": sha, "position": position, "data": fh.read(files.CHUNK)})
    session.flush()
    print("setengah", flush=True)
    sys.stdin.read()

files._write_content = slow_write
entries.attach_evidence(ctx, int(member), int(item), Path(source))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL needs POSIX")
def test_killed_while_attaching_leaves_no_file_and_no_record(office_ctx, tmp_path):
    member, item = _editable_item(office_ctx)
    _limit(office_ctx, 40)
    source = _big_file(tmp_path / "besar.pdf", 8)
    url = office_ctx.backend.url.render_as_string(hide_password=False) \
        if office_ctx.backend.is_server else ""
    with office_ctx.read() as session:
        evidence_before = session.scalar(select(func.count()).select_from(Evidence))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(office_ctx.data_dir.root), url, str(member), str(item),
         str(source)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "setengah"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    with office_ctx.read() as session:
        assert session.get(StoredFile, sha) is None
        assert session.scalar(select(func.count()).select_from(StoredFileChunk)
                              .where(StoredFileChunk.sha256 == sha)) == 0
        assert session.scalar(select(func.count()).select_from(Evidence)) == evidence_before
    report = run_checks(office_ctx)
    assert report.ok, report.problems
    # The same file can be attached afterwards.
    view = entries.attach_evidence(office_ctx, member, item, source)
    assert view.evidence[-1].sha256 == sha


# --------------------------------------------------------------------------- old data folders


def _as_earlier_version(ctx, damage: bool, stray: bool = True) -> dict[str, bytes]:
    """Turn a data folder at head into one of revision 0001: files in lampiran/ab/<sha>."""
    from alembic import command

    from kinerja_desktop.db import migrate

    with ctx.read() as session:
        contents = {sha: b"".join(files.iter_content(session, sha))
                    for sha in session.scalars(select(StoredFile.sha256))}
    folder = ctx.data_dir.attachments
    for sha, data in contents.items():
        (folder / sha[:2]).mkdir(parents=True, exist_ok=True)
        (folder / sha[:2] / sha).write_bytes(data)
    with ctx.backend.migrating(migrate.MIGRATION_LOCK) as conn:
        command.downgrade(migrate.alembic_config(conn), "0001_initial")
    ctx.dispose()
    shas = sorted(contents)
    if damage:
        first = folder / shas[0][:2] / shas[0]
        first.write_bytes(b"rusak" + first.read_bytes()[5:])
        (folder / shas[1][:2] / shas[1]).unlink()
    if stray:
        orphan = folder / "ab" / ("ab" + "0" * 62)
        orphan.parent.mkdir(parents=True, exist_ok=True)
        orphan.write_bytes(b"berkas yatim dari versi lama")
    return contents


@pytest.mark.sqlite_only("an earlier version's data folder held its files beside the SQLite file")
def test_earlier_folder_is_moved_into_the_database(filled_ctx, tmp_path):
    from kinerja_desktop.db.backends.sqlite import stored_revision
    from kinerja_desktop.services.startup import open_context

    root = filled_ctx.data_dir.root
    contents = _as_earlier_version(filled_ctx, damage=False)
    assert len(contents) >= 2
    assert stored_revision(root / "kinerja.sqlite3") == "0001_initial"
    ctx = open_context(root)
    try:
        assert not (root / "lampiran").exists()
        (kept,) = root.glob("lampiran-lama-*")
        assert sorted(p.name for p in kept.glob("*/*")) == sorted([*contents, "ab" + "0" * 62])
        assert "telah disalin ke basis data" in (kept / files.LEGACY_NOTE).read_text()
        for sha, data in contents.items():
            out = tmp_path / sha
            files.copy_out(ctx, sha, out)
            assert out.read_bytes() == data
        report = run_checks(ctx)
        assert report.ok, report.problems
        assert list((root / "cadangan").glob("sebelum-migrasi-0001_initial-*.sqlite3"))
    finally:
        ctx.dispose()


@pytest.mark.sqlite_only("an earlier version's data folder held its files beside the SQLite file")
def test_damaged_or_missing_old_files_are_kept_and_reported(filled_ctx):
    from kinerja_desktop.services.startup import open_context

    root = filled_ctx.data_dir.root
    contents = _as_earlier_version(filled_ctx, damage=True)
    shas = sorted(contents)
    ctx = open_context(root)
    try:
        (kept,) = root.glob("lampiran-lama-*")
        note = (kept / files.LEGACY_NOTE).read_text()
        assert "rusak" in note and shas[0] in note
        assert "tidak ada di folder lama" in note and shas[1] in note
        assert (kept / shas[0][:2] / shas[0]).exists()  # kept, never deleted
        problems = run_checks(ctx).problems
        assert sorted(p for p in problems if "hilang" in p) == sorted(
            p for p in problems if shas[0] in p or shas[1] in p)
        assert len(problems) == 2
    finally:
        ctx.dispose()


@pytest.mark.sqlite_only("a backup of an earlier version carries its lampiran/ files")
def test_backup_of_an_earlier_version_restores_with_its_files(filled_ctx, tmp_path):
    from kinerja_desktop.paths import DataDir
    from kinerja_desktop.services import backup, restore
    from kinerja_desktop.services.startup import open_context

    contents = _as_earlier_version(filled_ctx, damage=False, stray=False)
    old = backup.backup(DataDir(filled_ctx.data_dir.root), tmp_path / "lama.zip")
    assert old.schema_revision == "0001_initial" and old.attachment_count == len(contents)
    target = tmp_path / "pulih"
    restore.restore(DataDir(target), old.path)
    ctx = open_context(target)
    try:
        for sha, data in contents.items():
            files.copy_out(ctx, sha, tmp_path / "keluar")
            assert (tmp_path / "keluar").read_bytes() == data
        assert run_checks(ctx).ok
        assert not (target / "lampiran").exists() and list(target.glob("lampiran-lama-*"))
    finally:
        ctx.dispose()
