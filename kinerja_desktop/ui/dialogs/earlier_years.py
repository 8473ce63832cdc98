"""Realisasi of an indicator in the years before the cycle, typed from the office's
earlier LKjIP (indicator master ▸ "Realisasi tahun sebelumnya…")."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from kinerja_desktop.domain.input_rules import limit_of
from kinerja_desktop.ui.common import FormDialog
from kinerja_desktop.ui.widgets.number_edit import NumberEdit


class EarlierYearsDialog(FormDialog):
    """One field per earlier year (the three before ``year``): a number, or a text for a
    qualitative indicator. An emptied field clears that year."""

    def __init__(self, ctx, user_id: int, indicator, year: int,
                 parent: QWidget | None = None) -> None:
        super().__init__("Realisasi tahun sebelumnya", parent)
        from kinerja_desktop.services import earlier_years

        self.setObjectName("dialogRealisasiSebelumnya")
        self.ctx, self.user_id, self.indicator = ctx, user_id, indicator
        self.years = earlier_years.offered_years(year)
        stored = {a.year: a.value for a in earlier_years.earlier_actuals(ctx, indicator.id)}
        #: What the form loaded (None: not set): a change saved meanwhile is refused.
        self.loaded = {y: stored.get(y) for y in self.years}
        unit = f" ({indicator.unit})" if indicator.unit else ""
        self.set_intro(
            f"<b>{_escape(indicator.name)}</b>{_escape(unit)}<br>Realisasi tahun-tahun "
            f"sebelum {year} dari LKjIP terdahulu, untuk perbandingan antartahun dalam Dokumen "
            "Data Kinerja. Realisasi dari siklus yang tercatat pada tahun yang sama lebih "
            "diutamakan. Kosongkan isian untuk menghapus.")
        self.intro.setMinimumWidth(440)
        self.intro.setMaximumWidth(560)
        self.fields: dict[int, QLineEdit] = {}
        for y in self.years:
            if indicator.qualitative:
                field = QLineEdit()
                field.setMaxLength(limit_of("indicator_actuals.actual_text"))
                field.setPlaceholderText("mis. WTP, B")
                field.setText(stored[y][1] if y in stored else "")
            else:
                field = NumberEdit(f"Realisasi {y}", allow_negative=True)
                field.set_value(stored[y][0] if y in stored else None)
            field.setObjectName(f"realisasi{y}")
            self.fields[y] = field
            self.form.addRow(f"Realisasi {y}", field)

    def values(self) -> dict[int, tuple[float | None, str] | None]:
        """year → (number, text), or None to clear; ValidationError for a bad number."""
        values: dict[int, tuple[float | None, str] | None] = {}
        for y, field in self.fields.items():
            if isinstance(field, NumberEdit):
                number = field.value()
                values[y] = (float(number), "") if number is not None else None
            else:
                text = field.text().strip()
                values[y] = (None, text) if text else None
        return values

    def save(self):
        from kinerja_desktop.services import earlier_years

        saved = earlier_years.save_earlier_actuals(self.ctx, self.user_id, self.indicator.id,
                                                   self.values(), expected=self.loaded)
        return saved


def _escape(text: str) -> str:
    from html import escape

    return escape(text)
