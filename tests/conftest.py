"""Top-level test configuration: offscreen Qt before any QApplication, fresh data dirs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")
# Test-only: a cheaper scrypt for the many accounts tests create (services/passwords.py);
# tests/services/test_passwords.py proves the production cost with it removed.
os.environ.setdefault("KINERJA_DESKTOP_TEST_SCRYPT_N", str(2**12))

from datetime import UTC
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    """A fresh, empty data directory for each test."""
    root = tmp_path / "data"
    root.mkdir()
    return root


@pytest.fixture
def ctx(data_root: Path):
    """A service context on a fresh database migrated to head."""
    from kinerja_desktop.services.startup import open_context

    context = open_context(data_root)
    yield context
    context.dispose()


class FakeClock:
    """A settable clock for services (aware UTC)."""

    def __init__(self, start):
        self.current = start

    def __call__(self):
        return self.current

    def advance(self, **kwargs):
        from datetime import timedelta

        self.current += timedelta(**kwargs)


@pytest.fixture
def clock(ctx):
    """Replace the context's clock with a controllable one (Mon 12 Jan 2026 08:00 WITA)."""
    from datetime import datetime, timedelta

    fake = FakeClock(datetime(2026, 1, 12, 0, 0, tzinfo=UTC) + timedelta(hours=0))
    ctx.clock = fake
    return fake


@pytest.fixture
def office(ctx, clock):
    """An office with admin, sekretaris, kasubag and four teams of two, with two indicators each.

    Returns a simple namespace of ids. Password of every account: "rahasia123".
    """
    from types import SimpleNamespace

    from kinerja_desktop.domain.achievement import Polarity
    from kinerja_desktop.domain.permissions import Role
    from kinerja_desktop.services import accounts, formats, teams
    from kinerja_desktop.services import office as office_service

    office_service.save_office(ctx, None, office_service.SEED_OFFICE)
    pw = "rahasia123"
    admin = accounts.create_first_admin(ctx, accounts.PersonInput("Admin Sistem", "admin"), pw)
    sek = accounts.create_person(ctx, admin.id, accounts.PersonInput(
        "Sekretaris Dinas", "sekretaris", roles=frozenset({Role.SEKRETARIS})), pw)
    kas = accounts.create_person(ctx, admin.id, accounts.PersonInput(
        "Kasubag Perencanaan", "kasubag", roles=frozenset({Role.KASUBAG})), pw)
    kas2 = accounts.create_person(ctx, admin.id, accounts.PersonInput(
        "Kasubag Kedua", "kasubag2", roles=frozenset({Role.KASUBAG})), pw)
    team_ids, members = [], {}
    objective = formats.create_objective(ctx, kas.id, "Meningkatnya kapasitas desa", "SS1")
    indicators = []
    for t in range(4):
        team = teams.create_team(ctx, admin.id, f"Tim Bidang {t + 1}", f"Bidang {t + 1}")
        lead = accounts.create_person(ctx, admin.id, accounts.PersonInput(
            f"Ketua Tim {t + 1}", f"ketua{t + 1}"), pw)
        member = accounts.create_person(ctx, admin.id, accounts.PersonInput(
            f"Anggota Tim {t + 1}", f"anggota{t + 1}"), pw)
        teams.set_members(ctx, admin.id, team.id, [lead.id, member.id], lead_id=lead.id)
        team_ids.append(team.id)
        members[team.id] = (lead.id, member.id)
        for k in range(2):
            ind = formats.create_indicator(ctx, kas.id, formats.IndicatorInput(
                objective_id=objective.id, name=f"Indikator {t + 1}.{k + 1}", unit="%",
                polarity=Polarity.NEGATIF if k else Polarity.POSITIF, team_id=team.id))
            formats.set_target(ctx, kas.id, ind.id, 2025, 80.0)
            indicators.append(ind.id)
    return SimpleNamespace(admin=admin.id, sekretaris=sek.id, kasubag=kas.id, kasubag2=kas2.id,
                           teams=team_ids, members=members, indicators=indicators,
                           objective=objective.id, password=pw)


# --------------------------------------------------------------------------- faults


def zero_page(database: Path, page: int) -> None:
    """Overwrite one page of an SQLite file with zeros, as a failing disk would
    (what ``dd if=/dev/zero of=DB bs=PAGE seek=N-1 count=1 conv=notrunc`` does)."""
    import sqlite3

    conn = sqlite3.connect(database)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    with open(database, "r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(bytes(size))
        fh.flush()
        os.fsync(fh.fileno())


def root_page(database: Path, name: str) -> int:
    """The first page of a table or index (``sqlite_master.rootpage``)."""
    import sqlite3

    conn = sqlite3.connect(database)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            (name,)).fetchone()[0]
    finally:
        conn.close()


def damage_index(database: Path, index: str = "ix_audit_log_at") -> None:
    """A zeroed index page: the table data stays readable, integrity_check fails."""
    zero_page(database, root_page(database, index))


def rewrite_backup(source: Path, target: Path, *, manifest_edit=None, db_edit=None,
                   extra: dict | None = None, drop: tuple[str, ...] = ()) -> Path:
    """A copy of a backup ZIP with its database, entries and/or manifest changed, the
    manifest's hashes and sizes recomputed so that only the deeper checks can refuse it.
    ``db_edit(path)`` gets the unpacked database file; ``extra`` maps entry names to bytes
    (or to ``(bytes, compress_type)``); ``drop`` removes entries."""
    import hashlib
    import json
    import zipfile

    with zipfile.ZipFile(source) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        contents = {n: zf.read(n) for n in zf.namelist() if n != "manifest.json"}
    if db_edit is not None:
        tmp = target.with_suffix(".sqlite3")
        tmp.write_bytes(contents["kinerja.sqlite3"])
        db_edit(tmp)
        contents["kinerja.sqlite3"] = tmp.read_bytes()
        tmp.unlink()
    for name in drop:
        contents.pop(name)
    methods = {}
    for name, value in (extra or {}).items():
        data, method = value if isinstance(value, tuple) else (value, zipfile.ZIP_DEFLATED)
        contents[name] = data
        methods[name] = method
    manifest["files"] = {n: {"sha256": hashlib.sha256(b).hexdigest(), "size": len(b)}
                         for n, b in contents.items()}
    if manifest_edit is not None:
        manifest_edit(manifest)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in contents.items():
            zf.writestr(name, data, compress_type=methods.get(name, zipfile.ZIP_DEFLATED))
        zf.writestr("manifest.json", json.dumps(manifest))
    return target


def sql_edit(*statements: str):
    """A ``db_edit`` for :func:`rewrite_backup` running SQL statements on the database."""
    def edit(path: Path) -> None:
        import sqlite3

        conn = sqlite3.connect(path)
        try:
            for statement in statements:
                conn.execute(statement)
            conn.commit()
        finally:
            conn.close()

    return edit


@pytest.fixture
def faults():
    from types import SimpleNamespace

    return SimpleNamespace(zero_page=zero_page, root_page=root_page, damage_index=damage_index,
                           rewrite_backup=rewrite_backup, sql_edit=sql_edit)
