"""Fixtures for the window tests: private settings file and a small office."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = "rahasia123"


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path):
    from kinerja_desktop import settings

    settings.use_ini_file(tmp_path / "pengaturan.ini")
    yield
    settings.use_ini_file(None)


@dataclass
class Office:
    admin: int
    sekretaris: int
    kasubag: int
    member_a: int
    member_a2: int
    member_b: int
    team_a: int
    team_b: int
    indicators: tuple[int, ...]
    year: int = 2025


@pytest.fixture
def small_office(ctx) -> Office:
    """Administrator, Sekretaris, Kasubag, two teams (A with two members), 3 indicators."""
    from kinerja_desktop.domain.permissions import Role
    from kinerja_desktop.services import accounts, formats, office, teams

    office.save_office(ctx, None, office.SEED_OFFICE)
    admin = accounts.create_first_admin(ctx, accounts.PersonInput("Admin Kantor", "admin"),
                                        PASSWORD).id

    def person(name: str, login: str, roles=frozenset()) -> int:
        return accounts.create_person(ctx, admin, accounts.PersonInput(name, login,
                                                                       roles=roles), PASSWORD).id

    sek = person("Sekretaris Dinas", "sekretaris", frozenset({Role.SEKRETARIS}))
    kas = person("Kasubag Program", "kasubag", frozenset({Role.KASUBAG}))
    a1, a2, b1 = person("Anggota A1", "anggota.a1"), person("Anggota A2", "anggota.a2"), \
        person("Anggota B1", "anggota.b1")
    team_a = teams.create_team(ctx, admin, "Tim Bidang A", "Bidang A").id
    team_b = teams.create_team(ctx, admin, "Tim Bidang B", "Bidang B").id
    teams.set_members(ctx, admin, team_a, [a1, a2], lead_id=a1)
    teams.set_members(ctx, admin, team_b, [b1], lead_id=b1)
    objective = formats.create_objective(ctx, kas, "Meningkatnya kapasitas desa", "SS1").id
    indicators = []
    for name, team in (("Persentase desa mandiri", team_a), ("Jumlah BUMDes aktif", team_a),
                       ("Persentase kader terlatih", team_b)):
        ind = formats.create_indicator(ctx, kas, formats.IndicatorInput(
            objective_id=objective, name=name, unit="%", team_id=team)).id
        formats.set_target(ctx, kas, ind, 2025, 80.0)
        indicators.append(ind)
    return Office(admin, sek, kas, a1, a2, b1, team_a, team_b, tuple(indicators))


def _when_modal(kind, handle) -> list:
    """Call ``handle(dialog)`` once a modal dialog of type ``kind`` is shown (polled, so
    it works for a dialog opened with exec() after a background task)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    handled: list = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            handled.append(dialog)
            handle(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return handled


@pytest.fixture
def when_modal():
    """``when_modal(DialogClass, handle)``: answer a modal dialog once it is shown."""
    return _when_modal
