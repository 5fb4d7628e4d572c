"""The "My challenges" section of `/me`: the challenges an agent is in, with their own position only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kpi.config import Config
from kpi.read.challenge_views import MyChallenge, my_challenges
from kpi.read.formatting import challenge_score_text, value_text
from kpi.store.base import Store

_STATUS = {"active": "Running", "settling": "Ended · result being checked", "final": "Ended · final"}


@dataclass(frozen=True)
class ChallengeLine:
    """One challenge as `/me` shows it: no one's name but the agent's own team in a team race."""

    title: str
    status_text: str
    place_text: str
    score_text: str
    prize: str
    progress_text: str
    progress_ratio: float | None


def challenge_line(config: Config, mine: MyChallenge) -> ChallengeLine:
    """An agent's own place in one challenge (their team's, in a team race)."""
    instance, entry = mine.state.instance, mine.entry
    metric = config.metric(instance.challenge.metric)
    status = _STATUS.get(mine.state.status, mine.state.status)
    if mine.state.status == "active":
        status += f" · ends {instance.last.strftime('%-d %b')}"
    if entry is None or entry.rank == 0:
        place = "Not placed yet"
    else:
        place = f"#{entry.rank} of {mine.placed}"
    who = "My team" if entry is not None and entry.members is not None else "Me"
    score = ""
    if entry is not None and entry.score is not None:
        score = f"{who}: {challenge_score_text(entry.score, _unit(mine, metric.aggregation), metric)}"
    progress = mine.progress
    progress_text = ""
    if progress is not None:
        done, target = (value_text(v, metric) for v in (progress.value, progress.target))
        progress_text = f"Together: {done} of {target}"
    ratio = progress.fraction if progress is not None else None
    return ChallengeLine(
        instance.challenge.title, status, place, score, instance.challenge.prize, progress_text, ratio
    )


def _unit(mine: MyChallenge, aggregation: str) -> str:
    """How the challenge's score reads (as `kpi.game.challenge_scoring` computes it)."""
    if mine.state.instance.challenge.kind in ("personal_best", "fair_race"):
        return "percent"
    return "points" if aggregation == "nps" else "value"


def challenge_lines(store: Store, config: Config, agent_id: str, now: datetime) -> list[ChallengeLine]:
    """Every challenge the agent is in (never a test), with their own position."""
    return [challenge_line(config, mine) for mine in my_challenges(store, config, agent_id, now)]
