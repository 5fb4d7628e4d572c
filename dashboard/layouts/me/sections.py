"""The sections of `/me` built from the page's view model: points, level, ranks, badges, rules, toast."""

from __future__ import annotations

from dash import html

from dashboard.layouts.me.challenges import challenges_section
from dashboard.services.me import MePage
from dashboard.services.me_badges import BadgeCard
from kpi.read.rules_text import RuleText


def _bar(ratio: float, label: str) -> html.Div:
    return html.Div(
        className="me-bar",
        role="progressbar",
        **{
            "aria-valuemin": "0",
            "aria-valuemax": "100",
            "aria-valuenow": f"{ratio * 100:.0f}",
            "aria-label": label,
        },
        children=html.Div(className="me-bar-fill", style={"width": f"{ratio * 100:.1f}%"}),
    )


def _points(page: MePage) -> html.Section:
    return html.Section(
        className="me-panel",
        children=[
            html.H2("My points"),
            html.Div(
                className="me-figures",
                children=[
                    html.Div(
                        [
                            html.Div(f.label, className="me-figure-label"),
                            html.Div(f.text, className="me-figure"),
                        ],
                        className="me-figure-box",
                    )
                    for f in page.points
                ],
            ),
        ],
    )


def _level(page: MePage) -> html.Section:
    level = page.level
    return html.Section(
        className="me-panel me-level",
        children=[
            html.H2("My level"),
            html.Div(
                [html.Span(level.name, className="me-level-name"), html.Span(level.points_text)],
                className="me-level-head",
            ),
            _bar(level.ratio, "Progress to the next level"),
            html.P(level.next_text, className="me-hint"),
        ],
    )


def _ranks(page: MePage) -> html.Section:
    rows = [
        html.Li(
            className="me-rank",
            children=[
                html.Div(r.title, className="me-rank-title"),
                html.Div(
                    r.rank_text,
                    className="me-rank-place" + ("" if r.rank_text.startswith("#") else " is-unranked"),
                ),
                html.Div(
                    [f"Me: {r.value_text}", html.Span(" · "), f"Leader: {r.leader_text}"], className="me-hint"
                ),
            ],
        )
        for r in page.ranks
    ]
    return html.Section(
        className="me-panel",
        children=[
            html.H2("Where I stand"),
            html.P("Only you see your place. The TVs show the top few.", className="me-hint"),
            html.Ul(rows, className="me-ranks")
            if rows
            else html.P("No rankings on the TVs yet.", className="me-hint"),
        ],
    )


def _badge(card: BadgeCard) -> html.Li:
    details: list = [
        html.Div(card.name, className="me-badge-name"),
        html.Div(card.criterion, className="me-badge-criterion"),
    ]
    if card.earned:
        details.append(html.Div(card.earned_text, className="me-badge-earned"))
    if card.progress_text and not (card.earned and card.ratio is not None and card.ratio >= 1):
        details.append(html.Div(card.progress_text, className="me-hint"))
        if card.ratio is not None:
            details.append(_bar(card.ratio, f"Progress toward {card.name}"))
    if card.team:
        details.append(html.Span("Team badge", className="me-tag"))
    return html.Li(
        className="me-badge" + (" is-earned" if card.earned else ""),
        children=[
            html.Img(src=card.icon_url, alt="", className="me-badge-icon"),
            html.Div(details, className="me-badge-body"),
        ],
    )


def _badges(page: MePage) -> html.Section:
    earned = (
        html.Ul([_badge(c) for c in page.earned], className="me-badges")
        if page.earned
        else html.P(
            "No badges yet. The first ones come quickly: see what each asks below.", className="me-hint"
        )
    )
    return html.Section(
        className="me-panel",
        children=[
            html.H2(f"My badges ({len(page.earned)})"),
            earned,
            html.H3("Still to earn"),
            html.Ul([_badge(c) for c in page.available], className="me-badges"),
        ],
    )


def _rule(rule: RuleText) -> html.Li:
    return html.Li([html.Strong(rule.title), html.Ul([html.Li(line) for line in rule.lines])])


def _rules(page: MePage) -> html.Section:
    return html.Section(
        className="me-panel me-rules",
        children=[
            html.H2("How the game works"),
            html.Details([html.Summary("Points"), html.Ul([_rule(r) for r in page.points_rules])]),
            html.Details([html.Summary("Levels"), html.Ul([html.Li(line) for line in page.level_rules])]),
            html.Details([html.Summary("Badges"), html.Ul([_rule(r) for r in page.badge_rules])]),
        ],
    )


def content(page: MePage) -> list[html.Section]:
    """Every section of the page, in reading order."""
    return [
        html.Div([_points(page), _level(page)], className="me-row"),
        _ranks(page),
        challenges_section(page.challenges),
        _badges(page),
        _rules(page),
    ]


def toast(names: list[str]) -> html.Div | None:
    """A small note about badges earned since the last visit (fades by itself; nothing to dismiss)."""
    if not names:
        return None
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return html.Div(f"New since your last visit: {shown}", className="me-toast-note")
