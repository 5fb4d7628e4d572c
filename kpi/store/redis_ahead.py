"""`RedisStore.ahead_of`: how many members are ahead of a score, counted inside Redis.

Without filters a ZCOUNT per score on the board's ranking set; with a minimum volume, excluded members or
a team, the read-only script ``ahead.lua`` walks only the members ahead and counts those that take a place.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from importlib import resources

import redis

from kpi.model.contributions import SCALE, Scope
from kpi.model.metrics import Aggregation
from kpi.store.keys import BoardCounter, Keys

RANKED_BY: dict[str, tuple[BoardCounter, int]] = {
    "count": ("n", 1),
    "sum": ("s", SCALE),
    "mean": ("r", 1),
    "nps": ("r", 1),
}
"""The sorted set a board is ordered by, and what its scores are divided by: counts and sums are ranked
by their own counter (no separate ranking set to write), means and NPS by ``r``."""


class AheadReader:
    """Counts members ahead of scores on the boards of one namespace."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.client, self.keys = client, keys
        self._script = client.register_script(resources.files("kpi.store").joinpath("ahead.lua").read_text())

    def ahead_of(
        self,
        metric: str,
        bucket: str,
        scope: Scope,
        scores: Sequence[float],
        *,
        aggregation: Aggregation,
        lower_is_better: bool,
        min_volume: int = 0,
        exclude: Collection[str] = (),
        team: str | None = None,
    ) -> list[int]:
        if not scores:
            return []
        counter, scale = RANKED_BY[aggregation]
        board = self.keys.board(metric, bucket, scope, counter)
        exact = [_in_set_units(score, scale) for score in scores]
        if min_volume <= 1 and not exclude and team is None:
            pipe = self.client.pipeline(transaction=False)
            for score in exact:
                low, high = ("-inf", f"({score}") if lower_is_better else (f"({score}", "+inf")
                pipe.zcount(board, low, high)
            return [int(n) for n in pipe.execute()]
        found = self._script(
            keys=[board, self.keys.board(metric, bucket, scope, "n"), self.keys.agents],
            args=[
                "asc" if lower_is_better else "desc",
                min_volume,
                team or "",
                len(exact),
                *exact,
                *sorted(exclude),
            ],
        )
        return [int(n) for n in found]


def _in_set_units(score: float, scale: int) -> str:
    """The score as the sorted set holds it, written exactly (sums are integers of 1/SCALE)."""
    return str(round(score * scale)) if scale != 1 else repr(float(score))
