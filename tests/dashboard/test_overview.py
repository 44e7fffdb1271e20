from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consent_app.services.sites.policies import publish
from consent_app.services.stats.impressions import record_impression
from tests.factories import SHOP_ORIGIN, AuthActions, make_record, make_site

DAY = datetime(2026, 3, 2, 10, tzinfo=UTC)
PERIOD = {"site": "shop", "start": "2026-03-01", "end": "2026-03-03"}
BOTH = {"functionality": True, "advertising": True}
NEITHER = {"functionality": False, "advertising": False}


@pytest.fixture
def marketer(client: FlaskClient, auth: AuthActions) -> FlaskClient:
    """10 banner displays on 2 March: 3 accept all, 2 reject all (NO), 1 custom (SE)."""
    make_site()
    for country in ["NO"] * 8 + ["SE"] * 2:
        record_impression(
            site="shop",
            policy_version="1",
            origin=SHOP_ORIGIN,
            language="nb",
            country=country,
            device_class="desktop",
            now=DAY,
        )
    for _ in range(3):
        make_record(now=DAY, country="NO", choices=BOTH, action="accept_all")
    for _ in range(2):
        make_record(now=DAY, country="NO", choices=NEITHER, action="reject_all")
    make_record(now=DAY, country="SE")  # custom: functionality only
    auth.login("marketer")
    return client


def summary(page: str) -> dict[str, str]:
    pairs = re.findall(r"<div><dt>(.*?)</dt><dd>(.*?)</dd></div>", page)
    return {name: re.sub(r"<.*?>", "", value).strip() for name, value in pairs}


def test_marketer_sees_every_figure_of_the_period(marketer: FlaskClient) -> None:
    response = marketer.get("/dashboard/", query_string=PERIOD)
    assert response.status_code == 200
    assert summary(response.get_data(as_text=True)) == {
        "Impressions": "10",
        "Interaction rate": "60.0%",
        "Ignored": "4 (40.0%)",
        "Decisions": "6",
        "Accepted all": "50.0%",
        "Rejected all": "33.3%",
        "Chose categories": "16.7%",
        "Global Privacy Control": "0.0%",
        "Withdrew consent": "0.0%",
        "With GPC signal": "0.0%",
        "Functionality opt-in": "66.7%",
        "Advertising opt-in": "50.0%",
    }


def test_numbers_and_dates_follow_the_readers_locale(marketer: FlaskClient) -> None:
    page = marketer.get(
        "/dashboard/", query_string=PERIOD, headers={"Accept-Language": "nb"}
    ).get_data(as_text=True)
    figures = summary(page)
    assert figures["Interaksjonsrate"] == "60,0\xa0%"
    assert "2. mars 2026" in page
    nynorsk = marketer.get("/dashboard/", query_string=PERIOD, headers={"Accept-Language": "nn"})
    assert "Samandrag" in nynorsk.get_data(as_text=True)


def test_charts_are_svg_drawn_on_the_server_without_any_script(marketer: FlaskClient) -> None:
    for by in ("day", "country"):
        page = marketer.get("/dashboard/", query_string={**PERIOD, "by": by}).get_data(as_text=True)
        assert page.count('<svg class="chart"') == 2
        assert "<script" not in page
        assert "Accepted all 3" in page or "Accepted all 60.0% (3)" in page


def test_each_breakdown_has_a_table_with_a_row_per_value(marketer: FlaskClient) -> None:
    expected = {
        "day": ["Mar 1, 2026", "Mar 2, 2026", "Mar 3, 2026"],
        "country": ["Norway", "Sweden"],
        "language": ["Norwegian Bokmål"],
        "device": ["Desktop"],
        "policy": ["Version 1"],
    }
    for by, labels in expected.items():
        page = marketer.get("/dashboard/", query_string={**PERIOD, "by": by}).get_data(as_text=True)
        start = page.index('id="table-breakdown"')
        table = page[start : page.index("</table>", start)]
        rows = re.findall(r'<tr>\s*<th scope="row">(?:<time[^>]*>)?(.*?)<', table)
        assert rows == [*labels, "Total"], by


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_breakdown_csv_holds_plain_machine_values(marketer: FlaskClient) -> None:
    rows = read_csv(marketer.get("/dashboard/breakdown.csv", query_string={**PERIOD, "by": "day"}))
    assert [r["day"] for r in rows] == ["2026-03-01", "2026-03-02", "2026-03-03", "total"]
    day = rows[1]
    assert (day["impressions"], day["decisions"], day["ignored"]) == ("10", "6", "4")
    assert day["interaction_rate"] == "0.6000"
    assert day["opt_in_advertising"] == "0.5000"
    assert rows[0]["interaction_rate"] == ""  # no displays: no rate


def test_country_csv_keeps_codes(marketer: FlaskClient) -> None:
    query = {**PERIOD, "by": "country"}
    rows = read_csv(marketer.get("/dashboard/breakdown.csv", query_string=query))
    assert [(r["country"], r["impressions"], r["custom_share"]) for r in rows] == [
        ("NO", "8", "0.0000"),
        ("SE", "2", "1.0000"),
        ("total", "10", "0.1667"),
    ]


