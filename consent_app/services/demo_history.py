"""Demo history for `flask consent seed-demo --records N`: a realistic spread of signed
decisions and banner impressions on the demo site, inserted in bulk.

The spread: ten countries (most visitors Norwegian), the banner's languages as people
choose them, four device classes, two policy versions (the second a major revision
published 60 % into the period, after which everyone is asked again and more refuse),
fewer visits at weekends, and about one banner display in three ignored (more on
phones). Every record has a properly signed receipt, made by services/receipts.py.
Worker processes make and sign chunks of decisions while the main process inserts them
with bulk Core inserts; the rollups follow by the database's own triggers, as for any
other insert.
"""

from __future__ import annotations

import bisect
import itertools
import multiprocessing
import os
import random
import secrets
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert

from ..extensions import db
from ..models import ConsentRecord, ConsentStats, PolicyVersion, Site
from .consents import decision_facts, sign_decision
from .policies import publish
from .rollups import upsert
from .sites import PolicyFacts, policy_versions

CHUNK = 10_000


class Weighted:
    """Draw one of `values` with the given weights, by bisecting cumulative weights."""

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))

    def draw(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


COUNTRIES = Weighted(
    [
        ("NO", 62),
        ("SE", 9),
        ("DK", 7),
        ("DE", 5),
        ("GB", 5),
        ("FI", 4),
        ("US", 4),
        ("NL", 2),
        ("PL", 1),
        (None, 1),
    ]
)
NORWEGIAN = Weighted([("nb", 82), ("nn", 12), ("en", 6)])
OTHERS = Weighted([("en", 92), ("nb", 8)])
DEVICES = Weighted([("mobile", 55), ("desktop", 37), ("tablet", 7), ("unknown", 1)])
# Share of banner displays nobody answers, per device class (about one third overall).
IGNORED = {"mobile": 0.40, "desktop": 0.25, "tablet": 0.33, "unknown": 0.5}
ACTIONS_BEFORE = Weighted(
    [("accept_all", 58), ("reject_all", 22), ("custom", 14), ("gpc", 3), ("withdraw", 3)]
)
ACTIONS_AFTER = Weighted(
    [("accept_all", 50), ("reject_all", 29), ("custom", 15), ("gpc", 3), ("withdraw", 3)]
)
PATHS = Weighted(
    [("/", 50), ("/produkter", 20), ("/priser", 12), ("/blogg/ruteplan", 10), ("/kontakt", 8)]
)
OPTIONAL = ("functionality", "advertising")
CUSTOM_GRANTS = {"functionality": 0.75, "advertising": 0.3}


@dataclass(frozen=True)
class Seeded:
    records: int
    impressions: int
    start: date
    end: date


def _day_weights(start: date, days: int, major_day: date) -> list[float]:
    weights = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        weight = {5: 0.75, 6: 0.7}.get(day.weekday(), 1.0) * (1 + 0.2 * offset / days)
        if timedelta(0) <= day - major_day < timedelta(days=3):
            weight *= 1.6  # a major version asks every returning visitor again
        weights.append(weight)
    return weights


def _per_day(total: int, weights: list[float]) -> list[int]:
    counts = [int(total * w / sum(weights)) for w in weights]
    for index in range(total - sum(counts)):
        counts[index % len(counts)] += 1
    return counts


def _choices(action: str, rng: random.Random) -> tuple[list[str], list[str]]:
    if action == "accept_all":
        granted = list(OPTIONAL)
    elif action == "custom":
        granted = [c for c in OPTIONAL if rng.random() < CUSTOM_GRANTS[c]]
    else:
        granted = []
    return ["necessary", *granted], [c for c in OPTIONAL if c not in granted]


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


@dataclass(frozen=True)
class Plan:
    """Everything a worker process needs to make decisions, as plain values."""

    site_id: int
    site_key: str
    controller: str
    origin: str
    lifetime: timedelta
    signing_key: str
    first: PolicyFacts
    second: PolicyFacts
    second_published_at: datetime
    seed: int


class History:
    """Makes a chunk's decisions one by one, and counts the banner displays behind them."""

    def __init__(self, plan: Plan, rng: random.Random) -> None:
        self.plan, self.rng = plan, rng
        # (day, policy id, country, language, device) -> displays; + ("gpc",) -> with GPC
        self.impressions: Counter[tuple[Any, ...]] = Counter()

    def decision(self, day: date) -> dict[str, Any]:
        rng, plan = self.rng, self.plan
        moment = datetime.combine(day, time(), UTC) + timedelta(
            seconds=rng.randrange(86_400), milliseconds=rng.randrange(1000)
        )
        after = moment >= plan.second_published_at
        policy = plan.second if after else plan.first
        country = COUNTRIES.draw(rng)
        language = (NORWEGIAN if country == "NO" else OTHERS).draw(rng)
        device = DEVICES.draw(rng)
        action = (ACTIONS_AFTER if after else ACTIONS_BEFORE).draw(rng)
        granted, denied = _choices(action, rng)
        gpc = action == "gpc" or (action == "reject_all" and rng.random() < 0.2)
        if action != "withdraw":  # it answered one display; others may have gone ignored
            key = (day, policy.id, country or "", language, device)
            ignored = IGNORED[device]
            shown = 1 + (rng.random() < ignored / (1 - ignored))
            self.impressions[key] += shown
            self.impressions[(*key, "gpc")] += shown * gpc
        facts = decision_facts(
            subject_id=secrets.token_urlsafe(16),
            action=action,
            granted=granted,
            denied=denied,
            gpc=gpc,
            language=language,
            country=country,
            device_class=device,
            origin=plan.origin,
            path=PATHS.draw(rng),
            created_at=moment,
            lifetime=plan.lifetime,
        )
        token = sign_decision(facts, plan.site_key, plan.controller, policy, plan.signing_key)
        return {**facts, "site_id": plan.site_id, "policy_version_id": policy.id, "receipt": token}


Chunk = tuple[list[dict[str, Any]], Counter[tuple[Any, ...]]]


def make_chunk(plan: Plan, index: int, days: list[tuple[date, int]]) -> Chunk:
    """Signed decisions for some days, and their displays (runs in a worker process).
    Each chunk has its own random stream, so a seed gives the same data every time."""
    history = History(plan, random.Random(f"{plan.seed}-{index}"))
    rows = [history.decision(day) for day, count in days for _ in range(count)]
    return rows, history.impressions


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


def _facts(version: PolicyVersion) -> PolicyFacts:
    return PolicyFacts(version.id, version.label, version.text_hash)


def seed_history(
    site: Site, *, records: int, days: int, origin: str, signing_key: str, seed: int = 1
) -> Seeded:
    """Add `records` signed decisions and their impressions over the last `days` days."""
    end = datetime.now(UTC).date()
    start = end - timedelta(days=days - 1)
    first, second = _versions(site, start, days)
    plan = Plan(
        site_id=site.id,
        site_key=site.key,
        controller=site.controller or site.name,
        origin=origin,
        lifetime=timedelta(days=site.consent_lifetime_days),
        signing_key=signing_key,
        first=_facts(first),
        second=_facts(second),
        second_published_at=second.published_at,
        seed=seed,
    )
    per_day = _per_day(records, _day_weights(start, days, second.published_at.date()))
    impressions: Counter[tuple[Any, ...]] = Counter()
    # With RETURNING, SQLAlchemy sends a thousand rows per INSERT ("insertmanyvalues")
    # where psycopg would otherwise send one statement per row, so PostgreSQL's
    # statement-level rollup trigger runs once per thousand decisions, not per decision.
    statement = insert(ConsentRecord.__table__).returning(ConsentRecord.id)
    for rows, shown in _made(plan, _chunk_days(start, per_day)) if records else ():
        db.session.connection().execute(statement, rows).all()
        impressions.update(shown)
    counted = [
        {
            "site_id": site.id,
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
    upsert(ConsentStats, counted)
    db.session.commit()
    return Seeded(records, sum(row["impressions"] for row in counted), start, end)
