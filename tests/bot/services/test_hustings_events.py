"""``HustingsService`` and ``MinutesService`` on a real migrated SQLite file: one open
hustings per channel (per channel, not per workspace), the audit log, and who may read the
minutes when."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.errors import Conflict, NotAllowed, NotFound
from bot.services import audit
from bot.storage.database import transaction
from tests.bot.services.conftest import MOD, OTHER_PLACE, PLACE, member


async def test_one_open_hustings_per_channel_and_each_channel_counts_its_own(app: App) -> None:
    first = await app.hustings.start(MOD, PLACE, "  Leadership   hustings ")
    assert (first.number, first.title, first.ended_at) == (1, "Leadership hustings", None)
    with pytest.raises(Conflict, match="Hustings 1 \\(Leadership hustings\\) is already open"):
        await app.hustings.start(MOD, PLACE, "Again")
    elsewhere = await app.hustings.start(MOD, OTHER_PLACE, None)
    assert elsewhere.number == 1
    ended = await app.hustings.end(MOD, PLACE)
    assert ended.hustings.ended_at is not None and ended.opened is None
    second = await app.hustings.start(MOD, PLACE, None)
    assert second.number == 2


async def test_members_cannot_start_or_end_and_the_audit_log_names_the_moderator(
    app: App,
) -> None:
    with pytest.raises(NotAllowed):
        await app.hustings.start(member(1), PLACE, None)
    await app.hustings.start(MOD, PLACE, None)
    with pytest.raises(NotAllowed):
        await app.hustings.end(member(1), PLACE)
    await app.hustings.end(MOD, PLACE)
    with pytest.raises(NotFound, match="No hustings is open"):
        await app.hustings.end(MOD, PLACE)
    async with transaction(app.context.sessions, write=False) as session:
        rows = await audit.entries(session, PLACE.platform, PLACE.workspace)
    assert [(r.action, r.actor) for r in rows] == [
        ("hustings.start", MOD.user_id),
        ("hustings.end", MOD.user_id),
    ]


async def test_minutes_are_for_moderators_until_the_end_then_for_everyone(app: App) -> None:
    await app.hustings.start(MOD, PLACE, None)
    await app.questions.ask(member(1), PLACE, "Rail?", named=True)
    await app.questions.ask(member(2), PLACE, "Buses?")
    with pytest.raises(NotAllowed, match="still going on"):
        await app.minutes.export(member(3), PLACE)
    during = await app.minutes.export(MOD, PLACE)
    assert [(e.short_id, e.state, e.asker) for e in during.entries] == [
        ("Q1", "open", "Member 1"),
        ("Q2", "open", None),
    ]
    await app.hustings.end(MOD, PLACE)
    after = await app.minutes.export(member(3), PLACE, 1)
    assert [e.text for e in after.entries] == ["Rail?", "Buses?"] and not after.full
    with pytest.raises(NotFound, match="no hustings 2"):
        await app.minutes.export(member(3), PLACE, 2)
