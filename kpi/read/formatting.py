"""Numbers as people read them — one formatting for the TV, `/manage`, `/me` and the API's text.

A figure keeps its metric's unit (a currency symbol in front, ``kr`` or ``/5`` behind), durations in
seconds read as m:ss, NPS carries its sign, and the TV may shorten big sums (``€441k``, ``€1.2B``).
`at_shown_precision` is the value a reader sees, so that a status (a goal met or not) is decided on
exactly what is on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi.model.metrics import Metric

_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹"}
_NORDIC = {"NOK", "SEK", "DKK"}


@dataclass(frozen=True)
class Shown:
    """A figure split for styling: a prefix, the number and a suffix."""

    prefix: str
    number: str
    suffix: str

    def __str__(self) -> str:
        gap = " " if self.suffix[:1].isalpha() else ""
        return f"{self.prefix}{self.number}{gap}{self.suffix}"


def is_duration(metric: Metric) -> bool:
    """A mean of seconds (handle time) reads as m:ss."""
    return metric.unit == "s" and metric.aggregation == "mean"


def at_shown_precision(value: float, metric: Metric) -> float:
    """`value` rounded as it is displayed in full: whole seconds for m:ss, whole NPS points, else decimals."""
    if metric.aggregation == "nps" or is_duration(metric):
        return float(round(value))
    return round(value, metric.decimals)


def format_value(
    value: float | None, metric: Metric, *, compact: bool = False, decimals: int | None = None
) -> Shown:
    """`value` of `metric` with its unit; ``–`` when there is none.

    Args:
        value: the figure, or None when there are no events.
        metric: the metric it is a figure of (unit, decimals, aggregation).
        compact: shorten big numbers (``441k``, ``2.42M``) for a TV tile.
        decimals: instead of the metric's (an average per agent of a count wants one).
    """
    if value is None or value != value:
        return Shown("", "–", "")
    if metric.aggregation == "nps":
        return Shown("", f"{value:+.0f}" if round(value) else "0", "")
    if is_duration(metric):
        if compact and abs(value) >= 6000:
            return Shown("", number_text(value / 3600, 1, compact=True), "h")
        whole = int(round(value))
        sign, whole = ("-" if whole < 0 else ""), abs(whole)
        return Shown("", f"{sign}{whole // 60}:{whole % 60:02d}", "min")
    places = metric.decimals if decimals is None else decimals
    return _with_unit(number_text(value, places, compact=compact), metric.unit)


def value_text(
    value: float | None, metric: Metric, *, compact: bool = False, decimals: int | None = None
) -> str:
    """`format_value` as plain text (``€12,400``, ``4:56 min``, ``4.30/5``)."""
    return str(format_value(value, metric, compact=compact, decimals=decimals))


def money(amount: float, unit: str) -> Shown:
    """An amount in full (``€12,400``), for a celebration."""
    return _with_unit(number_text(amount, 0, compact=False), unit)


def _with_unit(number: str, unit: str) -> Shown:
    if unit in _SYMBOLS:
        return Shown(_SYMBOLS[unit], number, "")
    if unit in _NORDIC:
        return Shown("", number, "kr")
    return Shown("", number, unit)


def number_text(value: float, decimals: int = 0, *, compact: bool = True) -> str:
    """``1234567`` → ``1.23M`` when compact, else ``1,234,567``; keeps `decimals` below a thousand.

    Compact figures keep three significant digits (``1.23k``, ``45.6k``, ``987M``, ``1.2B``), trailing
    zeros dropped, so that a TV tile's number is never longer than five characters and a sign.
    """
    if compact and abs(value) >= 999.5:
        return compact_number(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.{decimals}f}"


_STEPS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def compact_number(value: float) -> str:
    """`value` with three significant digits and a k/M/B/T suffix (``999_999`` → ``1M``, not ``1000k``)."""
    size = abs(value)
    for index, (scale, suffix) in enumerate(_STEPS):
        if size >= scale * 0.9995 or index == len(_STEPS) - 1:
            scaled = size / scale
            places = 2 if scaled < 9.995 else 1 if scaled < 99.95 else 0
            text = f"{scaled:.{places}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            if text == "1000" and index > 0:
                return compact_number(value / abs(value) * _STEPS[index - 1][0])
            return ("-" if value < 0 else "") + text + suffix
    return f"{value:,.0f}"


def place_text(rank: int, tied: bool, *, ordinal: bool = True) -> str:
    """A place as a podium shows it: ``1st``, ``=3rd`` when tied; in a list ``4``, ``=4``."""
    if ordinal:
        suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
        text = f"{rank}{suffix}"
    else:
        text = str(rank)
    return "=" + text if tied else text


def change_text(change: float, nps: bool, points_decimals: int | None = None) -> str:
    """A change as ``+12%``, for NPS ``+4 pts``, or in a rating's points with its decimals (``+0.12 pts``)."""
    if nps:
        return f"{change:+.0f} pts"
    if points_decimals is not None:
        return f"{change:+.{points_decimals}f} pts"
    percent = change * 100
    return f"{percent:+.0f}%" if abs(percent) >= 1 else f"{percent:+.1f}%"


def shown_change(change: float, nps: bool, points_decimals: int | None = None) -> float:
    """`change` rounded as `change_text` writes it, so that whether it is good news is decided on what the
    screen says (a change that reads ``= 0.0%`` is no change)."""
    if nps:
        return float(round(change))
    if points_decimals is not None:
        return round(change, points_decimals)
    percent = change * 100
    return round(percent, 0 if abs(percent) >= 1 else 1) / 100


def change_words(change: float, nps: bool, points_decimals: int | None = None) -> str:
    """A change as the TV says it, its arrow carrying the sign: ``▲ 12%``, ``▼ 9 pts``, ``▲ 0.40 pts``,
    ``= 0 pts`` when it rounds to nothing (never ``▼ -9``)."""
    text = change_text(abs(change), nps, points_decimals).removeprefix("+")
    if not any(digit in text for digit in "123456789"):
        return f"= {text}"
    return f"{'▲' if change > 0 else '▼'} {text}"


def challenge_score_text(score: float | None, unit: str, metric: Metric) -> str:
    """A challenge score as it is ranked: the metric's figure, a percent (``+12.5%``) or NPS points."""
    if score is None:
        return "–"
    if unit == "percent":
        return f"{score:+.1f}%"
    if unit == "points":
        return f"{score:+.0f}"
    return value_text(score, metric)


def period_change(metric: Metric, value: float | None, previous: float | None) -> float | None:
    """The change between two figures as they are shown (each rounded as displayed); None without both."""
    if value is None or previous is None:
        return None
    return at_shown_precision(value, metric) - at_shown_precision(previous, metric)


def period_change_text(metric: Metric, value: float | None, previous: float | None) -> str:
    """A figure's change against the previous period as /manage's cards write it: NPS in points, other
    figures in their unit, totals (counts, sums) with a percent too (``+1,234 (+12.0%) vs previous``)."""
    change = period_change(metric, value, previous)
    if change is None:
        return "no figure to compare"
    if metric.improved(change) is None:
        return "no change vs previous"
    if metric.aggregation == "nps":
        return f"{change:+.0f} pts vs previous".replace("-", "−")
    before = at_shown_precision(previous or 0.0, metric)
    pct = f" ({change / abs(before):+.1%})".replace("-", "−") if before and metric.cumulative else ""
    sign = "+" if change >= 0 else "−"
    return f"{sign}{value_text(abs(change), metric)}{pct} vs previous"
