"""The seed SOP as data, and clear messages for a broken SOP file."""

from __future__ import annotations

import pytest

from kinerja_desktop import paths
from kinerja_desktop.domain.permissions import Role
from kinerja_desktop.domain.sop import SopFileError, StepKind, load_sop_file, parse_sop_toml

SEED = paths.resources_dir() / "sop" / "pengumpulan-data-kinerja.toml"


def test_seed_sop_has_every_field():
    sop = load_sop_file(SEED)
    assert sop.number == "25/DPMD/I/2017" and sop.name == "PENGUMPULAN DATA KINERJA"
    assert sop.made_on.isoformat() == "2017-01-09" == sop.effective_on.isoformat()
    assert sop.revised_on is None
    assert sop.unit == "Sekretariat"
    assert sop.sub_unit == "Sub Bagian Perencanaan, Pelaporan dan Keuangan"
    assert len(sop.legal_basis) == 3 and len(sop.qualifications) == 5
    assert len(sop.related_sops) == 6 and len(sop.equipment) == 4
    assert len(sop.warnings) == 1 and sop.records == ()
    waktu = [(s.time.amount, s.time.unit.value) for s in sop.steps]
    assert waktu == [(60, "menit"), (60, "menit"), (60, "menit"), (120, "menit"),
                     (30, "menit"), (60, "hari"), (1, "hari")]
    assert [s.executor for s in sop.steps] == [Role.SEKRETARIS, Role.KASUBAG, Role.KASUBAG,
                                               Role.TIM, Role.TIM, Role.KASUBAG, Role.KASUBAG]
    assert [s.per_team for s in sop.steps] == [False, False, True, True, True, True, False]
    assert sop.step(1).requirements == ("SK Inspektur Provinsi Sulawesi Selatan",)
    # the flowchart's own title in the seed, printed above the flowchart
    assert sop.flowchart_title == ("MEKANISME PENGUMPULAN DATA KINERJA LAPORAN KINERJA DINAS "
                                   "PEMBERDAYAAN MASYARAKAT DAN DESA TAHUN 2017")
    assert sop.step(7).output == "Dokumen Data Kinerja"
    assert [s.kind for s in sop.steps] == list(StepKind)


def test_seed_installed_on_first_run(ctx):
    from kinerja_desktop.services import sops

    version = sops.current_sop(ctx)
    assert version.version == 1
    assert version.definition == load_sop_file(SEED)


def _broken(old: str, new: str, count: int = 1) -> str:
    text = SEED.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, count)


@pytest.mark.parametrize("old,new,expected", [
    ("waktu = 120", "waktu = \"dua jam\"", "langkah ke-4, kolom 'waktu' (baris "),
    ("satuan = \"hari\"", "satuan = \"minggu\"", "kolom 'satuan'"),
    ("pelaksana = \"kasubag\"", "pelaksana = \"kepala\"", "langkah ke-2, kolom 'pelaksana'"),
    ("nomor = \"25/DPMD/I/2017\"", "nomor = \"\"", "kolom 'nomor' (baris 16)"),
    ("tanggal_efektif = 2017-01-09", "tanggal_efektif = \"9 Januari\"", "'tanggal_efektif'"),
    ("nama = \"PENGUMPULAN DATA KINERJA\"", "nama = [", "penulisan berkas tidak sah"),
])
def test_broken_file_names_field_and_line(old, new, expected):
    with pytest.raises(SopFileError) as err:
        parse_sop_toml(_broken(old, new), "sop.toml")
    assert expected in str(err.value)
    assert str(err.value).startswith("sop.toml:")


def test_missing_step_is_refused():
    text = SEED.read_text(encoding="utf-8")
    cut = text[: text.rindex("[[langkah]]")]
    with pytest.raises(SopFileError, match="7 langkah"):
        parse_sop_toml(cut, "sop.toml")
