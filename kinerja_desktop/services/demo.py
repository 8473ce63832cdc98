"""A believable DPMD Soppeng office for a first look, screenshots and scale tests.

Everything goes through the same service functions a person would use, with a
simulated clock so that the recorded times look like a real office: most steps on
time, some late, a few items returned and corrected during verification.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from kinerja_desktop.domain.achievement import Polarity
from kinerja_desktop.domain.errors import ConflictError
from kinerja_desktop.domain.permissions import Role
from kinerja_desktop.domain.timing import WITA
from kinerja_desktop.services import (
    accounts,
    cycles,
    earlier_years,
    entries,
    formats,
    office,
    programmes,
    submissions,
    teams,
    verification,
)
from kinerja_desktop.services.context import ServiceContext

DEMO_PASSWORD = "demo12345"
NOT_EMPTY = ("Basis data ini sudah berisi data; data contoh hanya dapat dimuat ke basis data "
             "yang kosong.")


@dataclass(frozen=True)
class DemoIndicator:
    objective: int
    name: str
    unit: str
    target: float | None
    polarity: Polarity = Polarity.POSITIF
    qualitative_target: str = ""
    renstra: float | None = None
    source: str = ""
    actual: float | None = None  # the realisasi the team reports (None: drawn at random)
    #: Realisasi of the years before the first cycle, oldest first (from the office's
    #: earlier LKjIP, typed in the indicator master): numbers, or texts when qualitative.
    earlier: tuple[float | str, ...] = ()


OBJECTIVES = (
    "Meningkatnya kapasitas penyelenggaraan pemerintahan desa",
    "Meningkatnya kemandirian ekonomi masyarakat desa",
    "Meningkatnya partisipasi dan keberdayaan sosial budaya masyarakat desa",
    "Meningkatnya akuntabilitas kinerja Dinas Pemberdayaan Masyarakat dan Desa",
)

#: team name, bidang, (lead, member) and the indicators it reports.
DPMD_TEAMS = (
    ("Tim Bidang Pemerintahan Desa", "Bidang Bina Pemerintahan Desa",
     (("Andi Rahmawati, S.STP", "198204142006042011", "Penata Tingkat I (III/d)",
       "Kepala Bidang Bina Pemerintahan Desa"),
      ("Muh. Ilham Saputra, S.IP", "199003212015031002", "Penata Muda Tingkat I (III/b)",
       "Analis Pemerintahan Desa")),
     (DemoIndicator(0, "Persentase desa yang menyampaikan laporan pertanggungjawaban APBDes tepat "
                       "waktu", "%", 100, renstra=100, source="Laporan kecamatan",
                   earlier=(86.4, 91.2, 95.8)),
      DemoIndicator(0, "Persentase aparatur desa yang telah mengikuti peningkatan kapasitas", "%",
                    75, renstra=90, source="Daftar hadir pelatihan",
                    earlier=(48.5, 57.0, 66.3)),
      DemoIndicator(0, "Jumlah desa berstatus Desa Mandiri", "desa", 5, renstra=10,
                    source="Indeks Desa Membangun (IDM)", earlier=(1, 2, 3)))),
    ("Tim Bidang Usaha Ekonomi Desa", "Bidang Pengembangan Usaha Ekonomi Desa",
     (("Hj. Sitti Aminah, S.E., M.M", "197806302005012009", "Penata Tingkat I (III/d)",
       "Kepala Bidang Pengembangan Usaha Ekonomi Desa"),
      ("Ahmad Fauzi, S.E", "199211052019031005", "Penata Muda (III/a)",
       "Analis Ekonomi Desa")),
     (DemoIndicator(1, "Jumlah BUMDes berklasifikasi maju", "unit", 12, renstra=20,
                    source="Laporan klasifikasi BUMDes", earlier=(5, 7, 9)),
      DemoIndicator(1, "Persentase BUMDes yang berkontribusi pada Pendapatan Asli Desa", "%", 40,
                    renstra=60, source="Laporan keuangan BUMDes"),
      DemoIndicator(1, "Persentase penduduk miskin di perdesaan", "%", 7.5, Polarity.NEGATIF,
                    renstra=6.0, source="BPS Kabupaten Soppeng", earlier=(9.12, 8.64, 8.05)))),
    ("Tim Bidang Sosial Budaya dan TTG", "Bidang Pemberdayaan Sosial Budaya dan Teknologi Tepat "
                                         "Guna",
     (("Drs. Baharuddin Lamo", "196911121994031007", "Pembina (IV/a)",
       "Kepala Bidang Pemberdayaan Sosial Budaya dan TTG"),
      ("Nur Fadillah, S.Sos", "199406182020122014", "Penata Muda (III/a)",
       "Penyuluh Pemberdayaan Masyarakat")),
     (DemoIndicator(2, "Persentase desa yang melaksanakan Musrenbangdes sesuai jadwal", "%", 100,
                    renstra=100, source="Berita acara Musrenbangdes"),
      DemoIndicator(2, "Jumlah kelompok PKK desa yang aktif", "kelompok", 70, renstra=70,
                    source="Laporan TP-PKK"),
      DemoIndicator(2, "Persentase posyandu aktif", "%", 85, renstra=95,
                    source="Laporan Pokjanal Posyandu"),
      DemoIndicator(2, "Jumlah desa yang memanfaatkan teknologi tepat guna", "desa", 20,
                    renstra=35, source="Laporan Posyantek"))),
    ("Tim Sekretariat", "Sekretariat",
     (("Irwan Syamsuddin, S.Kom", "198709232011011003", "Penata (III/c)",
       "Kepala Sub Bagian Umum dan Kepegawaian"),
      ("Rosmiati, A.Md", "198512012009022004", "Pengatur Tingkat I (II/d)",
       "Pengelola Keuangan")),
     (DemoIndicator(3, "Nilai hasil evaluasi SAKIP dinas", "nilai", 65, renstra=70,
                    source="LHE SAKIP Inspektorat", earlier=(58.21, 60.47, 62.9)),
      DemoIndicator(3, "Predikat hasil evaluasi SAKIP dinas", "kategori", None,
                    qualitative_target="B", source="LHE SAKIP Inspektorat",
                    earlier=("CC", "CC", "B")),
      DemoIndicator(3, "Persentase temuan BPK yang ditindaklanjuti", "%", 100, renstra=100,
                    source="Laporan tindak lanjut"),
      DemoIndicator(0, "Rata-rata nilai Indeks Desa Membangun (IDM) kabupaten", "indeks", 0.65,
                    renstra=0.75, source="Status IDM Kementerian Desa PDTT", actual=0.6321,
                    earlier=(0.5912, 0.6048, 0.6175)))),
)

#: Per DPMD team (same order): its budget programmes (Permendagri 90/2019 codes), a
#: kegiatan, and the pagu and realisasi of the demo year in rupiah.
DPMD_PROGRAMMES = (
    (("2.13.02", "Program Penataan Desa", "Fasilitasi Penataan Desa",
      1_250_000_000.0, 1_187_460_000.0),
     ("2.13.04", "Program Administrasi Pemerintahan Desa",
      "Pembinaan dan Pengawasan Penyelenggaraan Administrasi Pemerintahan Desa",
      845_000_000.0, 792_315_500.0)),
    (("2.13.03", "Program Peningkatan Kerja Sama Desa", "Fasilitasi Kerja Sama Antar Desa",
      412_500_000.0, 371_902_000.0),),
    (("2.13.05", "Program Pemberdayaan Lembaga Kemasyarakatan, Lembaga Adat dan Masyarakat "
      "Hukum Adat", "Pemberdayaan Lembaga Kemasyarakatan Desa", 636_000_000.0, 598_750_000.0),),
    (("2.13.01", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
      "Administrasi Keuangan Perangkat Daerah", 4_218_750_000.0, 3_987_112_450.0),),
)

STAFF = (
    ("admin", "Muhammad Rizal, S.Kom", "199107152019031004", "Penata Muda (III/a)",
     "Pranata Komputer", {Role.ADMIN}),
    ("sekretaris", "Drs. H. Andi Mappasessu, M.Si", "196805101993031009", "Pembina (IV/a)",
     "Sekretaris Dinas", {Role.SEKRETARIS}),
    ("kasubag", "Hj. Nurhayati, S.E., M.Si", "197602112002122005", "Penata Tingkat I (III/d)",
     "Kepala Sub Bagian Perencanaan, Pelaporan dan Keuangan", {Role.KASUBAG}),
)

EXPLANATIONS = (
    "Capaian diperoleh dari hasil monitoring dan evaluasi triwulanan di seluruh kecamatan.",
    "Data direkapitulasi dari laporan kecamatan dan diverifikasi bersama pendamping desa.",
    "Realisasi dihitung berdasarkan dokumen pendukung yang diterima hingga 31 Desember.",
)
SUPPORTING = (
    "Dukungan anggaran Dana Desa dan pendampingan tenaga ahli.",
    "Koordinasi yang baik dengan camat dan kepala desa.",
    "Komitmen pemerintah desa dan partisipasi masyarakat.",
)
INHIBITING = (
    "Keterbatasan sumber daya manusia di tingkat desa.",
    "Keterlambatan penyampaian laporan dari sebagian desa.",
    "Jarak tempuh dan akses ke desa terpencil.",
)
FOLLOW_UP = (
    "Meningkatkan bimbingan teknis dan pendampingan intensif.",
    "Menyusun jadwal monitoring yang lebih rapat pada semester kedua.",
    "Memperkuat koordinasi lintas bidang dan dengan kecamatan.",
)

_MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class DemoClock:
    """A clock the demo moves forward by hand (aware UTC)."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def at_local(self, day: date, hour: int, minute: int = 0) -> None:
        moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=WITA)
        self.set(moment.astimezone(UTC))

    def set(self, moment: datetime) -> None:
        if moment < self.current:
            moment = self.current + timedelta(minutes=1)
        self.current = moment

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)

    def local_day(self) -> date:
        return self.current.astimezone(WITA).date()


