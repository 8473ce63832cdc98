"""Tests for pangkat and NIP handling (kinerja_desktop.domain.people)."""

from datetime import date

import pytest

from kinerja_desktop.domain.people import (
    PANGKAT,
    NipError,
    Pangkat,
    find_pangkat,
    format_nip,
    nip_birth_date,
    nip_cpns_start,
    nip_gender,
    normalize_nip,
)

KADIS_NIP = "197108171991011001"
TODAY = date(2026, 6, 1)


# --- pangkat ------------------------------------------------------------------------


def test_seventeen_grades_in_order():
    assert len(PANGKAT) == 17
    assert [p.golongan for p in PANGKAT] == [
        "I/a", "I/b", "I/c", "I/d",
        "II/a", "II/b", "II/c", "II/d",
        "III/a", "III/b", "III/c", "III/d",
        "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
    ]  # fmt: skip
    assert PANGKAT[0].name == "Juru Muda"
    assert PANGKAT[-1].name == "Pembina Utama"
    assert len({p.name for p in PANGKAT}) == 17


def test_pembina_tingkat_i():
    p = PANGKAT[13]
    assert p == Pangkat(name="Pembina Tingkat I", golongan="IV/b", short="Pembina Tk. I")
    assert p.label == "Pembina Tingkat I (IV/b)"
    assert p.printed == "Pembina Tk. I, IV/b"
    assert p.rank == 14


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Juru Muda Tingkat I", "Juru Muda Tk. I"),
        ("Penata Tingkat I", "Penata Tk. I"),
        ("Pembina Utama Madya", "Pembina Utama Madya"),
        ("Pengatur", "Pengatur"),
    ],
)
def test_short_names(name, short):
    assert next(p for p in PANGKAT if p.name == name).short == short


@pytest.mark.parametrize(
    ("text", "golongan"),
    [
        ("Pembina Tk. I", "IV/b"),
        ("Pembina Tingkat I", "IV/b"),
        ("IV/b", "IV/b"),
        ("iv/B", "IV/b"),
        ("IV / b", "IV/b"),
        ("Pembina Tingkat I, IV/b", "IV/b"),
        ("Pembina Tk. I, IV/b", "IV/b"),
        ("pembina tk. i, iv/b", "IV/b"),
        ("Pembina Tk.I", "IV/b"),
        ("Pembina Tk I", "IV/b"),
        ("Pembina Tingkat I (IV/b)", "IV/b"),
        ("  PEMBINA   TINGKAT  I  ", "IV/b"),
        ("Pembina", "IV/a"),
        ("Pembina, IV/a", "IV/a"),
        ("Pembina IV/a", "IV/a"),
        ("Juru Muda", "I/a"),
        ("I/a", "I/a"),
        ("Penata Muda Tk. I, III/b", "III/b"),
        ("Pembina Utama Muda", "IV/c"),
        ("Pembina Utama", "IV/e"),
        ("Pengatur Tingkat I - II/d", "II/d"),
    ],
)
def test_find_pangkat(text, golongan):
    found = find_pangkat(text)
    assert found is not None
    assert found.golongan == golongan


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "Jenderal",
        "IV/f",
        "V/a",
        "Pembina Tingkat II",
        "Pembina, IV/b",
        "Juru, IV/a",
    ],
)
def test_find_pangkat_none(text):
    assert find_pangkat(text) is None


def test_every_grade_found_by_each_form():
    for p in PANGKAT:
        assert find_pangkat(p.name) == p
        assert find_pangkat(p.short) == p
        assert find_pangkat(p.golongan) == p
        assert find_pangkat(p.label) == p
        assert find_pangkat(p.printed) == p


# --- NIP ------------------------------------------------------------------------------


def test_kepala_dinas_nip():
    assert normalize_nip(KADIS_NIP) == KADIS_NIP
    assert format_nip(KADIS_NIP) == "19710817 199101 1 001"
    assert nip_birth_date(KADIS_NIP) == date(1971, 8, 17)
    assert nip_cpns_start(KADIS_NIP) == date(1991, 1, 1)
    assert nip_gender(KADIS_NIP) == "Laki-laki"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("197108171991011001", "197108171991011001"),
        ("19710817 199101 1 001", "197108171991011001"),
        ("  19710817199101 1001 ", "197108171991011001"),
        ("198503122010012003", "198503122010012003"),
        ("200002292024012001", "200002292024012001"),  # 29 Feb 2000 is real
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_normalize_valid(text, expected):
    assert normalize_nip(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("19710817199101100", "18 digit"),  # 17 digits
        ("1971081719910110011", "18 digit"),  # 19 digits
        ("19710817A99101I001", "hanya boleh berisi angka"),
        ("19710817-199101-1-001", "hanya boleh berisi angka"),
        ("197113171991011001", "tanggal lahir"),  # month 13 in birth date
        ("197102301991011001", "tanggal lahir"),  # 30 February
        ("197100171991011001", "tanggal lahir"),  # month 00
        ("193512011960011001", "1940"),  # born before 1940
        ("202712011960011001", "masa depan"),  # born after today
        ("197108171991131001", "bulan TMT CPNS"),  # CPNS month 13
        ("197108171991001001", "bulan TMT CPNS"),  # CPNS month 00
        ("197108171980011001", "tahun TMT CPNS 1980"),  # CPNS at 9 years old
        ("197108172028011001", "melewati tahun 2027"),  # CPNS too far ahead
        ("197108171991013001", "jenis kelamin"),  # gender 3
        ("197108171991010001", "jenis kelamin"),  # gender 0
        ("197108171991011000", "nomor urut"),  # serial 000
    ],
)
def test_normalize_invalid(text, fragment):
    with pytest.raises(NipError, match=fragment):
        normalize_nip(text, today=TODAY)


def test_nip_error_is_value_error():
    assert issubclass(NipError, ValueError)


def test_cpns_year_bounds_are_inclusive():
    # birth year + 15 and current year + 1 are both allowed
    assert normalize_nip("197108171986011001", today=TODAY)
    assert normalize_nip("199001012027012001", today=TODAY)


def test_nip_gender_and_dates():
    nip = "198503122010012003"
    assert nip_gender(nip) == "Perempuan"
    assert nip_birth_date(nip) == date(1985, 3, 12)
    assert nip_cpns_start(nip) == date(2010, 1, 1)
    assert format_nip(nip) == "19850312 201001 2 003"


def test_format_nip_empty_and_invalid():
    assert format_nip("") == ""
    assert format_nip(None) == ""
    assert format_nip("19710817 199101 1 001") == "19710817 199101 1 001"
    with pytest.raises(NipError):
        format_nip("197108171991013001")


@pytest.mark.parametrize("func", [nip_birth_date, nip_gender, nip_cpns_start])
def test_nip_helpers_require_nip(func):
    with pytest.raises(NipError, match="belum diisi"):
        func("")
