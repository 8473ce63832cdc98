"""copy-database: an office kept in a data folder's SQLite file moved onto a server."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from kinerja_desktop.db.backends import DatabaseError

YEAR = 2025


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def rows_of(ctx) -> dict[str, list]:
    from kinerja_desktop.db.models import Base

    with ctx.engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(select(t))), key=repr)
                for t in Base.metadata.sorted_tables}


def test_copy_database_moves_the_office_and_the_server_prints_the_same_document(
        server_offices, sqlite_office, tmp_path):
    from kinerja_desktop.db.models import AuditEntry, Document
    from kinerja_desktop.services import accounts, cycles, documents, teams
    from kinerja_desktop.services.document_data.compiled_report import compiled_report_data
    from kinerja_desktop.services.startup import open_existing_context

    init = server_offices.init()
    owner_url = server_offices.url(init, init.owner)
    proc = subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir",
                           str(sqlite_office), "copy-database", "--to", owner_url],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "  audit_log: " in proc.stdout and "BERBEDA" not in proc.stdout
    assert f"Dokumen Data Kinerja Tahun {YEAR}: 1 dokumen arsip sama persis" in proc.stdout
    assert f"Dokumen Data Kinerja Tahun {YEAR}: isi yang dicetak sama" in proc.stdout
    assert "Selesai:" in proc.stdout

    office = open_existing_context(sqlite_office)
    server = open_existing_context(tmp_path / "pc", database_url=server_offices.url(init))
    try:
        assert rows_of(server) == rows_of(office)
        cycle = cycles.find_cycle(office, YEAR)
        # The archived Dokumen Data Kinerja of the closed cycle: the very same bytes.
        archived = documents.list_documents(office, cycle.id, "dokumen_data_kinerja")
        assert archived
        for doc in archived:
            assert documents.document_content(server, doc.id) == \
                documents.document_content(office, doc.id)
        # Printed again from the data: the same values and the same text.
        moment = office.now()
        office.clock = server.clock = lambda: moment
        assert compiled_report_data(server, cycle.id) == compiled_report_data(office, cycle.id)
        printed = pdf_text(documents.compiled_report_pdf(server, cycle.id))
        assert printed == pdf_text(documents.compiled_report_pdf(office, cycle.id))
        assert f"{YEAR}" in printed
        # The app role goes on where the office left off: ids after the copied ones.
        admin = accounts.authenticate(server, "admin", "demo12345")
        team = teams.create_team(server, admin.id, "Tim Baru", "Bidang Baru")
        assert team.id == max(t.id for t in teams.list_teams(office, include_inactive=True)) + 1
        with server.read() as session:
            assert session.scalar(select(func.count()).select_from(AuditEntry)) > 20
            assert session.scalar(select(func.count()).select_from(Document)) == len(archived)
    finally:
        office.dispose()
        server.dispose()


def test_copy_database_refuses_a_database_that_is_not_empty(databases, sqlite_office):
    """Into an empty database with no schema yet (it is migrated first); a second copy
    into the same database is refused and changes nothing."""
    from kinerja_desktop.db.backends.postgresql import PostgresBackend, parse_server_url
    from kinerja_desktop.db.transfer import fingerprints
    from kinerja_desktop.services.server_setup import copy_office

    if not databases.server:
        pytest.skip("hanya untuk server PostgreSQL (--engine=postgresql)")
    url = databases.fresh(empty=True)
    try:
        assert copy_office(sqlite_office, url).ok
        backend = PostgresBackend(parse_server_url(url))
        with backend.engine.connect() as conn:
            before = fingerprints(conn)
        with pytest.raises(DatabaseError, match="basis data tujuan tidak kosong .*Data tidak "
                                                "diubah"):
            copy_office(sqlite_office, url)
        with backend.engine.connect() as conn:
            assert fingerprints(conn) == before
        backend.dispose()
    finally:
        databases.drop(url)


def test_copy_database_as_the_app_role_is_refused(server_offices, sqlite_office):
    from kinerja_desktop.services.server_setup import copy_office

    init = server_offices.init()
    with pytest.raises(DatabaseError, match=f"pengguna {init.app_user} tidak berhak mengatur "
                                            f"nomor urut .* pemilik basis data \\({init.owner}\\)"):
        copy_office(sqlite_office, server_offices.url(init))


def test_copy_database_needs_an_sqlite_office(tmp_path):
    from kinerja_desktop.services.server_setup import copy_office

    with pytest.raises(DatabaseError, match="Tidak ada basis data SQLite untuk disalin"):
        copy_office(tmp_path / "kosong", "postgresql+psycopg://u@127.0.0.1:1/kinerja")
    proc = subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir",
                           str(tmp_path / "kosong"), "--database-url",
                           "postgresql+psycopg://u@127.0.0.1:1/kinerja", "copy-database",
                           "--to", "postgresql+psycopg://u@127.0.0.1:1/kinerja"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Gagal: copy-database menyalin basis data SQLite")
