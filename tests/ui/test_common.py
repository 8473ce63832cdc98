"""Form helpers shared by every screen."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_pangkat_offers_the_17_grades(qtbot):
    from kinerja_desktop.domain.people import PANGKAT
    from kinerja_desktop.ui.common import PangkatCombo

    combo = PangkatCombo()
    qtbot.addWidget(combo)
    assert combo.count() == 18  # "none" + 17 grades
    assert [combo.itemData(i) for i in range(1, 18)] == [p.label for p in PANGKAT]
