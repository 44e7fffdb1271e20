"""Charts drawn on the server as inline SVG: no script, no third-party code.

Each chart is an <svg role="img"> with a title; every bar carries a <title> that a
pointer or a screen reader can show. The table beside each chart holds the same
numbers, so the chart never is the only way to read them. Colours come from CSS classes
(static/css/app.css), so they follow light and dark mode.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 720


@dataclass(frozen=True)
class Segment:
    key: str
    label: str


def _nice_step(value: float) -> int:
    """The smallest whole 1, 2 or 5 times a power of ten at or above `value` (min. 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return int(next(step * power for step in (1, 2, 5, 10) if step * power >= value))


def _svg(height: float, title: str, body: list[str], width: int = WIDTH) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _rect(x: float, y: float, w: float, h: float, css: str, tip: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
        f'class="s-{escape(css)}"><title>{escape(tip)}</title></rect>'
    )


def _text(x: float, y: float, text: str, anchor: str = "start", css: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"'
        f"{f' class={chr(34)}{css}{chr(34)}' if css else ''}>{escape(text)}</text>"
    )


def stacked_columns(
    columns: Sequence[tuple[str, dict[str, int]]],
    segments: Sequence[Segment],
    *,
    title: str,
    number: Callable[[int], str],
    height: int = 240,
) -> Markup:
    """One column per entry (e.g. per day), stacked from the bottom in segment order."""
    left, bottom, top = 56, 26, 8
    plot_w, plot_h = WIDTH - left - 8, height - bottom - top
    tick = _nice_step(max((sum(v.values()) for _, v in columns), default=0) / 4)
    peak = tick * 4
    body = []
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        body.append(f'<line x1="{left}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        body.append(_text(left - 6, y + 4, number(tick * i), "end"))
    step = plot_w / max(len(columns), 1)
    every = max(1, math.ceil(len(columns) / 8))
    for index, (label, values) in enumerate(columns):
        x, base = left + index * step + step * 0.1, float(top + plot_h)
        for segment in segments:
            value = values.get(segment.key, 0)
            if value <= 0:
                continue
            h = plot_h * value / peak
            base -= h
            tip = f"{label}: {segment.label} {number(value)}"
            body.append(_rect(x, base, step * 0.8, h, segment.key, tip))
        if index % every == 0:
            body.append(_text(x + step * 0.4, height - 8, label, "middle"))
    return _svg(height, title, body)


def share_bars(
    rows: Sequence[tuple[str, dict[str, int]]],
    segments: Sequence[Segment],
    *,
    title: str,
    percent: Callable[[float], str],
    number: Callable[[int], str],
) -> Markup:
    """One horizontal bar per entry, split into the segments' shares of its total."""
    label_w, right, row_h = 170, 70, 26
    bar_w = WIDTH - label_w - right
    body = []
    for index, (label, values) in enumerate(rows):
        y = 6 + index * row_h
        total = sum(max(v, 0) for v in values.values())
        body.append(_text(label_w - 8, y + 15, label, "end"))
        x = float(label_w)
        for segment in segments:
            value = values.get(segment.key, 0)
            if total <= 0 or value <= 0:
                continue
            w = bar_w * value / total
            tip = f"{label}: {segment.label} {percent(value / total)} ({number(value)})"
            body.append(_rect(x, y, w, row_h - 8, segment.key, tip))
            x += w
        body.append(_text(WIDTH - right + 6, y + 15, number(total)))
    return _svg(12 + len(rows) * row_h, title, body)


def rate_bars(
    rows: Sequence[tuple[str, Sequence[float | None]]],
    series: Sequence[Segment],
    *,
    title: str,
    percent: Callable[[float], str],
    width: int = WIDTH,
    label_w: int = 200,
) -> Markup:
    """Grouped horizontal bars of rates from 0 to 100 %, one bar per series and entry."""
    right, bar_h = 64, 16
    group_h = bar_h * len(series) + 10
    bar_w = width - label_w - right
    body = []
    for index, (label, rates) in enumerate(rows):
        y = 6 + index * group_h
        body.append(_text(label_w - 8, y + bar_h - 3, label, "end"))
        for offset, (segment, rate) in enumerate(zip(series, rates, strict=True)):
            top = y + offset * bar_h
            shown = "\u2013" if rate is None else percent(rate)  # an en dash: no rate
            track = f'x="{label_w}" y="{top:.1f}" width="{bar_w}" height="{bar_h - 3}"'
            body.append(f'<rect {track} class="track"/>')
            tip = f"{label}: {segment.label} {shown}"
            body.append(_rect(label_w, top, bar_w * (rate or 0), bar_h - 3, segment.key, tip))
            body.append(_text(width - right + 6, top + bar_h - 4, shown))
    return _svg(12 + len(rows) * group_h, title, body, width)
