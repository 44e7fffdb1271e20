"""What the demo history looks like: a realistic spread of decisions and the banner
displays behind them, made one by one from plain values (so worker processes can make
them; services/demo_history.py seeds them in bulk).

The spread: ten countries (most visitors Norwegian), the banner's languages as people
choose them, four device classes, two policy versions (the second a major revision
published 60 % into the period, after which everyone is asked again and more refuse),
fewer visits at weekends, and about one banner display in three ignored (more on
phones). Every decision has a properly signed receipt (services/consents.py).
"""

from __future__ import annotations

import bisect
import itertools
import random
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ..services.ledger.ingest import decision_facts, record_row, sign_decision
from ..services.ledger.keys import load_keyring
from ..services.sites.profiles import PolicyFacts, SiteProfile


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


def day_weights(start: date, days: int, major_day: date) -> list[float]:
    weights = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        weight = {5: 0.75, 6: 0.7}.get(day.weekday(), 1.0) * (1 + 0.2 * offset / days)
        if timedelta(0) <= day - major_day < timedelta(days=3):
            weight *= 1.6  # a major version asks every returning visitor again
        weights.append(weight)
    return weights


def per_day_counts(total: int, weights: list[float]) -> list[int]:
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


@dataclass(frozen=True)
class Plan:
    """Everything a worker process needs to make decisions, as plain values."""

    profile: SiteProfile
    origin: str
    lifetime: timedelta
    signing_key: str
    # The Ed25519 key specs (private, public) as configured: a KeyRing holds key objects
    # that cannot cross into worker processes, so each worker loads its own.
    key_specs: tuple[str, str]
    first: PolicyFacts
    second: PolicyFacts
    second_published_at: datetime
    seed: int
    until: datetime  # no decision is later than this (the seeding's start)


class History:
    """Makes a chunk's decisions one by one, and counts the banner displays behind them."""

    def __init__(self, plan: Plan, rng: random.Random) -> None:
        self.plan, self.rng = plan, rng
        self.keyring = load_keyring(*plan.key_specs)
        # (day, policy id, country, language, device) -> displays; + ("gpc",) -> with GPC
        self.impressions: Counter[tuple[Any, ...]] = Counter()

    def decision(self, day: date) -> dict[str, Any]:
        rng, plan = self.rng, self.plan
        midnight = datetime.combine(day, time(), UTC)
        # Today's decisions happen before now: a receipt from the future would sit
        # inside a tree head signed before it was issued.
        seconds = min(86_400, int((plan.until - midnight).total_seconds()))
        moment = midnight + timedelta(
            seconds=rng.randrange(max(seconds, 1)), milliseconds=rng.randrange(1000)
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
        signed = sign_decision(plan.profile, policy, facts, plan.signing_key, self.keyring)
        return record_row(plan.profile, policy, facts, signed)


Chunk = tuple[list[dict[str, Any]], Counter[tuple[Any, ...]]]


def make_chunk(plan: Plan, index: int, days: list[tuple[date, int]]) -> Chunk:
    """Signed decisions for some days, and their displays (runs in a worker process).
    Each chunk has its own random stream, so a seed gives the same data every time."""
    history = History(plan, random.Random(f"{plan.seed}-{index}"))
    rows = [history.decision(day) for day, count in days for _ in range(count)]
    rows.sort(key=lambda row: row["created_at"])  # ids then follow time, as in real ingest
    return rows, history.impressions
