"""Every dashboard figure, checked against decisions and impressions made by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask

from consent_app.services.sites.policies import publish
from consent_app.services.stats.figures import (
    Figures,
    InvalidPeriod,
    Period,
    breakdown,
    compare_policies,
)
from consent_app.services.stats.impressions import record_impression
from tests.factories import SHOP_ORIGIN, make_record, make_site

DAY1 = datetime(2026, 3, 2, 12, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)
DAY3 = DAY1 + timedelta(days=2)
PERIOD = Period(DAY1.date(), DAY3.date())
BOTH = {"functionality": True, "advertising": True}
NEITHER = {"functionality": False, "advertising": False}
ONLY_FUNCTIONALITY = {"functionality": True, "advertising": False}


def shown(times: int, now: datetime, *, policy="1", country=None, language, device) -> None:
    for _ in range(times):
        record_impression(
            site="shop",
            policy_version=policy,
            origin=SHOP_ORIGIN,
            language=language,
            country=country,
            device_class=device,
            now=now,
        )


def decided(app, times, now, *, choices, action, policy="1", country, language, device, gpc=False):
    for _ in range(times):
        make_record(
            now=now,
            choices=choices,
            action=action,
            policy_version=policy,
            country=country,
            language=language,
            device_class=device,
            gpc=gpc,
        )


@pytest.fixture
def site(app: Flask):
    """Three days of known impressions and decisions (see the comments for the sums)."""
    shop = make_site()
    no_nb = {"country": "NO", "language": "nb", "device": "desktop"}
    se_en = {"country": "SE", "language": "en", "device": "mobile"}
    # Day 1, policy 1: NO/nb/desktop 10 shown, 6 decided; SE/en/mobile 4 shown, 2 decided.
    shown(10, DAY1, **no_nb)
    decided(app, 3, DAY1, choices=BOTH, action="accept_all", **no_nb)
    decided(app, 1, DAY1, choices=NEITHER, action="reject_all", **no_nb)
    decided(app, 1, DAY1, choices=NEITHER, action="reject_all", gpc=True, **no_nb)
    decided(app, 1, DAY1, choices=ONLY_FUNCTIONALITY, action="custom", **no_nb)
    shown(4, DAY1, **se_en)
    decided(app, 1, DAY1, choices=BOTH, action="accept_all", **se_en)
    decided(app, 1, DAY1, choices=NEITHER, action="gpc", gpc=True, **se_en)
    # Day 2, policy 1: NO/nb/desktop 2 shown; one withdrawal and one custom refusing both.
    shown(2, DAY2, **no_nb)
    decided(app, 1, DAY2, choices=NEITHER, action="withdraw", **no_nb)
    decided(app, 1, DAY2, choices=NEITHER, action="custom", **no_nb)
    # Day 3, policy 2: NO/nn/tablet 5 shown, 2 accept all.
    publish(shop, "2", major=False)
    no_nn = {"country": "NO", "language": "nn", "device": "tablet"}
    shown(5, DAY3, policy="2", **no_nn)
    decided(app, 2, DAY3, choices=BOTH, action="accept_all", policy="2", **no_nn)
    return shop


def test_totals_are_every_figure_of_the_known_decisions(site) -> None:
    total = breakdown(site, PERIOD, "day").total
    assert total.impressions == 21
    assert total.decisions == 12
    assert total.answers == 11  # the withdrawal answers no banner
    assert total.ignored == 10
    assert total.interaction_rate == pytest.approx(11 / 21)
    assert total.ignored_rate == pytest.approx(10 / 21)
    shares = {a: total.share(a) for a in ("accept_all", "reject_all", "custom", "withdraw", "gpc")}
    assert shares == pytest.approx(
        {
            "accept_all": 6 / 12,
            "reject_all": 2 / 12,
            "custom": 2 / 12,
            "withdraw": 1 / 12,
            "gpc": 1 / 12,
        }
    )
    assert total.gpc_signal_share == pytest.approx(2 / 12)
    assert total.counts["impressions_gpc"] == 0
    # functionality: 6 accept all + 1 custom granted; 2 reject, gpc, withdraw, 1 custom denied.
    assert total.categories == {"functionality": [7, 5], "advertising": [6, 6]}
    assert total.opt_in_rate("functionality") == pytest.approx(7 / 12)
    assert total.opt_in_rate("advertising") == pytest.approx(0.5)
    assert total.opt_in_rate("necessary") is None


def figures(rows) -> dict:
    return {
        key: (f.impressions, f.decisions, f.answers, f.ignored, f.opt_in_rate("advertising"))
        for key, f in rows
    }


def test_breakdown_by_day_includes_every_day_of_the_period(site) -> None:
    result = breakdown(site, Period(DAY1.date(), DAY3.date() + timedelta(days=1)), "day")
    assert figures(result.rows) == {
        DAY1.date(): (14, 8, 8, 6, 4 / 8),
        DAY2.date(): (2, 2, 1, 1, 0.0),
        DAY3.date(): (5, 2, 2, 3, 1.0),
        DAY3.date() + timedelta(days=1): (0, 0, 0, 0, None),
    }
    assert result.categories == ["functionality", "advertising"]


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        ("country", {"NO": (17, 10, 9, 8, 5 / 10), "SE": (4, 2, 2, 2, 1 / 2)}),
        (
            "language",
            {"nb": (12, 8, 7, 5, 3 / 8), "nn": (5, 2, 2, 3, 1.0), "en": (4, 2, 2, 2, 1 / 2)},
        ),
        (
            "device",
            {
                "desktop": (12, 8, 7, 5, 3 / 8),
                "tablet": (5, 2, 2, 3, 1.0),
                "mobile": (4, 2, 2, 2, 0.5),
            },
        ),
        ("policy", {"1": (16, 10, 9, 7, 4 / 10), "2": (5, 2, 2, 3, 1.0)}),
    ],
)
def test_breakdowns_split_the_totals(site, dimension, expected) -> None:
    result = breakdown(site, PERIOD, dimension)
    assert figures(result.rows) == expected
    assert [key for key, _ in result.rows] == list(expected)  # biggest first, or by version
    assert sum(f.decisions for _, f in result.rows) == result.total.decisions


def test_a_policy_version_filters_every_figure(site) -> None:
    version = next(v for v in site_versions(site) if v.label == "2")
    result = breakdown(site, PERIOD, "country", policy=version)
    assert figures(result.rows) == {"NO": (5, 2, 2, 3, 1.0)}


def site_versions(site):
    from consent_app.services.sites.profiles import policy_versions

    return policy_versions(site)


def test_two_policy_versions_side_by_side(site) -> None:
    first, second = site_versions(site)
    a, b, categories = compare_policies(site, PERIOD, first, second)
    assert (a.impressions, a.decisions, a.ignored) == (16, 10, 7)
    assert a.share("accept_all") == pytest.approx(4 / 10)
    assert (b.impressions, b.decisions, b.ignored) == (5, 2, 3)
    assert b.share("accept_all") == 1.0
    assert categories == ["functionality", "advertising"]


def test_days_outside_the_period_are_not_counted(site) -> None:
    total = breakdown(site, Period(DAY2.date(), DAY2.date()), "day").total
    assert (total.impressions, total.decisions) == (2, 2)


def test_more_answers_than_impressions_is_not_negative_ignored() -> None:
    group = Figures()
    group.counts.update(impressions=2, decisions=3, accept_all=3)
    assert group.ignored == 0
    assert group.interaction_rate == 1.0


def test_a_group_without_impressions_has_no_rates() -> None:
    assert Figures().interaction_rate is None
    assert Figures().share("accept_all") is None


@pytest.mark.parametrize(
    ("start", "end"), [(date(2026, 3, 5), date(2026, 3, 4)), (date(2025, 1, 1), date(2026, 3, 1))]
)
def test_reversed_or_overlong_periods_are_refused(start, end) -> None:
    with pytest.raises(InvalidPeriod):
        Period(start, end)
