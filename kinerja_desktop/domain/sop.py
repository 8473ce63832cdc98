"""The SOP as data: its identity block and its seven steps, loaded from TOML.

The workflow engine relies on the step kinds (perintah … kompilasi) in this order;
everything else (texts, pelaksana, time standard) is the office's to edit.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.permissions import Role
from kinerja_desktop.domain.timing import TimeStandard, TimeUnit


class StepKind(StrEnum):
    ORDER = "perintah"
    FORMAT = "format"
    DISTRIBUTE = "penyampaian"
    FILL = "pengisian"
    SUBMIT = "penyerahan"
    VERIFY = "verifikasi"
    COMPILE = "kompilasi"


#: The engine's order of step kinds; an SOP must follow it.
STEP_ORDER = tuple(StepKind)
#: Kinds that run once per team.
PER_TEAM_KINDS = frozenset({StepKind.DISTRIBUTE, StepKind.FILL, StepKind.SUBMIT, StepKind.VERIFY})

EXECUTOR_NAMES = {"sekretaris": Role.SEKRETARIS, "kasubag": Role.KASUBAG, "tim": Role.TIM}


@dataclass(frozen=True)
class StepDefinition:
    number: int
    kind: StepKind
    activity: str
    executor: Role
    requirements: tuple[str, ...]
    time: TimeStandard
    output: str
    note: str = ""

    @property
    def per_team(self) -> bool:
        return self.kind in PER_TEAM_KINDS


@dataclass(frozen=True)
class SopDefinition:
    code: str
    name: str
    number: str
    made_on: date | None
    revised_on: date | None
    effective_on: date | None
    approved_by: str
    organisation: str
    unit: str
    sub_unit: str
    calendar_days: bool
    legal_basis: tuple[str, ...]
    qualifications: tuple[str, ...]
    related_sops: tuple[str, ...]
    equipment: tuple[str, ...]
    warnings: tuple[str, ...]
    records: tuple[str, ...]
    steps: tuple[StepDefinition, ...] = field(default_factory=tuple)
    #: Title above the flowchart ("MEKANISME PENGUMPULAN DATA KINERJA …"); when empty the
    #: SOP sheet prints "PROSEDUR" and the SOP's name.
    flowchart_title: str = ""

    def step(self, number: int) -> StepDefinition:
        for step in self.steps:
            if step.number == number:
                return step
        raise KeyError(number)


class SopFileError(ValidationError):
    """A broken SOP file; the message names the field and the line."""


def validate_steps(steps: tuple[StepDefinition, ...]) -> None:
    """The engine needs the seven kinds, numbered 1–7, in order."""
    if len(steps) != len(STEP_ORDER):
        raise ValidationError(f"SOP harus memiliki {len(STEP_ORDER)} langkah, bukan {len(steps)}.")
    for index, (step, kind) in enumerate(zip(steps, STEP_ORDER, strict=True), start=1):
        if step.number != index:
            raise ValidationError(f"Nomor langkah ke-{index} harus {index}, bukan {step.number}.")
        if step.kind is not kind:
            raise ValidationError(f"Langkah {index} harus berjenis '{kind}', bukan '{step.kind}'.")
        if not step.activity.strip():
            raise ValidationError(f"Kegiatan langkah {index} tidak boleh kosong.")
        if not step.output.strip():
            raise ValidationError(f"Output langkah {index} tidak boleh kosong.")
        if step.executor is Role.TIM and not step.per_team:
            raise ValidationError(
                f"Langkah {index} tidak dijalankan per tim, jadi pelaksananya tidak "
                "boleh Tim Penyusun Data."
            )


class _Locator:
    """Finds the line of a key in the TOML text, for error messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.step_headers = [
            i + 1 for i, line in enumerate(self.lines) if line.strip() == "[[langkah]]"
        ]

    def line_of(self, key: str, step_index: int | None = None) -> int | None:
        start, end = 0, len(self.lines)
        if step_index is not None:
            if step_index >= len(self.step_headers):
                return None
            start = self.step_headers[step_index]
            if step_index + 1 < len(self.step_headers):
                end = self.step_headers[step_index + 1] - 1
        elif self.step_headers:
            end = self.step_headers[0] - 1
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in range(start, end):
            if pattern.match(self.lines[i]):
                return i + 1
        if step_index is not None:
            return self.step_headers[step_index]
        return None


