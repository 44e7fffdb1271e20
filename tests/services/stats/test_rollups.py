"""The rollups the dashboard reads equal a direct count over the raw consent records,
after new decisions, withdrawals, erasure (personal fields blanked) and deletion."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import delete, select, update

from consent_app.extensions import db
from consent_app.models import CategoryStats, ConsentRecord, ConsentStats
from consent_app.services.sites.policies import publish
from consent_app.services.stats.rollups import rollup_differences
from tests.factories import make_record, make_site

DAY = datetime(2026, 3, 2, 23, 59, tzinfo=UTC)
ALL = {"functionality": True, "advertising": True}
NONE = {"functionality": False, "advertising": False}


def oracle() -> tuple[Counter, Counter]:
    """Expected rollups, counted in Python from the ORM rows (no SQL aggregation)."""
    decisions: Counter = Counter()
    categories: Counter = Counter()
    for r in db.session.scalars(select(ConsentRecord)):
        key = (
            r.site_id,
            r.created_at.astimezone(UTC).date(),
            r.policy_version_id,
            r.country or "",
            r.language or "",
            r.device_class or "",
        )
        decisions[(*key, "decisions")] += 1
        decisions[(*key, r.action)] += 1
        decisions[(*key, "gpc_signal")] += int(r.gpc)
        for slug in r.granted:
            if slug != "necessary":
                categories[(*key, slug, "granted")] += 1
        for slug in r.denied:
            categories[(*key, slug, "denied")] += 1
    return +decisions, +categories


def rollups() -> tuple[Counter, Counter]:
    decisions: Counter = Counter()
    for row in db.session.scalars(select(ConsentStats)):
        key = (
            row.site_id,
            row.day,
            row.policy_version_id,
            row.country,
            row.language,
            row.device_class,
        )
        for name in ("decisions", "accept_all", "reject_all", "custom", "withdraw", "gpc"):
            decisions[(*key, name)] += getattr(row, name)
        decisions[(*key, "gpc_signal")] += row.gpc_signal
    categories: Counter = Counter()
    for row in db.session.scalars(select(CategoryStats)):
        key = (row.site_id, row.day, row.policy_version_id, row.country, row.language)
        categories[(*key, row.device_class, row.category, "granted")] += row.granted
        categories[(*key, row.device_class, row.category, "denied")] += row.denied
    return +decisions, +categories


def assert_rollups_are_true() -> None:
    assert rollups() == oracle()
    assert rollup_differences() == []


@pytest.fixture
def history(app: Flask) -> list[ConsentRecord]:
    """Decisions on two sites, two policy versions, several days and dimensions."""
    shop = make_site()
    make_site("blog", origins=["https://blog.example"])
    made = [
        make_record(now=DAY, country="NO", choices=ALL, action="accept_all"),
        make_record(now=DAY, country="NO", choices=ALL, action="accept_all"),
        make_record(now=DAY, country="SE", choices=NONE, action="reject_all", gpc=True),
        make_record(now=DAY, device_class="mobile", language="en"),
        make_record(now=DAY + timedelta(minutes=2), country="NO", language=None),
        make_record(
            origin="https://blog.example",
            now=DAY,
            site="blog",
            page="https://blog.example/",
            choices=NONE,
            action="gpc",
            gpc=True,
        ),
    ]
    publish(shop, "2", major=False)
    made.append(make_record(now=DAY + timedelta(days=3), policy_version="2", country="DK"))
    return made


def test_new_decisions_are_counted_per_day_and_dimension(history) -> None:
    assert_rollups_are_true()
    decisions, categories = rollups()
    shop_id = history[0].site_id
    no_desktop = (shop_id, DAY.date(), history[0].policy_version_id, "NO", "nb", "desktop")
    assert decisions[(*no_desktop, "accept_all")] == 2
    assert categories[(*no_desktop, "advertising", "granted")] == 2
    # 23:59 plus two minutes is the next UTC day.
    next_day = (shop_id, DAY.date() + timedelta(days=1), history[0].policy_version_id, "NO", "")
    assert decisions[(*next_day, "desktop", "custom")] == 1


def test_withdrawals_are_counted_as_new_decisions(app: Flask, history) -> None:
    make_record(now=DAY + timedelta(days=1), country="NO", choices=NONE, action="withdraw")
    make_record(now=DAY + timedelta(days=1), country="NO", choices=NONE, action="withdraw")
    assert_rollups_are_true()
    assert sum(row.withdraw for row in db.session.scalars(select(ConsentStats))) == 2


def test_erasure_that_blanks_personal_fields_keeps_rollups_true(history) -> None:
    # What erasure does to a record: personal fields blanked, the row and receipt kept.
    erased = [history[0].id, history[3].id, history[5].id]
    db.session.execute(
        update(ConsentRecord)
        .where(ConsentRecord.id.in_(erased))
        .values(subject_id="", language=None, country=None, device_class=None, path="")
    )
    db.session.commit()
    db.session.expire_all()
    assert_rollups_are_true()
    total = sum(row.decisions for row in db.session.scalars(select(ConsentStats)))
    assert total == len(history)


def test_updates_of_unrelated_columns_change_no_count(history) -> None:
    before = rollups()
    db.session.execute(update(ConsentRecord).values(path="/elsewhere", origin="x"))
    db.session.commit()
    assert rollups() == before


def test_deleted_records_leave_the_rollups(history) -> None:
    db.session.execute(delete(ConsentRecord).where(ConsentRecord.id == history[2].id))
    db.session.commit()
    db.session.expire_all()
    assert_rollups_are_true()
    assert sum(row.reject_all for row in db.session.scalars(select(ConsentStats))) == 0


def test_the_check_names_a_rollup_that_drifted(history) -> None:
    db.session.execute(update(ConsentStats).values(accept_all=ConsentStats.accept_all + 1))
    db.session.commit()
    differences = rollup_differences()
    assert differences and all(d.startswith("decisions ") for d in differences)
    assert "accept_all" in differences[0]
