"""Every Redis key name of one deployment, in one place.

All keys of a namespace start with ``wb:{<namespace>}:``; ``{namespace}`` is the Redis Cluster hash tag,
so every key of a deployment (and so every upsert script) stays in one slot.

| key | type | holds |
|---|---|---|
| ``recs:<source>:<n>`` | hash | records by id (``n``: `record_bucket`), a compact value each (record_codec) |
| ``deps:<source>:<id>`` | set | refs (``<bucket>\t<id>``) of the records whose points link to this one |
| ``names`` | hash | texts in stored records (metric lines, agents, teams, types…) → short id and back |
| ``retention:swept`` | string | the first day kept by the last retention sweep |
| ``agents`` | hash | agent id → latest seen, name and team |
| ``version`` | string | the data version: grows whenever a figure changes |
| ``versions`` | hash | part → version: a metric, ``<metric>@past``, ``~agents``, ``~choices``, ``~awards`` |
| ``cache:<key>`` | string | the web app's shared cache (flask-caching), each entry with a TTL |
| ``compute:<name>`` | string | held (SET NX, a short TTL) by the worker computing a cached entry |
| ``b:<metric>:<bucket>:<scope>:<counter>`` | sorted set | counter n, s, p, d; r ranks means, NPS |
| ``b:~tally:<day>`` | hash | points per rule part and team: ``<team>\t<type>|<part>\tn`` / ``…\ts`` |
| ``celebrations`` | stream | the celebration feed that kiosks read |
| ``choices`` | hash | agent id → their own choices (hidden from TVs, badge celebrations) |
| ``links`` | hash | agent id → generation of their personal sign-in links (a bump revokes older links) |
| ``visits`` | hash | agent id → when they last opened ``/me`` (for the new-award toast) |
| ``sync:<connector>:cursor`` / ``lock`` / ``health`` | string / string / hash | a connector's sync state |
| ``sync:names`` | set | connectors that ever reported |
| ``awards:<scope>:<member>`` | hash | an agent's or team's awards: ``<badge>|<occurrence>`` → award JSON |
| ``awards:holders:<badge>:<occurrence>`` | set | who holds one award (``<scope>\t<member>``) |
| ``awards:subjects`` | set | every holder of any award (``<scope>\t<member>``) |
| ``awards:recent`` | sorted set | the newest awards (``<scope>\t<member>\t<key>`` by time found), capped |
| ``awards:enabled`` | hash | badge id → when it was first evaluated (awards found then are retroactive) |
| ``awards:changed`` | set | agents whose figures changed since the last awarding round |
| ``awards:swept`` | string | when the last full awarding sweep ran (ISO time) |
| ``awards:lock`` | string | held by the process running an awarding round (expires by itself) |
| ``challenge:result:<instance>`` | string | a challenge instance's fixed result (JSON), set once (SET NX) |
| ``challenge:reached:<instance>`` | string | when a collaborative instance reached its target, set once |
| ``challenge:lead:<instance>`` | string | the instance's leaders and last lead-change celebration (JSON) |
| ``history:loading`` | string | present while a history backfill runs (the demo's), expires by itself |

The board counter suffixes and the rule tallies' ``~tally:<day>`` are also written by ``upsert.lua``
(from the board prefix given here; ``~`` keeps them apart from every metric's boards).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Literal

BoardCounter = Literal["n", "s", "p", "d", "r"]
"""Count, sum, promoters, detractors — and ``r``, the score a mean or NPS board is ranked by (counts and
sums are ranked by ``n`` and ``s`` themselves)."""
SyncPart = Literal["cursor", "lock", "health"]
RECORD_BUCKETS = 4096
"""Record buckets per source: about 120 records each at half a million records of a source (small hashes
stay listpacks, see docs/production.md)."""


def record_bucket(record_id: str) -> int:
    """The bucket of a record: from its id alone, so a correction that moves it to another day finds it."""
    return zlib.crc32(record_id.encode()) % RECORD_BUCKETS


def key_prefix(namespace: str) -> str:
    """The start of every key of a namespace; ``{namespace}`` is the Redis Cluster hash tag."""
    return f"wb:{{{namespace}}}:"


@dataclass(frozen=True)
class Keys:
    """The key names of one namespace."""

    namespace: str = "main"

    @property
    def prefix(self) -> str:
        return key_prefix(self.namespace)

    def record(self, source: str, record_id: str) -> str:
        """The bucket hash that holds the record (its field is the record's id)."""
        return f"{self.record_prefix}{source}:{record_bucket(record_id)}"

    def record_ref(self, source: str, record_id: str) -> str:
        """How ``upsert.lua`` names a record: its bucket key and its id."""
        return f"{self.record(source, record_id)}\t{record_id}"

    @property
    def record_prefix(self) -> str:
        """What every record bucket key starts with (``upsert.lua`` derives dependents keys from it)."""
        return f"{self.prefix}recs:"

    @property
    def names(self) -> str:
        """Short ids of the metric lines of stored contributions (written by ``upsert.lua``)."""
        return f"{self.prefix}names"

    @property
    def retention_swept(self) -> str:
        """The first day kept by the last retention sweep (day figures before it are deleted)."""
        return f"{self.prefix}retention:swept"

    @property
    def retention_sweeping(self) -> str:
        """Held (with an expiry) by the one process running the daily retention sweep."""
        return f"{self.prefix}retention:sweeping"

    @property
    def legacy_record_prefix(self) -> str:
        """Records of releases before the compact layout: one hash each (``wallboard migrate`` moves them)."""
        return f"{self.prefix}rec:"

    def dependents(self, source: str, record_id: str) -> str:
        return f"{self.dependents_prefix}{source}:{record_id}"

    @property
    def dependents_prefix(self) -> str:
        return f"{self.prefix}deps:"

    @property
    def agents(self) -> str:
        return f"{self.prefix}agents"

    @property
    def data_version(self) -> str:
        return f"{self.prefix}version"

    @property
    def versions(self) -> str:
        """Per-part data versions (``upsert.lua`` bumps a metric's field when its boards change, and
        ``<metric>@past`` when the change is of a day before the writer's office-local today)."""
        return f"{self.prefix}versions"

    @property
    def cache_prefix(self) -> str:
        """The key prefix of the web app's shared cache (flask-caching adds its own key after it)."""
        return f"{self.prefix}cache:"

    def compute_lock(self, name: str) -> str:
        return f"{self.prefix}compute:{name}"

    @property
    def board_prefix(self) -> str:
        """What ``upsert.lua`` puts before ``<metric>:<bucket>:<scope>:<counter>``."""
        return f"{self.prefix}b:"

    def board(self, metric: str, bucket: str, scope: str, counter: BoardCounter) -> str:
        return f"{self.board_prefix}{metric}:{bucket}:{scope}:{counter}"

    def rule_tally(self, day: str) -> str:
        """A day's points by rule part and team (written by ``upsert.lua``: keep the two in step)."""
        return f"{self.board_prefix}~tally:{day}"

    @property
    def agent_choices(self) -> str:
        return f"{self.prefix}choices"

    @property
    def agent_links(self) -> str:
        return f"{self.prefix}links"

    @property
    def agent_visits(self) -> str:
        return f"{self.prefix}visits"

    @property
    def celebrations(self) -> str:
        return f"{self.prefix}celebrations"

    def sync(self, connector: str, part: SyncPart) -> str:
        return f"{self.prefix}sync:{connector}:{part}"

    @property
    def sync_names(self) -> str:
        return f"{self.prefix}sync:names"

    def awards(self, scope: str, member: str) -> str:
        return f"{self.prefix}awards:{scope}:{member}"

    def award_holders(self, badge: str, occurrence: str) -> str:
        return f"{self.prefix}awards:holders:{badge}:{occurrence}"

    @property
    def award_subjects(self) -> str:
        return f"{self.prefix}awards:subjects"

    @property
    def recent_awards(self) -> str:
        return f"{self.prefix}awards:recent"

    @property
    def enabled_badges(self) -> str:
        return f"{self.prefix}awards:enabled"

    @property
    def changed_agents(self) -> str:
        return f"{self.prefix}awards:changed"

    @property
    def award_sweep(self) -> str:
        return f"{self.prefix}awards:swept"

    @property
    def award_lock(self) -> str:
        return f"{self.prefix}awards:lock"

    def challenge_result(self, instance_id: str) -> str:
        return f"{self.prefix}challenge:result:{instance_id}"

    def challenge_reached(self, instance_id: str) -> str:
        return f"{self.prefix}challenge:reached:{instance_id}"

    def challenge_lead(self, instance_id: str) -> str:
        return f"{self.prefix}challenge:lead:{instance_id}"

    @property
    def history_loading(self) -> str:
        return f"{self.prefix}history:loading"
