"""Figures as the manager pages write them."""

from __future__ import annotations


def format_value(value: float | None, decimals: int, unit: str = "") -> str:
    """A figure for people: thousands separated, the metric's decimals, its unit; '–' when there is none."""
    if value is None or value != value:
        return "–"
    text = f"{value:,.{decimals}f}"
    return f"{text} {unit}".strip() if unit and not unit.startswith("/") else text + unit
