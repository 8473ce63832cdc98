"""SQLAlchemy 2.0 typed models: the whole schema of Kinerja Desktop.

Times are stored as UTC (see :class:`UTCDateTime`); business dates (SK date, SOP
dates, office days off) are plain dates. JSON columns hold small lists of text.

Annotations are evaluated when each class is built (no ``from __future__ import
annotations``): SQLAlchemy then reads ready ``Mapped[...]`` types instead of
evaluating some 440 strings at import. A relationship to a class defined further
down names it as a string, e.g. ``Mapped[list["PersonRole"]]``.
"""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored naive UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Waktu tanpa zona waktu tidak boleh disimpan")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[str]: JSON}


class Versioned:
    """A row a person edits: SQLAlchemy's version counter, and who changed it when.

    ``row_version`` goes up by one with every UPDATE, and the UPDATE only matches the
    row at the version it was read at: a change saved by someone else in between makes
    the flush fail (``StaleDataError``) instead of overwriting it. Services also compare
    it with the version a form loaded. ``updated_at``/``updated_by_id`` are set on every
    change by the session (see ``services.context``), so a refusal names who and when.
    """

    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy's declared_attr
        return {"version_id_col": cls.__table__.c.row_version}


# --------------------------------------------------------------------------- office


class OfficeProfile(Versioned, Base):
    """The single office this database belongs to (id is always 1)."""

    __tablename__ = "office_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    regency: Mapped[str] = mapped_column(String(120))
    government: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_name: Mapped[str | None] = mapped_column(String(200))
    head_title: Mapped[str] = mapped_column(String(300), default="")
    head_name: Mapped[str] = mapped_column(String(200), default="")
    head_pangkat: Mapped[str] = mapped_column(String(80), default="")
    head_nip: Mapped[str | None] = mapped_column(String(18))
    signing_place: Mapped[str] = mapped_column(String(120), default="")
    paper_size: Mapped[str] = mapped_column(String(4), default="A4")


class Setting(Versioned, Base):
    """Business settings that live with the data (predikat scale, limits)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OfficeDayOff(Base):
    """A day the office declares closed (besides national holidays)."""

    __tablename__ = "office_days_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    description: Mapped[str] = mapped_column(String(200), default="")


# --------------------------------------------------------------------------- people


class Person(Versioned, Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(String(18), unique=True)
    pangkat: Mapped[str] = mapped_column(String(80), default="")
    jabatan: Mapped[str] = mapped_column(String(200), default="")
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    roles: Mapped[list["PersonRole"]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )
    memberships: Mapped[list["TeamMember"]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )


class PersonRole(Base):
    """An office role held by a person: administrator, sekretaris or kasubag.

    Membership of a Tim Penyusun is a :class:`TeamMember` row, not a role row.
    """

    __tablename__ = "person_roles"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    person: Mapped[Person] = relationship(back_populates="roles")


class Team(Versioned, Base):
    """A Tim Penyusun Data: one per bidang."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    bidang: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    members: Mapped[list["TeamMember"]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )


class TeamMember(Base):
    __tablename__ = "team_members"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)

    team: Mapped[Team] = relationship(back_populates="members")
    person: Mapped[Person] = relationship(back_populates="memberships")


# --------------------------------------------------------------------------- SOP


class Sop(Base):
    """One version of an SOP. Editing creates a new version; cycles keep theirs."""

    __tablename__ = "sops"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60))  # stable key, e.g. "pengumpulan-data-kinerja"
    version: Mapped[int] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    name: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(60))
    made_on: Mapped[date | None] = mapped_column(Date)
    revised_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(200), default="")
    sub_unit: Mapped[str] = mapped_column(String(200), default="")
    legal_basis: Mapped[list[str]] = mapped_column(JSON, default=list)
    qualifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    related_sops: Mapped[list[str]] = mapped_column(JSON, default=list)
    equipment: Mapped[list[str]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    records: Mapped[list[str]] = mapped_column(JSON, default=list)
    calendar_days: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(200), default="")
    #: Title above the flowchart on the SOP sheet ("MEKANISME PENGUMPULAN DATA KINERJA …").
    flowchart_title: Mapped[str] = mapped_column(String(300), default="", server_default="")
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    steps: Mapped[list["SopStep"]] = relationship(
        back_populates="sop", cascade="all, delete-orphan", order_by="SopStep.number"
    )


