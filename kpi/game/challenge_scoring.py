"""How each kind of challenge scores and places its participants, from figures already read (pure rules).

Ties share a place as on every leaderboard (1, 1, 3); participants who take no place (below the minimum
volume, without a target or baseline) follow with rank 0. Improvements and percents are rounded to four
decimals before comparing, so that float noise never splits a tie.

Personal best, defined for every metric:

* running totals (counts, sums) compare the window's figure with the baseline *to date*: the agent's
  total over the previous weeks scaled to the window's working time elapsed so far (`scale`);
* levels (means) compare with the agent's own level over the previous weeks;
* improvement is a percent of the baseline, positive when better: ``(value - base) / base`` when higher is
  better, ``(base - value) / base`` when lower is better (handle time 300 s → 270 s is +10 %);
* NPS improves in points (``value - base``), since a percent of a score around 0 means nothing;
* a participant without a usable baseline (fewer events than the minimum volume, or a zero) is measured
  against the median baseline of the others (``note: "floor baseline"``), so a newcomer can win too.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from kpi.game.challenges import LeadChangeRule, Person, Targets, TeamScore
from kpi.model.challenge_results import Entry, LeadRecord, ScoreUnit, Standings
from kpi.model.columns import Columns
from kpi.model.contributions import Figures
from kpi.model.metrics import Metric

DECIMALS = 4


@dataclass(frozen=True)
class Candidate:
    """An agent who takes part, with their figures over the window."""

    id: str
    name: str
    team: str | None
    figures: Figures


def ranked(entries: Sequence[Entry], ascending: bool = False) -> tuple[Entry, ...]:
    """`entries` with places: those with rank -1 are placed by score (ties share), the rest get rank 0."""
    placeable = [e for e in entries if e.rank < 0 and e.score is not None]
    chosen = {id(e) for e in placeable}
    sign = 1 if ascending else -1
    placeable.sort(key=lambda e: (sign * round(e.score or 0.0, DECIMALS), e.name, e.id))
    placed: list[Entry] = []
    for index, entry in enumerate(placeable):
        same = placed and round(placed[-1].score or 0.0, DECIMALS) == round(entry.score or 0.0, DECIMALS)
        placed.append(with_rank(entry, placed[-1].rank if same else index + 1))
    rest = sorted((with_rank(e, 0) for e in entries if id(e) not in chosen), key=lambda e: (e.name, e.id))
    return (*placed, *rest)


def with_rank(e: Entry, rank: int) -> Entry:
    """`e` at another place (cheaper than `dataclasses.replace` over thousands of entries)."""
    return Entry(
        rank, e.id, e.name, e.team, e.score, e.value, e.count, e.baseline, e.target, e.members, e.note
    )


def _entry(candidate: Candidate, metric: Metric, min_volume: int, **extra: object) -> Entry:
    value = candidate.figures.value(metric.aggregation)
    enough = candidate.figures.count >= min_volume
    fields: dict[str, object] = {"score": value, "note": "" if enough else "below minimum volume", **extra}
    return Entry(
        -1 if enough else 0,
        candidate.id,
        candidate.name,
        candidate.team,
        value=value,
        count=candidate.figures.count,
        **fields,
    )  # type: ignore[arg-type]


def race(metric: Metric, candidates: Sequence[Candidate], min_volume: int) -> Standings:
    """Participants by the metric's figure (ascending when lower is better)."""
    entries = [_entry(c, metric, min_volume) for c in candidates]
    return Standings("agent", "value", ranked(entries, metric.lower_is_better))


def team_race(
    metric: Metric, candidates: Sequence[Candidate], teams: Sequence[str], mode: TeamScore, min_volume: int
) -> Standings:
    """Teams by their combined figure (`total`) or per agent (`average`), so size alone does not win.

    Average: a running total divided by the team's agents with events; a level (mean, NPS) is the mean of
    those agents' own levels. `min_volume` applies to the team's events.
    """
    entries: list[Entry] = []
    for team in dict.fromkeys(teams):
        members = [c for c in candidates if c.team == team and c.figures.count > 0]
        combined = sum((c.figures for c in members), Figures())
        total = combined.value(metric.aggregation)
        if not members or total is None:
            entries.append(Entry(0, team, team, team, None, None, 0, members=0, note="no data"))
            continue
        if mode == "total":
            score = total
        elif metric.cumulative:
            score = total / len(members)
        else:
            score = statistics.fmean(c.figures.value(metric.aggregation) or 0.0 for c in members)
        enough = combined.count >= min_volume
        entries.append(
            Entry(
                -1 if enough else 0,
                team,
                team,
                team,
                round(score, DECIMALS),
                total,
                combined.count,
                members=len(members),
                note="" if enough else "below minimum volume",
            )
        )
    return Standings("team", "value", ranked(entries, metric.lower_is_better))


def contributions(metric: Metric, candidates: Sequence[Candidate], min_volume: int) -> tuple[Entry, ...]:
    """A collaborative challenge's contributors, biggest contribution first."""
    return race(metric, candidates, min_volume).entries


def improvement(metric: Metric, value: float, base: float) -> float:
    """How much better `value` is than `base`: percent (or NPS points), positive when better."""
    if metric.aggregation == "nps":
        return value - base
    change = (base - value) if metric.lower_is_better else (value - base)
    return change / abs(base) * 100


