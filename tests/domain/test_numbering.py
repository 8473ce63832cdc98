"""The Nomor template of official documents."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.numbering import check_template, render_number


def test_domain_example_renders_as_documented():
    assert render_number("050/{urut}/DPMD/{bulan romawi}/{tahun}", 17,
                         date(2018, 2, 5)) == "050/17/DPMD/II/2018"


@pytest.mark.parametrize("month, roman", [(1, "I"), (4, "IV"), (9, "IX"), (12, "XII")])
def test_months_in_roman_numerals_and_two_digits(month, roman):
    assert render_number("{urut}/{bulan romawi}/{bulan}/{tahun}", 3,
                         date(2026, month, 1)) == f"3/{roman}/{month:02d}/2026"


@pytest.mark.parametrize("template, message", [
    ("", "wajib diisi"),
    ("050/DPMD/{tahun}", "harus memuat {urut}"),
    ("050/{urut}/{bulan_romawi}", "tidak dikenal"),
    ("050/{urut}/{tahun", "Kurung kurawal"),
    ("x" * 101 + "{urut}", "terlalu panjang"),
])
def test_bad_templates_are_refused_with_a_reason(template, message):
    with pytest.raises(ValidationError, match=message):
        check_template(template)


def test_running_number_starts_at_one():
    with pytest.raises(ValueError):
        render_number("{urut}", 0, date(2026, 1, 1))
