"""The NPS trend drawn as an SVG image: crisp at 1080p and 4K alike, and no charting library on the TV."""

from __future__ import annotations

import base64
import math
from datetime import date
from xml.sax.saxutils import escape

from dash import html

from kpi.read.trends import NpsTrend

WIDTH, HEIGHT = 1000, 560
LEFT, RIGHT, TOP, BOTTOM = 70, 40, 30, 60
LABEL_WIDTH = 70
"""The widest month label ("May" in bold 28 px) in view-box units, so the last one is never cut off."""
LINE, DOTS, GRID, TEXT, MUTED = "#7cc4ff", "#7cc4ff", "#2a3550", "#e8edf7", "#8f9bb3"


def trend_image(trend: NpsTrend) -> html.Div:
    """The chart as two stacked images of one view box: the history, and the latest day on top.

    A new answer today changes only the top image (unless it moves the axis), so a TV is sent only that.
    """
    history, latest = trend_layers(trend)
    return html.Div(
        className="wb-chart-layers",
        children=[
            html.Img(src=_data_url(history), className="wb-chart-img", alt="NPS trend"),
            html.Img(src=_data_url(latest), className="wb-chart-img is-latest", alt=""),
        ],
    )


def trend_svg(trend: NpsTrend) -> str:
    """The whole chart as SVG text with a fixed view box (the image scales, the proportions stay)."""
    history, latest = _parts(trend)
    return _svg(history + latest)


def trend_layers(trend: NpsTrend) -> tuple[str, str]:
    """The chart as two SVGs: everything up to the day before the latest point, and the latest point."""
    history, latest = _parts(trend)
    return _svg(history), _svg(latest)


def _data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _svg(parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'font-family="Inter, Liberation Sans, DejaVu Sans, sans-serif">'
        '<defs><linearGradient id="fill" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="{LINE}" stop-opacity="0.35"/>'
        f'<stop offset="1" stop-color="{LINE}" stop-opacity="0"/></linearGradient></defs>'
        + "".join(parts)
        + "</svg>"
    )


def _parts(trend: NpsTrend) -> tuple[list[str], list[str]]:
    """The drawing split at the latest point: (grid, labels, older dots and line; the latest day's)."""
    low, high = _range([v for v in (*trend.rolling, *trend.daily) if v is not None])
    x_of = _scale(0, max(1, len(trend.days) - 1), LEFT, WIDTH - RIGHT)
    y_of = _scale(low, high, HEIGHT - BOTTOM, TOP)
    last_day = len(trend.days) - 1
    dots = [
        (i, f'<circle cx="{x_of(i):.1f}" cy="{y_of(v):.1f}" r="4" fill="{DOTS}" fill-opacity="0.35"/>')
        for i, v in enumerate(trend.daily)
        if v is not None
    ]
    history = _grid(low, high, y_of) + _month_labels(trend.days, x_of)
    history += [dot for i, dot in dots if i < last_day]
    latest = [dot for i, dot in dots if i >= last_day]
    points = [(x_of(i), y_of(v)) for i, v in enumerate(trend.rolling) if v is not None]
    if points:
        base = y_of(max(low, min(high, 0))) if low < 0 < high else HEIGHT - BOTTOM
        history += _line(points[:-1], base)
        latest += _line(points[-2:], base)
        x, y = points[-1]
        latest.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="{LINE}" stroke="#0b1020" stroke-width="4"/>'
        )
    return history, latest


def _line(points: list[tuple[float, float]], base: float) -> list[str]:
    """The filled area under `points` and the line through them (nothing for fewer than two points)."""
    if len(points) < 2:
        return []
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return [
        f'<polygon points="{points[0][0]:.1f},{base:.1f} {path} {points[-1][0]:.1f},{base:.1f}" '
        f'fill="url(#fill)"/>',
        f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="6" '
        f'stroke-linejoin="round" stroke-linecap="round"/>',
    ]


def _range(values: list[float]) -> tuple[float, float]:
    """An axis that covers every daily point and the rolling line, within NPS's own −100…+100."""
    if not values:
        return -10.0, 60.0
    low, high = min(values), max(values)
    pad = max(12.0, (high - low) * 0.15)
    low, high = max(-100.0, low - pad), min(100.0, high + pad)
    step = _step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step


def _step(span: float) -> float:
    for step in (5, 10, 20, 25, 50):
        if span / step <= 6:
            return float(step)
    return 50.0


def _scale(a: float, b: float, to_a: float, to_b: float):  # noqa: ANN202 - a float function
    span = (b - a) or 1.0
    return lambda v: to_a + (v - a) * (to_b - to_a) / span


def _grid(low: float, high: float, y_of) -> list[str]:  # noqa: ANN001 - a float function
    step = _step(high - low)
    lines, value = [], low
    while value <= high + 1e-9:
        y = y_of(value)
        colour, width = ("#55627f", 3) if abs(value) < 1e-9 else (GRID, 2)
        lines.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="{width}"/>'
        )
        label = f"{value:+.0f}" if value else "0"
        lines.append(
            f'<text x="{LEFT - 14}" y="{y + 9:.1f}" fill="{MUTED}" font-size="26" text-anchor="end">'
            f"{label}</text>"
        )
        value += step
    return lines


def _month_labels(days: list[date], x_of) -> list[str]:  # noqa: ANN001 - a float function
    labels = []
    for index, day in enumerate(days):
        if day.day == 1 or index == 0 and day.day <= 3:
            labels.append(
                f'<line x1="{x_of(index):.1f}" x2="{x_of(index):.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" '
                f'stroke="{GRID}" stroke-width="2" stroke-dasharray="6 8"/>'
            )
            x = x_of(index)
            near_end = x + 8 + LABEL_WIDTH > WIDTH
            labels.append(
                f'<text x="{x - 8 if near_end else x + 8:.1f}" y="{HEIGHT - 18}" fill="{TEXT}" '
                f'font-size="28" font-weight="600" text-anchor="{"end" if near_end else "start"}">'
                f"{escape(day.strftime('%b'))}</text>"
            )
    return labels