def personal_best(
    metric: Metric,
    candidates: Sequence[Candidate],
    baselines: Mapping[str, Figures],
    scale: float,
    min_volume: int,
) -> Standings:
    """Participants by improvement on their own baseline (see the module's rules); `scale` applies to
    running totals: the window's working time so far over the baseline's working time."""
    usable = usable_baselines(metric, candidates, baselines, scale, min_volume)
    floor = statistics.median(usable.values()) if usable else None
    unit: ScoreUnit = "points" if metric.aggregation == "nps" else "percent"
    return Standings("agent", unit, ranked(improvements(metric, candidates, usable, floor, min_volume)))


def usable_baselines(
    metric: Metric,
    candidates: Sequence[Candidate],
    baselines: Mapping[str, Figures],
    scale: float,
    min_volume: int,
) -> dict[str, float]:
    """Each candidate's own baseline where it is usable (enough events, not zero), scaled when cumulative."""
    levels = baseline_levels(metric, Columns.of(baselines), min_volume)
    return scaled_baselines(metric, (c.id for c in candidates), levels, scale)


def baseline_levels(metric: Metric, baselines: Columns, min_volume: int) -> dict[str, float]:
    """Each agent's figure over the baseline weeks, where they have enough events for one."""
    counts = baselines.count
    return {m: v for m, v in baselines.values(metric.aggregation).items() if counts[m] >= min_volume}


def scaled_baselines(
    metric: Metric, members: Iterable[str], levels: Mapping[str, float], scale: float
) -> dict[str, float]:
    """The usable baselines of `members`: their level (`baseline_levels`) scaled when cumulative, not 0."""
    usable: dict[str, float] = {}
    cumulative, nps = metric.cumulative, metric.aggregation == "nps"
    for member in members:
        base = levels.get(member)
        if base is None:
            continue
        base = base * scale if cumulative else base
        if nps or base > 0:
            usable[member] = base
    return usable


def improvement_score(metric: Metric, value: float | None, base: float | None) -> float | None:
    """The score a personal best ranks by, None without a baseline or a figure."""
    if base is None or value is None or (base == 0 and metric.aggregation != "nps"):
        return None
    return round(improvement(metric, value, base), DECIMALS)


def improvements(
    metric: Metric,
    candidates: Sequence[Candidate],
    usable: Mapping[str, float],
    floor: float | None,
    min_volume: int,
) -> list[Entry]:
    """Personal-best entries (not placed yet) against the usable baselines, else the `floor` one."""
    entries: list[Entry] = []
    for candidate in candidates:
        base, note = usable.get(candidate.id), ""
        if base is None:
            base, note = floor, "floor baseline"
        entry = _entry(candidate, metric, min_volume)
        score = improvement_score(metric, entry.value, base)
        if score is None or base is None:
            entries.append(replace(entry, rank=0, score=None, note="no baseline"))
            continue
        entries.append(replace(entry, score=score, baseline=round(base, DECIMALS), note=entry.note or note))
    return entries


def fair_target(target: float, person: Person | None, share: float) -> float:
    """An agent's own target: the full-time target × their fte × the share of the window they work."""
    fte = person.fte if person is not None else 1.0
    return target * fte * share


def fair_race(
    metric: Metric,
    candidates: Sequence[Candidate],
    targets: Targets,
    people: Mapping[str, Person],
    shares: Mapping[str, float],
    min_volume: int,
) -> Standings:
    """Participants by percent of their own target (`shares`: the part of the window each agent is in it,
    1 unless they joined during it)."""
    entries: list[Entry] = []
    for candidate in candidates:
        person = people.get(candidate.id)
        full = targets.of(candidate.id, person.role if person else None)
        entry = _entry(candidate, metric, min_volume)
        share = shares.get(candidate.id, 1.0)
        if full is None or share <= 0:
            entries.append(replace(entry, rank=0, score=None, note="no target"))
            continue
        own = fair_target(full, person, share)
        score = round((entry.value or 0.0) / own * 100, DECIMALS)
        entries.append(replace(entry, score=score, target=round(own, DECIMALS)))
    return Standings("agent", "percent", ranked(entries))


def lead_change(
    record: LeadRecord | None, standings: Standings, now: datetime, ends_at: datetime, rule: LeadChangeRule
) -> tuple[LeadRecord, Entry | None]:
    """The record to keep, and the new leader to celebrate when the lead changed in the last minutes.

    A change is someone leading (alone or tied) who did not lead at the previous look; it is celebrated
    only within `rule.last_minutes` of the end and at most once per `rule.every_minutes`. The record
    always takes the current leaders, so a change held back by the rate limit is not celebrated later.
    """
    leaders = standings.leaders()
    previous = record or LeadRecord()
    kept = LeadRecord(leaders, previous.celebrated_at)
    new = [member for member in leaders if member not in previous.leaders]
    in_window = ends_at - timedelta(minutes=rule.last_minutes) <= now < ends_at
    rested = previous.celebrated_at is None or now - previous.celebrated_at >= timedelta(
        minutes=rule.every_minutes
    )
    if not (rule.enabled and record is not None and previous.leaders and new and in_window and rested):
        return kept, None
    return LeadRecord(leaders, now), standings.entry(new[0])
