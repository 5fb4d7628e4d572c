"""Pieces every kiosk view uses: the view's head, a figure with its unit, period words."""

from __future__ import annotations

from dash import html

from kpi.model.periods import Period, span_of
from kpi.read.formatting import Shown

THIS: dict[Period, str] = {
    "day": "Today",
    "week": "This week",
    "month": "This month",
    "quarter": "This quarter",
    "year": "This year",
}


def bucket_words(period: Period, bucket: str) -> str:
    """``2026-W48`` → ``Week 48 · 23–29 Nov``, ``2026-11`` → ``November 2026``."""
    span = span_of(period, bucket)
    if period == "day":
        return span.first.strftime("%A %-d %B")
    if period == "week":
        end = span.last.strftime("%-d %b")
        start = span.first.strftime("%-d" if span.first.month == span.last.month else "%-d %b")
        return f"Week {span.first.isocalendar()[1]} · {start}–{end}"
    if period == "month":
        return span.first.strftime("%B %Y")
    if period == "quarter":
        return f"Q{(span.first.month - 1) // 3 + 1} {span.first.year}"
    return str(span.first.year)


def head(title: str, subtitle: str, period_label: str = "") -> html.Div:
    """A view's title, its period chip and a subtitle."""
    return html.Div(
        className="wb-view-head",
        children=[
            html.H2(title, className="wb-view-title wb-fit"),
            html.Div(
                [
                    html.Span(period_label, className="wb-view-period") if period_label else None,
                    html.Span(subtitle, className="wb-view-sub"),
                ],
                className="wb-view-meta",
            ),
        ],
    )


def figure(value: Shown, class_name: str) -> html.Span:
    """A figure split in prefix, number and unit for styling."""
    return html.Span(
        className=class_name,
        children=[
            html.Span(value.prefix, className="wb-unit-pre") if value.prefix else None,
            html.Span(value.number, className="wb-num"),
            html.Span(value.suffix, className="wb-unit") if value.suffix else None,
        ],
    )
