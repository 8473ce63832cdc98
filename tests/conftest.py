"""Top-level test configuration: offscreen Qt before any QApplication, fresh databases.

Every test runs on one engine, chosen with ``--engine`` (or ``KINERJA_TEST_ENGINE``):

- ``sqlite`` (default): each test gets a fresh data folder and its SQLite file;
- ``postgresql``: the session starts a private, throwaway PostgreSQL cluster (initdb in
  a temporary folder, loopback only, a free port; as the ``postgres`` user when run as
  root), migrates a template database once, and gives each test a fresh database made
  from it (``CREATE DATABASE … TEMPLATE …``), dropped afterwards.

Tests that only make sense on the SQLite file (its pages, pragmas, the Linux bundle)
carry ``@pytest.mark.sqlite_only("reason")`` and are skipped on PostgreSQL with that
reason; so are the tests that never open a database (``_NO_DATABASE``).

The offscreen screen is a 1366×768 laptop (``qt-screen-1366x768.json``; the plugin's own
default is 800×600), and the QApplication speaks Indonesian as the program's does.
"""

from __future__ import annotations

import os
from pathlib import Path

SCREEN_CONFIG = Path(__file__).resolve().parent / "qt-screen-1366x768.json"
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN_CONFIG}"
os.environ.setdefault("QT_QUICK_BACKEND", "software")
# Test-only: a cheaper scrypt for the many accounts tests create (services/passwords.py);
# tests/services/test_passwords.py proves the production cost with it removed.
os.environ.setdefault("KINERJA_DESKTOP_TEST_SCRYPT_N", str(2**10))

import itertools  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from datetime import UTC  # noqa: E402

import pytest  # noqa: E402

ENGINES = ("sqlite", "postgresql")
PG_SUPERUSER = "kinerja_uji"
TEMPLATE_DB = "kinerja_templat"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--engine", choices=ENGINES,
                     default=os.environ.get("KINERJA_TEST_ENGINE", "sqlite"),
                     help="database engine the tests run on (default sqlite)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--engine") == "postgresql" and _pg_bindir() is None:
        raise pytest.UsageError(
            "--engine=postgresql: PostgreSQL server programs (initdb, pg_ctl) not found; "
            "install Debian's 'postgresql' package")