def _next_working_day(day: date, calendar, skip: int = 1) -> date:
    while skip > 0:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            skip -= 1
    return day


def _team_plan(n_teams: int | None, n_indicators: int | None):
    """The teams with their people and indicators: DPMD's own, or synthetic for scale."""
    if n_teams is None and n_indicators is None:
        return DPMD_TEAMS
    n_teams = n_teams or len(DPMD_TEAMS)
    plan = []
    for t in range(n_teams):
        base = DPMD_TEAMS[t % len(DPMD_TEAMS)]
        name = base[0] if t < len(DPMD_TEAMS) else f"Tim Penyusun {t + 1}"
        bidang = base[1] if t < len(DPMD_TEAMS) else f"Bidang {t + 1}"
        people = tuple(
            (f"{p[0]}" if t < len(DPMD_TEAMS) else f"Anggota {t + 1}.{i + 1}", "", p[2], p[3])
            for i, p in enumerate(base[2])
        )
        if n_indicators is None:
            inds = base[3]
        else:
            inds = tuple(
                DemoIndicator(k % len(OBJECTIVES),
                              f"Indikator kinerja {k + 1} {bidang.lower()}",
                              "%" if k % 3 else "kegiatan", float(50 + (k * 7) % 50),
                              Polarity.NEGATIF if k % 11 == 5 else Polarity.POSITIF,
                              renstra=float(60 + (k * 7) % 40), source="Laporan monev")
                for k in range(n_indicators)
            )
        plan.append((name, bidang, people, inds))
    return tuple(plan)


