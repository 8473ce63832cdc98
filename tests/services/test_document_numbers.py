"""Nomor of the tanda terima and the berita acara: running per year and kind, given once,
the same on every reprint; the office's template; and the monitoring date, semester and
assessor chosen once for the monitoring form."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from kinerja_desktop.db.models import DocumentNumber
from kinerja_desktop.domain.errors import NotFound, PermissionDenied, ValidationError
from kinerja_desktop.services import (
    accounts,
    cycles,
    documents,
    monitoring,
    numbering,
    submissions,
    teams,
    verification,
)

SIGNING = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or ""
                                        for p in PdfReader(io.BytesIO(pdf)).pages))


def _demo(root, through_step: int):
    from kinerja_desktop.services import demo as demo_service
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(root)
    demo_service.build_demo(ctx, year=2025, through_step=through_step)
    ctx.clock = lambda: SIGNING
    return ctx, cycles.find_cycle(ctx, 2025), {p.username: p.id for p in accounts.list_people(ctx)}


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    ctx, cycle, people = _demo(tmp_path_factory.mktemp("numbers") / "data", 7)
    yield ctx, cycle, people
    ctx.dispose()


def _numbers(ctx, kind: str) -> list[tuple[int, str, str]]:
    """(sequence, number, subject) of every number of ``kind``."""
    with ctx.read() as session:
        return list(session.execute(
            select(DocumentNumber.sequence, DocumentNumber.number, DocumentNumber.subject)
            .where(DocumentNumber.kind == kind).order_by(DocumentNumber.sequence)).all())


def test_each_submission_gets_the_next_receipt_number_when_handed_in(finished):
    ctx, cycle, _people = finished
    subs = sorted(submissions.list_submissions(ctx, cycle.id), key=lambda s: s.submitted_at)
    given = _numbers(ctx, numbering.RECEIPT)
    assert [n[0] for n in given] == list(range(1, len(subs) + 1))
    for sub, (sequence, number, subject) in zip(subs, given, strict=True):
        assert subject == numbering.receipt_subject(sub.id)
        local = sub.submitted_at.astimezone(timezone(timedelta(hours=8)))
        roman = ("I", "II", "III")[local.month - 1]
        assert number == f"050/{sequence}/TT/DPMD/{roman}/{local.year}"
        text = _text(documents.receipt_pdf(ctx, sub.id))
        assert f"Nomor : {number}" in text


def test_berita_acara_is_numbered_once_and_keeps_its_number(finished):
    ctx, cycle, people = finished
    team = teams.list_teams(ctx)[0]
    first = _text(documents.verification_record_pdf(ctx, cycle.id, team.id, "A4"))
    number = re.search(r"Nomor : (\S+)", first).group(1)
    assert re.fullmatch(r"050/\d+/BA/DPMD/(I|II)/2026", number)
    # a new template applies to numbers given later, never to one already printed
    numbering.save_number_template(ctx, people["admin"], numbering.VERIFICATION_RECORD,
                                   "800/{urut}/VERIF/{tahun}")
    again = _text(documents.verification_record_pdf(ctx, cycle.id, team.id, "F4"))
    assert f"Nomor : {number}" in again
    every = _text(documents.verification_record_pdf(ctx, cycle.id, None))
    sequences = [n[0] for n in _numbers(ctx, numbering.VERIFICATION_RECORD)]
    assert sequences == [1, 2]  # running per kind: receipts have their own count
    assert re.search(r"Nomor : 800/2/VERIF/2026", every)


def test_only_an_administrator_changes_the_template(finished):
    ctx, _cycle, people = finished
    with pytest.raises(PermissionDenied):
        numbering.save_number_template(ctx, people["kasubag"], numbering.RECEIPT,
                                       "{urut}/TT/{tahun}")
    with pytest.raises(ValidationError, match="harus memuat"):
        numbering.save_number_template(ctx, people["admin"], numbering.RECEIPT, "TT/{tahun}")
    templates = {t.kind: t.template for t in numbering.number_templates(ctx)}
    assert templates[numbering.RECEIPT] == numbering.DEFAULT_TEMPLATES[numbering.RECEIPT]


def test_record_of_unfinished_verification_has_no_number_yet(tmp_path):
    ctx, cycle, people = _demo(tmp_path / "data", 5)
    try:
        text = _text(documents.verification_record_pdf(ctx, cycle.id))
        assert "Nomor : ........" in text
        assert _numbers(ctx, numbering.VERIFICATION_RECORD) == []
        team = teams.list_teams(ctx)[0]
        from kinerja_desktop.services import formats

        for item in formats.format_items(ctx, cycle.id, team.id):
            verification.verify_item(ctx, people["kasubag"], item.id)
        team_text = _text(documents.verification_record_pdf(ctx, cycle.id, team.id))
        assert re.search(r"Nomor : 050/1/BA/DPMD/III/2026", team_text)
        assert "Nomor : ........" in _text(documents.verification_record_pdf(ctx, cycle.id))
    finally:
        ctx.dispose()


# --------------------------------------------------------------------------- monitoring


def test_monitoring_is_proposed_for_today_with_the_sekretaris(finished):
    ctx, cycle, people = finished
    with ctx.read() as session:
        assert monitoring.stored_choice(session, cycle.id) is None
    proposal = monitoring.proposed_choice(ctx, cycle.id)
    assert proposal.monitoring_date == date(2026, 3, 2) and proposal.semester == "I"
    assert proposal.assessor_id == people["sekretaris"] and not proposal.stored
    assert proposal.assessor_title == "Sekretaris Dinas selaku Ketua Tim Penyusun"


def test_monitoring_date_and_semester_are_kept_for_reprints(finished):
    ctx, cycle, people = finished
    with pytest.raises(ValidationError, match="jatuh pada semester II, bukan semester I"):
        monitoring.choose_monitoring(ctx, people["kasubag"], cycle.id, date(2026, 7, 10), "I")
    with pytest.raises(PermissionDenied):
        monitoring.choose_monitoring(ctx, people["andi.rahmawati"], cycle.id, date(2026, 7, 10))
    with ctx.read() as session:
        assert monitoring.stored_choice(session, cycle.id) is None
    chosen = monitoring.choose_monitoring(ctx, people["kasubag"], cycle.id, date(2026, 7, 10),
                                          assessor_id=people["kasubag"])
    assert chosen.semester == "II" and chosen.stored
    first = _text(documents.monitoring_pdf(ctx, cycle.id))
    ctx.clock = lambda: SIGNING + timedelta(days=40)
    try:
        again = _text(documents.monitoring_pdf(ctx, cycle.id, "F4"))
    finally:
        ctx.clock = lambda: SIGNING
    for text in (first, again):
        assert "Tanggal monitoring : 10 Juli 2026" in text
        assert "Semester : Semester II (Juli–Desember)" in text
        assert "Watansoppeng, 10 Juli 2026" in text
        assert "Hj. NURHAYATI, S.E., M.Si" in text
    with pytest.raises(NotFound, match="semester I belum ditetapkan"):
        documents.monitoring_pdf(ctx, cycle.id, semester="I")
