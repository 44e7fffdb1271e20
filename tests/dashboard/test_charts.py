from __future__ import annotations

import re

from consent_app.dashboard.charts import Segment, rate_bars, share_bars, stacked_columns

SEGMENTS = [Segment("accept_all", "Accept all"), Segment("ignored", "Ignored")]


def rects(svg: str) -> list[dict[str, str]]:
    found = re.findall(
        r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" '
        r'class="s-([\w-]+)"><title>(.*?)</title>',
        svg,
    )
    keys = ("x", "y", "width", "height", "segment", "title")
    return [dict(zip(keys, r, strict=True)) for r in found]


def test_columns_stack_segments_in_proportion_to_their_values() -> None:
    svg = stacked_columns(
        [("Mar 1", {"accept_all": 30, "ignored": 10}), ("Mar 2", {"accept_all": 0, "ignored": 20})],
        SEGMENTS,
        title="Decisions",
        number=str,
    )
    drawn = rects(svg)
    assert [(r["segment"], r["title"]) for r in drawn] == [
        ("accept_all", "Mar 1: Accept all 30"),
        ("ignored", "Mar 1: Ignored 10"),
        ("ignored", "Mar 2: Ignored 20"),  # a zero segment draws nothing
    ]
    heights = [float(r["height"]) for r in drawn]
    assert heights[0] == 3 * heights[1] and heights[2] == 2 * heights[1]
    # The axis goes to a round number above the tallest column: 40 = 4 ticks of 10.
    assert ">40</text>" in svg and ">10</text>" in svg


def test_share_bars_fill_the_same_width_for_every_row() -> None:
    svg = share_bars(
        [("Norway", {"accept_all": 3, "ignored": 1}), ("Sweden", {"accept_all": 1, "ignored": 1})],
        SEGMENTS,
        title="By country",
        percent=lambda r: f"{r:.0%}",
        number=str,
    )
    drawn = rects(svg)
    widths = [float(r["width"]) for r in drawn]
    assert abs((widths[0] + widths[1]) - (widths[2] + widths[3])) < 0.2
    assert drawn[0]["title"] == "Norway: Accept all 75% (3)"


def test_a_missing_rate_is_a_dash_not_a_zero() -> None:
    svg = rate_bars(
        [("Advertising", [0.5, None])],
        [Segment("first", "Version 1"), Segment("second", "Version 2")],
        title="Compared",
        percent=lambda r: f"{r:.0%}",
    )
    drawn = rects(svg)
    assert [r["title"] for r in drawn] == [
        "Advertising: Version 1 50%",
        "Advertising: Version 2 \u2013",
    ]
    assert float(drawn[1]["width"]) == 0


def test_labels_are_escaped_inside_the_svg() -> None:
    svg = str(stacked_columns([("<b>x</b>", {"accept_all": 1})], SEGMENTS, title="a&b", number=str))
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg and "a&amp;b" in svg
    assert svg.startswith('<svg class="chart"') and 'role="img"' in svg