def build_demo(ctx: ServiceContext, year: int | None = None, teams: int | None = None,
               indicators: int | None = None, through_step: int = 7) -> str:
    """Fill an empty data directory with the demo office. Returns a summary line."""
    if office.is_initialised(ctx) or accounts.count_people(ctx):
        raise ConflictError(NOT_EMPTY)
    if teams is not None and not 1 <= teams <= 50:
        raise ConflictError("Jumlah tim harus 1 sampai 50.")
    if indicators is not None and not 1 <= indicators <= 1000:
        raise ConflictError("Jumlah indikator per tim harus 1 sampai 1000.")
    today = datetime.now(WITA).date()
    year = year or today.year - 1
    rng = random.Random(year * 7919 + (teams or 0) * 31 + (indicators or 0))
    original_clock = ctx.clock
    calendar = cycles.WorkCalendar()
    start_day = date(year + 1, 1, 9)
    while not calendar.is_working_day(start_day):
        start_day += timedelta(days=1)
    clock = DemoClock(datetime(year + 1, 1, 2, tzinfo=UTC))
    ctx.clock = clock
    from kinerja_desktop.services.passwords import one_hash_for

    try:
        with one_hash_for(DEMO_PASSWORD):  # one scrypt for all demo accounts
            return _build(ctx, clock, calendar, rng, year, start_day,
                          _team_plan(teams, indicators), through_step)
    finally:
        ctx.clock = original_clock


