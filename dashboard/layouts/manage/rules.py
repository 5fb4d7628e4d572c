"""The rules tab of ``/manage``: points rules with their effect by team, the badges, other settings."""

from __future__ import annotations

from dash import html

from dashboard.services.manage.rules import WINDOW_DAYS, RulesPage


def rules_tab(page: RulesPage) -> list[html.Component]:
    """Three blocks: points rules (a row per part, a column per team), badges, settings."""
    head = html.Tr([html.Th("Event"), html.Th("Rule"), *(html.Th(t) for t in page.teams), html.Th("Total")])
    body = [
        html.Tr(
            className="mg-rule-row",
            children=[
                html.Td(row.event_type.replace("_", " ")),
                html.Td(row.words),
                *(html.Td(_points(row.by_team.get(team)), className="mg-num") for team in page.teams),
                html.Td(_points(row.total), className="mg-num"),
            ],
        )
        for row in page.rules
    ]
    badges = [
        html.Li(
            [
                html.B(badge.name),
                html.Span(" test", className="mg-test-mark") if badge.test else None,
                f" — {badge.criterion} ",
                html.Span(
                    f"({badge.group}{', celebrated on TVs' if badge.celebrate else ''})", className="mg-hint"
                ),
            ],
            className="mg-badge-rule",
        )
        for badge in page.badges
    ]
    return [
        html.H3("Points rules"),
        html.P(f"Points each rule gave each team in the last {WINDOW_DAYS} days.", className="mg-hint"),
        html.Table([html.Thead(head), html.Tbody(body)], className="mg-rules-table", id="manage-rules-table")
        if page.rules
        else html.P("Points are off (points: {rules: {}}).", className="mg-empty"),
        html.H3("Achievements"),
        html.Ul(badges, className="mg-badge-rules")
        if badges
        else html.P("Achievements are off.", className="mg-empty"),
        html.H3("Settings"),
        html.Ul([html.Li(line) for line in page.settings]),
    ]


def _points(value: float | None) -> str:
    return "–" if not value else f"{value:+,.0f}"
