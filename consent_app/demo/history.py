"""Seeding demo history for `flask consent seed-demo --records N`: worker processes make
and sign chunks of decisions (services/demo_spread.py) while the main process inserts
them in bulk (COPY on PostgreSQL, Core executemany on SQLite), with the chunk's banner
impressions; the rollups follow by the database's own triggers, as for any insert.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert

from ..extensions import db
from ..models import ConsentRecord, ConsentStats, PolicyVersion, Site
from ..services.sites.policies import publish
from ..services.sites.profiles import policy_versions, site_profile
from ..services.upsert import add_counts
from .spread import Chunk, Plan, day_weights, make_chunk, per_day_counts

CHUNK = 10_000
JSON_COLUMNS = ("granted", "denied")


@dataclass(frozen=True)
class Seeded:
    records: int
    impressions: int
    start: date
    end: date


def _versions(site: Site, start: date, days: int) -> tuple[PolicyVersion, PolicyVersion]:
    """The demo's two versions: the first in force from the start, a major second one
    published 60 % into the period (made if missing)."""
    versions = policy_versions(site)
    opened = datetime.combine(start, time(), UTC)
    if versions[0].published_at > opened:
        # The seeded history begins before the demo's first version was published in this
        # database (no decision can be that old yet): date it back, so that every seeded
        # decision has a version in force.
        versions[0].published_at = opened - timedelta(days=1)
    if len(versions) < 2:
        moment = opened + timedelta(days=int(days * 0.6), hours=9)
        versions.append(publish(site, "2", major=True, now=moment))
    db.session.commit()
    return versions[0], versions[1]


def _chunk_days(start: date, per_day: list[int]) -> list[list[tuple[date, int]]]:
    """Split the days' counts into chunks of at most CHUNK decisions."""
    chunks: list[list[tuple[date, int]]] = [[]]
    room = CHUNK
    for offset, count in enumerate(per_day):
        while count:
            take = min(count, room)
            chunks[-1].append((start + timedelta(days=offset), take))
            count, room = count - take, room - take
            if room == 0:
                chunks.append([])
                room = CHUNK
    return [chunk for chunk in chunks if chunk]


def _made(plan: Plan, chunks: list[list[tuple[date, int]]]) -> Iterator[Chunk]:
    """Yield the chunks in order; with more than one, worker processes make the next
    ones while the caller inserts (at most two per worker in flight)."""
    if len(chunks) == 1:
        yield make_chunk(plan, 0, chunks[0])
        return
    workers = max(1, min(4, os.cpu_count() or 1))
    spawn = multiprocessing.get_context("spawn")  # a fork would copy open connections
    with ProcessPoolExecutor(workers, mp_context=spawn) as pool:
        pending: deque[Future[Chunk]] = deque()
        for index, days in enumerate(chunks):
            pending.append(pool.submit(make_chunk, plan, index, days))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def seed_history(
    site: Site,
    *,
    records: int,
    days: int,
    origin: str,
    signing_key: str,
    key_specs: tuple[str, str] = ("", ""),
    seed: int = 1,
) -> Seeded:
    """Add `records` signed decisions and their impressions over the last `days` days."""
    now = datetime.now(UTC)
    end = now.date()
    start = end - timedelta(days=days - 1)
    first, second = _versions(site, start, days)
    profile = site_profile(site.key)
    plan = Plan(
        profile=profile,
        origin=origin,
        lifetime=timedelta(days=site.consent_lifetime_days),
        signing_key=signing_key,
        key_specs=key_specs,
        first=profile.policies[first.label],
        second=profile.policies[second.label],
        second_published_at=second.published_at,
        seed=seed,
        until=now,
    )
    per_day = per_day_counts(records, day_weights(start, days, second.published_at.date()))
    shown = 0
    for rows, impressions in _made(plan, _chunk_days(start, per_day)) if records else ():
        _insert(rows)
        counted = _impression_rows(site.id, impressions)
        add_counts(ConsentStats.__table__, counted)
        db.session.commit()  # chunk by chunk: a bounded write-ahead log, rollups as they go
        shown += sum(row["impressions"] for row in counted)
    return Seeded(records, shown, start, end)


def _insert(rows: list[dict[str, Any]]) -> None:
    """Bulk-insert decisions. PostgreSQL gets them by COPY, five times faster than even
    batched INSERTs, and its statement-level rollup trigger then runs once per chunk."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(ConsentRecord.__table__), rows)
        return
    columns = list(rows[0])
    driver: Any = connection.connection.driver_connection  # psycopg's own connection
    with (
        driver.cursor() as cursor,
        cursor.copy(f"COPY consent_records ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in JSON_COLUMNS else row[c] for c in columns])


def _impression_rows(site_id: int, impressions: Counter[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [
        {
            "site_id": site_id,
            "day": key[0],
            "policy_version_id": key[1],
            "country": key[2],
            "language": key[3],
            "device_class": key[4],
            "impressions": count,
            "impressions_gpc": impressions[(*key, "gpc")],
        }
        for key, count in impressions.items()
        if len(key) == 5
    ]
