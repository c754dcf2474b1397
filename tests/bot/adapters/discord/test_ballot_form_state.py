"""The ``/ballot`` form keeps nothing in the process: a restart between clicks loses nothing,
and a stale form (election closed, candidates changed, a damaged id) is refused privately
with its reason and records nothing."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.adapters.discord.ballot_form import (
    BUTTON_TEMPLATE,
    CHANGED,
    CLOSED,
    DAMAGED,
    PICK_TEMPLATE,
    FormState,
    fingerprint,
)
from bot.adapters.discord.fake import FakeDiscord, InteractionRecord
from bot.domain import ElectionView
from bot.logs import LibraryGate
from bot.storage.database import transaction
from bot.storage.tables import Ballot, Election
from tests.bot.adapters.discord.harness import Bot, DiscordChat, running

MOD = frozenset({"moderator"})
NAMES = ["Liz Kendall", "Andy Burnham", "Yvette Cooper", "Jeremy Corbyn"]


@dataclasses.dataclass
class Setup:
    fake: FakeDiscord
    chat: DiscordChat
    bot: Bot

    async def ballots(self) -> int:
        return len(await self.rankings())

    async def rankings(self) -> list[tuple[str, ...]]:
        assert self.bot.app is not None
        async with transaction(self.bot.app.context.sessions, write=False) as session:
            return list((await session.scalars(select(Ballot.ranking))).all())

    async def pick(self, who: str, form: int, position: int, name: str) -> InteractionRecord:
        menu = next(
            i for i in self.fake.message(form).custom_ids() if i.endswith(f":pick:{position}")
        )
        picked = await self.fake.select(self.chat.member(who), form, menu, [str(NAMES.index(name))])
        await picked
        return picked

    async def press(self, who: str, form: int, action: str) -> InteractionRecord:
        button = next(i for i in self.fake.message(form).custom_ids() if i.endswith(f":{action}"))
        pressed = await self.fake.click(self.chat.member(who), form, button)
        await pressed
        return pressed


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Setup]:
    async with running(tmp_path) as (fake, chat, bot):
        await chat.run("mod", f'/election create "Leader" {", ".join(NAMES)}', MOD)
        assert "Voting is open" in (await chat.run("mod", "/election open", MOD)).texts[0]
        yield Setup(fake, chat, bot)


def told(record: InteractionRecord) -> list[str]:
    return [m.text for m in record.followups]


async def test_a_form_opened_before_a_restart_is_filled_and_cast_after_it(env: Setup) -> None:
    form = (await env.chat.run("carol", "/ballot")).messages[0].id
    await env.pick("carol", form, 0, "Yvette Cooper")
    await env.bot.stop()
    await env.bot.start()  # a new process as far as the form can tell: nothing in memory
    assert told(await env.pick("carol", form, 1, "Liz Kendall")) == []
    assert "So far: 1. Yvette Cooper 2. Liz Kendall" in env.fake.message(form).text
    await env.bot.stop()
    await env.bot.start()
    await env.press("carol", form, "confirm")
    assert "Cast this ballot? 1. Yvette Cooper 2. Liz Kendall" in env.fake.message(form).text
    assert await env.ballots() == 0  # shown, not cast
    confirmed = await env.press("carol", form, "cast")
    recorded = "is recorded: 1. Yvette Cooper 2. Liz Kendall"
    await confirmed.wait_until(lambda: recorded in env.fake.message(form).text)
    assert await env.rankings() == [("Yvette Cooper", "Liz Kendall")]


async def test_a_form_for_a_closed_election_is_refused_and_records_nothing(env: Setup) -> None:
    form = (await env.chat.run("carol", "/ballot")).messages[0].id
    await env.pick("carol", form, 0, "Andy Burnham")
    shown = env.fake.message(form).text
    await env.chat.run("mod", "/election close", MOD)
    refusal = CLOSED.format(ref="1")
    assert told(await env.pick("carol", form, 1, "Liz Kendall")) == [refusal]
    assert told(await env.press("carol", form, "confirm")) == [refusal]
    assert env.fake.message(form).text == shown  # the form is as it was
    assert await env.ballots() == 0


async def test_a_form_whose_candidates_changed_is_refused_and_records_nothing(
    env: Setup,
) -> None:
    form = (await env.chat.run("carol", "/ballot")).messages[0].id
    await env.pick("carol", form, 0, "Andy Burnham")
    assert env.bot.app is not None
    # Open elections cannot be edited; the database is changed under the form instead, as a
    # restore or a future edit could.
    swapped = [NAMES[1], NAMES[0], *NAMES[2:]]
    async with transaction(env.bot.app.context.sessions) as session:
        await session.execute(update(Election).values(candidates=swapped))
    assert told(await env.press("carol", form, "confirm")) == [CHANGED.format(ref="1")]
    assert await env.ballots() == 0


async def test_a_damaged_form_id_is_refused_and_records_nothing(env: Setup) -> None:
    opened = (await env.chat.run("carol", "/ballot")).messages[0]
    await env.pick("carol", opened.id, 0, "Andy Burnham")
    confirm = next(i for i in env.fake.message(opened.id).custom_ids() if i.endswith(":confirm"))
    match = BUTTON_TEMPLATE.fullmatch(confirm)
    assert match is not None
    form = FormState.parse(match)
    doubled = dataclasses.replace(form, ranking=form.ranking * 2).custom_id("confirm")
    message = env.fake.message(opened.id)
    for row in message.components:  # a modified client: the same candidate twice
        for component in row["components"]:
            if component.get("custom_id") == confirm:
                component["custom_id"] = doubled
    pressed = await env.fake.click(env.chat.member("carol"), opened.id, doubled)
    await pressed
    assert told(pressed) == [DAMAGED]
    assert await env.ballots() == 0


def _election(candidates: list[str], status: str = "open", id: int = 7) -> ElectionView:
    return ElectionView(id, "1", "Leader", tuple(candidates), 1, "irv", status, None, 0)  # type: ignore[arg-type]


def test_the_state_round_trips_through_the_longest_id() -> None:
    election = _election([f"C{i}" for i in range(50)])
    form = FormState("123456789", fingerprint(election), 2, tuple(range(49, -1, -1)))
    for action in ("pick:49", "confirm", "reset", "prev", "next"):
        made = form.custom_id(action)
        assert len(made) <= 100
        template = PICK_TEMPLATE if action.startswith("pick") else BUTTON_TEMPLATE
        match = template.fullmatch(made)
        assert match is not None and FormState.parse(match) == form


def test_fingerprint_names_the_candidates_in_order_and_the_election() -> None:
    first = fingerprint(_election(NAMES))
    assert re.fullmatch(r"[0-9a-f]{8}", first)
    assert fingerprint(_election(NAMES[::-1])) != first
    assert fingerprint(_election(NAMES, id=8)) != first
    assert fingerprint(_election(NAMES, status="closed")) == first


async def test_a_failed_form_click_logs_no_ranking(
    env: Setup, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A form's ``custom_id`` holds the ranking so far: an error on a click is logged with
    the component's kind only (``hustings:ballot``), never its id."""
    form = (await env.chat.run("carol", "/ballot")).messages[0].id
    await env.pick("carol", form, 0, "Yvette Cooper")
    confirm = next(i for i in env.fake.message(form).custom_ids() if i.endswith(":confirm"))
    assert env.bot.app is not None

    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the database is unreachable")

    monkeypatch.setattr(env.bot.app.elections, "get", broken)
    with caplog.at_level(logging.DEBUG):
        await env.press("carol", form, "confirm")
    gate = LibraryGate()  # library DEBUG records never reach the log (bot.logs)
    logged = [r.getMessage() for r in caplog.records if gate.filter(r)]
    assert any("component hustings:ballot" in line for line in logged)  # the error is logged
    assert not any(confirm in line or ":confirm" in line for line in logged)
    assert await env.ballots() == 0


