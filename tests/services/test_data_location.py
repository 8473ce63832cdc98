"""Where this PC's data lives: the setting in the data folder, used by every command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.services import data_location
from kinerja_desktop.services.data_location import ServerAddress


@pytest.fixture
def pgpass_file(tmp_path, monkeypatch):
    path = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path


def test_a_new_folder_has_chosen_nothing_and_uses_its_own_file(tmp_path):
    location = data_location.read_location(tmp_path)
    assert location.chosen is False and location.database_url is None


def test_server_choice_keeps_the_url_and_the_password_apart(tmp_path, pgpass_file):
    address = ServerAddress(" 192.168.1.10 ", 5433, "kinerja", "kasubag")
    written = data_location.use_server(tmp_path, address, "r4has!a:x")
    assert written == pgpass_file
    assert pgpass_file.read_text() == "192.168.1.10:5433:kinerja:kasubag:r4has!a\\:x\n"
    stored = (tmp_path / "lokasi-data.json").read_text()
    assert "r4has" not in stored
    assert json.loads(stored) == {"lokasi": "server",
                                  "url": "postgresql+psycopg://kasubag@192.168.1.10:5433/kinerja"}
    location = data_location.read_location(tmp_path)
    assert location.server == ServerAddress("192.168.1.10", 5433, "kinerja", "kasubag")
    assert data_location.stored_database_url(tmp_path) == location.server.url

    data_location.use_this_computer(tmp_path)
    location = data_location.read_location(tmp_path)
    assert location.chosen and location.database_url is None


def test_without_a_password_the_password_file_is_left_alone(tmp_path, pgpass_file):
    assert data_location.use_server(tmp_path, ServerAddress("srv", user="tim")) is None
    assert not pgpass_file.exists()


@pytest.mark.parametrize(("address", "message"), [
    (ServerAddress("", user="tim"), "alamat server"),
    (ServerAddress("srv kantor", user="tim"), "tidak sah"),
    (ServerAddress("srv/x", user="tim"), "tidak sah"),
    (ServerAddress("srv", 0, user="tim"), "Port"),
    (ServerAddress("srv", 70000, user="tim"), "Port"),
    (ServerAddress("srv", database="", user="tim"), "Nama basis data wajib"),
    (ServerAddress("srv", user=""), "Nama pengguna server wajib"),
    (ServerAddress("srv", user="tim;drop"), "tidak sah"),
])
def test_bad_addresses_are_one_clear_line_and_nothing_is_written(tmp_path, pgpass_file,
                                                                   address, message):
    with pytest.raises(ValidationError, match=message):
        data_location.use_server(tmp_path, address, "sandi")
    assert not (tmp_path / "lokasi-data.json").exists() and not pgpass_file.exists()


def test_a_damaged_setting_says_how_to_recover(tmp_path):
    (tmp_path / "lokasi-data.json").write_text("{rusak")
    with pytest.raises(ValidationError, match="rusak.*Lokasi data"):
        data_location.read_location(tmp_path)


def test_every_command_uses_the_stored_server(tmp_path):
    """No --database-url: the data folder's setting is used (a server that refuses here)."""
    root = tmp_path / "data"
    data_location.use_server(root, ServerAddress("127.0.0.1", 1, "kinerja", "tim"))
    proc = subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir", str(root),
                           "check"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "127.0.0.1:1/kinerja tidak dapat dipakai" in proc.stderr
    assert not (root / "kinerja.sqlite3").exists()


def test_check_server_says_what_is_there(ctx, databases):
    if not databases.server:
        pytest.skip("uji koneksi memerlukan server PostgreSQL")
    url = ctx.backend.url
    address = ServerAddress(url.host, url.port, url.database, url.username)
    found = data_location.check_server(address)
    assert found.message.startswith("Tersambung ke PostgreSQL ")
    assert "belum berisi pengguna" in found.message and not found.has_office
    from kinerja_desktop.services import accounts

    accounts.create_first_admin(ctx, accounts.PersonInput("Admin", "admin"), "rahasia123")
    found = data_location.check_server(address)
    assert found.has_office and "1 pengguna" in found.message
    with pytest.raises(data_location.ConnectionFailed, match="basis data itu tidak ada"):
        data_location.check_server(ServerAddress(url.host, url.port, "tidak_ada", url.username))


def test_check_server_names_server_init_when_this_user_may_not_change_the_schema(
        ctx, databases):
    """The PCs' role of a server set up by server-init may not create or update the
    schema: Uji koneksi says so before the PC tries to open the data."""
    if not databases.server:
        pytest.skip("uji koneksi memerlukan server PostgreSQL")
    from sqlalchemy import text

    cluster = databases.cluster
    url = ctx.backend.url
    role = "pc_kantor_uji"
    cluster.execute(f'DROP ROLE IF EXISTS "{role}"')
    cluster.execute(f'CREATE ROLE "{role}" LOGIN')
    empty = databases.fresh(empty=True).rsplit("/", 1)[1]
    try:
        with pytest.raises(data_location.ConnectionFailed) as refused:
            data_location.check_server(ServerAddress(url.host, url.port, empty, role))
        assert str(refused.value).endswith(
            f"Basis data itu perlu disiapkan, tetapi pengguna {role} tidak berhak mengubah "
            "skema. Minta administrator server menjalankan 'kinerja-desktop server-init' "
            "(sebagai pemilik basis data), lalu uji lagi.")
        with ctx.engine.begin() as conn:  # an office on an older schema
            conn.execute(text("UPDATE alembic_version SET version_num = '0001_initial'"))
            conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"'))
        with pytest.raises(data_location.ConnectionFailed,
                           match="perlu diperbarui untuk versi aplikasi ini, tetapi pengguna"):
            data_location.check_server(ServerAddress(url.host, url.port, url.database, role))
        # The owner may: it is brought up to date when first opened.
        found = data_location.check_server(ServerAddress(url.host, url.port, url.database,
                                                         url.username))
        assert found.message.endswith("Skemanya diperbarui saat pertama dibuka dengan versi ini.")
    finally:
        cluster.drop(empty)
        with ctx.engine.begin() as conn:  # its rights go, then the role
            conn.execute(text(f'DROP OWNED BY "{role}"'))
        cluster.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_only_an_unused_local_file_is_discarded(tmp_path):
    from kinerja_desktop.services import accounts
    from kinerja_desktop.services.startup import open_context

    assert data_location.discard_unused_file(tmp_path / "kosong") is False
    root = tmp_path / "pc"
    open_context(root).dispose()
    assert data_location.discard_unused_file(root) is True
    assert not (root / "kinerja.sqlite3").exists()
    ctx = open_context(root)
    accounts.create_first_admin(ctx, accounts.PersonInput("Admin", "admin"), "rahasia123")
    ctx.dispose()
    assert data_location.discard_unused_file(root) is False
    assert (root / "kinerja.sqlite3").exists()