def parse_sop_toml(text: str, source: str = "SOP") -> SopDefinition:
    """Parse and validate an SOP file; raise :class:`SopFileError` naming field and line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SopFileError(f"{source}: penulisan berkas tidak sah ({exc}).") from exc
    loc = _Locator(text)

    def fail(key: str, problem: str, step_index: int | None = None) -> SopFileError:
        line = loc.line_of(key, step_index)
        where = f"langkah ke-{step_index + 1}, " if step_index is not None else ""
        at = f" (baris {line})" if line else ""
        return SopFileError(f"{source}: {where}kolom '{key}'{at}: {problem}")

    def text_field(container: dict[str, Any], key: str, idx: int | None = None,
                   required: bool = True) -> str:
        if key not in container:
            if required:
                raise fail(key, "wajib diisi tetapi tidak ada", idx)
            return ""
        value = container[key]
        if not isinstance(value, str):
            raise fail(key, "harus berupa teks", idx)
        if required and not value.strip():
            raise fail(key, "tidak boleh kosong", idx)
        return value.strip()

    def date_field(key: str) -> date | None:
        if key not in data:
            raise fail(key, "wajib ada (boleh \"\" bila kosong)")
        value = data[key]
        if value == "":
            return None
        if isinstance(value, date):
            return value
        raise fail(key, "harus berupa tanggal TTTT-BB-HH atau \"\"")

    def list_field(key: str) -> tuple[str, ...]:
        if key not in data:
            raise fail(key, "wajib ada (boleh [] bila kosong)")
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, "harus berupa daftar teks")
        return tuple(v.strip() for v in value if v.strip())

    calendar_days = data.get("hari_kalender", False)
    if not isinstance(calendar_days, bool):
        raise fail("hari_kalender", "harus true atau false")

    raw_steps = data.get("langkah")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise SopFileError(f"{source}: tidak ada bagian [[langkah]].")
    steps: list[StepDefinition] = []
    for idx, raw in enumerate(raw_steps):
        number = raw.get("no")
        if not isinstance(number, int) or isinstance(number, bool):
            raise fail("no", "harus berupa bilangan bulat", idx)
        kind_name = text_field(raw, "jenis", idx)
        try:
            kind = StepKind(kind_name)
        except ValueError:
            raise fail("jenis", f"'{kind_name}' tidak dikenal", idx) from None
        executor_name = text_field(raw, "pelaksana", idx).lower()
        if executor_name not in EXECUTOR_NAMES:
            raise fail("pelaksana", f"'{executor_name}' bukan sekretaris, kasubag atau tim", idx)
        requirements = raw.get("kelengkapan", [])
        if not isinstance(requirements, list) or not all(isinstance(r, str) for r in requirements):
            raise fail("kelengkapan", "harus berupa daftar teks", idx)
        amount = raw.get("waktu")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise fail("waktu", "harus berupa bilangan bulat lebih dari 0", idx)
        unit_name = text_field(raw, "satuan", idx).lower()
        try:
            unit = TimeUnit(unit_name)
        except ValueError:
            raise fail("satuan", f"'{unit_name}' bukan menit, jam atau hari", idx) from None
        steps.append(
            StepDefinition(
                number=number,
                kind=kind,
                activity=text_field(raw, "kegiatan", idx),
                executor=EXECUTOR_NAMES[executor_name],
                requirements=tuple(r.strip() for r in requirements if r.strip()),
                time=TimeStandard(amount, unit),
                output=text_field(raw, "output", idx),
                note=text_field(raw, "keterangan", idx, required=False),
            )
        )
    definition = SopDefinition(
        code=text_field(data, "kode"),
        name=text_field(data, "nama"),
        number=text_field(data, "nomor"),
        made_on=date_field("tanggal_pembuatan"),
        revised_on=date_field("tanggal_revisi"),
        effective_on=date_field("tanggal_efektif"),
        approved_by=text_field(data, "disahkan_oleh", required=False),
        organisation=text_field(data, "organisasi"),
        unit=text_field(data, "unit"),
        sub_unit=text_field(data, "sub_unit", required=False),
        calendar_days=calendar_days,
        legal_basis=list_field("dasar_hukum"),
        qualifications=list_field("kualifikasi_pelaksana"),
        related_sops=list_field("keterkaitan"),
        equipment=list_field("peralatan_perlengkapan"),
        warnings=list_field("peringatan"),
        records=list_field("pencatatan_dan_pendataan"),
        steps=tuple(steps),
        flowchart_title=text_field(data, "judul_bagan_alir", required=False),
    )
    try:
        validate_steps(definition.steps)
    except ValidationError as exc:
        raise SopFileError(f"{source}: {exc}") from None
    return definition


def load_sop_file(path: Path) -> SopDefinition:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SopFileError(f"Berkas SOP {path.name} tidak dapat dibaca: {exc}") from exc
    return parse_sop_toml(text, source=path.name)
