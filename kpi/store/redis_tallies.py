"""`RedisStore.rule_tallies`: the points each rule part gave each team, as ``upsert.lua`` keeps them."""

from __future__ import annotations

from collections.abc import Sequence

import redis

from kpi.model.contributions import Figures
from kpi.store.keys import Keys


def read_tallies(client: redis.Redis, keys: Keys, days: Sequence[str]) -> dict[tuple[str, str], Figures]:
    """(team, ``type|part``) → events and points summed over `days`, one HGETALL per day in one pipeline."""
    pipe = client.pipeline(transaction=False)
    for day in days:
        pipe.hgetall(keys.rule_tally(day))
    summed: dict[tuple[str, str], Figures] = {}
    for fields in pipe.execute() if days else []:
        for field, value in fields.items():
            team, part, counter = field.rsplit("\t", 2)
            found = Figures(count=int(value)) if counter == "n" else Figures(total=int(value))
            summed[(team, part)] = summed.get((team, part), Figures()) + found
    return summed
