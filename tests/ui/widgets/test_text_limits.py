"""Issue 12 item 8 in the window: every text field people type into keeps the limit of
its column (domain.input_rules): a line edit takes no more, a multi-line field says so
in the words the service would use, before anything is saved."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.input_rules import TEXT_RULES, USERNAME_MAX

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

#: Qt's maxLength when nobody set one.
UNBOUNDED = 32767


def _typed_fields(widget) -> list[QLineEdit]:
    """The line edits a person types text into, passwords too (not numbers, read-only fields
    or the editors inside spin boxes, date fields and combo boxes)."""
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox

    from kinerja_desktop.ui.widgets.number_edit import NumberEdit

    return [e for e in widget.findChildren(QLineEdit)
            if not isinstance(e, NumberEdit) and not e.isReadOnly()
            and e.echoMode() in (QLineEdit.EchoMode.Normal, QLineEdit.EchoMode.Password)
            and not isinstance(e.parent(), QAbstractSpinBox | QComboBox)]


def _dialogs(ctx, office):
    from kinerja_desktop.services import formats
    from kinerja_desktop.ui.dialogs.person import PersonDialog
    from kinerja_desktop.ui.dialogs.team import TeamDialog
    from kinerja_desktop.ui.screens.indicator_master import IndicatorDialog, ObjectiveDialog
    from kinerja_desktop.ui.signals import UiSession

    session = UiSession(ctx, office.admin)
    indicator, target = formats.get_indicator(ctx, office.indicators[0], 2025)
    return {
        "person": PersonDialog(session),
        "team": TeamDialog(session),
        "objective": ObjectiveDialog(ctx, office.kasubag, formats.list_objectives(ctx)[0]),
        "indicator": IndicatorDialog(ctx, office.kasubag, 2025, indicator, target),
    }


def test_every_text_line_of_the_forms_has_its_columns_limit(qtbot, ctx, small_office):
    from kinerja_desktop.services import passwords

    dialogs = _dialogs(ctx, small_office)
    for name, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        fields = _typed_fields(dialog)
        assert fields, name
        unbounded = [f.objectName() or f.placeholderText() or f.text() for f in fields
                     if f.maxLength() == UNBOUNDED]
        assert unbounded == [], (name, unbounded)
    person, team = dialogs["person"], dialogs["team"]
    assert person.name.maxLength() == TEXT_RULES["people.name"].limit
    assert person.username.maxLength() == USERNAME_MAX
    assert person.password.maxLength() == passwords.MAX_LENGTH
    assert team.bidang.maxLength() == TEXT_RULES["teams.bidang"].limit
    indicator = dialogs["indicator"]
    assert indicator.name.maxLength() == TEXT_RULES["indicators.name"].limit
    assert indicator.source.maxLength() == TEXT_RULES["indicators.data_source"].limit


def test_a_line_takes_no_more_than_its_limit(qtbot, ctx, small_office):
    from kinerja_desktop.ui.dialogs.team import TeamDialog
    from kinerja_desktop.ui.signals import UiSession

    dialog = TeamDialog(UiSession(ctx, small_office.admin))
    qtbot.addWidget(dialog)
    limit = TEXT_RULES["teams.name"].limit
    qtbot.keyClicks(dialog.name, "T" * (limit + 7))
    assert len(dialog.name.text()) == limit
    dialog.name.clear()
    dialog.name.insert("P" * (limit + 500))  # a paste is cut at the limit too
    assert len(dialog.name.text()) == limit


def test_a_long_note_is_told_while_typing_and_refused_before_the_service(qtbot):
    from kinerja_desktop.ui.dialogs.text import TextDialog

    called = []
    dialog = TextDialog("Tambah catatan", "Catatan:", called.append,
                        field="item_reviews.comment")
    qtbot.addWidget(dialog)
    limit = TEXT_RULES["item_reviews.comment"].limit
    dialog.text_edit.setPlainText("Catatan " * (limit // 8) + "lebih\x0b")
    assert dialog.text_edit.toolTip().startswith("Catatan verifikasi terlalu panjang (")
    assert "#a61b1b" in dialog.text_edit.styleSheet()
    with pytest.raises(ValidationError, match=rf"maksimal {limit}\)"):
        dialog.save()
    assert called == []
    dialog.text_edit.setPlainText("Cukup singkat.")
    assert dialog.text_edit.toolTip() == f"Maksimal {limit:,} karakter.".replace(",", ".")
    assert dialog.text_edit.styleSheet() == ""
    dialog.save()
    assert called == ["Cukup singkat."]


def test_the_entry_forms_texts_say_when_they_are_too_long(qtbot):
    from kinerja_desktop.ui.screens.entry_form import _COLUMNS
    from kinerja_desktop.ui.widgets.text_limits import limit_text, text_problem

    for key, column in _COLUMNS.items():
        rule = TEXT_RULES[f"item_entries.{column}"]
        edit = limit_text(QPlainTextEdit(), f"item_entries.{column}")
        qtbot.addWidget(edit)
        edit.setPlainText("a" * rule.limit)
        assert text_problem(edit) == "", key
        edit.setPlainText("a" * rule.limit + "\x0b\x00")  # control characters do not count
        assert text_problem(edit) == "", key
        edit.setPlainText("a" * (rule.limit + 1))
        assert text_problem(edit) == (f"{rule.label} terlalu panjang ({rule.limit + 1} "
                                      f"karakter; maksimal {rule.limit}). Persingkat isinya.")


def test_an_sop_list_is_bounded_per_line(qtbot):
    from kinerja_desktop.ui.widgets.text_limits import limit_text, text_problem

    rule = TEXT_RULES["sops.legal_basis"]
    edit = limit_text(QPlainTextEdit(), "sops.legal_basis", per_line=True)
    qtbot.addWidget(edit)
    edit.setPlainText("\n".join(["a" * rule.limit] * 5))  # each line within its limit
    assert text_problem(edit) == ""
    edit.setPlainText("singkat\n" + "b" * (rule.limit + 1))
    assert text_problem(edit).startswith(f"{rule.label} baris 2 terlalu panjang")
