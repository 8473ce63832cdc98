"""Load on an office PostgreSQL server: many people working at once, each on their own PC.

Run: ``python tests/benchmarks/bench_server.py --admin-url postgresql+psycopg://postgres@HOST/postgres
[--users 40] [--seconds 60] [--think-ms 300] [--teams 8] [--indicators 12]``.

A fresh database is made on that server with ``server-init`` (its own owner and app roles,
random passwords in a temporary pgpass file), a demo office is loaded through step 4
(8 teams × 12 indicators), half the teams hand in their data, and every team gets four
members. Then ``--users`` simulated users, each a separate process connected as the app
role exactly as a PC is (``--database-url``, password from pgpass), do the office's real
actions for ``--seconds``, with a random pause between actions (exponential, mean
``--think-ms``):

- team members: log in, list their team's items, open an item and save it (the form's
  values with a new explanation, after a short "typing" pause: two members of one team
  editing one item at once is the race a version counter must catch), view the
  workflow, and on teams that handed in: correct returned items, hand them in again,
  print the latest receipt (tanda terima);
- verifiers (one user in five, Kasubag accounts): log in, list a team's items, verify or
  return a handed-in item, view the workflow.

Printed: per action the count, throughput, p50/p95 in ms, friendly refusals (conflicts:
a stale form, an item another verifier just handled) and errors (anything else), then
the machine's load before and after and the CPU the simulated PCs used during the run
(on this machine they share the cores with the server; in an office each PC has its own),
then the lines ``lost_updates=N`` and ``p95_save_ms=N``. A lost update is a save the user was
told succeeded that is neither in the final data nor superseded by a later
acknowledged save made on top of it: each save writes a unique token into the
explanation and remembers the token its form was based on; at the end every item's
final token is followed back through those links, and every acknowledged save off
that chain was silently overwritten. Target: ``lost_updates=0`` and ``p95_save_ms`` at
most 50 on loopback.

The database and its roles are dropped afterwards (``--keep`` keeps them). Log-in hashes
passwords at the test cost (``KINERJA_DESKTOP_TEST_SCRYPT_N``): the hash is the PC's work,
not the server's.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
# Log-in hashes at the test cost, in this process and every user's (see the docstring).
os.environ.setdefault("KINERJA_DESKTOP_TEST_SCRYPT_N", str(2**10))

TARGET_P95_SAVE_MS = 50
YEAR = 2025
TEAMS = 8
INDICATORS = 12
MEMBERS_PER_TEAM = 4
PASSWORD = "demo12345"
RETURN_SHARE = 0.75
_TOKEN = re.compile(r"^(u\d+-\d+) ")


# --------------------------------------------------------------------------- the office


def _office(ctx, users: int, team_count: int = TEAMS, indicators: int = INDICATORS) -> dict:
    """The demo office, half its teams handed in, members and verifiers; the users' plan."""
    from kinerja_desktop.domain.permissions import Role
    from kinerja_desktop.services import accounts, cycles, demo, submissions, teams

    demo.build_demo(ctx, year=YEAR, teams=team_count, indicators=indicators, through_step=4)
    admin = accounts.authenticate(ctx, "admin", PASSWORD).id
    cycle = cycles.find_cycle(ctx, YEAR)
    team_list = teams.list_teams(ctx)
    # One user in five verifies; a single user is a team member (a save with no one else).
    verifiers = max(1, users // 5) if users > 1 else 0
    members_wanted = users - verifiers
    plan: list[dict] = []
    handed_in = {t.id for t in team_list[len(team_list) // 2:]}
    people = {p.username: p for p in accounts.list_people(ctx)}
    per_team = max(MEMBERS_PER_TEAM, -(-members_wanted // len(team_list)))
    for t, team in enumerate(team_list):
        member_ids = [p.id for p in people.values()
                      if p.username.startswith(f"tim{t + 1}.")]
        for i in range(len(member_ids), per_team):
            member_ids.append(accounts.create_person(ctx, admin, accounts.PersonInput(
                f"Anggota Uji {t + 1}.{i + 1}", f"tim{t + 1}.{i + 1}"), PASSWORD).id)
        teams.set_members(ctx, admin, team.id, member_ids, lead_id=member_ids[0])
        for i, person in enumerate(member_ids):
            plan.append({"kind": "handed_in" if team.id in handed_in else "entry",
                         "person": person, "username": f"tim{t + 1}.{i + 1}",
                         "team": team.id})
        if team.id in handed_in:
            submissions.submit(ctx, member_ids[0], cycle.id, team.id)
    # Spread the members over the teams, then the verifiers.
    plan.sort(key=lambda u: (int(u["username"].split(".")[1]), u["team"]))
    plan = plan[:members_wanted]
    for v in range(verifiers):
        name = f"verifikator{v + 1}"
        person = accounts.create_person(ctx, admin, accounts.PersonInput(
            f"Verifikator Uji {v + 1}", name, roles=frozenset({Role.KASUBAG})), PASSWORD).id
        plan.append({"kind": "verifier", "person": person, "username": name, "team": None})
    return {"cycle": cycle.id, "handed_in": sorted(handed_in),
            "teams": [t.id for t in team_list], "users": plan}


# --------------------------------------------------------------------------- one user


class User:
    """One simulated person on their own PC (a child process)."""

    def __init__(self, ctx, index: int, plan: dict, config: dict) -> None:
        from kinerja_desktop.services import entries

        self.ctx = ctx
        self.index = index
        self.me = plan
        self.config = config
        self.rng = random.Random(index * 7919 + 17)
        self.seq = 0
        self.records: list[tuple[str, float, str]] = []
        self.acks: list[tuple[int, str, str]] = []
        self.errors: list[str] = []
        self.seen: dict[int, str] = {}  # item -> state, from the last listing
        params = inspect.signature(entries.save_entry).parameters
        self.version_param = next((p for p in ("expected_version", "version", "row_version")
                                   if p in params), None)

    # ----------------------------------------------------------------- actions

    def login(self) -> None:
        from kinerja_desktop.services import accounts

        accounts.authenticate(self.ctx, self.me["username"], PASSWORD)

    def list_items(self, team: int | None = None) -> None:
        from kinerja_desktop.services import entries

        views = entries.list_team_items(self.ctx, self.config["cycle"],
                                        team or self.me["team"])
        self.seen = {v.item_id: v.state.value for v in views}

    def workflow(self) -> None:
        from kinerja_desktop.services import workflow

        workflow.workflow(self.ctx, self.config["cycle"], self.me["person"])

    def receipt(self) -> None:
        from kinerja_desktop.services import documents, submissions

        latest = submissions.latest_for_team(self.ctx, self.config["cycle"], self.me["team"])
        if latest is not None:
            documents.receipt_pdf(self.ctx, latest.id)

    def save(self, item_id: int) -> None:
        from kinerja_desktop.services import entries

        view = entries.get_item(self.ctx, item_id)  # the form opens with these values
        match = _TOKEN.match(view.values.explanation)
        based_on = match.group(1) if match else "awal"
        self.seq += 1
        token = f"u{self.index}-{self.seq}"
        values = replace(view.values, explanation=f"{token} Penjelasan diperbarui saat uji "
                                                  "beban server.")
        if not view.qualitative:
            values = replace(values, actual=round(self.rng.uniform(50, 100), 2))
        extra = {}
        if self.version_param is not None:
            version = getattr(view, "version", getattr(view, "row_version", None))
            extra[self.version_param] = version
        time.sleep(self.rng.uniform(0, 0.3))  # typing: another PC may save meanwhile
        started = time.perf_counter()
        outcome = "ok"
        try:
            entries.save_entry(self.ctx, self.me["person"], item_id, values, **extra)
            self.acks.append((item_id, token, based_on))
        except Exception as exc:
            outcome = self._outcome(exc)
            raise _Recorded(outcome) from exc
        finally:
            self.records.append(("simpan", (time.perf_counter() - started) * 1000,
                                 outcome))

    def review(self) -> None:
        from kinerja_desktop.services import verification

        team = self.rng.choice(self.config["handed_in"])
        self.list_items(team)
        waiting = [i for i, state in self.seen.items() if state == "diserahkan"]
        if not waiting:
            return
        item = self.rng.choice(waiting)
        started = time.perf_counter()
        outcome = "ok"
        try:
            if self.rng.random() < RETURN_SHARE:
                verification.return_item(self.ctx, self.me["person"], item,
                                         "Mohon dilengkapi rekapitulasi per kecamatan.")
            else:
                verification.verify_item(self.ctx, self.me["person"], item)
        except Exception as exc:
            outcome = self._outcome(exc)
            raise _Recorded(outcome) from exc
        finally:
            self.records.append(("verifikasi", (time.perf_counter() - started) * 1000,
                                 outcome))

    def hand_in_again(self) -> None:
        from kinerja_desktop.services import submissions

        submissions.submit(self.ctx, self.me["person"], self.config["cycle"], self.me["team"])

    # ----------------------------------------------------------------- the loop

    def _outcome(self, exc: BaseException) -> str:
        from kinerja_desktop.domain.errors import KinerjaError

        if isinstance(exc, KinerjaError):
            return "konflik"
        if len(self.errors) < 5:
            self.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        return "galat"

    def step(self) -> None:
        kind = self.me["kind"]
        roll = self.rng.random()
        if kind == "verifier":
            choices = [(0.05, "masuk", self.login), (0.25, "daftar butir", self._list_any),
                       (0.50, None, self.review), (0.20, "alur kerja", self.workflow)]
        elif kind == "entry":
            choices = [(0.05, "masuk", self.login), (0.25, "daftar butir", self.list_items),
                       (0.50, None, self._save_own), (0.20, "alur kerja", self.workflow)]
        else:
            choices = [(0.05, "masuk", self.login), (0.25, "daftar butir", self.list_items),
                       (0.35, None, self._save_own), (0.10, "serahkan ulang",
                                                      self._hand_in_if_returned),
                       (0.15, "alur kerja", self.workflow), (0.10, "tanda terima",
                                                             self.receipt)]
        chosen = choices[-1]
        for choice in choices:
            if roll < choice[0]:
                chosen = choice
                break
            roll -= choice[0]
        self._timed(chosen[1], chosen[2])

    def _list_any(self) -> None:
        self.list_items(self.rng.choice(self.config["teams"]))

    def _save_own(self) -> None:
        if not self.seen:
            self._timed("daftar butir", self.list_items)
        editable = [i for i, state in self.seen.items() if state in ("draf", "dikembalikan")]
        if not editable:
            self._timed("daftar butir", self.list_items)
            return
        item = self.rng.choice(editable)
        self.save(item)

    def _hand_in_if_returned(self) -> None:
        self.list_items()
        if "dikembalikan" in self.seen.values():
            self.hand_in_again()

    def _timed(self, name: str | None, action) -> None:
        if name is None:  # the action records its own timing
            try:
                action()
            except _Recorded:
                pass
            return
        started = time.perf_counter()
        outcome = "ok"
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            outcome = self._outcome(exc)
        self.records.append((name, (time.perf_counter() - started) * 1000, outcome))


class _Recorded(Exception):
    """A failure already counted by the action that timed itself."""


def child(config_file: str, index: int, out: str) -> int:
    from kinerja_desktop.services.startup import open_existing_context

    config = json.loads(Path(config_file).read_text(encoding="utf-8"))
    plan = config["users"][index]
    root = Path(config["work"]) / f"pc{index + 1}"
    ctx = open_existing_context(root, database_url=config["url"])
    user = User(ctx, index, plan, config)
    try:
        user.login()
        if plan["team"] is not None:
            user.list_items()
        print("SIAP", flush=True)
        sys.stdin.readline()
        cpu_started = time.process_time()
        end = time.monotonic() + config["seconds"]
        mean_pause = config["think_ms"] / 1000
        while time.monotonic() < end:
            user.step()
            time.sleep(min(user.rng.expovariate(1 / mean_pause), 5 * mean_pause)
                       if mean_pause > 0 else 0)
        cpu = time.process_time() - cpu_started
    finally:
        ctx.dispose()
    Path(out).write_text(json.dumps({"records": user.records, "acks": user.acks,
                                     "errors": user.errors, "cpu_s": cpu}), encoding="utf-8")
    return 0


# --------------------------------------------------------------------------- the run


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[rank]


def lost_updates(acks: list[tuple[int, str, str]], final: dict[int, str]) -> int:
    """Acknowledged saves neither in the final data nor under a later acknowledged save
    made on top of them (see the module docstring)."""
    based_on = {token: base for _item, token, base in acks}
    kept: set[str] = set()
    for token in final.values():
        while token in based_on and token not in kept:
            kept.add(token)
            token = based_on[token]
    return sum(1 for _item, token, _base in acks if token not in kept)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", required=True,
                        help="superuser of the server, e.g. postgresql+psycopg://postgres@localhost/postgres")
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think-ms", type=float, default=300)
    parser.add_argument("--teams", type=int, default=TEAMS,
                        help="teams of the demo office (half of them hand in first)")
    parser.add_argument("--indicators", type=int, default=INDICATORS,
                        help="indicators per team")
    parser.add_argument("--keep", action="store_true", help="keep the database and its roles")
    parser.add_argument("--child", nargs=3, metavar=("CONFIG", "INDEX", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.teams < 2 or args.indicators < 1 or args.users < 1:
        parser.error("--teams at least 2, --indicators and --users at least 1")
    if args.child:
        return child(args.child[0], int(args.child[1]), args.child[2])

    from sqlalchemy import make_url, select, text

    from kinerja_desktop.db import server as admin
    from kinerja_desktop.db.backends.postgresql import PostgresBackend
    from kinerja_desktop.db.models import FormatItem, ItemEntry
    from kinerja_desktop.db.pgpass import store_password
    from kinerja_desktop.paths import DataDir
    from kinerja_desktop.services import server_setup, sops
    from kinerja_desktop.services.context import ServiceContext

    admin_url = admin.parse_admin_url(args.admin_url)
    database = f"kinerja_bench_{os.getpid()}"
    owner, app = admin.owner_name(database), admin.app_name(database)
    secret = {owner: secrets.token_urlsafe(18), app: secrets.token_urlsafe(18)}
    work = Path(tempfile.mkdtemp(prefix="kinerja-bench-server-"))
    # The users connect over TCP as PCs do; an admin URL through the local socket
    # (``?host=/var/run/postgresql&port=N``) names the port in its query.
    host = admin_url.host or "localhost"
    port = admin_url.port or int(admin_url.query.get("port", 5432))
    pgpass = work / "pgpass"
    store_password(host, port, database, app, secret[app], path=pgpass)
    url = f"postgresql+psycopg://{app}@{host}:{port}/{database}"
    children: list[subprocess.Popen[str]] = []
    started_setup = time.perf_counter()
    init = server_setup.init_server(args.admin_url, lambda role, _exists: secret[role],
                                    database=database, owner=owner, app_user=app)
    try:
        backend = PostgresBackend(make_url(url).set(password=secret[app]))
        ctx = ServiceContext(DataDir(work / "persiapan").ensure(), backend)
        sops.install_seed_if_missing(ctx)
        plan = _office(ctx, args.users, args.teams, args.indicators)
        with ctx.engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar()
        config = {**plan, "url": url, "work": str(work), "seconds": args.seconds,
                  "think_ms": args.think_ms}
        config_file = work / "rencana.json"
        config_file.write_text(json.dumps(config), encoding="utf-8")
        print(f"Server: PostgreSQL {version} di {host}:{port}, basis data baru {database} "
              f"(server-init, revisi {init.revision}); kantor contoh {args.teams} tim × "
              f"{args.indicators} indikator siap dalam "
              f"{time.perf_counter() - started_setup:.1f} s.")
        kinds = [u["kind"] for u in plan["users"]]
        print(f"Pengguna: {len(kinds)} proses ({kinds.count('entry')} anggota tim mengisi, "
              f"{kinds.count('handed_in')} anggota tim yang sudah menyerahkan, "
              f"{kinds.count('verifier')} verifikator), {args.seconds:g} s, jeda rata-rata "
              f"{args.think_ms:g} ms.")
        load_before = os.getloadavg()  # before the users' processes start
        env = {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}
        env["PGPASSFILE"] = str(pgpass)
        for index in range(len(plan["users"])):
            children.append(subprocess.Popen(
                [sys.executable, __file__, "--admin-url", args.admin_url, "--child",
                 str(config_file), str(index), str(work / f"hasil-{index}.json")],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env))
        for proc in children:
            if proc.stdout.readline().strip() != "SIAP":
                raise SystemExit("Satu pengguna simulasi gagal mulai.")
        run_started = time.perf_counter()
        for proc in children:
            proc.stdin.write("mulai\n")
            proc.stdin.flush()
        for proc in children:
            proc.wait()
        elapsed = time.perf_counter() - run_started
        results = [json.loads((work / f"hasil-{i}.json").read_text(encoding="utf-8"))
                   for i in range(len(children)) if (work / f"hasil-{i}.json").exists()]
        if len(results) != len(children):
            raise SystemExit(f"{len(children) - len(results)} pengguna simulasi berhenti "
                             "sebelum selesai.")
        with ctx.engine.connect() as conn:
            final = {}
            for item_id, explanation in conn.execute(
                    select(FormatItem.id, ItemEntry.explanation).join(ItemEntry)):
                match = _TOKEN.match(explanation or "")
                final[item_id] = match.group(1) if match else "awal"
        ctx.dispose()
    finally:
        for proc in children:
            if proc.poll() is None:
                proc.kill()
        if not args.keep:
            _drop(args.admin_url, database, owner, app)

    records = [r for res in results for r in res["records"]]
    acks = [tuple(a) for res in results for a in res["acks"]]
    errors = [e for res in results for e in res["errors"]]
    print(f"{'tindakan':<16}{'jumlah':>8}{'per detik':>11}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'konflik':>9}{'galat':>7}")
    names = sorted({r[0] for r in records}, key=lambda n: -sum(1 for r in records if r[0] == n))
    for name in names:
        mine = [r for r in records if r[0] == name]
        times = [r[1] for r in mine if r[2] != "galat"]
        print(f"{name:<16}{len(mine):>8}{len(mine) / elapsed:>11.1f}"
              f"{_percentile(times, 0.5):>9.1f}{_percentile(times, 0.95):>9.1f}"
              f"{sum(r[2] == 'konflik' for r in mine):>9}{sum(r[2] == 'galat' for r in mine):>7}")
    for error in sorted(set(errors))[:5]:
        print(f"galat: {error}")
    saves = [r[1] for r in records if r[0] == "simpan" and r[2] != "galat"]
    lost = lost_updates(acks, final)
    print("Beban mesin (load average 1/5/15 menit): sebelum mulai "
          + " / ".join(f"{x:.1f}" for x in load_before) + ", di akhir "
          + " / ".join(f"{x:.1f}" for x in os.getloadavg()) + f" pada {os.cpu_count()} inti.")
    client_cpu = sum(res["cpu_s"] for res in results)
    cores = os.cpu_count() or 1
    print(f"CPU pengguna simulasi (di komputer kantor: CPU PC masing-masing) selama uji: "
          f"{client_cpu:.0f} s dari {elapsed * cores:.0f} s CPU mesin ini "
          f"({100 * client_cpu / (elapsed * cores):.0f}%).")
    print(f"throughput={len(records) / elapsed:.1f}")
    print(f"saves_acknowledged={len(acks)}")
    print(f"conflicts={sum(r[2] == 'konflik' for r in records)}")
    print(f"errors={sum(r[2] == 'galat' for r in records)}")
    print(f"lost_updates={lost}")
    p95 = _percentile(saves, 0.95)
    print(f"p95_save_ms={p95:.0f}")
    return 0 if lost == 0 and not errors and p95 <= TARGET_P95_SAVE_MS else 1


def _drop(admin_url: str, database: str, owner: str, app: str) -> None:
    from sqlalchemy import text

    from kinerja_desktop.db import server as admin

    engine = admin.admin_engine(admin.parse_admin_url(admin_url))
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            for role in (app, owner):
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    finally:
        engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
