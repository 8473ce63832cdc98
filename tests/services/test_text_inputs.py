"""Issue 12 item 8 through every service that stores user text: a text longer than its
column's limit (domain.input_rules) is refused with one Indonesian line naming the field
before the database sees it (PostgreSQL would enforce String(n) with an English error),
and control characters other than newline and tab never reach the database."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import column, func, select, table

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.input_rules import TEXT_RULES


@pytest.fixture
def env(ctx):
    """A demo office through step 3: every role, a running cycle, a team's items."""
    from kinerja_desktop.services import accounts, cycles, demo, entries, formats, teams

    demo.build_demo(ctx, teams=1, indicators=2, through_step=3)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    cycle = cycles.active_cycle(ctx)
    team = teams.list_teams(ctx)[0]
    member = next(m.person_id for m in team.members if not m.is_lead)
    item = next(i for i in entries.list_team_items(ctx, cycle.id, team.id) if not i.qualitative)
    return SimpleNamespace(admin=people["admin"], kasubag=people["kasubag"],
                           sekretaris=people["sekretaris"], member=member, cycle=cycle,
                           item=item, objective=formats.list_objectives(ctx)[0].id,
                           indicator=formats.list_indicators(ctx)[0].id)


def _accounts():
    from kinerja_desktop.services import accounts

    return accounts


def _entry(ctx, e, **changes):
    from kinerja_desktop.services import entries

    data = e.item.values.__class__(**{**e.item.values.__dict__, **changes})
    entries.save_entry(ctx, e.member, e.item.item_id, data)


def _indicator(ctx, e, **fields):
    from kinerja_desktop.services import formats

    formats.create_indicator(ctx, e.kasubag, formats.IndicatorInput(**{
        "objective_id": e.objective, "name": "Indikator uji", "unit": "%", **fields}))


def _office(ctx, e, **fields):
    from kinerja_desktop.services import office

    office.save_office(ctx, e.admin, replace(office.get_office(ctx), **fields))


def _comment(ctx, e, text):
    from kinerja_desktop.services import verification

    verification.add_comment(ctx, e.member, e.item.item_id, text)


#: (the column, how a service stores a text there)
CASES = {
    "teams.name": lambda ctx, e, t: _module("teams").create_team(ctx, e.admin, t, "Bidang"),
    "teams.bidang": lambda ctx, e, t: _module("teams").create_team(ctx, e.admin, "Tim Uji", t),
    "people.name": lambda ctx, e, t: _accounts().create_person(
        ctx, e.admin, _accounts().PersonInput(t, "orang.uji"), "rahasia123"),
    "people.jabatan": lambda ctx, e, t: _accounts().create_person(
        ctx, e.admin, _accounts().PersonInput("Orang Uji", "orang.uji", jabatan=t),
        "rahasia123"),
    "objectives.name": lambda ctx, e, t: _module("formats").create_objective(
        ctx, e.kasubag, t, "SSU"),
    "indicators.name": lambda ctx, e, t: _indicator(ctx, e, name=t),
    "indicators.unit": lambda ctx, e, t: _indicator(ctx, e, unit=t),
    "indicators.data_source": lambda ctx, e, t: _indicator(ctx, e, data_source=t),
    "indicator_targets.target_text": lambda ctx, e, t: _module("formats").set_target(
        ctx, e.kasubag, e.indicator, 2026, None, t),
    "office_profile.address": lambda ctx, e, t: _office(ctx, e, address=t),
    "office_profile.head_name": lambda ctx, e, t: _office(ctx, e, head_name=t),
    "office_days_off.description": lambda ctx, e, t: _module("office").add_day_off(
        ctx, e.admin, date(2026, 8, 20), t),
    "cycles.sk_number": lambda ctx, e, t: _module("cycles").start_cycle(
        ctx, e.sekretaris, 2026, t, date(2026, 1, 5)),
    "cycles.note": lambda ctx, e, t: _module("cycles").start_cycle(
        ctx, e.sekretaris, 2026, "SK/1/2026", date(2026, 1, 5), note=t),
    "item_entries.explanation": lambda ctx, e, t: _entry(ctx, e, explanation=t),
    "item_entries.follow_up": lambda ctx, e, t: _entry(ctx, e, follow_up=t),
    "item_reviews.comment": _comment,
}


def _module(name: str):
    import importlib

    return importlib.import_module(f"kinerja_desktop.services.{name}")


def _count(ctx, key: str) -> int:
    name, col = key.split(".")
    with ctx.read() as session:
        return session.scalar(select(func.count()).select_from(table(name, column(col))))


def _stored(ctx, key: str) -> str:
    """The text the service stored (the one value starting "Uji")."""
    name, col = key.split(".")
    rows = table(name, column(col))
    with ctx.read() as session:
        found = session.scalars(select(rows.c[col]).where(rows.c[col].like("Uji%"))).all()
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("key", list(CASES))
def test_every_service_bounds_and_cleans_the_text_it_stores(ctx, env, key):
    rule = TEXT_RULES[key]
    store = CASES[key]
    before = _count(ctx, key)

    too_long = "Kata " * (rule.limit // 5) + "lebih"
    assert len(too_long.strip()) > rule.limit
    with pytest.raises(ValidationError) as refused:
        store(ctx, env, too_long)
    message = str(refused.value)
    # The field named (a service may say it shorter: "Keterangan", "Catatan"), the limit.
    assert message.startswith(rule.label.split()[0]) and "terlalu panjang" in message, message
    assert f"{rule.limit}" in message and "\n" not in message, message
    assert _count(ctx, key) == before  # nothing written

    store(ctx, env, "Uji\x0bdari\x00Word\x1f\tdan\r\nbaris\x7f")
    stored = _stored(ctx, key)
    assert stored.startswith("Uji") and "Word" in stored and "baris" in stored, stored
    assert not [ch for ch in stored if unicodedata.category(ch) == "Cc" and ch not in "\n\t"]
    if not rule.multiline:
        assert "\n" not in stored and "\t" not in stored, stored

def test_the_cases_cover_every_kind_of_text_people_type():
    """Each area where people type text has at least one service case here."""
    areas = {key.split(".")[0] for key in CASES}
    assert {"teams", "people", "objectives", "indicators", "indicator_targets",
            "office_profile", "office_days_off", "cycles", "item_entries",
            "item_reviews"} <= areas