def _build(ctx, clock: DemoClock, calendar, rng: random.Random, year: int, start_day: date,
           plan, through_step: int) -> str:
    clock.at_local(start_day - timedelta(days=7), 8, 0)
    admin_login, admin_name, admin_nip, admin_pangkat, admin_jabatan, _ = STAFF[0]
    # The first administrator is the first write: of two demos started at once on one
    # empty database, exactly one gets past it, the other changes nothing.
    try:
        admin = accounts.create_first_admin(
            ctx, accounts.PersonInput(admin_name, admin_login, admin_nip, admin_pangkat,
                                      admin_jabatan, frozenset()), DEMO_PASSWORD)
    except ConflictError:
        raise ConflictError(NOT_EMPTY) from None
    office.save_office(ctx, None, office.SEED_OFFICE)
    ids: dict[str, int] = {}
    for login, name, nip, pangkat, jabatan, roles in STAFF[1:]:
        ids[login] = accounts.create_person(
            ctx, admin.id, accounts.PersonInput(name, login, nip, pangkat, jabatan,
                                                frozenset(roles)), DEMO_PASSWORD).id
    sekretaris, kasubag = ids["sekretaris"], ids["kasubag"]

    team_ids: list[int] = []
    members: dict[int, list[int]] = {}
    for t, (name, bidang, people, _inds) in enumerate(plan):
        team = teams.create_team(ctx, admin.id, name, bidang)
        pids = []
        for i, (pname, nip, pangkat, jabatan) in enumerate(people):
            login = f"tim{t + 1}.{i + 1}" if len(plan) > len(DPMD_TEAMS) or not nip else \
                _login_of(pname)
            pids.append(accounts.create_person(
                ctx, admin.id, accounts.PersonInput(pname, login, nip, pangkat, jabatan),
                DEMO_PASSWORD).id)
        teams.set_members(ctx, admin.id, team.id, pids, lead_id=pids[0])
        team_ids.append(team.id)
        members[team.id] = pids

    objective_ids = [formats.create_objective(ctx, kasubag, name, f"SS{i + 1}").id
                     for i, name in enumerate(OBJECTIVES)]
    figures = _demo_programmes(ctx, kasubag, team_ids)
    indicator_ids: list[tuple[int, int, DemoIndicator]] = []
    for team_id, (_n, _b, _p, inds) in zip(team_ids, plan, strict=True):
        for ind in inds:
            info = formats.create_indicator(ctx, kasubag, formats.IndicatorInput(
                objective_id=objective_ids[ind.objective], name=ind.name, unit=ind.unit,
                polarity=ind.polarity, qualitative=ind.target is None,
                data_source=ind.source, team_id=team_id, renstra_target=ind.renstra,
                renstra_target_text=ind.qualitative_target, renstra_year=year + 1 if
                ind.renstra else None,
                programme_id=figures[team_id][0][0] if team_id in figures else None))
            indicator_ids.append((team_id, info.id, ind))
            formats.set_target(ctx, kasubag, info.id, year, ind.target, ind.qualitative_target)
            if ind.earlier:  # the office's earlier LKjIP: the first document compares
                first = year - len(ind.earlier)
                earlier_years.save_earlier_actuals(ctx, kasubag, info.id, {
                    first + i: (None, v) if isinstance(v, str) else (float(v), "")
                    for i, v in enumerate(ind.earlier)})
    summary = [f"Data contoh dimuat: {len(team_ids)} tim, {len(indicator_ids)} indikator"]
    if through_step < 1:
        # Only the office, people and indicators: the Sekretaris starts the cycle.
        return summary[0] + ", belum ada siklus. Kata sandi semua akun: " + DEMO_PASSWORD

    # Step 1: the Sekretaris starts the cycle with the SK and orders the collection.
    clock.at_local(start_day, 8, 30)
    cycle = cycles.start_cycle(
        ctx, sekretaris, year,
        sk_number=f"800/{rng.randint(10, 99)}/Itprov/I/{year + 1}",
        sk_date=start_day - timedelta(days=3),
        sk_issuer="Inspektur Provinsi Sulawesi Selatan",
        note=f"Pengumpulan data kinerja untuk LKjIP tahun {year}")
    clock.advance(minutes=40)
    cycles.finish_step(ctx, sekretaris, cycle.id, 1, note="Perintah disampaikan dalam rapat staf.")
    done = 1
    if through_step >= 2:
        # Step 2 (late: 85 of 60 minutes): the Kasubag builds the format.
        clock.advance(minutes=25)
        for team_id, ind_id, _ind in indicator_ids:
            formats.add_to_format(ctx, kasubag, cycle.id, ind_id, team_id)
        formats.set_field_requirements(ctx, kasubag, cycle.id, {
            "realisasi": "wajib", "anggaran": "opsional", "penjelasan": "wajib",
            "faktor_pendukung": "wajib", "faktor_penghambat": "wajib", "upaya": "wajib",
            "bukti_dukung": "opsional"})
        clock.advance(minutes=85)
        cycles.finish_step(ctx, kasubag, cycle.id, 2)
        done = 2
    if through_step >= 3:
        # Step 3: the format goes to each team after lunch; the last one runs late.
        clock.at_local(clock.local_day(), 13, 0)
        for i, team_id in enumerate(team_ids):
            cycles.start_step(ctx, kasubag, cycle.id, 3, team_id)
            clock.advance(minutes=12 if i < len(team_ids) - 1 else 55)
            cycles.finish_step(ctx, kasubag, cycle.id, 3, team_id,
                               note="Format diserahkan kepada ketua tim.")
        done = 3
    day = clock.local_day()
    items_by_team = {t: formats.format_items(ctx, cycle.id, t) for t in team_ids}
    fixed_actuals = {ind_id: ind.actual for _t, ind_id, ind in indicator_ids
                     if ind.actual is not None}
    if through_step >= 4:
        # Step 4: each team fills in its format on the following working days.
        for i, team_id in enumerate(team_ids):
            fill_day = _next_working_day(day, calendar, 1 + i % 2)
            clock.at_local(fill_day, 8 + (i % 3), 15)
            member = members[team_id][-1]
            late = i % 3 == 1
            per_item = (150 if late else 90) / max(1, len(items_by_team[team_id]))
            for k, item in enumerate(items_by_team[team_id]):
                clock.advance(minutes=per_item)
                entries.save_entry(ctx, member, item.id,
                                   _entry_for(item, rng, k, fixed_actuals.get(item.indicator_id)))
                if k % 2 == 0 and len(indicator_ids) <= 200:
                    _attach_demo_evidence(ctx, member, item, year)
            for programme_id, budget, spent in figures.get(team_id, ()):
                clock.advance(minutes=5)
                programmes.save_programme_figures(ctx, member, cycle.id, programme_id,
                                                  budget, spent)
            cycles.finish_step(ctx, member, cycle.id, 4, team_id)
        done = 4
    if through_step >= 5:
        # Step 5: the team lead checks the filled format and hands it in (one team late).
        for i, team_id in enumerate(team_ids):
            clock.advance(minutes=10)
            cycles.start_step(ctx, members[team_id][0], cycle.id, 5, team_id)
            clock.advance(minutes=15 + 10 * (i % 3) if i != 2 else 45)
            submissions.submit(ctx, members[team_id][0], cycle.id, team_id)
        done = 5
    if through_step >= 6:
        # Step 6: the Kasubag verifies over the following weeks; two items are returned.
        verify_day = _next_working_day(clock.local_day(), calendar, 3)
        returned: list[tuple[int, object]] = []
        for i, team_id in enumerate(team_ids):
            clock.at_local(verify_day, 9, 0)
            for k, item in enumerate(items_by_team[team_id]):
                clock.advance(minutes=8)
                if (i, k) in ((0, 1), (2, 0)):
                    verification.return_item(
                        ctx, kasubag, item.id,
                        "Bukti dukung belum sesuai dengan angka realisasi; mohon dilengkapi "
                        "rekapitulasi per kecamatan." if k else
                        "Angka realisasi berbeda dengan laporan kecamatan; mohon diklarifikasi.")
                    returned.append((team_id, item))
                else:
                    verification.verify_item(ctx, kasubag, item.id)
            verify_day = _next_working_day(verify_day, calendar, 2)
        fix_day = _next_working_day(verify_day, calendar, 2)
        for team_id, item in returned:
            clock.at_local(fix_day, 10, 0)
            member = members[team_id][-1]
            current = entries.get_item(ctx, item.id).values
            corrected = _corrected(current)
            entries.save_entry(ctx, member, item.id, corrected)
            clock.advance(minutes=5)
            verification.add_comment(ctx, member, item.id,
                                     "Sudah dicocokkan kembali dengan rekapitulasi per "
                                     "kecamatan; angka realisasi diperbaiki.")
            clock.advance(minutes=30)
            submissions.submit(ctx, members[team_id][0], cycle.id, team_id)
        final_day = _next_working_day(fix_day, calendar, 3)
        clock.at_local(final_day, 10, 0)
        for _team_id, item in returned:
            clock.advance(minutes=15)
            verification.verify_item(ctx, kasubag, item.id,
                                     "Sudah sesuai setelah klarifikasi.")
        done = 6
    if through_step >= 7:
        clock.at_local(_next_working_day(clock.local_day(), calendar, 1), 8, 30)
        cycles.start_step(ctx, kasubag, cycle.id, 7)
        clock.advance(hours=5)
        # Compiling the final document finishes step 7 and closes the cycle.
        from kinerja_desktop.services import documents

        documents.compile_and_close(ctx, kasubag, cycle.id)
        done = 7
    summary.append(f"siklus tahun {year} sampai langkah {done}")
    summary.append(f"kata sandi semua akun: {DEMO_PASSWORD}")
    return ", ".join(summary) + "."


