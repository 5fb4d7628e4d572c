"""How an agent's badges read on `/me`: earned with date and count, or progress such as "37 of 50"."""

from __future__ import annotations

from dataclasses import dataclass

from kpi.config import Config
from kpi.read.achievements import BadgeProgress
from kpi.read.formatting import number_text, value_text

BADGE_ICONS = "/assets/badges/"


@dataclass(frozen=True)
class BadgeCard:
    """One badge as the page shows it."""

    id: str
    name: str
    criterion: str
    group: str
    icon_url: str
    team: bool
    earned: bool
    earned_text: str
    """``Earned 24 Nov 2026`` (``· 3 times`` when repeated); empty when not earned."""
    progress_text: str
    """``37 of 50``; empty when the badge has no measure."""
    ratio: float | None
    """How full the progress bar is (0–1); None for no bar."""


def _number(value: float) -> str:
    return number_text(value, 0 if float(value).is_integer() else 1, compact=False)


def _progress(config: Config, badge: BadgeProgress) -> tuple[str, float | None]:
    """The progress line and bar of one badge, worded for its kind."""
    spec = config.achievements.get(badge.id)
    done, goal = badge.progress, badge.target
    if spec is None or spec.kind == "save":
        return "", None
    if spec.kind == "champion":
        return (f"Rank {int(done)} right now" if done else "Not ranked yet this period"), None
    if done is None or goal is None:
        return "Not enough history yet", None
    ratio = max(0.0, min(1.0, done / goal)) if goal else None
    if spec.kind == "streak":
        return f"{_number(done)} of {_number(goal)} working days in a row", ratio
    if spec.kind == "every_channel":
        return f"{_number(done)} of {_number(goal)} channels", ratio
    if spec.kind == "team_goal":
        return f"{_number(done)} of {_number(goal)} team goals met", ratio
    metric = config.metric(spec.metrics[0])
    if spec.kind == "personal_best":
        return f"{value_text(done, metric)} now · best {value_text(goal, metric)}", ratio
    if goal != getattr(spec, "target", goal):
        return f"{_number(done)} of {_number(goal)} needed before it counts", ratio
    if metric.lower_is_better:
        ratio = None
    return f"{value_text(done, metric)} of {value_text(goal, metric)}", ratio


def badge_card(config: Config, badge: BadgeProgress) -> BadgeCard:
    """The card of one badge for its agent."""
    earned_text = ""
    if badge.earned_at is not None:
        earned_text = f"Earned {badge.earned_at.day} {badge.earned_at:%b %Y}"
        if badge.times > 1:
            earned_text += f" · {badge.times} times"
    progress_text, ratio = _progress(config, badge)
    return BadgeCard(
        badge.id,
        badge.name,
        badge.criterion,
        badge.group,
        BADGE_ICONS + badge.icon,
        badge.team,
        badge.earned_at is not None,
        earned_text,
        progress_text,
        ratio,
    )
