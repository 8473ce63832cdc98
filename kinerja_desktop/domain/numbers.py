"""Indonesian number parsing (strict) and number/date formatting.

Indonesian notation: ``.`` separates thousands, ``,`` is the decimal separator
(``1.234.567,89``). Parsing never guesses: text that could be read two ways, such as
``"4.25"``, is rejected with an Indonesian message explaining how to write it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache

from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime

from .timing import WITA

__all__ = [
    "ENTERED_DECIMALS",
    "NumberFormatError",
    "entered_decimals",
    "format_date_long",
    "format_datetime_long",
    "format_datetime_short",
    "format_entered",
    "format_money",
    "format_number",
    "format_percent",
    "parse_number",
    "parse_optional_number",
    "to_decimal",
]

LOCALE = "id"


class NumberFormatError(ValueError):
    """Text that is not a valid Indonesian number; the message is in Indonesian."""

    def __init__(self, text: str, problem: str) -> None:
        self.text = text
        self.problem = problem
        if text.strip():
            message = f"'{text}' bukan angka yang valid. {problem[:1].upper()}{problem[1:]}"
        else:
            message = problem[:1].upper() + problem[1:]
        super().__init__(message)


_VALID = re.compile(r"^(-?)([1-9][0-9]{0,2}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]+))?$")
_ALLOWED_CHARS = re.compile(r"^[0-9.,\-]+$")


def parse_number(text: str, *, allow_negative: bool = True) -> Decimal:
    """Parse an Indonesian-formatted number into a Decimal.

    Accepted: ``"1234"``, ``"1.234"``, ``"1.234.567"``, ``"1.234,5"``, ``"1234,56"``,
    ``"0,5"``, ``"-3,2"``; surrounding whitespace is ignored. Dots group thousands in
    groups of exactly three digits (optional), so ``"4.250"`` is four thousand two
    hundred and fifty, never 4,25. Rejected (NumberFormatError): ambiguous or
    malformed text such as ``"4.25"``, ``"1.2345"``, ``"0.500"``, ``"12,3,4"``,
    ``"1,234.5"``, ``",5"``, ``"1e5"``, ``"--1"``, ``"1 234"``, ``"100%"``, ``""``.
    ``allow_negative=False`` also rejects negative numbers.
    """
    if text is None:
        raise NumberFormatError("", "angka belum diisi.")
    raw = str(text)
    stripped = raw.strip()
    if not stripped:
        raise NumberFormatError(raw, "angka belum diisi.")
    match = _VALID.match(stripped)
    if match is None:
        raise NumberFormatError(stripped, _diagnose(stripped))
    sign, integer_part, fraction_part = match.groups()
    if sign and not allow_negative:
        raise NumberFormatError(stripped, "angka tidak boleh negatif.")
    literal = sign + integer_part.replace(".", "")
    if fraction_part is not None:
        literal += "." + fraction_part
    value = Decimal(literal)
    if value.is_zero():
        value = abs(value)
    return value


def _diagnose(text: str) -> str:
    """Explain in Indonesian why ``text`` is not a valid number."""
    if re.search(r"\s", text):
        return "terdapat spasi di tengah angka; tulis tanpa spasi, misalnya 1234 atau 1.234."
    if not _ALLOWED_CHARS.match(text):
        bad = sorted({ch for ch in text if not re.match(r"[0-9.,\-]", ch)})
        shown = ", ".join(f"'{ch}'" for ch in bad)
        return (
            f"terdapat karakter yang tidak diizinkan ({shown}); "
            "gunakan angka, titik sebagai pemisah ribuan dan koma sebagai pemisah desimal."
        )
    if text.count("-") > 1 or ("-" in text and not text.startswith("-")):
        return "tanda minus hanya boleh satu kali, di depan angka."
    body = text.removeprefix("-")
    if not body:
        return "tidak ada angka."
    if body.count(",") > 1:
        return "koma hanya boleh dipakai satu kali sebagai pemisah desimal."
    if "," in body and "." in body.split(",", 1)[1]:
        return (
            "tampaknya memakai format angka Inggris; dalam format Indonesia titik adalah "
            "pemisah ribuan dan koma pemisah desimal, misalnya 1.234,5."
        )
    if body.startswith((",", ".")):
        return "harus diawali angka, misalnya 0,5."
    if body.endswith((",", ".")):
        return "tidak boleh diakhiri titik atau koma."
    integer_part = body.split(",", 1)[0]
    if "." in integer_part:
        groups = integer_part.split(".")
        if "" in groups:
            return "titik tidak boleh berurutan."
        if groups[0].startswith("0"):
            return (
                "ambigu: titik adalah pemisah ribuan sehingga angka tidak boleh diawali 0; "
                "untuk desimal gunakan koma, misalnya 0,5."
            )
        if len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            bad_group = next((g for g in groups[1:] if len(g) != 3), None)
            if bad_group is not None and len(groups) == 2 and len(bad_group) < 3:
                decimal_form = f"{groups[0]},{bad_group}"
                return (
                    "ambigu: titik adalah pemisah ribuan dan harus diikuti tepat 3 angka. "
                    f"Untuk angka desimal gunakan koma ({decimal_form})."
                )
            return (
                "titik adalah pemisah ribuan dan harus memisahkan kelompok tepat 3 angka, "
                "misalnya 1.234.567."
            )
    return "format angka tidak dikenali."


def parse_optional_number(text: str | None, *, allow_negative: bool = True) -> Decimal | None:
    """Like :func:`parse_number`, but empty or whitespace-only text gives None."""
    if text is None or not str(text).strip():
        return None
    return parse_number(text, allow_negative=allow_negative)


def to_decimal(value: Decimal | int | float | str) -> Decimal:
    """Convert a number to Decimal (floats via ``str``); reject non-finite values.

    Strings must use machine notation (``"1234.5"``), not Indonesian notation.
    """
    if isinstance(value, bool):
        raise TypeError(f"Nilai angka tidak valid: {value!r}.")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, float):
        result = Decimal(str(value))
    elif isinstance(value, int | str):
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"Nilai angka tidak valid: {value!r}.") from None
    else:
        raise TypeError(f"Nilai angka tidak valid: {value!r}.")
    if not result.is_finite():
        raise ValueError(f"Nilai angka tidak valid: {value!r}.")
    return result


def _quantized(value: Decimal | int | float, decimals: int) -> Decimal:
    """``value`` rounded half up to ``decimals``, whatever its size: the precision grows
    with the value (a stored float reaches 10^308; Decimal's default 28 digits would
    refuse it), so printing a number never fails."""
    exact = to_decimal(value)
    with localcontext() as context:
        context.prec = max(context.prec, exact.adjusted() + decimals + 2)
        return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _round(value: Decimal | int | float, decimals: int) -> Decimal:
    rounded = _quantized(value, decimals)
    return abs(rounded) if rounded.is_zero() else rounded


def _indonesian(rounded: Decimal, decimals: int, trim: bool) -> str:
    """``rounded`` (already rounded to ``decimals``) with "." grouping thousands and ","
    before the decimals: what Babel prints for locale ``id`` with ``#,##0.##`` (``trim``)
    or ``#,##0.00``, written out because tables format thousands of numbers."""
    text = f"{abs(rounded):.{decimals}f}"
    integer, _, fraction = text.partition(".")
    if trim:
        fraction = fraction.rstrip("0")
    grouped = f"{int(integer):,}".replace(",", ".")
    return ("-" if rounded < 0 else "") + grouped + ("," + fraction if fraction else "")


