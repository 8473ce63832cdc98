"""libpq's password file: where it is, how a line is escaped, updated in place, 0600."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from kinerja_desktop.db import pgpass


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("PGPASSFILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "rumah"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "appdata"))
    (tmp_path / "rumah").mkdir()
    return tmp_path


def test_linux_file_is_dot_pgpass_in_home_readable_by_the_owner_only(home, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    written = pgpass.store_password("192.168.1.10", 5432, "kinerja", "kasubag", "rahasia")
    assert written == home / "rumah" / ".pgpass"
    assert written.read_text() == "192.168.1.10:5432:kinerja:kasubag:rahasia\n"
    if sys.platform != "win32":
        assert stat.S_IMODE(written.stat().st_mode) == 0o600


def test_windows_file_is_under_appdata(home, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    written = pgpass.store_password("server-kantor", None, "kinerja", "tim", "sandi")
    assert written == home / "appdata" / "postgresql" / "pgpass.conf"
    assert written.read_text() == "server-kantor:5432:kinerja:tim:sandi\n"


def test_pgpassfile_variable_wins(home, monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(home / "lain.conf"))
    assert pgpass.password_file() == home / "lain.conf"


def test_colon_and_backslash_are_escaped_and_read_back(home):
    password = r"a:b\c::\\"
    written = pgpass.store_password("host", 5433, "db:x", "user", password)
    assert written.read_text() == "host:5433:db\\:x:user:a\\:b\\\\c\\:\\:\\\\\\\\\n"
    assert pgpass.split_line(written.read_text().strip()) == ["host", "5433", "db:x", "user",
                                                             password]
    assert pgpass.stored_password("host", 5433, "db:x", "user") == password


def test_an_existing_line_is_updated_in_place_others_kept(home):
    path = pgpass.password_file()
    path.write_text("# kantor\n*:*:*:postgres:induk\nhost:5432:kinerja:tim:lama\n"
                    "lain:5432:kinerja:tim:tetap\nhost:5432:kinerja:tim:duplikat\n")
    path.chmod(0o644)
    pgpass.store_password("host", 5432, "kinerja", "tim", "baru")
    assert path.read_text().splitlines() == [
        "# kantor", "*:*:*:postgres:induk", "host:5432:kinerja:tim:baru",
        "lain:5432:kinerja:tim:tetap"]
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pgpass.store_password("host", 5432, "kinerja", "tim", "baru")
    assert path.read_text().count("host:5432:kinerja:tim:") == 1
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_wildcards_match_as_libpq_does(home):
    path = pgpass.password_file()
    path.write_text("*:*:*:tim:semua\n")
    assert pgpass.stored_password("server", 5432, "kinerja", "tim") == "semua"
    assert pgpass.stored_password("server", 5432, "kinerja", "lain") is None


def test_a_password_with_a_line_break_is_refused(home):
    with pytest.raises(ValueError, match="baris baru"):
        pgpass.store_password("host", 5432, "kinerja", "tim", "a\nb")
    assert not pgpass.password_file().exists()
