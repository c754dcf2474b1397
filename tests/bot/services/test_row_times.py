"""Rows are dated by the app's injected clock (``build_app(clock=…)``), never the wall clock:
``updated_at`` on every change, and the times a table fills in itself (an upvote's, an audit
entry's, a link's), so a test on a ``FakeClock`` sees the same dates every run and the
minutes' "last changed" is the time the server's clock gave."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import App
from bot.services.roll import import_roll
from bot.services.roll_file import read_roll
from bot.storage.database import transaction
from bot.storage.tables import AuditEntry, ChannelSettings, Election, Question, RollMember, Upvote
from tests.bot.services.conftest import MOD, PLACE, START, FakeClock, OpenElection, member
from tests.roll_cli_helpers import ROLL

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)


async def test_a_changed_question_and_election_carry_the_clocks_time(
    app: App, clock: FakeClock, open_election: OpenElection
) -> None:
    await app.elections.create(MOD, PLACE, "Leader", ("Burnham", "Corbyn"))
    clock.advance(minutes=1)
    await app.elections.open(MOD, PLACE, "1")
    await app.questions.ask(member(1), PLACE, "Rail?")
    clock.advance(minutes=2)
    await app.questions.upvote(member(2), PLACE, "Q1")
    clock.advance(minutes=3)
    await app.questions.answer(MOD, PLACE, "Q1", "Yes.")
    async with transaction(app.context.sessions, write=False) as session:
        election = await session.scalar(select(Election))
        question = await session.scalar(select(Question))
        upvote = await session.scalar(select(Upvote))
        audited = set(await session.scalars(select(AuditEntry.at)))
    assert election is not None and question is not None and upvote is not None
    assert (election.created_at, election.updated_at) == (START, START + timedelta(minutes=1))
    assert question.created_at == START + timedelta(minutes=1)
    assert question.answered_at == question.updated_at == START + timedelta(minutes=6)
    assert upvote.at == START + timedelta(minutes=3)
    assert audited and audited <= {START + timedelta(minutes=m) for m in (0, 1, 3, 6)}


async def test_channel_settings_and_the_roll_carry_the_clocks_time(
    app: App, clock: FakeClock
) -> None:
    await app.questions.set_premoderation(MOD, PLACE, True)
    clock.advance(hours=1)
    await app.questions.set_premoderation(MOD, PLACE, False)
    await import_roll(app.context.sessions, read_roll(ROLL), clock())
    clock.advance(hours=1)
    changed = ROLL.replace("active", "lapsed", 1)
    assert changed != ROLL
    await import_roll(app.context.sessions, read_roll(changed), clock())
    async with transaction(app.context.sessions, write=False) as session:
        settings = await session.scalar(select(ChannelSettings))
        times = set(await session.scalars(select(RollMember.updated_at)))
    assert settings is not None and settings.updated_at == START + timedelta(hours=1)
    assert times == {START + timedelta(hours=1), START + timedelta(hours=2)}