def test_category_csv(marketer: FlaskClient) -> None:
    rows = read_csv(marketer.get("/dashboard/categories.csv", query_string=PERIOD))
    assert rows == [
        {"category": "functionality", "granted": "4", "denied": "2", "opt_in_rate": "0.6667"},
        {"category": "advertising", "granted": "3", "denied": "3", "opt_in_rate": "0.5000"},
    ]


def field_error(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page)
    assert match, f"no error next to {field}"
    return match.group(1)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-13-01"}, "start", "Not a valid date value."),
        ({"start": ""}, "start", "Enter a date."),
        ({"start": "2026-03-05", "end": "2026-03-01"}, "end", "must not be before"),
        ({"start": "2020-01-01", "end": "2026-03-01"}, "end", "at most 366 days"),
        ({"site": "nosuchsite"}, "site", "Not a valid choice"),
        ({"by": "subject"}, "by", "Not a valid choice"),
        ({"policy": "9"}, "policy", "Not a valid choice"),
    ],
)
def test_bad_filters_are_errors_next_to_the_field(marketer, query, field, message) -> None:
    for path in ("/dashboard/", "/dashboard/breakdown.csv"):
        response = marketer.get(path, query_string={**PERIOD, **query})
        assert response.status_code == 400
        assert message in field_error(response.get_data(as_text=True), field)


def test_without_sites_the_page_says_so(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("marketer")
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "There is no site yet" in response.get_data(as_text=True)


def test_the_default_period_is_the_last_30_days(app: Flask, marketer: FlaskClient) -> None:
    make_record(now=datetime.now(UTC) - timedelta(days=29))
    make_record(now=datetime.now(UTC) - timedelta(days=31))
    figures = summary(marketer.get("/dashboard/").get_data(as_text=True))
    assert figures["Decisions"] == "1"


def test_two_policy_versions_side_by_side(app: Flask, marketer: FlaskClient) -> None:
    from consent_app.services.sites.profiles import get_site

    publish(get_site("shop"), "2", major=True)
    make_record(
        now=DAY + timedelta(days=1),
        policy_version="2",
        choices=NEITHER,
        action="reject_all",
    )
    page = marketer.get("/dashboard/compare", query_string=PERIOD).get_data(as_text=True)
    assert '<svg class="chart"' in page
    table = page[page.index('id="table-comparison"') :]
    row = re.search(r'<th scope="row">Rejected all</th>(.*?)</tr>', table, re.S).group(1)
    assert re.findall(r'<td class="num">(.*?)</td>', row) == ["33.3%", "100.0%", "+66.7 points"]
    rows = read_csv(marketer.get("/dashboard/compare.csv", query_string=PERIOD))
    decisions = next(r for r in rows if r["figure"] == "decisions")
    assert (decisions["first"], decisions["second"], decisions["difference"]) == ("6", "1", "-5")


def test_the_comparison_opens_on_a_period_around_the_latest_version(app, marketer) -> None:
    from consent_app.services.sites.profiles import get_site, policy_versions

    site = get_site("shop")
    published = datetime.now(UTC) - timedelta(days=100)
    policy_versions(site)[0].published_at = published - timedelta(days=100)
    publish(site, "2", major=True, now=published)
    page = marketer.get("/dashboard/compare", query_string={"site": "shop"}).get_data(True)
    start = (published.date() - timedelta(days=30)).isoformat()
    assert re.search(rf'<input id="start"[^>]* value="{start}"', page)


def test_comparing_a_version_with_itself_is_a_form_error(marketer: FlaskClient) -> None:
    from consent_app.services.sites.profiles import get_site

    publish(get_site("shop"), "2", major=False)
    query = {**PERIOD, "first": "1", "second": "1"}
    response = marketer.get("/dashboard/compare", query_string=query)
    assert response.status_code == 400
    assert "two different versions" in field_error(response.get_data(as_text=True), "second")


def test_a_site_with_one_version_has_nothing_to_compare(marketer: FlaskClient) -> None:
    response = marketer.get("/dashboard/compare", query_string=PERIOD)
    assert response.status_code == 200
    assert "fewer than two policy versions" in response.get_data(as_text=True)
    assert marketer.get("/dashboard/compare.csv", query_string=PERIOD).status_code == 400


def test_comparing_an_unknown_site_is_a_form_error(marketer: FlaskClient) -> None:
    response = marketer.get("/dashboard/compare", query_string={**PERIOD, "site": "nope"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Not a valid choice" in field_error(page, "site")
    assert "fewer than two policy versions" not in page


def test_country_bars_add_up_to_the_displays_even_after_a_withdrawal(app, marketer) -> None:
    make_record(now=DAY, country="NO", choices=NEITHER, action="withdraw")
    page = marketer.get("/dashboard/", query_string={**PERIOD, "by": "country"})
    chart = page.get_data(as_text=True).split('<svg class="chart"')[1].split("</svg>")[0]
    totals = re.findall(r"<text[^>]*>([\d,]+)</text>", chart)
    assert totals == ["8", "2"]  # Norway's 8 displays and Sweden's 2, not 8 + 1 withdrawal
    assert "Withdraw" not in chart
