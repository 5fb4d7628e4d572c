"""The load bench's figures from what the generator recorded, and whether each of issue #13's goals is met."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bench._load_run import Plan, Record
from bench._load_tv import Exchange

GOAL_P95_MS = 100.0
GOAL_ON_TIME = 0.99
GOAL_BYTES_PER_TV_HOUR = 1_000_000
GOAL_VISIBLE_P95_S = 3.0
GOAL_CPU_MS_PER_POLL = 1.0


@dataclass(frozen=True)
class Cpu:
    """CPU seconds spent in the measured window."""

    app: float
    redis: float
    generator: float


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile of `samples` (0 for none)."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def _spread(samples: list[float], scale: float, unit: str) -> str:
    cells = [f"p{int(q * 100)} {percentile(samples, q) * scale:,.1f}" for q in (0.5, 0.95, 0.99)]
    return f"{'  '.join(cells)}  max {max(samples, default=0) * scale:,.1f} {unit}"


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def visible_latencies(record: Record) -> tuple[list[float], int]:
    """Seconds from each marked push's answer to the first answer carrying it of each TV that shows the
    marker's view then and still two poll intervals later; and such pairs that never got it.

    A TV is sent only the views on screen or next (docs/kiosk.md, "On the wire"): a push made while the
    marker's view is off screen reaches that TV before the view comes up, which is rotation, not latency,
    so those pairs are not counted. TVs poll on a little after the window (bench/_load_run.py), so pushes
    near its end count too.
    """
    latencies: list[float] = []
    missing = 0
    for marked, _due, exchange in record.pushes:
        if marked is None or not exchange.ok:
            continue
        seen = record.visible.get(marked, {})
        for number, tv in enumerate(record.tvs):
            if not tv.shows_marker(exchange.answered, exchange.answered + 2 * record.interval):
                continue
            if number in seen:
                latencies.append(max(0.0, seen[number] - exchange.answered))
            else:
                missing += 1
    return latencies, missing


@dataclass(frozen=True)
class Figures:
    """What the report prints, worked out once."""

    due: int
    served: list[Exchange]
    on_time: int
    failed: Counter[str]
    """The TVs' failed polls and page loads, by outcome."""
    others_failed: int
    """Failed pushes and manager callbacks."""
    lag: list[float]
    wire_per_hour: float
    plain_per_hour: float
    up_per_hour: float
    """The requests' part of `wire_per_hour`."""
    cpu_ms: float
    visible: list[float]
    missing: int

    @property
    def p95_ms(self) -> float:
        return percentile([e.seconds for e in self.served], 0.95) * 1000

    @property
    def visible_p95(self) -> float:
        return percentile(self.visible, 0.95) if self.visible else float("inf")


def figures(plan: Plan, record: Record, cpu: Cpu) -> Figures:
    """The window's figures from what the generator recorded and the CPU it read."""
    hours = plan.tvs * plan.seconds / 3600 or 1.0
    traffic = [e for _, e in record.polls] + record.loads[plan.tvs :]
    served = [e for _, e in record.polls if e.ok]
    visible, missing = visible_latencies(record)
    return Figures(
        due=len(record.polls) + record.skipped,
        served=served,
        on_time=sum(1 for d, e in record.polls if e.ok and e.answered <= d + record.grace),
        failed=Counter(e.outcome for e in [*(e for _, e in record.polls), *record.loads] if not e.ok),
        others_failed=sum(not e.ok for e in [*(e for _, _, e in record.pushes), *record.clicks]),
        lag=[e.sent - d for d, e in record.polls],
        wire_per_hour=sum(e.wire_bytes for e in traffic) / hours,
        plain_per_hour=sum(e.plain_bytes for e in traffic) / hours,
        up_per_hour=sum(e.request_bytes for e in traffic) / hours,
        cpu_ms=(cpu.app + cpu.redis) * 1000 / max(1.0, plan.tvs * plan.seconds / record.interval),
        visible=visible,
        missing=missing,
    )