def _demo_programmes(ctx: ServiceContext, kasubag: int, team_ids: list[int],
                     ) -> dict[int, list[tuple[int, float, float]]]:
    """The DPMD teams' programmes in the master. Returns team id -> (programme id, pagu,
    realisasi) to fill at step 4 (each team's indicators go under its first programme)."""
    figures: dict[int, list[tuple[int, float, float]]] = {}
    for team_id, plan in zip(team_ids, DPMD_PROGRAMMES, strict=False):
        for code, name, activity, budget, spent in plan:
            made = programmes.create_programme(ctx, kasubag, programmes.ProgrammeInput(
                code, name, team_id, (activity,)))
            figures.setdefault(team_id, []).append((made.id, budget, spent))
    return figures


def _login_of(name: str) -> str:
    cleaned = name.lower().replace("hj.", "").replace("drs.", "").replace("muh.", "muh")
    words = [w for w in "".join(c if c.isalpha() or c == " " else " " for c in
                                cleaned.split(",")[0]).split() if len(w) > 1]
    return ".".join(words[:2])[:40] or "anggota"


def _entry_for(item: formats.FormatItemInfo, rng: random.Random, k: int,
               fixed: float | None = None) -> entries.EntryInput:
    if fixed is not None:
        actual_text, actual = "", fixed
    elif item.qualitative:
        actual_text, actual = ("B" if rng.random() < 0.7 else "CC"), None
    else:
        target = item.target or 0
        factor = rng.choice((0.78, 0.86, 0.93, 1.0, 1.04, 1.1, 0.64))
        if item.polarity is Polarity.NEGATIF:
            factor = 2 - factor
        raw = target * factor
        actual = round(raw) if item.unit not in ("%", "nilai") else round(raw, 2)
        if item.unit == "%":
            actual = min(actual, 100.0)
        actual_text = ""
    # The budget is the programmes' (filled per programme at step 4), not per indicator.
    # The two draws a per-indicator pagu took are still made, so that every later value
    # the demo draws stays as it was.
    rng.choice((75, 120, 150, 210, 350, 480))
    rng.uniform(0.82, 0.99)
    return entries.EntryInput(
        actual=float(actual) if actual is not None else None, actual_text=actual_text,
        explanation=EXPLANATIONS[k % len(EXPLANATIONS)],
        supporting=SUPPORTING[(k + 1) % len(SUPPORTING)],
        inhibiting=INHIBITING[k % len(INHIBITING)],
        follow_up=FOLLOW_UP[(k + 2) % len(FOLLOW_UP)],
    )


def _corrected(values: entries.EntryInput) -> entries.EntryInput:
    from dataclasses import replace

    actual = values.actual
    if actual is not None:
        actual = round(actual * 1.02, 2)
    return replace(values, actual=actual,
                   explanation=values.explanation + " Angka telah dicocokkan kembali dengan "
                                                    "rekapitulasi per kecamatan.")


def _attach_demo_evidence(ctx, member: int, item, year: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"Rekap monev {item.indicator_name[:40]} {year}.pdf"
        path.write_bytes(_MINIMAL_PDF + f"%{item.id}-{year}\n".encode())
        entries.attach_evidence(ctx, member, item.id, path)