#: Tests that never open a database: run once, on the SQLite pass only.
_NO_DATABASE = ("tests/domain/", "tests/test_architecture.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--engine") != "postgresql":
        return
    root = Path(str(config.rootpath))
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else "SQLite only"
            item.add_marker(pytest.mark.skip(reason=f"hanya SQLite: {reason}"))
        elif Path(str(item.path)).relative_to(root).as_posix().startswith(_NO_DATABASE):
            item.add_marker(pytest.mark.skip(reason="tidak memakai basis data (diuji di SQLite)"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A PostgreSQL pass in which no test touched the server has tested nothing: fail it."""
    if session.config.getoption("--engine") == "postgresql" and exitstatus == 0 \
            and session.testscollected and PgCluster.databases_made == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print("\n--engine=postgresql: tidak ada pengujian yang memakai server PostgreSQL.")


def pytest_report_header(config: pytest.Config) -> str:
    return f"engine: {config.getoption('--engine')}"


# --------------------------------------------------------------------------- PostgreSQL


def _pg_bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                        else 0)
    return candidates[-1].parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgCluster:
    """A private PostgreSQL cluster for one test session."""

    #: Databases made in this session (a pass that made none tested nothing).
    databases_made = 0

    def __init__(self) -> None:
        bindir = _pg_bindir()
        assert bindir is not None
        self.bindir = bindir
        self.base = Path(tempfile.mkdtemp(prefix="kinerja-pg-"))
        self.data = self.base / "data"
        self.port = _free_port()
        self._as = []
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: the postgres user owns the cluster.
            shutil.chown(self.base, "postgres", "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-U", PG_SUPERUSER, "--auth=trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        self.start_server()
        self._names = itertools.count(1)

    def start_server(self) -> None:
        options = (f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=300 -c shared_buffers=64MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.base / "server.log"), "-w",
                  "-t", "60", "-o", options, "start")

    def stop_server(self) -> None:
        """Stop the server, keeping its data (``start_server`` brings it back): the way an
        office server goes away and comes back."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def allow_password_login(self, user: str, password: str) -> None:
        """A role that must give its password (scram-sha-256) from 127.0.0.1; every other
        role keeps trust."""
        self.execute(f"CREATE ROLE \"{user}\" LOGIN SUPERUSER PASSWORD '{password}'")
        hba = self.data / "pg_hba.conf"
        hba.write_text(f"host all {user} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        self.execute("SELECT pg_reload_conf()")

    def _run(self, program: str, *args: str) -> None:
        proc = subprocess.run([*self._as, str(self.bindir / program), *args],
                              capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"{program} gagal ({proc.returncode}): {proc.stderr.strip()}")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{PG_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, params: tuple = (), dbname: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=PG_SUPERUSER,
                             dbname=dbname, autocommit=True) as conn:
            conn.execute(sql, params or None)

    def create(self, template: str = "template0") -> str:
        """A new database (a copy of ``template``); returns its name."""
        name = f"uji_{next(self._names)}"
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        PgCluster.databases_made += 1
        return name

    def drop(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


class EngineDatabases:
    """Fresh databases for tests, on the session's engine.

    ``url_for(root)`` is what a test passes as ``database_url`` (None on SQLite, where the
    data folder's own file is the database).
    """

    def __init__(self, engine: str, cluster: PgCluster | None, template: str | None) -> None:
        self.engine = engine
        self.cluster = cluster
        self.template = template
        #: An SQLite file at head with the seed SOP, copied into a test's data folder.
        self.sqlite_template: Path | None = None

    def seed_folder(self, root: Path) -> None:
        """On SQLite, put a migrated database into the empty data folder ``root`` (the
        same state ``open_context`` makes, without running every migration again)."""
        if self.sqlite_template is not None:
            shutil.copyfile(self.sqlite_template, root / "kinerja.sqlite3")

    @property
    def server(self) -> bool:
        return self.cluster is not None

    def fresh(self, *, empty: bool = False) -> str | None:
        """A new database at head with the seed SOP (``empty``: a blank one)."""
        if self.cluster is None:
            return None
        name = self.cluster.create("template0" if empty else self.template)
        if not empty:
            self._own_installation_id(name)
        return self.cluster.url(name)

    def _own_installation_id(self, name: str) -> None:
        """A copy of the template would share its installation id; a database that
        ``server-init`` makes migrates and gets its own (a workbook of one office is
        refused by another)."""
        import uuid

        self.cluster.execute("UPDATE settings SET value = %s WHERE key = 'installation_id'",
                             (uuid.uuid4().hex,), dbname=name)

    def clone(self, url: str | None) -> str | None:
        """A copy of the database at ``url`` (nothing may be connected to it)."""
        if self.cluster is None or url is None:
            return None
        return self.cluster.url(self.cluster.create(url.rsplit("/", 1)[1]))

    def drop(self, url: str | None) -> None:
        if self.cluster is not None and url is not None:
            self.cluster.drop(url.rsplit("/", 1)[1])

    def args(self, url: str | None) -> list[str]:
        """Command-line options selecting ``url`` (none on SQLite)."""
        return ["--database-url", url] if url else []


@pytest.fixture(scope="session")
def databases(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineDatabases]:
    engine = request.config.getoption("--engine")
    if engine != "postgresql":
        databases = EngineDatabases(engine, None, None)
        databases.sqlite_template = _sqlite_template(tmp_path_factory.mktemp("templat"))
        yield databases
        return
    cluster = PgCluster()
    try:
        _make_template(cluster)
        yield EngineDatabases(engine, cluster, TEMPLATE_DB)
    finally:
        cluster.stop()


def _make_template(cluster: PgCluster) -> None:
    cluster.execute(f'CREATE DATABASE "{TEMPLATE_DB}"')
    from kinerja_desktop.services.startup import open_context

    with tempfile.TemporaryDirectory(prefix="kinerja-templat-") as tmp:
        open_context(Path(tmp), database_url=cluster.url(TEMPLATE_DB)).dispose()


@pytest.fixture(scope="session")
def server_databases(databases: EngineDatabases) -> Iterator[EngineDatabases]:
    """Databases on a PostgreSQL server whatever ``--engine`` says, for the tests that are
    about the server itself (the window's live updates, several PCs): the session's server
    on ``--engine=postgresql``, else a private one started on first use."""
    if databases.server:
        yield databases
        return
    if _pg_bindir() is None:
        pytest.skip("PostgreSQL server programs (initdb, pg_ctl) not found; install Debian's "
                    "'postgresql' package")
    cluster = PgCluster()
    try:
        _make_template(cluster)
        yield EngineDatabases("postgresql", cluster, TEMPLATE_DB)
    finally:
        cluster.stop()


@pytest.fixture
def database_url(databases: EngineDatabases) -> Iterator[str | None]:
    """The test's own database: None on SQLite (the data folder's file), else a fresh
    PostgreSQL database at head with the seed SOP."""
    url = databases.fresh()
    yield url
    databases.drop(url)


@pytest.fixture
def cli_args():
    """``cli_args(ctx)``: the global options that point the command line at ``ctx``'s data."""

    def args(context) -> list[str]:
        found = ["--data-dir", str(context.data_dir.root)]
        if context.backend.is_server:
            found += ["--database-url", context.backend.url.render_as_string(hide_password=False)]
        return found

    return args


@pytest.fixture
def db_args(databases: EngineDatabases, database_url: str | None) -> list[str]:
    """``--database-url URL`` for the command line on PostgreSQL, nothing on SQLite."""
    return databases.args(database_url)


# --------------------------------------------------------------------------- contexts

_qapp_instance = None


@pytest.fixture(scope="session")
def qapp(qapp_args, qapp_cls, pytestconfig):
    """pytest-qt's QApplication, prepared like the program's: Indonesian (locale, Qt's own
    strings) before any widget exists, windows kept inside the screen."""
    global _qapp_instance
    from PySide6.QtWidgets import QApplication

    from kinerja_desktop.ui.language import install_indonesian
    from kinerja_desktop.ui.sizing import install_screen_guard

    app = QApplication.instance()
    if app is None:
        _qapp_instance = app = qapp_cls(qapp_args)
        app.setApplicationName(pytestconfig.getini("qt_qapp_name"))
    install_indonesian(app)
    install_screen_guard(app)
    return app


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    """A fresh, empty data directory for each test."""
    root = tmp_path / "data"
    root.mkdir()
    return root


def _sqlite_template(folder: Path) -> Path:
    from kinerja_desktop.db.backends.sqlite import copy_database
    from kinerja_desktop.services.startup import open_context

    open_context(folder / "data").dispose()
    template = folder / "templat.sqlite3"
    copy_database(folder / "data" / "kinerja.sqlite3", template)
    return template


@pytest.fixture
def ctx(data_root: Path, database_url: str | None, databases: EngineDatabases):
    """A service context on a fresh database migrated to head."""
    from kinerja_desktop.services.startup import open_context

    databases.seed_folder(data_root)
    context = open_context(data_root, database_url=database_url)
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


# --------------------------------------------------------------------------- office server


class ServerOffices:
    """Office databases made by ``server-init`` on the session's private cluster (its
    superuser is the administrator); dropped with their roles after the test."""

    OWNER_PASSWORD = "rahasia-pemilik"
    APP_PASSWORD = "rahasia-aplikasi"
    _names = itertools.count(1)

    def __init__(self, cluster: PgCluster) -> None:
        self.cluster = cluster
        self.admin_url = cluster.url("postgres")
        self.made: list[tuple[str, str, str]] = []

    def names(self) -> tuple[str, str, str]:
        """(database, owner, app role) not used yet in this session."""
        name = f"kantor_{next(self._names)}"
        return name, f"{name}_owner", f"{name}_app"

    def passwords(self, role: str, exists: bool) -> str:
        return self.OWNER_PASSWORD if role.endswith("_owner") else self.APP_PASSWORD

    def init(self, database: str | None = None):
        """``server-init`` of a new office database; its ServerInitResult."""
        from kinerja_desktop.services.server_setup import init_server

        database, owner, app = (database, f"{database}_owner", f"{database}_app") \
            if database else self.names()
        self.made.append((database, owner, app))
        PgCluster.databases_made += 1
        return init_server(self.admin_url, self.passwords, database=database, owner=owner,
                           app_user=app)

    def url(self, result, role: str | None = None) -> str:
        """The URL a PC uses (the app role), or ``role``'s."""
        return (f"postgresql+psycopg://{role or result.app_user}@127.0.0.1:"
                f"{self.cluster.port}/{result.database}")

    def cleanup(self) -> None:
        for database, owner, app in self.made:
            self.cluster.drop(database)
            for role in (app, owner):
                self.cluster.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture
def server_offices(databases: EngineDatabases) -> Iterator[ServerOffices]:
    """``server-init`` on the test cluster (PostgreSQL pass only)."""
    if databases.cluster is None:
        pytest.skip("hanya untuk server PostgreSQL (--engine=postgresql)")
    offices = ServerOffices(databases.cluster)
    try:
        yield offices
    finally:
        offices.cleanup()


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
