"""Top-level test configuration: offscreen Qt before any QApplication, fresh data dirs.

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

from datetime import UTC  # noqa: E402

import pytest  # noqa: E402

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
