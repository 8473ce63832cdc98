"""Realisasi of earlier years typed in the indicator master: set, clear, refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kinerja_desktop.db.models import AuditEntry
from kinerja_desktop.domain.errors import ConflictError, PermissionDenied, ValidationError
from kinerja_desktop.services import earlier_years, formats


def _audits(ctx, action: str) -> list[tuple]:
    """(entity id, before, after) of each audit entry of ``action``, oldest first."""
    with ctx.read() as session:
        return [tuple(r) for r in session.execute(
            select(AuditEntry.entity_id, AuditEntry.before, AuditEntry.after)
            .where(AuditEntry.action == action).order_by(AuditEntry.id))]


def test_set_change_and_clear_are_each_audited(ctx, office):
    ind = office.indicators[0]
    saved = earlier_years.save_earlier_actuals(ctx, office.kasubag, ind,
                                               {2023: (61.5, ""), 2024: (64.25, "")})
    assert [(a.year, a.actual, a.actual_text) for a in saved] == [
        (2023, 61.5, ""), (2024, 64.25, "")]
    # One year changed, one cleared (None), one untouched year left out.
    saved = earlier_years.save_earlier_actuals(
        ctx, office.kasubag, ind, {2023: None, 2024: (65.0, "")},
        expected={2023: (61.5, ""), 2024: (64.25, "")})
    assert [(a.year, a.actual) for a in saved] == [(2024, 65.0)]
    assert earlier_years.earlier_actuals(ctx, ind) == saved
    entries = _audits(ctx, "indikator.realisasi_sebelumnya")
    assert len(entries) == 2
    assert entries[0][0] == str(ind) and entries[0][1] == {}
    assert entries[1][1] == {"2023": {"realisasi": 61.5, "realisasi_teks": ""},
                                 "2024": {"realisasi": 64.25, "realisasi_teks": ""}}
    assert entries[1][2] == {"2023": {"realisasi": None, "realisasi_teks": ""},
                                "2024": {"realisasi": 65.0, "realisasi_teks": ""}}
    # Saving the same values again changes nothing and logs nothing.
    earlier_years.save_earlier_actuals(ctx, office.kasubag, ind, {2024: (65.0, "")})
    assert len(_audits(ctx, "indikator.realisasi_sebelumnya")) == 2


def test_qualitative_takes_text_and_quantitative_takes_a_number(ctx, office):
    obj = formats.list_objectives(ctx)[0].id
    opinion = formats.create_indicator(ctx, office.kasubag, formats.IndicatorInput(
        objective_id=obj, name="Opini BPK", qualitative=True))
    saved = earlier_years.save_earlier_actuals(ctx, office.kasubag, opinion.id,
                                               {2024: (None, "  WTP ")})
    assert [(a.year, a.actual, a.actual_text) for a in saved] == [(2024, None, "WTP")]
    with pytest.raises(ValidationError, match="kualitatif diisi teks"):
        earlier_years.save_earlier_actuals(ctx, office.kasubag, opinion.id, {2023: (1.0, "")})
    with pytest.raises(ValidationError, match="isi angka"):
        earlier_years.save_earlier_actuals(ctx, office.kasubag, office.indicators[0],
                                           {2023: (None, "tinggi")})


@pytest.mark.parametrize("values, message", [
    ({1999: (1.0, "")}, "Tahun 1999 tidak sah"),
    ({2023: (1e16, "")}, "di luar rentang"),
    ({2023: (float("nan"), "")}, "bukan angka"),
])
def test_bad_values_are_refused_and_nothing_changes(ctx, office, values, message):
    ind = office.indicators[0]
    earlier_years.save_earlier_actuals(ctx, office.kasubag, ind, {2022: (10.0, "")})
    with pytest.raises(ValidationError, match=message):
        earlier_years.save_earlier_actuals(ctx, office.kasubag, ind,
                                           {2022: (11.0, ""), **values})
    assert [(a.year, a.actual) for a in earlier_years.earlier_actuals(ctx, ind)] == [
        (2022, 10.0)]


def test_only_kasubag_or_admin_and_a_stale_form_is_refused(ctx, office):
    ind = office.indicators[0]
    with pytest.raises(PermissionDenied):
        earlier_years.save_earlier_actuals(ctx, office.sekretaris, ind, {2024: (1.0, "")})
    earlier_years.save_earlier_actuals(ctx, office.admin, ind, {2024: (70.0, "")})
    with pytest.raises(ConflictError, match="baru saja diubah"):
        earlier_years.save_earlier_actuals(ctx, office.kasubag, ind, {2024: (71.0, "")},
                                           expected={2024: None})
    assert earlier_years.earlier_actuals(ctx, ind)[0].actual == 70.0


def test_offered_years_are_the_three_before_the_cycle():
    assert earlier_years.offered_years(2025) == (2022, 2023, 2024)