async def test_confirm_says_how_many_preferences_it_casts(env: Setup) -> None:
    """Confirm's id holds the ranking as drawn; its label shows the same count, so a pick
    still on its way is not silently left out of what the member thinks they cast."""
    form = (await env.chat.run("carol", "/ballot")).messages[0].id
    assert "Confirm" in labels(env.fake.message(form).components)
    await env.pick("carol", form, 0, "Yvette Cooper")
    assert "Confirm 1 preference" in labels(env.fake.message(form).components)
    await env.pick("carol", form, 1, "Liz Kendall")
    assert "Confirm 2 preferences" in labels(env.fake.message(form).components)


def labels(rows: list[Any]) -> list[str]:
    """The button labels of a message's component rows."""
    return [c.get("label", "") for row in rows for c in row.get("components", [])]


async def test_a_pick_still_on_its_way_is_not_cast_unseen(env: Setup) -> None:
    """Confirm pressed on a form drawn before the 2nd pick's redraw arrived (its id holds
    one preference): the review shows that one only, and Change goes back to the form, so
    nothing is cast that the member has not seen."""
    form = (await env.chat.run("carol", "/ballot")).messages[0].id
    await env.pick("carol", form, 0, "Yvette Cooper")
    stale = next(i for i in env.fake.message(form).custom_ids() if i.endswith(":confirm"))
    await env.pick("carol", form, 1, "Liz Kendall")
    for row in env.fake.message(form).components:  # a client still showing the first draw
        for component in row["components"]:
            if str(component.get("custom_id", "")).endswith(":confirm"):
                component["custom_id"] = stale
    pressed = await env.fake.click(env.chat.member("carol"), form, stale)
    await pressed
    shown = env.fake.message(form).text
    assert "Cast this ballot? 1. Yvette Cooper" in shown and "Kendall" not in shown
    assert await env.ballots() == 0
    await env.press("carol", form, "back")
    assert "So far: 1. Yvette Cooper" in env.fake.message(form).text
    assert await env.ballots() == 0
