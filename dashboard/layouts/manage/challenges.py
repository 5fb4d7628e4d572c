"""The challenges tab of ``/manage``: a card per challenge with its standings, grouped by status."""

from __future__ import annotations

from dash import html

from dashboard.services.manage.challenges import ChallengeCard, ChallengesPage
from kpi.model.challenge_results import Entry
from kpi.read.formatting import challenge_score_text, value_text

_STATUS = {
    "active": "running",
    "upcoming": "upcoming",
    "settling": "ended, result not fixed yet",
    "final": "final",
}


def challenges_tab(page: ChallengesPage) -> list[html.Component]:
    """Three groups: running, upcoming, ended."""
    groups = [("Running", page.active), ("Upcoming", page.upcoming), ("Ended", page.ended)]
    children: list[html.Component] = []
    for heading, cards in groups:
        children.append(html.H3(f"{heading} ({len(cards)})"))
        children.extend(_card(c) for c in cards)
        if not cards:
            children.append(html.P("None.", className="mg-empty"))
    return children


def _card(card: ChallengeCard) -> html.Div:
    instance, challenge = card.state.instance, card.state.instance.challenge
    facts = [
        challenge.kind.replace("_", " "),
        card.metric.label or card.metric.name,
        f"{instance.first.isoformat()} – {instance.last.isoformat()}",
        _STATUS[card.state.status],
    ]
    if challenge.prize:
        facts.append(f"prize: {challenge.prize}")
    progress = card.standings.progress
    if progress is not None:
        facts.append(
            f"{value_text(progress.value, card.metric)} of {value_text(progress.target, card.metric)}"
        )
    winners = ", ".join(w.name for w in card.winners)
    return html.Div(
        className="mg-challenge" + (" is-test" if card.test else ""),
        id=f"manage-challenge-{instance.id.replace(':', '-')}",
        children=[
            html.H4([challenge.title, html.Span(" test", className="mg-test-mark") if card.test else None]),
            html.P(" · ".join(facts), className="mg-hint"),
            html.P(f"Winners: {winners}") if winners else None,
            _table(card) if card.standings.entries else html.P("No standings yet.", className="mg-empty"),
        ],
    )


def _table(card: ChallengeCard) -> html.Table:
    head = html.Tr(
        [html.Th("#"), html.Th("Name"), html.Th("Team"), html.Th("Score"), html.Th("Figure"), html.Th("Note")]
    )
    return html.Table(
        [html.Thead(head), html.Tbody([_row(card, e) for e in card.standings.entries])],
        className="mg-rules-table",
    )


def _row(card: ChallengeCard, entry: Entry) -> html.Tr:
    return html.Tr(
        [
            html.Td(str(entry.rank) if entry.rank else "–", className="mg-num"),
            html.Td(entry.name),
            html.Td(entry.team or ""),
            html.Td(
                challenge_score_text(entry.score, card.standings.score_unit, card.metric), className="mg-num"
            ),
            html.Td(value_text(entry.value, card.metric), className="mg-num"),
            html.Td(entry.note, className="mg-hint"),
        ]
    )
