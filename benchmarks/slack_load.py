"""What both loads of ``bench_slack_ack.py`` share: the workspace, the rankings members send,
reading their receipts back from the fake Slack, and the rows that judge the acks.

A member ``n``'s ``k``-th ``/rank`` ranks all four candidates starting from a different one
each time (``ranking``), so every receipt can be matched to the request that caused it.
"""

from __future__ import annotations

import os
import statistics
from collections import Counter
from collections.abc import Sequence

from verdict import Table

from bot.adapters.slack.fake import FakeSlack
from bot.adapters.slack.fake.model import Ack
from bot.domain import Actor, Place

TEAM, CHANNEL, MOD = "T0BENCH", "C0BENCH", "U0MOD"
CANDIDATES = ("Kendall", "Burnham", "Cooper", "Corbyn")
ACK_DEADLINE = 3.0
P99_TARGET_MS = 100
"""Issue 15's target at 100 members: an ack well inside Slack's 3 s on a busy night."""


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def ranking(member: int, k: int) -> list[str]:
    return [CANDIDATES[(member + k + i) % 4] for i in range(4)]


def receipt_line(order: list[str]) -> str:
    """What the receipt shows of a ranking: ``1. Kendall 2. Burnham …``."""
    return " ".join(f"{i}. {name}" for i, name in enumerate(order, start=1))


def load_average() -> str:
    return "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def populate(fake: FakeSlack, members: int, channels: Sequence[str] = (CHANNEL,)) -> list[str]:
    """The bench workspace: its channels, a moderator (by user group) and ``members`` voters."""
    fake.add_team(TEAM, "Bench")
    for channel in channels:
        fake.add_channel(TEAM, channel, channel.lower())
    fake.add_user(TEAM, MOD, "mod")
    fake.add_usergroup(TEAM, "moderator", [MOD])
    voters = [f"U0V{n:04d}" for n in range(members)]
    for uid in voters:
        fake.add_user(TEAM, uid, uid.lower())
    return voters


async def election_in(fake: FakeSlack, channel: str, title: str) -> None:
    """The moderator creates and opens an election in ``channel`` through the app."""
    create = f'create "{title}" ' + ", ".join(CANDIDATES)
    for line, shown in ((create, "created"), ("open", "open")):
        done = await fake.slash(TEAM, MOD, channel, "/election", line, settle=0)
        await fake.wait_for(  # each step's reply, before the next (raises if it never comes)
            lambda done=done, shown=shown: any(
                shown in m.text for m in done.messages + done.ephemerals
            ),
            30,
        )


def receipts(fake: FakeSlack, after_seq: int, channel: str) -> dict[str, Counter[str]]:
    """Each voter's delivered receipts in ``channel`` (the ranking they show), since
    ``after_seq``."""
    got: dict[str, Counter[str]] = {}
    for message in fake.messages:
        if message.seq <= after_seq or message.ephemeral_to is None:
            continue
        if message.channel != channel or message.via != "response_url":
            continue
        if " — receipt " not in message.text:
            continue
        shown = message.text.split(": ", 1)[1].split(" — receipt ", 1)[0]
        got.setdefault(message.ephemeral_to, Counter())[shown] += 1
    return got


def check_receipts(
    table: Table,
    what: str,
    got: dict[str, Counter[str]],
    expected: dict[str, Counter[str]],
    drained: float,
) -> None:
    """Every receipt delivered, each naming the ranking its request sent."""
    total = sum(c.total() for c in expected.values())
    count = sum(c.total() for c in got.values())
    table.check(f"{what}receipts delivered", f"{count:,} of {total:,} (all by {drained:.1f} s)",
                "all", count == total)  # fmt: skip
    wrong = sum(
        ((got.get(uid, Counter()) - want) + (want - got.get(uid, Counter()))).total()
        for uid, want in expected.items()
    )
    table.check(f"{what}receipts naming another ranking", str(wrong), "0", wrong == 0)


def report_acks(table: Table, what: str, acks: Sequence[Ack], total: int, wall: float) -> None:
    """Acks on time, late and failed; the latency percentiles, judged against the target."""
    on_time = [a for a in acks if a.ok]
    late = [a for a in acks if a.late]
    failed = [a for a in acks if not a.late and a.status != 200]
    table.check(f"{what}acks: 200 within 3 s",
                f"{len(on_time):,} of {total:,} (all sent in {wall:.1f} s)", "all",
                len(on_time) == total)  # fmt: skip
    table.check(f"{what}acks: late (> 3 s)", str(len(late)), "0", not late)
    table.check(f"{what}acks: failed (not 200)", str(len(failed)), "0", not failed)
    if not acks:
        return
    elapsed = [a.elapsed * 1000 for a in acks]
    p99 = percentile(elapsed, 0.99)
    table.info(f"{what}ack latency p50", f"{statistics.median(elapsed):.1f} ms")
    table.check(f"{what}ack latency p99 (Slack's limit)", f"{p99:.1f} ms", "< 3,000 ms",
                p99 < ACK_DEADLINE * 1000)  # fmt: skip
    table.target(f"{what}ack latency p99", f"{p99:.1f} ms", f"< {P99_TARGET_MS:,} ms",
                 p99 < P99_TARGET_MS)  # fmt: skip
    table.info(f"{what}ack latency max", f"{max(elapsed):.1f} ms")
    rate = f"{len(acks) / wall:,.0f} ({wall:.1f} s for {len(acks):,})"
    table.info(f"{what}acks per second", rate)


def mod_actor() -> Actor:
    return Actor("slack", TEAM, MOD, "mod", frozenset({"moderator"}))


def place(channel: str = CHANNEL) -> Place:
    return Place("slack", TEAM, channel)
