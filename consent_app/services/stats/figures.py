"""The dashboard's figures, read from the rollups (models/stats.py), never the raw log.

Definitions (each figure is over a site, a range of UTC days and optionally a policy
version; a breakdown applies the same definitions within each group):

- impressions: first-layer banner displays the banner reported (services/impressions.py).
- decisions: consent records, whatever their action.
- answers: decisions other than `withdraw`. A withdrawal is made later, from the settings
  or the visitor's consent page, so it never answers a banner display.
- interaction rate: answers / impressions, at most 1; none without impressions.
- ignored: impressions not followed by a decision, max(impressions - answers, 0).
  Impressions carry no subject id (by design), so they cannot be matched to decisions one
  by one; within a group this difference is what is known. A visitor who changes a choice
  later from the settings adds an answer without an impression, so ignored is a lower
  bound. A group clamped at 0 means more answers than displays were counted in it
  (e.g. a display late on one day answered early on the next).
- action shares: decisions with that action / decisions (accept all, reject all, custom,
  withdraw, gpc). GPC signal share: decisions made with a GPC signal / decisions.
- opt-in rate of a category: decisions that granted it / decisions that granted or
  denied it (`necessary` cannot be refused and has none).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from ...extensions import db
from ...models import ACTIONS, NECESSARY, CategoryStats, ConsentStats, PolicyVersion, Site
from ..sites.profiles import policy_versions

# What a figure can be broken down by, and the rollup column that holds it.
BREAKDOWNS = {
    "day": "day",
    "country": "country",
    "language": "language",
    "device": "device_class",
    "policy": "policy_version_id",
}
COUNTS = ("impressions", "impressions_gpc", "decisions", *ACTIONS, "gpc_signal")
MAX_DAYS = 366


class InvalidPeriod(ValueError):
    """A date range the dashboard does not answer (reversed or longer than a year)."""


@dataclass(frozen=True)
class Period:
    """UTC days from `start` to `end`, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidPeriod("the end date is before the start date")
        if (self.end - self.start).days + 1 > MAX_DAYS:
            raise InvalidPeriod(f"a period can be at most {MAX_DAYS} days")

    @classmethod
    def last_days(cls, days: int, today: date) -> Period:
        return cls(today - timedelta(days=days - 1), today)

    def days(self) -> Iterator[date]:
        for offset in range((self.end - self.start).days + 1):
            yield self.start + timedelta(days=offset)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole > 0 else None


@dataclass
class Figures:
    """Counts of one group and the rates derived from them (see the module docstring)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    # category slug -> [granted, denied]
    categories: dict[str, list[int]] = field(default_factory=dict)

    @property
    def impressions(self) -> int:
        return self.counts["impressions"]

    @property
    def decisions(self) -> int:
        return self.counts["decisions"]

    @property
    def answers(self) -> int:
        return self.decisions - self.counts["withdraw"]

    @property
    def ignored(self) -> int:
        return max(self.impressions - self.answers, 0)

    @property
    def interaction_rate(self) -> float | None:
        rate = _rate(self.answers, self.impressions)
        return None if rate is None else min(rate, 1.0)

    @property
    def ignored_rate(self) -> float | None:
        return _rate(self.ignored, self.impressions)

    def share(self, action: str) -> float | None:
        return _rate(self.counts[action], self.decisions)

    @property
    def gpc_signal_share(self) -> float | None:
        return _rate(self.counts["gpc_signal"], self.decisions)

    def opt_in_rate(self, category: str) -> float | None:
        granted, denied = self.categories.get(category, (0, 0))
        return _rate(granted, granted + denied)


@dataclass
class Breakdown:
    """Figures in total and per value of one dimension (rows in display order)."""

    dimension: str
    total: Figures
    rows: list[tuple[Any, Figures]]
    categories: list[str]


def _where(model: Any, site: Site, period: Period, policy_id: int | None) -> list[Any]:
    clauses = [model.site_id == site.id, model.day.between(period.start, period.end)]
    if policy_id is not None:
        clauses.append(model.policy_version_id == policy_id)
    return clauses


def _grouped(
    site: Site, period: Period, column: str | None, policy_id: int | None
) -> dict[Any, Figures]:
    """{group value (None when not grouped): Figures}, two grouped queries."""
    groups: dict[Any, Figures] = {}
    keys = [getattr(ConsentStats, column)] if column else []
    sums = [func.sum(getattr(ConsentStats, name)) for name in COUNTS]
    query = select(*keys, *sums).where(*_where(ConsentStats, site, period, policy_id))
    for row in db.session.execute(query.group_by(*keys)):
        value = row[0] if column else None
        values = row[1:] if column else row
        groups[value] = Figures(
            counts={n: int(v or 0) for n, v in zip(COUNTS, values, strict=True)}
        )
    keys = [getattr(CategoryStats, column)] if column else []
    query = select(
        *keys,
        CategoryStats.category,
        func.sum(CategoryStats.granted),
        func.sum(CategoryStats.denied),
    ).where(*_where(CategoryStats, site, period, policy_id))
    for row in db.session.execute(query.group_by(*keys, CategoryStats.category)):
        value, (slug, granted, denied) = (row[0], row[1:]) if column else (None, row)
        groups.setdefault(value, Figures()).categories[slug] = [int(granted), int(denied)]
    return groups


def category_order(site: Site, seen: set[str]) -> list[str]:
    """The site's optional categories in its order, then any others found in the data."""
    own = [c.slug for c in site.categories if c.slug != NECESSARY]
    return own + sorted(seen - set(own))


def breakdown(
    site: Site, period: Period, dimension: str, *, policy: PolicyVersion | None = None
) -> Breakdown:
    """Totals and one row per value of `dimension` (one of BREAKDOWNS).

    Days run through the whole period (empty days included); policy versions are given by
    their label, oldest first; other values by their code ("" for unknown), biggest first.
    """
    if dimension not in BREAKDOWNS:
        raise ValueError(f"cannot break down by {dimension!r}")
    policy_id = policy.id if policy else None
    total = _grouped(site, period, None, policy_id).get(None, Figures())
    groups = _grouped(site, period, BREAKDOWNS[dimension], policy_id)
    rows: list[tuple[Any, Figures]]
    if dimension == "day":
        by_day = {
            date.fromisoformat(str(k)) if isinstance(k, str) else k: v for k, v in groups.items()
        }
        rows = [(day, by_day.get(day, Figures())) for day in period.days()]
    elif dimension == "policy":
        labels = {v.id: v.label for v in policy_versions(site)}
        rows = [(labels[i], groups[i]) for i in sorted(groups, key=list(labels).index)]
    else:
        rows = sorted(
            groups.items(), key=lambda item: (-item[1].impressions - item[1].decisions, item[0])
        )
    seen = {slug for _, figures in rows for slug in figures.categories} | set(total.categories)
    return Breakdown(dimension, total, rows, category_order(site, seen))


def compare_policies(
    site: Site, period: Period, first: PolicyVersion, second: PolicyVersion
) -> tuple[Figures, Figures, list[str]]:
    """The figures of two policy versions over the same period, side by side."""
    a = _grouped(site, period, None, first.id).get(None, Figures())
    b = _grouped(site, period, None, second.id).get(None, Figures())
    return a, b, category_order(site, set(a.categories) | set(b.categories))
