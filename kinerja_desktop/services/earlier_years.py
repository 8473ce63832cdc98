"""Realisasi of an indicator in the years before its first cycle in the application.

An office starting with Kinerja Desktop has the realisasi of earlier years in its old
LKjIP documents. The administrator or the Kasubag types them in the indicator master (or
brings them with the indicator import), so the first Dokumen Data Kinerja already
compares with two or three earlier years. The document prefers the realisasi of an
earlier cycle in the application when there is one (see
``services.document_data.compiled_report``); these values fill the years before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import Indicator, IndicatorActual
from kinerja_desktop.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from kinerja_desktop.domain.input_rules import ACTUAL, check_field, check_number
from kinerja_desktop.domain.permissions import Principal, Role
from kinerja_desktop.services.common import audit, load_principal
from kinerja_desktop.services.context import ServiceContext, retry_busy

#: The years an earlier realisasi may belong to.
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: How many years before a cycle the indicator master offers.
YEARS_OFFERED = 3


@dataclass(frozen=True)
class EarlierActual:
    """The realisasi of one indicator in one earlier year (number, or text when the
    indicator is qualitative)."""

    indicator_id: int
    year: int
    actual: float | None
    actual_text: str = ""

    @property
    def value(self) -> tuple[float | None, str]:
        return self.actual, self.actual_text


def offered_years(year: int) -> tuple[int, ...]:
    """The earlier years the indicator master offers for the cycle of ``year``."""
    return tuple(range(year - YEARS_OFFERED, year))


def _can_manage(principal: Principal) -> None:
    if not (principal.has(Role.KASUBAG) or principal.has(Role.ADMIN)):
        raise PermissionDenied("Realisasi tahun sebelumnya hanya dapat diubah oleh Kasubag "
                               "atau Administrator.")


def check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(f"Tahun {year} tidak sah (antara {FIRST_YEAR} dan {LAST_YEAR}).")


def checked_value(year: int, actual: float | None, actual_text: str,
                  qualitative: bool) -> tuple[float | None, str] | None:
    """The value to store for ``year`` (None: clear it), or :class:`ValidationError`.

    A quantitative indicator takes a number, a qualitative one a text (e.g. "WTP")."""
    check_year(year)
    text = check_field("indicator_actuals.actual_text", actual_text or "")
    if qualitative:
        if actual is not None:
            raise ValidationError(f"Realisasi {year}: indikator kualitatif diisi teks "
                                  "(mis. WTP), bukan angka.")
        return (None, text) if text else None
    if text:
        raise ValidationError(f"Realisasi {year}: isi angka (indikator ini bukan kualitatif).")
    if actual is None:
        return None
    check_number(actual, ACTUAL)
    return float(actual), ""


def earlier_actuals(ctx: ServiceContext, indicator_id: int) -> list[EarlierActual]:
    """Every earlier-year realisasi of one indicator, oldest first."""
    with ctx.read() as session:
        if session.get(Indicator, indicator_id) is None:
            raise NotFound("Indikator tidak ditemukan.")
        return [EarlierActual(r.indicator_id, r.year, r.actual, r.actual_text)
                for r in session.scalars(select(IndicatorActual).where(
                    IndicatorActual.indicator_id == indicator_id)
                    .order_by(IndicatorActual.year))]


def actuals_before(session: Session, indicator_ids: Iterable[int], year: int
                   ) -> dict[tuple[int, int], tuple[float | None, str]]:
    """(indicator id, year) → (realisasi, text) of the typed earlier years before ``year``
    for ``indicator_ids`` (read in the caller's session)."""
    ids = set(indicator_ids)
    if not ids:
        return {}
    rows = session.execute(select(IndicatorActual.indicator_id, IndicatorActual.year,
                                  IndicatorActual.actual, IndicatorActual.actual_text)
                           .where(IndicatorActual.year < year))
    return {(ind, y): (actual, text or "") for ind, y, actual, text in rows if ind in ids}


def audited_values(rows: Mapping[int, tuple[float | None, str]]) -> dict:
    return {str(year): {"realisasi": actual, "realisasi_teks": text}
            for year, (actual, text) in sorted(rows.items())}


def store_values(session: Session, indicator: Indicator,
                 values: Mapping[int, tuple[float | None, str] | None]
                 ) -> tuple[dict[int, tuple[float | None, str]], dict[int, tuple]]:
    """Write checked ``values`` (year → value, None clears) in ``session``; returns what
    the changed years held before and hold now (for the audit)."""
    rows = {r.year: r for r in session.scalars(select(IndicatorActual).where(
        IndicatorActual.indicator_id == indicator.id))}
    before: dict[int, tuple[float | None, str]] = {}
    after: dict[int, tuple] = {}
    for year, value in sorted(values.items()):
        row = rows.get(year)
        old = (row.actual, row.actual_text) if row is not None else None
        if old == value:
            continue
        if old is not None:
            before[year] = old
        after[year] = value if value is not None else (None, "")
        if value is None:
            session.delete(row)
        elif row is None:
            session.add(IndicatorActual(indicator_id=indicator.id, year=year,
                                        actual=value[0], actual_text=value[1]))
        else:
            row.actual, row.actual_text = value
    return before, after


@retry_busy
def save_earlier_actuals(ctx: ServiceContext, actor_id: int, indicator_id: int,
                         values: Mapping[int, tuple[float | None, str] | None],
                         expected: Mapping[int, tuple[float | None, str] | None] | None = None
                         ) -> list[EarlierActual]:
    """Set or clear (value None, or an empty number and text) the realisasi of
    ``indicator_id`` in the given earlier years, in one transaction, audited.

    ``expected``: what the form loaded for those years (None: not set); a year changed
    by someone else since is refused with nothing written."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        indicator = session.get(Indicator, indicator_id)
        if indicator is None:
            raise NotFound("Indikator tidak ditemukan.")
        checked = {}
        for year, value in values.items():
            actual, text = value if value is not None else (None, "")
            checked[year] = checked_value(year, actual, text, indicator.qualitative)
        ctx.lock(session, f"kinerja-desktop:realisasi-awal:{indicator_id}")
        if expected is not None:
            stored = {r.year: (r.actual, r.actual_text) for r in session.scalars(
                select(IndicatorActual).where(IndicatorActual.indicator_id == indicator_id))}
            for year, loaded in expected.items():
                if stored.get(year) != loaded:
                    raise ConflictError(f"Realisasi {year} indikator ini baru saja diubah oleh "
                                        "pengguna lain; muat ulang lalu isi kembali.")
        before, after = store_values(session, indicator, checked)
        if after:
            audit(session, ctx.now(), principal, "indikator.realisasi_sebelumnya", "indicator",
                  indicator_id, before=audited_values(before), after=audited_values(after))
        session.flush()
        return [EarlierActual(r.indicator_id, r.year, r.actual, r.actual_text)
                for r in session.scalars(select(IndicatorActual).where(
                    IndicatorActual.indicator_id == indicator_id)
                    .order_by(IndicatorActual.year))]
