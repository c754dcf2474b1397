"""Shared elections in the core, on a migrated SQLite file: a Discord channel's roll election
shared with a Slack channel by a one-time code, voted on from both (one ballot per member),
run from its own channel, and every announcement copied once into the other channel."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.domain import Actor, Place
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.services.reminders import ReminderService
from bot.services.roll import import_roll, issue_codes
from bot.services.roll_file import read_roll
from bot.services.roll_links import LinkService
from bot.services.roll_rules import Electorate
from bot.services.roll_rules_edit import ElectorateEdit
from bot.services.share_delivery import ShareDeliveries
from bot.services.share_values import SharedCopy
from bot.storage.database import transaction
from bot.storage.tables import AuditEntry, ElectionShare, ShareCode
from tests.bot.adapters.roll_scenario import CODES
from tests.bot.services.conftest import MOD, PLACE, FakeClock, member
from tests.roll_cli_helpers import ROLL

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)

SLACK = Place("slack", "T1", "C-MEMBERS")
SLACK_MOD = Actor("slack", "T1", "U-MOD", "smod", is_admin=True)
SLACK_ALICE = Actor("slack", "T1", "U-ALICE", "alice")
DISCORD_ALICE = member("alice")
ROLL_ELECTORATE = Electorate("roll")


class Recorder:
    """An announcer that keeps what it was asked to post, and where."""

    def __init__(self) -> None:
        self.posted: list[tuple[Place, object]] = []

    async def announce(self, place: Place, message: object) -> None:
        self.posted.append((place, message))

    def copies(self) -> list[tuple[Place, str]]:
        return [(p, m.kind) for p, m in self.posted if isinstance(m, SharedCopy)]


async def seed(app: App, clock: FakeClock) -> None:
    """The 5-member roll; alice (M001) linked on Discord and on Slack."""
    await import_roll(app.context.sessions, read_roll(ROLL), clock())
    codes: Iterator[str] = iter(CODES.values())
    await issue_codes(app.context.sessions, app.context.secrecy, clock(), draw=lambda: next(codes))
    links = LinkService(app.context)
    await links.link(DISCORD_ALICE, CODES["M001"])
    await links.link(SLACK_ALICE, CODES["M001"])


async def shared(app: App, clock: FakeClock, **create: Any) -> str:
    """A roll election created in the Discord channel and shared with the Slack one."""
    await seed(app, clock)
    made = await app.elections.create(
        MOD, PLACE, "Leader", ("Kendall", "Burnham", "Cooper"), electorate=ROLL_ELECTORATE,
        **create,
    )  # fmt: skip
    issued = await app.shares.issue(MOD, PLACE, made.ref)
    await app.shares.accept(SLACK_MOD, SLACK, issued.code.lower().replace("-", " "))
    return made.ref


async def test_one_election_one_ballot_per_member_one_count_from_both_channels(
    app: App, clock: FakeClock
) -> None:
    ref = await shared(app, clock)
    slack = app.scheduler(recorder := Recorder(), platform="slack")
    assert [e.title for e in await app.elections.list(SLACK_MOD, SLACK)] == ["Leader"]
    await slack.run_once()
    assert recorder.posted == []  # a draft: nothing to tell the Slack channel yet

    await app.elections.open(MOD, PLACE, ref)
    await app.ballots.rank(DISCORD_ALICE, PLACE, "Kendall Burnham")
    second = await app.ballots.rank(SLACK_ALICE, SLACK, "Cooper Kendall")
    assert second.replaced  # the same member: one ballot
    assert (await app.elections.get(SLACK_MOD, SLACK)).turnout == 1
    with pytest.raises(NotAllowed, match="not on the roll"):
        await app.ballots.rank(Actor("slack", "T1", "U-ZOE", "zoe"), SLACK, "Cooper")

    await slack.run_once()
    await slack.run_once()  # posted once, whatever the passes
    assert recorder.copies() == [(SLACK, "open")]

    with pytest.raises(NotAllowed, match="shared here from its own channel on Discord"):
        await app.elections.count(SLACK_MOD, SLACK)
    outcome = await app.elections.count(MOD, PLACE)
    assert outcome.result.winners == ("Cooper",)  # her Slack ranking
    await slack.run_once()
    assert recorder.copies() == [(SLACK, "open")]  # a whole count waits: it may yet be paced
    clock.advance(seconds=16)
    await slack.run_once()
    await slack.run_once()
    assert recorder.copies() == [(SLACK, "open"), (SLACK, "count")]
    [(_, copy)] = [(p, m) for p, m in recorder.posted if getattr(m, "kind", "") == "count"]
    assert isinstance(copy, SharedCopy) and copy.outcome is not None
    assert copy.outcome.result.winners == ("Cooper",) and copy.home == PLACE
    async with transaction(app.context.sessions, write=False) as session:
        row = await session.scalar(select(ElectionShare))
        assert row is not None and row.finished_at is not None


async def test_a_paced_count_is_copied_round_by_round(app: App, clock: FakeClock) -> None:
    ref = await shared(app, clock)
    await app.elections.open(MOD, PLACE, ref)
    await app.ballots.rank(SLACK_ALICE, SLACK, "Cooper")
    with pytest.raises(NotAllowed, match="not on the roll"):
        await app.ballots.rank(member("bob"), PLACE, "Kendall")
    for n, who in ((2, "M002"), (3, "M003")):
        voter = Actor("slack", "T1", f"U-{n}", who)
        await LinkService(app.context).link(voter, CODES[who])
        await app.ballots.rank(voter, SLACK, "Kendall Burnham" if n == 2 else "Burnham Cooper")
    slack = app.scheduler(recorder := Recorder(), platform="slack")
    outcome = await app.elections.count(MOD, PLACE)
    await app.paced.start(MOD, PLACE, outcome)
    clock.advance(seconds=60)
    await slack.run_once()
    await slack.run_once()
    with pytest.raises(NotAllowed, match="declare it"):
        await app.paced.next(SLACK_MOD, SLACK, None)
    await app.paced.next(MOD, PLACE, None)
    await slack.run_once()
    rounds = [m.step.shown for _, m in recorder.posted if isinstance(m, SharedCopy) and m.step]
    assert rounds == [1, 2]


async def test_two_processes_post_each_copy_once(app: App, clock: FakeClock) -> None:
    ref = await shared(app, clock)
    await app.elections.open(MOD, PLACE, ref)
    first, second = ShareDeliveries(app.context), ShareDeliveries(app.context)
    [due] = await first.due(clock(), "slack")
    [same] = await second.due(clock(), "slack")
    assert await first.claim(due, clock()) and not await second.claim(same, clock())
    assert await first.done(due) and not await second.done(same)
    assert await first.due(clock(), "slack") == []
    assert await first.due(clock(), "discord") == []  # the Discord process posts no copy


async def test_a_failed_post_is_tried_again_later(app: App, clock: FakeClock) -> None:
    ref = await shared(app, clock)
    await app.elections.open(MOD, PLACE, ref)

    class Broken(Recorder):
        async def announce(self, place: Place, message: object) -> None:
            raise RuntimeError("Slack is down")

    await app.scheduler(Broken(), platform="slack").run_once()
    slack = app.scheduler(recorder := Recorder(), platform="slack")
    await slack.run_once()
    assert recorder.posted == []  # not before the retry time
    clock.advance(seconds=31)
    await slack.run_once()
    assert recorder.copies() == [(SLACK, "open")]


async def test_a_timed_close_is_made_by_either_side_and_announced_in_both(
    app: App, clock: FakeClock
) -> None:
    ref = await shared(app, clock, closes_at=clock() + timedelta(hours=1))
    await app.elections.open(MOD, PLACE, ref)
    slack = app.scheduler(on_slack := Recorder(), platform="slack")
    discord = app.scheduler(on_discord := Recorder(), platform="discord")
    await slack.run_once()
    clock.advance(hours=1, seconds=1)
    assert [e.ref for e in await slack.run_once()] == [ref]  # the Discord bot may be down
    assert on_slack.copies() == [(SLACK, "open"), (SLACK, "close")]
    assert all(p == SLACK for p, _ in on_slack.posted)  # nothing in the Discord channel
    await discord.run_once()
    await discord.run_once()
    assert [p for p, _ in on_discord.posted] == [PLACE]  # its own close, once


async def test_refusals_change_nothing(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    roll = await app.elections.create(MOD, PLACE, "Leader", ("A", "B"), electorate=ROLL_ELECTORATE)
    roles = await app.elections.create(MOD, PLACE, "Open mic", ("A", "B"))
    with pytest.raises(NotAllowed, match="Only moderators"):
        await app.shares.issue(member("bob"), PLACE, roll.ref)
    with pytest.raises(InvalidInput, match="cannot be proven to be the same person"):
        await app.shares.issue(MOD, PLACE, roles.ref)
    with pytest.raises(NotAllowed, match="Only moderators"):
        await app.shares.accept(SLACK_ALICE, SLACK, "ABCD-EFGH-JKMN-PQRS")
    with pytest.raises(NotFound, match="not one we issued"):
        await app.shares.accept(SLACK_MOD, SLACK, "ABCD-EFGH-JKMN-PQRS")
    with pytest.raises(InvalidInput, match="A share code has 16 letters"):
        await app.shares.accept(SLACK_MOD, SLACK, "ABCD-EFGH")

    first = await app.shares.issue(MOD, PLACE, roll.ref)
    issued = await app.shares.issue(MOD, PLACE, roll.ref)
    assert issued.replaced and issued.code != first.code
    with pytest.raises(NotFound, match="replaced by a newer"):
        await app.shares.accept(SLACK_MOD, SLACK, first.code)
    with pytest.raises(InvalidInput, match="own channel"):
        await app.shares.accept(MOD, PLACE, issued.code)
    other_discord = Place("discord", "guild-1", "chan-other")
    with pytest.raises(InvalidInput, match="made from a Discord account"):
        await app.shares.accept(MOD, other_discord, issued.code)
    taken = await app.elections.create(SLACK_MOD, SLACK, "Slack poll", ("X", "Y"))
    assert taken.ref == roll.ref == "1"
    with pytest.raises(Conflict, match="already has an election 1"):
        await app.shares.accept(SLACK_MOD, SLACK, issued.code)
    clock.advance(hours=24)
    with pytest.raises(Conflict, match="expired"):
        await app.shares.accept(SLACK_MOD, Place("slack", "T1", "C-2"), issued.code)
    async with transaction(app.context.sessions, write=False) as session:
        assert await session.scalar(select(func.count()).select_from(ElectionShare)) == 0
        assert await session.scalar(select(func.count()).select_from(ShareCode)) == 1


async def test_only_a_draft_or_open_election_is_shared_and_unshared_only_as_a_draft(
    app: App, clock: FakeClock
) -> None:
    ref = await shared(app, clock)
    with pytest.raises(Conflict, match="already shared with a channel on Slack"):
        await app.shares.issue(MOD, PLACE, ref)
    with pytest.raises(NotAllowed, match="already shared here"):
        await app.shares.issue(SLACK_MOD, SLACK, ref)
    with pytest.raises(NotAllowed, match="shared here from its own channel"):
        await app.elections.open(SLACK_MOD, SLACK, ref)
    undone = await app.shares.unshare(SLACK_MOD, SLACK, ref)
    assert undone.guest == SLACK and not undone.code_withdrawn
    assert await app.elections.list(SLACK_MOD, SLACK) == []
    issued = await app.shares.issue(MOD, PLACE, ref)
    await app.shares.accept(SLACK_MOD, SLACK, issued.code)
    await app.elections.open(MOD, PLACE, ref)
    with pytest.raises(Conflict, match="stays shared"):
        await app.shares.unshare(MOD, PLACE, ref)
    await app.ballots.rank(SLACK_ALICE, SLACK, "Cooper")
    await app.elections.close(MOD, PLACE, ref)
    other = await app.elections.create(MOD, PLACE, "Later", ("A", "B"), electorate=ROLL_ELECTORATE)
    code = await app.shares.issue(MOD, PLACE, other.ref)
    await app.elections.cancel(MOD, PLACE, other.ref)
    with pytest.raises(Conflict, match="cancelled: only a draft or open"):
        await app.shares.accept(SLACK_MOD, SLACK, code.code)
    with pytest.raises(Conflict, match="closed: only a draft or open"):
        await app.shares.issue(MOD, PLACE, ref)
    async with transaction(app.context.sessions, write=False) as session:
        actions = [a.action for a in await session.scalars(select(AuditEntry))]
    assert actions.count("election.share.accept") == 2 and "election.unshare" in actions


async def test_a_shared_election_is_reminded_from_each_channel_once_a_day_each(
    app: App, clock: FakeClock
) -> None:
    """Each platform's moderators remind their own platform's members (an adapter reaches
    only its own accounts); a member linked on both is reminded once, by the first."""
    ref = await shared(app, clock)
    links = LinkService(app.context)
    await links.link(Actor("slack", "T1", "U-BOB", "bob"), CODES["M002"])
    await links.link(member("carol"), CODES["M003"])
    await app.elections.open(MOD, PLACE, ref)
    reminders = ReminderService(app.context)

    on_slack = await reminders.remind(SLACK_MOD, SLACK, None, lambda a: a.platform == "slack")
    assert sorted(a.user_id for a in on_slack.recipients) == ["U-ALICE", "U-BOB"]
    with pytest.raises(Conflict, match="at most one a day"):
        await reminders.remind(SLACK_MOD, SLACK, None, lambda a: a.platform == "slack")

    on_discord = await reminders.remind(MOD, PLACE, None, lambda a: a.platform == "discord")
    assert [a.user_id for a in on_discord.recipients] == [member("carol").user_id]  # not alice

    clock.advance(hours=24)
    again = await reminders.remind(MOD, PLACE, None, lambda a: a.platform == "discord")
    assert sorted(a.user_id for a in again.recipients) == sorted(
        [member("carol").user_id, DISCORD_ALICE.user_id]
    )  # Slack's reminders are a day old: alice is reminded here now


async def test_a_shared_elections_electorate_cannot_leave_the_roll(
    app: App, clock: FakeClock
) -> None:
    """Roles on two platforms cannot be proven one person: a shared election stays the roll
    until it is unshared (then the edit goes through)."""
    ref = await shared(app, clock)
    with pytest.raises(Conflict, match="must stay the roll") as refused:
        await app.elections.edit(MOD, PLACE, ref, electorate=ElectorateEdit(kind="roles"))
    assert f"/election unshare {ref} first" in refused.value.message
    assert (await app.elections.get(MOD, PLACE, ref)).electorate == "roll"
    narrowed = await app.elections.edit(
        MOD, PLACE, ref, electorate=ElectorateEdit(branches=("North",))
    )  # a rule within the roll is fine
    assert narrowed.electorate == "roll"
    await app.shares.unshare(MOD, PLACE, ref)
    edited = await app.elections.edit(MOD, PLACE, ref, electorate=ElectorateEdit(kind="roles"))
    assert edited.electorate == "roles"


async def test_only_the_home_channel_exports_a_shared_elections_ballots(
    app: App, clock: FakeClock
) -> None:
    """The shared channel's moderators (perhaps another organisation) vote and see the
    result; exporting the ballots is running the election, done from its own channel."""
    ref = await shared(app, clock)
    await app.elections.open(MOD, PLACE, ref)
    await app.ballots.rank(SLACK_ALICE, SLACK, "Cooper Kendall")
    await app.elections.close(MOD, PLACE, ref)
    with pytest.raises(NotAllowed, match="shared here from its own channel"):
        await app.elections.export_ballots(SLACK_MOD, SLACK, ref)
    exported = await app.elections.export_ballots(MOD, PLACE, ref)
    assert exported.election.turnout == 1
