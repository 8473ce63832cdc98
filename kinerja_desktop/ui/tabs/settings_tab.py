"""The Pengaturan tab (administrator): office, users, teams, predikat scale, days off,
SOP, this computer's idle lock and where its data lives; each screen is built (and its
module imported) when its section is first shown.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kinerja_desktop.ui.signals import UiSession
from kinerja_desktop.ui.widgets.role_tab import RoleTab


class SettingsTab(RoleTab):
    """Pengaturan (administrator): the office, people, team, predikat, days-off and SOP
    screens, each built (and its module imported) when its section is first shown."""

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(session, "tabPengaturan", parent)
        self.add_section("Profil kantor", self._office_section)
        self.add_section("Pengguna", self._people_section)
        self.add_section("Tim", self._teams_section)
        self.add_section("Program anggaran", self._programme_section)
        self.add_section("Skala predikat", self._predikat_section)
        self.add_section("Hari libur kantor", self._days_off_section)
        self.add_section("Penomoran dokumen", self._numbering_section)
        self.add_section("SOP", self._sop_section)
        self.add_section("Kunci otomatis", self._lock_section)
        self.add_section("Lokasi data", self._data_location_section)

    def _office_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.office import OfficeSection

        return OfficeSection(self.session)

    def _people_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.people import PeopleSection

        return PeopleSection(self.session, True)

    def _teams_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.teams import TeamsSection

        return TeamsSection(self.session, True)

    def _programme_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.programmes import ProgrammeMasterWidget

        return ProgrammeMasterWidget(self.session.ctx, self.session.user_id,
                                     self.session.signals)

    def _predikat_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.office import PredikatSection

        return PredikatSection(self.session)

    def _days_off_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.office import DaysOffSection

        return DaysOffSection(self.session)

    def _numbering_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.office import NumberingSection

        return NumberingSection(self.session)

    def _sop_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.sop import SopSection

        return SopSection(self.session)

    def _lock_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.computer import LockSection

        return LockSection(self.session)

    def _data_location_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.data_location import DataLocationSection

        return DataLocationSection(self.session)

    @property
    def people_section(self) -> QWidget:
        return self.section("Pengguna")

    @property
    def teams_section(self) -> QWidget:
        return self.section("Tim")

    @property
    def sop_section(self) -> QWidget:
        return self.section("SOP")