def format_number(value: Decimal | int | float, decimals: int | None = None) -> str:
    """Indonesian number text, e.g. ``"1.234.567,89"`` (rounding half up).

    ``decimals=None`` shows as many decimals as needed, at most 2 (``"12,5"``,
    ``"1.000"``); an integer ``decimals`` shows exactly that many (``"12,50"``).
    """
    if decimals is None:
        return _indonesian(_round(value, 2), 2, trim=True)
    if decimals < 0:
        raise ValueError("Jumlah angka desimal tidak boleh negatif.")
    return _indonesian(_round(value, decimals), decimals, trim=False)


#: At most this many decimals are kept when a number is printed as entered.
ENTERED_DECIMALS = 6


def entered_decimals(value: Decimal | int | float) -> int:
    """How many decimals ``value`` carries as entered (trailing zeros dropped, at most
    :data:`ENTERED_DECIMALS`): 0,6321 → 4, 5 → 0, 12,50 → 1."""
    exact = _quantized(value, ENTERED_DECIMALS).normalize()
    exponent = exact.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_entered(value: Decimal | int | float) -> str:
    """A number printed as it was entered: every decimal the value carries, no more
    (``0,6321``, ``5``, ``1.234,5``), at most :data:`ENTERED_DECIMALS`."""
    return format_number(value, entered_decimals(value))


def format_percent(value: Decimal | int | float) -> str:
    """A percentage value (already ×100) as ``"86,67%"``: 2 decimals, no space before %."""
    return format_number(value, 2) + "%"


def format_money(value: Decimal | int | float) -> str:
    """Rupiah amount as ``"Rp125.000.000,00"`` (negative: ``"-Rp1.500,00"``)."""
    amount = _round(value, 2)
    return ("-" if amount < 0 else "") + "Rp" + _indonesian(abs(amount), 2, trim=False)


def format_date_long(d: date) -> str:
    """``"9 Januari 2017"``. An aware datetime is first converted to WITA."""
    if isinstance(d, datetime):
        d = d.astimezone(WITA).date() if d.tzinfo is not None else d.date()
    return _date_long(d)


# Babel formats a date in some 20 µs; a table of thousands of rows asks for the same
# few dates and minutes again and again (the text depends on nothing else).
@lru_cache(maxsize=4096)
def _date_long(d: date) -> str:
    return _babel_format_date(d, format="long", locale=LOCALE)


@lru_cache(maxsize=4096)
def _datetime_short(local: datetime) -> str:
    return _babel_format_datetime(local, format="d MMM y HH.mm", tzinfo=WITA, locale=LOCALE)


def format_datetime_long(dt: datetime) -> str:
    """WITA local time of an aware datetime in full: ``"30 Januari 2018 pukul 10.35 WITA"``.

    Raises ValueError for a naive datetime.
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("Waktu tidak memiliki zona waktu; gunakan waktu UTC bertanda zona.")
    local = dt.astimezone(WITA)
    return f"{format_date_long(local.date())} pukul {local.hour:02d}.{local.minute:02d} WITA"


def format_datetime_short(dt: datetime) -> str:
    """WITA local time of an aware datetime as ``"9 Jan 2017 14.05"``.

    Raises ValueError for a naive datetime.
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("Waktu tidak memiliki zona waktu; gunakan waktu UTC bertanda zona.")
    # Seconds do not show: one cache entry per minute shown.
    return _datetime_short(dt.astimezone(WITA).replace(second=0, microsecond=0))
