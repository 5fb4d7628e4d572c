"""A rescore's contribution cache gives exactly what `contribution_of` gives, event by event."""

from __future__ import annotations

import pytest

from kpi.model.contributions import ContributionCache, contribution_of
from tests.game.points_helpers import ev, make_config, rating

CONFIG = make_config()
URGENT_FCR = {"priority": "urgent", "first_contact_resolution": True}
EVENTS = [
    ev("t1", attributes=URGENT_FCR),
    ev("t2", agent_id="bo", team="South", attributes=URGENT_FCR),
    ev("t3", attributes={"priority": "low", "created_at": "2026-11-01T09:00:00+01:00"}),
    ev("t4", attributes={"priority": "low", "created_at": "2026-11-20T09:00:00+01:00"}),
    ev("t5", occurred_at="2026-10-02T10:00:00+02:00", attributes={"priority": "low", "reopened": True}),
    ev("t6", attributes={"priority": "low", "reopened": True, "sla_breached": True}),
    ev("t7", team=None, attributes={"priority": "high", "channel": "phone"}),
    rating("r1", "t1", 5),
    rating("r2", "t2", 5),
    ev("d1", "deal_won", value=15000),
    ev("d2", "deal_won", value=15000, occurred_at="2026-09-01T10:00:00+02:00"),
    ev("d3", "deal_won", value=500),
    ev("n1", "nps_response", value=9),
    ev("x1", "ticket_solved", deleted=True),
]


def test_cached_contributions_equal_contribution_of_and_encode_the_same() -> None:
    cache = ContributionCache(CONFIG)
    for _ in range(2):
        for event in EVENTS:
            cached, computed = cache.of(event, event.team), contribution_of(event, CONFIG, event.team)
            assert cached == computed
            assert (cached.encode() if cached else None) == (computed.encode() if computed else None)


def test_events_of_one_signature_share_their_metric_lines_but_not_their_head() -> None:
    cache = ContributionCache(CONFIG)
    first, second = (cache.of(event, event.team) for event in EVENTS[:2])
    assert first and second
    assert (first.parts, first.tallies) == (second.parts, second.tallies)
    assert (first.agent, first.team) != (second.agent, second.team)


def test_ratings_of_one_signature_are_scored_once_and_each_links_to_its_own_ticket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache, scored = ContributionCache(CONFIG), []
    scorer = CONFIG.points_scorer
    assert scorer is not None
    score = scorer.score
    monkeypatch.setattr(scorer, "score", lambda event: scored.append(event.id) or score(event))
    found = [cache.of(event, event.team) for event in (rating("r1", "t1", 5), rating("r2", "t2", 5))]
    assert ([c.link.target if c and c.link else None for c in found], scored) == (["t1", "t2"], ["r1"])
