"""Numbers as a TV shows them: a unit symbol in front or behind, thousands separated, big sums shortened."""

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


def shown(value: float | None, metric: Metric, *, compact: bool = True) -> Shown:
    """`value` of `metric` with its unit; durations in seconds become m:ss, NPS gets its sign."""
    if value is None:
        return Shown("", "–", "")
    unit = metric.unit
    if metric.aggregation == "nps":
        return Shown("", f"{value:+.0f}" if round(value) else "0", "")
    if unit == "s" and metric.aggregation == "mean":
        whole = int(round(value))
        return Shown("", f"{whole // 60}:{whole % 60:02d}", "min")
    number = number_text(value, metric.decimals, compact=compact)
    if unit in _SYMBOLS:
        return Shown(_SYMBOLS[unit], number, "")
    if unit in _NORDIC:
        return Shown("", number, "kr")
    return Shown("", number, unit)


def money(amount: float, unit: str) -> Shown:
    """An amount in full (``€12,400``), for a celebration."""
    number = number_text(amount, 0, compact=False)
    if unit in _SYMBOLS:
        return Shown(_SYMBOLS[unit], number, "")
    return Shown("", number, "kr" if unit in _NORDIC else unit)


def number_text(value: float, decimals: int = 0, *, compact: bool = True) -> str:
    """``1234567`` → ``1.23M`` when compact, else ``1,234,567``; keeps `decimals` below a thousand."""
    size = abs(value)
    if compact and size >= 1_000_000:
        return f"{value / 1_000_000:.2f}M"
    if compact and size >= 100_000:
        return f"{value / 1000:.0f}k"
    if size >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.{decimals}f}"


def change_text(change: float, nps: bool) -> str:
    """A change as ``+12%`` or, for NPS, ``+4 pts``."""
    if nps:
        return f"{change:+.0f} pts"
    percent = change * 100
    return f"{percent:+.0f}%" if abs(percent) >= 1 else f"{percent:+.1f}%"