def report(plan: Plan, record: Record, cpu: Cpu) -> list[str]:
    """The printed report, line by line."""
    f = figures(plan, record, cpu)
    errors = sum(f.failed.values())
    pushes = [e for _, _, e in record.pushes]
    streams = plan.transport == "stream"
    lines = [
        f"load: {plan.tvs} TVs on /kiosk/{plan.screen} ({plan.transport}), {plan.managers} managers, "
        f"{plan.rate:g} events/s pushed, {plan.seconds:g} s measured",
        f"{'messages and polls' if streams else 'polls'}: {f.due} due, {len(f.served)} served, "
        f"{f.on_time} on time ({_share(f.on_time, f.due)}, within {record.grace:g} s of due), "
        f"{record.skipped} skipped (previous poll still out)",
        f"errors: {errors} of the TVs"
        + (f" ({_outcomes(f.failed)})" if errors else "")
        + f", {f.others_failed} of pushes and managers",
        f"{'lateness beyond due' if streams else 'poll latency'}: "
        f"{_spread([e.seconds for e in f.served], 1000, 'ms')}",
        f"generator send lag: {_spread(f.lag, 1000, 'ms')}",
        f"bytes per TV-hour: {f.wire_per_hour / 1e6:,.2f} MB as sent, {f.plain_per_hour / 1e6:,.2f} MB "
        f"uncompressed (requests + answers, headers included; {len(record.loads) - plan.tvs} reloads); "
        f"requests {f.up_per_hour / 1e6:,.2f} MB, answers {(f.wire_per_hour - f.up_per_hour) / 1e6:,.2f} MB "
        "as sent",
        f"bytes per poll: {_mean([e.wire_bytes for e in f.served]):,.0f} as sent, "
        f"{_mean([e.plain_bytes for e in f.served]):,.0f} uncompressed",
        f"server CPU: app {cpu.app:,.2f} s + Redis {cpu.redis:,.2f} s = {f.cpu_ms:,.2f} ms per TV per "
        f"{record.interval:g}-s refresh interval (pushes and manager clicks included; "
        f"{(cpu.app + cpu.redis) / plan.seconds:.0%} of one core)",
        f"generator CPU: {cpu.generator:,.2f} s = {cpu.generator / plan.seconds:.0%} of one core",
        f"pushes: {len(pushes)} sent, {sum(e.ok for e in pushes)} ok{_failures(pushes)}, "
        f"latency {_spread([e.seconds for e in pushes], 1000, 'ms')}",
        f"push -> visible on a TV: {_spread(f.visible, 1, 's')} ({len(f.visible)} TV x push pairs, "
        f"{f.missing} not seen)",
    ]
    if streams:
        failed = record.stream_failures
        lines.append(
            f"streams refused or broken in the window: {sum(failed.values())}"
            + (f" ({_outcomes(failed)}; the TV polled meanwhile)" if failed else "")
        )
    if plan.managers:
        clicks = record.clicks
        lines.append(
            f"manager callbacks: {len(clicks)} sent by {record.signed_in}/{plan.managers} signed in, "
            f"{sum(not e.ok for e in clicks)} failed{_failures(clicks)}, "
            f"{_spread([e.seconds for e in clicks], 1000, 'ms')}"
        )
    return lines + _goals(plan, cpu, f)


def _goals(plan: Plan, cpu: Cpu, f: Figures) -> list[str]:
    errors = sum(f.failed.values()) + f.others_failed
    scale = "" if plan.tvs in (500, 1000) else f" (set for 500 and 1,000 TVs; this run had {plan.tvs})"
    rate = "" if plan.rate == 2 else f" (set for 2 events/s; this run pushed {plan.rate:g})"
    on_time = f.due > 0 and f.on_time >= GOAL_ON_TIME * f.due
    bytes_verdict = (
        _verdict(f.wire_per_hour <= GOAL_BYTES_PER_TV_HOUR)
        if on_time
        else "not judged (polls not served on time)"
    )
    lines = [
        "goals (issue #13):",
        f"  latency p95 < {GOAL_P95_MS:.0f} ms: {f.p95_ms:,.1f} ms, "
        f"{_verdict(f.p95_ms < GOAL_P95_MS)}{scale}",
        f"  0 errors: {errors}, {_verdict(not errors)}",
        f"  >= 99 % on time: {_share(f.on_time, f.due)}, {_verdict(on_time)}",
        f"  <= 1 MB per TV-hour: {f.wire_per_hour / 1e6:,.2f} MB, {bytes_verdict}{rate}",
        f"  push -> visible p95 < {GOAL_VISIBLE_P95_S:g} s: {f.visible_p95:,.2f} s, "
        f"{_verdict(f.visible_p95 < GOAL_VISIBLE_P95_S and not f.missing)}",
        f"  <= {GOAL_CPU_MS_PER_POLL:g} ms server CPU per TV per refresh: {f.cpu_ms:,.2f} ms, "
        f"{_verdict(f.cpu_ms <= GOAL_CPU_MS_PER_POLL)}{rate}",
    ]
    if cpu.generator / plan.seconds > 0.8 or percentile(f.lag, 0.95) > 0.1:
        lines.append(
            "note: polls were sent over 100 ms late, or the generator used over 80 % of a core: "
            "the generator (or the machine it shares) may be the limit, not the server"
        )
    return lines


def _outcomes(counts: Counter[str]) -> str:
    return ", ".join(f"{count} x {outcome}" for outcome, count in counts.most_common())


def _failures(exchanges: list[Exchange]) -> str:
    failed = Counter(e.outcome for e in exchanges if not e.ok)
    return f" ({_outcomes(failed)})" if failed else ""


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else 0.0