class SopStep(Base):
    __tablename__ = "sop_steps"
    __table_args__ = (UniqueConstraint("sop_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sop_id: Mapped[int] = mapped_column(ForeignKey("sops.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # domain.sop.StepKind
    activity: Mapped[str] = mapped_column(Text)
    executor: Mapped[str] = mapped_column(String(20))  # domain.permissions.Role value
    requirements: Mapped[list[str]] = mapped_column(JSON, default=list)
    time_amount: Mapped[int] = mapped_column(Integer)
    time_unit: Mapped[str] = mapped_column(String(10))
    output: Mapped[str] = mapped_column(Text)
    per_team: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")

    sop: Mapped[Sop] = relationship(back_populates="steps")


# --------------------------------------------------------------------------- files


class StoredFile(Base):
    """A file kept in the database under its SHA-256 (content addressed): evidence and
    scanned SK files, reachable from every PC. Its content is in :class:`StoredFileChunk`
    rows, written in the same transaction as the row that refers to the file."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    #: The name it was first stored under (display only) and its media type.
    name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    mime: Mapped[str] = mapped_column(String(100), default="", server_default="")


class StoredFileChunk(Base):
    """One piece of a stored file's content, in order (bounded memory on both engines)."""

    __tablename__ = "stored_file_chunks"

    sha256: Mapped[str] = mapped_column(
        ForeignKey("stored_files.sha256", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


# --------------------------------------------------------------------------- cycles


class Cycle(Versioned, Base):
    """One collection run (a year, optionally a quarter) under one SOP version."""

    __tablename__ = "cycles"
    __table_args__ = (
        # One cycle per year and quarter; a yearly cycle (no quarter) once per year too
        # (NULLs are distinct in a UNIQUE constraint, hence the partial index).
        UniqueConstraint("year", "quarter"),
        Index("uq_cycles_year_whole", "year", unique=True,
              sqlite_where=text("quarter IS NULL"), postgresql_where=text("quarter IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int | None] = mapped_column(Integer)
    sop_id: Mapped[int] = mapped_column(ForeignKey("sops.id"))
    status: Mapped[str] = mapped_column(String(20), default="berjalan")
    sk_number: Mapped[str] = mapped_column(String(120))
    sk_date: Mapped[date] = mapped_column(Date)
    sk_issuer: Mapped[str] = mapped_column(String(200), default="")
    sk_file_sha256: Mapped[str | None] = mapped_column(ForeignKey("stored_files.sha256"))
    sk_file_name: Mapped[str | None] = mapped_column(String(255))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    finished_at: Mapped[datetime | None]

    sop: Mapped[Sop] = relationship()
    step_runs: Mapped[list["StepRun"]] = relationship(
        back_populates="cycle", cascade="all, delete-orphan"
    )


class CycleRecord(Base):
    """The office profile, head of office and predikat scale a cycle uses, frozen when its
    format is first sent (step 3); later edits apply to later cycles only."""

    __tablename__ = "cycle_records"

    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("cycles.id", ondelete="CASCADE"), primary_key=True
    )
    frozen_at: Mapped[datetime]
    office_name: Mapped[str] = mapped_column(String(200))
    regency: Mapped[str] = mapped_column(String(120))
    government: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_name: Mapped[str | None] = mapped_column(String(200))
    signing_place: Mapped[str] = mapped_column(String(120), default="")
    head_title: Mapped[str] = mapped_column(String(300), default="")
    head_name: Mapped[str] = mapped_column(String(200), default="")
    head_pangkat: Mapped[str] = mapped_column(String(80), default="")
    head_nip: Mapped[str | None] = mapped_column(String(18))
    #: The predikat scale as stored in settings (JSON text).
    predikat_scale: Mapped[str] = mapped_column(Text)


class StepRun(Versioned, Base):
    """The record of one step of one cycle (per team for steps 3–6)."""

    __tablename__ = "step_runs"
    __table_args__ = (
        # One run per cycle, step and team; one per cycle and step for the steps not run
        # per team (team_id NULL: the partial index).
        UniqueConstraint("cycle_id", "step_number", "team_id"),
        Index("uq_step_runs_cycle_id_whole", "cycle_id", "step_number", unique=True,
              sqlite_where=text("team_id IS NULL"), postgresql_where=text("team_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    step_number: Mapped[int] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    ready_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    finished_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    cycle: Mapped[Cycle] = relationship(back_populates="step_runs")
    team: Mapped[Team | None] = relationship()


# --------------------------------------------------------------------------- indicators


class Objective(Versioned, Base):
    """A sasaran strategis."""

    __tablename__ = "objectives"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), default="")
    name: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    indicators: Mapped[list["Indicator"]] = relationship(back_populates="objective")


class Indicator(Versioned, Base):
    """A performance indicator; lives across years."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objectives.id"))
    code: Mapped[str] = mapped_column(String(30), default="")
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(60), default="")
    polarity: Mapped[str] = mapped_column(String(10), default="positif")
    formula: Mapped[str] = mapped_column(String(40))
    qualitative: Mapped[bool] = mapped_column(Boolean, default=False)
    data_source: Mapped[str] = mapped_column(Text, default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    renstra_target: Mapped[float | None] = mapped_column(Float)
    renstra_target_text: Mapped[str] = mapped_column(String(200), default="")
    renstra_year: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # domain.plausibility.PlausibilityRules.to_json(): only what differs from the defaults
    plausibility: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The budget programme the indicator belongs to (at most one).
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))

    objective: Mapped[Objective] = relationship(back_populates="indicators")
    team: Mapped[Team | None] = relationship()
    targets: Mapped[list["IndicatorTarget"]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan"
    )


class IndicatorActual(Base):
    """Realisasi of an indicator in a year before its first cycle in the application
    (typed in the indicator master or brought with the indicator import)."""

    __tablename__ = "indicator_actuals"
    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    actual: Mapped[float | None] = mapped_column(Float)
    actual_text: Mapped[str] = mapped_column(String(200), default="")


# --------------------------------------------------------------------------- programmes


class Programme(Base):
    """A budget programme (Permendagri 90/2019: Program → Kegiatan → Sub Kegiatan), e.g.
    "2.13.02 Program Penataan Desa", with the team responsible for its figures."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), default="")
    name: Mapped[str] = mapped_column(Text)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    #: Kegiatan under the programme, as text (optional).
    activities: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CycleProgramme(Base):
    """A programme in one cycle: its pagu and realisasi, filled by the responsible team.

    Code, name, kegiatan and team are copied when the format is sent to the team (step 3),
    so later edits of the programme master apply to later cycles only.
    """

    __tablename__ = "cycle_programmes"
    __table_args__ = (UniqueConstraint("cycle_id", "programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    code: Mapped[str] = mapped_column(String(40), default="")
    name: Mapped[str] = mapped_column(Text)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    team_name: Mapped[str] = mapped_column(String(200), default="")
    activities: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    budget: Mapped[float | None] = mapped_column(Float)
    spent: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


class IndicatorTarget(Versioned, Base):
    __tablename__ = "indicator_targets"
    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    target: Mapped[float | None] = mapped_column(Float)
    target_text: Mapped[str] = mapped_column(String(200), default="")

    indicator: Mapped[Indicator] = relationship(back_populates="targets")


# --------------------------------------------------------------------------- format (step 2)


class FormatSpec(Versioned, Base):
    """The data-collection format of a cycle: which fields teams must fill."""

    __tablename__ = "format_specs"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # field name -> "wajib" | "opsional" | "tidak"
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class FormatItem(Versioned, Base):
    """One indicator in a cycle's format, assigned to a team, with its target snapshot."""

    __tablename__ = "format_items"
    __table_args__ = (UniqueConstraint("cycle_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    target: Mapped[float | None] = mapped_column(Float)
    target_text: Mapped[str] = mapped_column(String(200), default="")
    budget: Mapped[float | None] = mapped_column(Float)
    # Field requirements of this item that differ from the format's (FormatSpec.fields)
    fields: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    indicator: Mapped[Indicator] = relationship()
    team: Mapped[Team | None] = relationship()
    entry: Mapped["ItemEntry | None"] = relationship(
        back_populates="item", cascade="all, delete-orphan", uselist=False
    )
    record: Mapped["ItemRecord | None"] = relationship(
        cascade="all, delete-orphan", uselist=False
    )


class ItemRecord(Base):
    """What the team was given for one format item, frozen when the format is sent (step 3).

    From then on the cycle reads its indicator, objective and team from here, so later
    edits of the master data apply to later cycles only.
    """

    __tablename__ = "item_records"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("format_items.id", ondelete="CASCADE"), primary_key=True
    )
    frozen_at: Mapped[datetime]
    objective_code: Mapped[str] = mapped_column(String(30), default="")
    objective_name: Mapped[str] = mapped_column(Text)
    objective_position: Mapped[int] = mapped_column(Integer, default=0)
    indicator_code: Mapped[str] = mapped_column(String(30), default="")
    indicator_name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(60), default="")
    polarity: Mapped[str] = mapped_column(String(10))
    formula: Mapped[str] = mapped_column(String(40))
    qualitative: Mapped[bool] = mapped_column(Boolean, default=False)
    data_source: Mapped[str] = mapped_column(Text, default="")
    renstra_target: Mapped[float | None] = mapped_column(Float)
    renstra_target_text: Mapped[str] = mapped_column(String(200), default="")
    renstra_year: Mapped[int | None] = mapped_column(Integer)
    team_name: Mapped[str] = mapped_column(String(200), default="")


class ItemEntry(Versioned, Base):
    """The team's current (draft or submitted) data for one format item."""

    __tablename__ = "item_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("format_items.id", ondelete="CASCADE"), unique=True
    )
    actual: Mapped[float | None] = mapped_column(Float)
    actual_text: Mapped[str] = mapped_column(String(200), default="")
    budget: Mapped[float | None] = mapped_column(Float)
    spent: Mapped[float | None] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text, default="")
    supporting: Mapped[str] = mapped_column(Text, default="")
    inhibiting: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    manual_achievement: Mapped[float | None] = mapped_column(Float)
    manual_justification: Mapped[str] = mapped_column(Text, default="")
    # The team's acknowledgement of the item's plausibility warnings (domain.plausibility)
    plausibility_note: Mapped[str] = mapped_column(Text, default="")
    # domain.review.ItemState value: draf, diserahkan, dikembalikan, diverifikasi
    state: Mapped[str] = mapped_column(String(20), default="draf")

    item: Mapped[FormatItem] = relationship(back_populates="entry")


class Evidence(Base):
    """A bukti dukung file attached to an item (content kept under its hash)."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("item_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("format_items.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"))
    original_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime]
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


class Submission(Base):
    """A frozen version of a team's data, handed in at step 5."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("cycle_id", "team_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    version: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime]
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    snapshot_sha256: Mapped[str] = mapped_column(String(64))
    evidence_count: Mapped[int] = mapped_column(Integer, default=0)


class ItemReview(Base):
    """History of an item: submitted, returned (with reason), verified, comments."""

    __tablename__ = "item_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("format_items.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime]
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    action: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))


class WorkbookImport(Base):
    """A team workbook imported from Excel (recognises the same file twice)."""

    __tablename__ = "workbook_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    imported_at: Mapped[datetime]
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    items_changed: Mapped[int] = mapped_column(Integer, default=0)


# --------------------------------------------------------------------------- documents


class Document(Base):
    """A generated document archived with its hash (compiled report, receipts, ...)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    file_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


class RecordVersion(Base):
    """One closing of a cycle (step 7): its archived Dokumen Data Kinerja, "Revisi N".

    Revision 0 is the first closing; each "buka kembali untuk perbaikan" marks the
    latest version reopened (who, when, why) and the next compilation adds revision + 1.
    """

    __tablename__ = "record_versions"
    __table_args__ = (UniqueConstraint("cycle_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    closed_at: Mapped[datetime]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    #: The signing date chosen when compiling (None: the day step 7 finished, WITA).
    signed_on: Mapped[date | None] = mapped_column(Date)
    paper_size: Mapped[str] = mapped_column(String(4), default="A4")
    reopened_at: Mapped[datetime | None]
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    reopen_reason: Mapped[str] = mapped_column(Text, default="")
    #: The comparison with earlier years this closing printed, frozen at closing (see
    #: ``services.document_data.earlier_years``); None for closings made before it was kept.
    earlier_years: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class DocumentNumber(Base):
    """The Nomor of an official document (berita acara, tanda terima): a running number
    per year and kind, assigned once and printed the same on every reprint."""

    __tablename__ = "document_numbers"
    __table_args__ = (UniqueConstraint("kind", "year", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(120))
    #: What the number belongs to, e.g. "tanda_terima:penyerahan:12".
    subject: Mapped[str] = mapped_column(String(120), unique=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    document_date: Mapped[date] = mapped_column(Date)
    assigned_at: Mapped[datetime]


class MonitoringRecord(Base):
    """The monitoring of a cycle's SOP run in one semester: its date and assessor, chosen
    once and printed the same on every reprint of the monitoring form."""

    __tablename__ = "monitoring_records"
    __table_args__ = (UniqueConstraint("cycle_id", "semester"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    semester: Mapped[str] = mapped_column(String(3))  # "I" (Januari–Juni) or "II"
    monitoring_date: Mapped[date] = mapped_column(Date)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    assessor_name: Mapped[str] = mapped_column(String(200), default="")
    assessor_title: Mapped[str] = mapped_column(String(300), default="")
    assessor_pangkat: Mapped[str] = mapped_column(String(80), default="")
    assessor_nip: Mapped[str | None] = mapped_column(String(18))
    updated_at: Mapped[datetime]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


# --------------------------------------------------------------------------- audit


class AuditEntry(Base):
    """Append-only log of every change (a trigger refuses UPDATE and DELETE)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    actor: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(80))
    entity: Mapped[str] = mapped_column(String(60), default="")
    entity_id: Mapped[str | None] = mapped_column(String(60))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
