"""``kinerja-desktop server-init`` and ``kinerja-desktop copy-database``: setting up an
office's PostgreSQL server and moving an office kept on one PC onto it."""

from __future__ import annotations

import argparse
import os
import sys

from kinerja_desktop.cli.base import (
    EXIT_FAILURE,
    EXIT_OK,
    CliError,
    Command,
    data_root,
    writer_lock,
)

#: Environment variables that may carry the new roles' passwords (scripts, CI).
OWNER_PASSWORD_ENV = "KINERJA_OWNER_PASSWORD"
APP_PASSWORD_ENV = "KINERJA_APP_PASSWORD"
_LOOPBACK = {"", "localhost", "127.0.0.1", "::1"}


def _init_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--admin-url", required=True, metavar="URL",
                   help="superuser server, mis. postgresql+psycopg://postgres@localhost/postgres "
                        "(kata sandi dari pgpass, PGPASSWORD, atau ditanyakan)")
    p.add_argument("--database", metavar="NAMA", default=None,
                   help="nama basis data kantor (bawaan: kinerja)")
    p.add_argument("--app-user", metavar="NAMA", default=None,
                   help="pengguna server untuk aplikasi di setiap komputer (bawaan: "
                        "NAMA-BASIS-DATA_app, mis. kinerja_app)")
    p.add_argument("--owner-user", metavar="NAMA", default=None,
                   help="pemilik basis data yang menjalankan migrasi (bawaan: "
                        "NAMA-BASIS-DATA_owner, mis. kinerja_owner)")
    p.add_argument("--network", metavar="CIDR", default="192.168.1.0/24",
                   help="jaringan kantor untuk baris pg_hba.conf yang dicetak "
                        "(bawaan: 192.168.1.0/24)")


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _ask_new_password(role: str) -> str:
    import getpass

    for _attempt in range(3):
        first = getpass.getpass(f"Kata sandi baru untuk pengguna server {role}: ")
        if not first:
            raise CliError(f"Kata sandi untuk {role} tidak diisi.")
        if getpass.getpass("Ulangi kata sandi: ") == first:
            return first
        print("Kedua kata sandi berbeda; ulangi.", file=sys.stderr)
    raise CliError(f"Kata sandi untuk {role} tidak dapat dipastikan.")


def _password_source(url, database: str, env_of: dict[str, str]):
    """Where a new role's password comes from: libpq's password file (a line for the
    role on this server), the environment, else the terminal (never printed)."""
    from kinerja_desktop.db.pgpass import stored_password

    def password_for(role: str, exists: bool) -> str | None:
        found = stored_password(url.host or "localhost", url.port, database, role)
        if found:
            return found
        env = env_of.get(role)
        if env and os.environ.get(env):
            return os.environ[env]
        if exists or not _interactive():
            return None
        return _ask_new_password(role)

    return password_for


def _run_init(args: argparse.Namespace) -> int:
    from kinerja_desktop.db import server as admin
    from kinerja_desktop.paths import DataDir
    from kinerja_desktop.services import server_setup

    url = admin.parse_admin_url(args.admin_url)
    database = args.database or admin.DEFAULT_DATABASE
    owner = args.owner_user or admin.owner_name(database)
    app = args.app_user or admin.app_name(database)
    passwords = _password_source(url, database, {owner: OWNER_PASSWORD_ENV,
                                                 app: APP_PASSWORD_ENV})
    backups = DataDir(data_root(args)).backups
    admin_password = None
    while True:
        try:
            result = server_setup.init_server(
                args.admin_url, passwords, database=database, owner=owner, app_user=app,
                admin_password=admin_password, backups_dir=backups)
            break
        except admin.PasswordNeeded:
            if admin_password is not None or not _interactive():
                raise
            import getpass

            admin_password = getpass.getpass(
                f"Kata sandi admin {url.username}@{url.host or 'localhost'}: ")
    host = result.host if result.host not in _LOOPBACK else "ALAMAT-SERVER"
    print(f"Server siap: basis data {result.database} di {result.host}:{result.port} "
          f"(revisi skema {result.revision}).")
    print("Dibuat: " + (", ".join(result.created) if result.created
                        else "tidak ada (semua sudah ada; hak-hak diterapkan ulang)") + ".")
    if result.passwords_set:
        print("Kata sandi diatur untuk: " + ", ".join(result.passwords_set)
              + " (tidak ditampilkan).")
    for note in result.notes:
        print(f"Catatan: {note}")
    app_line, owner_line = server_setup.pgpass_lines(result, host)
    base = f"postgresql+psycopg://{{}}@{host}:{result.port}/{result.database}"
    print("Langkah berikutnya:")
    print("1. Izinkan jaringan kantor di pg_hba.conf server, lalu muat ulang PostgreSQL:")
    print(f"     {server_setup.pg_hba_line(result, args.network)}")
    print("   dan di postgresql.conf: listen_addresses = '*' (lalu mulai ulang PostgreSQL);")
    print(f"   buka port {result.port}/tcp di firewall server hanya untuk jaringan kantor.")
    print("2. Di setiap komputer kantor, simpan kata sandi pengguna aplikasi di berkas kata")
    print("   sandi PostgreSQL (~/.pgpass di Linux, %APPDATA%\\postgresql\\pgpass.conf di "
          "Windows):")
    print(f"     {app_line}")
    print("3. Di komputer yang selama ini menyimpan data kantor, simpan juga baris pemilik")
    print(f"     {owner_line}")
    print("   lalu pindahkan datanya ke server:")
    print(f"     kinerja-desktop copy-database --to {base.format(result.owner)}")
    print("4. Buka aplikasi di setiap komputer dengan server kantor:")
    print(f"     kinerja-desktop --database-url {base.format(result.app_user)}")
    return EXIT_OK


def _copy_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--to", required=True, metavar="URL",
                   help="basis data server yang masih kosong, mis. "
                        "postgresql+psycopg://kinerja_owner@192.168.1.10:5432/kinerja")


def _run_copy(args: argparse.Namespace) -> int:
    from kinerja_desktop.services import server_setup

    if getattr(args, "database_url", None):
        raise CliError("copy-database menyalin basis data SQLite di folder data (--data-dir); "
                       "jangan memakai --database-url, tujuan ditulis dengan --to.")
    root = data_root(args)
    # Nobody writes to the office while it moves (the window holds the same lock).
    lock = writer_lock(args, "copy-database")
    try:
        print(f"Menyalin kantor di {root} ke server…")
        sys.stdout.flush()
        result = server_setup.copy_office(root, args.to)
    finally:
        lock.release()
    for table in result.tables:
        state = "sama" if table.same else "BERBEDA"
        print(f"  {table.name}: {table.rows} baris, {state}")
    for line in result.documents:
        print(f"  {line}")
    if not result.ok:
        for problem in result.problems:
            print(f"Masalah: {problem}", file=sys.stderr)
        print(f"Gagal: salinan di {result.location} tidak sama dengan aslinya.", file=sys.stderr)
        return EXIT_FAILURE
    print(f"Selesai: {result.total_rows} baris dari {len(result.tables)} tabel disalin ke "
          f"{result.location} dan diperiksa (jumlah baris dan hash isi setiap tabel sama).")
    return EXIT_OK


COMMANDS = {
    "server-init": Command(_init_args, _run_init),
    "copy-database": Command(_copy_args, _run_copy),
}
