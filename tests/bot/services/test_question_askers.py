"""An anonymous question's asker is never in the database in the clear, yet the asker is
still recognised (their own question, no self-upvote, flood limits, consent to a rewording)
and still told privately (a merge, a dismissal); moderators still see who asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.config import Settings
from bot.domain import Actor
from bot.errors import Conflict, Flooded
from bot.storage.database import transaction
from bot.storage.tables import Question
from tests.bot.services.conftest import MOD, PLACE, FakeClock, member

SHY = Actor("discord", "guild-1", "user-shy-4417", "Shy Person 4417")
"""An id and name that appear nowhere else, so finding them in the file means a leak."""


def _database_bytes(settings: Settings) -> bytes:
    path = Path(settings.database_url.split("///", 1)[1])
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal")]
    return b"".join(f.read_bytes() for f in files if f.exists())


async def test_an_anonymous_askers_id_is_not_in_the_database_file(
    app: App, settings: Settings
) -> None:
    await app.questions.ask(SHY, PLACE, "Rail?")
    await app.questions.ask(member("named-7"), PLACE, "Buses?", named=True)
    await app.moderation.propose(MOD, PLACE, "Q1", "What about rail?")
    written = _database_bytes(settings)
    assert b"user-named-7" in written  # a named asker is kept in the clear: the scan sees rows
    assert SHY.user_id.encode() not in written
    assert SHY.display_name.encode() not in written
    async with transaction(app.context.sessions, write=False) as session:
        row = await session.scalar(select(Question).where(Question.number == 1))
    assert row is not None
    assert (row.asker_user_id, row.asker_name) == (None, None)
    assert row.asker_key is not None and row.asker_sealed is not None


async def test_the_anonymous_asker_is_still_recognised_and_told(app: App) -> None:
    await app.questions.set_premoderation(MOD, PLACE, True)
    await app.questions.ask(SHY, PLACE, "Rail?")  # P1, waiting
    [mine] = (await app.questions.list(SHY, PLACE, status="all")).items
    assert (mine.short_id, mine.status, mine.asker_name) == ("P1", "pending", SHY.display_name)
    assert (await app.questions.list(member(2), PLACE, status="all")).items == ()
    [seen] = (await app.questions.pending(MOD, PLACE)).items
    assert (seen.asker_user_id, seen.asker_name) == (SHY.user_id, SHY.display_name)
    proposal = await app.moderation.propose(MOD, PLACE, "P1", "What about rail?")
    assert proposal.asker_user_id == SHY.user_id  # the proposal reaches them
    accepted = await app.moderation.accept(SHY, PLACE, "P1")
    assert accepted.question.text == "What about rail?"
    await app.questions.approve(MOD, PLACE, "P1")
    with pytest.raises(Conflict, match="your own question"):
        await app.questions.upvote(SHY, PLACE, "Q1")
    await app.questions.set_premoderation(MOD, PLACE, False)
    await app.questions.ask(member(2), PLACE, "Trains?")  # Q2
    merge = await app.moderation.merge(MOD, PLACE, "Q1", "Q2")
    assert merge.asker_user_id == SHY.user_id  # told privately of the merge
    dismissed = await app.questions.dismiss(MOD, PLACE, "Q2", "off-topic")
    assert dismissed.asker_user_id == member(2).user_id


async def test_flood_limits_hold_an_anonymous_asker(app: App, clock: FakeClock) -> None:
    for n in range(3):
        await app.questions.ask(SHY, PLACE, f"Question {n}?")
        clock.advance(seconds=1)
    with pytest.raises(Flooded, match="You already have 3 questions waiting or open"):
        await app.questions.ask(SHY, PLACE, "One more?")
    await app.questions.ask(member(2), PLACE, "Mine?")  # another member is not held back


async def test_stats_are_posted_at_most_once_a_minute_per_channel(
    app: App, clock: FakeClock
) -> None:
    await app.question_stats.stats(member(1), PLACE)
    clock.advance(seconds=59)
    with pytest.raises(Flooded, match=r"posted at most once every 60 s.*in 1 s"):
        await app.question_stats.stats(member(2), PLACE)
    await app.question_stats.stats(MOD, PLACE)  # moderators are not held back
    clock.advance(seconds=60)
    await app.question_stats.stats(member(2), PLACE)


async def test_askers_from_before_the_seal_are_sealed_when_the_bot_starts(
    settings: Settings, clock: FakeClock
) -> None:
    """A question stored the pre-0012 way (the raw id and name) is hashed and sealed at the
    next start with the secret: the raw id leaves the row, the asker is still recognised."""
    first = await build_app(settings, clock=clock)
    await first.questions.ask(SHY, PLACE, "Rail?")
    async with transaction(first.context.sessions) as session:
        row = await session.scalar(select(Question))
        assert row is not None
        row.asker_key = row.asker_sealed = None  # as a row from before revision 0012
        row.asker_user_id, row.asker_name = SHY.user_id, SHY.display_name
    await first.aclose()
    assert SHY.user_id.encode() in _database_bytes(settings)

    again = await build_app(settings, clock=clock)
    try:
        async with transaction(again.context.sessions, write=False) as session:
            row = await session.scalar(select(Question))
        assert row is not None and (row.asker_user_id, row.asker_name) == (None, None)
        assert row.asker_key is not None and row.asker_sealed is not None
        with pytest.raises(Conflict, match="your own question"):
            await again.questions.upvote(SHY, PLACE, "Q1")
    finally:
        await again.aclose()
