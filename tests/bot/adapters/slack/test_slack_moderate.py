"""The Moderate button on Slack question cards, through the real bolt app and the fake Slack:
a moderator dismisses or merges through a modal, each press and each submission checked again
(the presser, the question, its state now); a member's press, a forged button value and a
tampered modal change nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hustings_slack import CHANNEL, TEAM, Running, SlackChat, answered, running, user_id
from scenarios import MODERATOR

from bot.adapters.moderation import MEMBERS_REFUSED
from bot.adapters.slack import moderate
from bot.adapters.slack.fake import Interaction, Message, Mode, View
from bot.adapters.slack.fake import payloads as slack_payloads
from bot.adapters.slack.render import MODERATE_ACTION, plain_text

OTHER = "C0OTHER"


@dataclass
class Setup:
    slack: Running
    chat: SlackChat

    async def ask(self, who: str, text: str) -> Message:
        [card] = (await self.chat.slash(who, f"/ask {text}")).messages
        return card

    async def press(self, who: str, card: Message) -> Interaction:
        uid = self.chat.member(who, MODERATOR if who == "mod" else frozenset())
        done = await self.slack.fake.click(card, MODERATE_ACTION, user_id=uid)
        await answered(self.slack.fake, done)
        return done

    async def modal(self, card: Message) -> View:
        """A moderator presses Moderate on ``card``: the modal opened for them."""
        pressed = await self.press("mod", card)
        assert pressed.ephemerals == []
        [view] = pressed.views
        assert view.view["callback_id"] == moderate.CALLBACK_ID
        return view

    async def submit(self, view: View, **values: str) -> Interaction:
        """Submit ``view`` filled with ``values`` and wait for what follows."""
        done = await self.refused(view, **values)
        await answered(self.slack.fake, done)
        return done

    async def refused(self, view: View, **values: str) -> Interaction:
        """Submit ``view``; the ack alone answers (the modal's field errors)."""
        done = await self.slack.fake.submit_view(view, values)
        assert done.ack.ok
        return done

    def card(self, ts: str) -> Message:
        [found] = [m for m in self.slack.fake.channel_messages(TEAM, CHANNEL) if m.ts == ts]
        return found

    def told(self, who: str) -> list[str]:
        return [m.text for m in self.slack.fake.ephemerals(TEAM, user_id(who))]


@pytest.fixture(params=["http", "socket"])
async def env(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Setup]:
    mode: Mode = request.param
    async with running(tmp_path, mode) as slack:
        chat = SlackChat(slack.fake)
        chat.member("mod", MODERATOR)
        yield Setup(slack, chat)


async def test_an_open_card_has_moderate_and_a_member_is_refused(env: Setup) -> None:
    card = await env.ask("alice", "What about rail?")
    assert "[Upvote (0)]  [Moderate]" in plain_text(card.blocks)
    edits = len(card.edits)
    pressed = await env.press("bob", card)
    assert [m.text for m in pressed.ephemerals] == [MEMBERS_REFUSED]
    assert pressed.views == [] and pressed.messages == []
    assert len(env.card(card.ts).edits) == edits
    listed = await env.chat.slash("bob", "/questions")
    assert "What about rail?" in plain_text(listed.ephemerals[0].blocks)


async def test_a_moderator_dismisses_with_a_reason(env: Setup) -> None:
    card = await env.ask("alice", "Is the moon cheese?")
    view = await env.modal(card)
    shown = plain_text(view.view["blocks"])
    assert "Moderating Q1 — 0 upvotes: Is the moon cheese?" in shown
    assert "Dismiss it with a reason" in json.dumps(view.view["blocks"])

    done = await env.submit(view, reason="off-topic", words="not for this panel")
    assert done.ack.ok and view.state == "closed"
    assert any("Q1" in t and "dismissed" in t for t in env.told("mod"))
    assert any("Off-topic: not for this panel" in t for t in env.told("alice"))
    closed = plain_text(env.card(card.ts).blocks)
    assert "Question Q1 dismissed (closed)" in closed
    assert "Is the moon cheese?" not in closed and "[Upvote" not in closed
    listed = await env.chat.slash("mod", "/questions --status dismissed", MODERATOR)
    assert "Dismissed: Off-topic: not for this panel" in plain_text(listed.ephemerals[0].blocks)


async def test_other_without_words_is_refused_in_the_modal(env: Setup) -> None:
    card = await env.ask("alice", "Rail?")
    view = await env.modal(card)
    done = await env.refused(view, reason="other")
    assert view.state == "open"
    assert view.errors == {moderate.WORDS: "After Other, say why: its asker is shown this."}
    assert done.messages == [] and env.told("alice") == []
    listed = await env.chat.slash("bob", "/questions")
    assert "Rail?" in plain_text(listed.ephemerals[0].blocks)

    both = await env.refused(view, reason="duplicate", number="Q2")
    assert moderate.REASON in view.errors and both.messages == []
    words = await env.submit(view, reason="other", words="Asked at the last hustings")
    assert words.ack.ok and view.state == "closed"
    assert any("Asked at the last hustings" in t for t in env.told("alice"))


async def test_a_merge_moves_upvotes_once_per_member(env: Setup) -> None:
    q1 = await env.ask("alice", "What about rail?")
    q2 = await env.ask("bob", "Rail: what will you do?")
    for who, short_id in [("bob", "Q1"), ("carol", "Q1"), ("carol", "Q2"), ("dave", "Q2"),
                          ("alice", "Q2")]:  # fmt: skip
        await env.chat.slash(who, f"/upvote {short_id}")
    view = await env.modal(q2)
    assert "Q1 (2 upvotes): What about rail?" in json.dumps(view.view["blocks"])

    done = await env.submit(view, into="Q1")
    assert done.ack.ok and view.state == "closed"
    [moved] = [t for t in env.told("mod") if "moved" in t]
    assert "1 upvote moved to Q1, which now has 3" in moved and "2 more did not add" in moved
    assert any("Your question Q2 was merged into Q1" in t for t in env.told("bob"))
    assert "[Upvote (3)]  [Moderate]" in plain_text(env.card(q1.ts).blocks)
    closed = plain_text(env.card(q2.ts).blocks)
    assert "Question Q2 merged into Q1 (closed)" in closed and "[Upvote" not in closed
    again = await env.chat.slash("carol", "/upvote Q1")
    assert "already upvoted Q1; it has 3 upvotes" in again.ephemerals[0].text


async def test_merge_by_number_and_a_question_closed_meanwhile(env: Setup) -> None:
    await env.ask("alice", "Buses?")
    q2 = await env.ask("bob", "Buses, again?")
    view = await env.modal(q2)
    stale = await env.modal(q2)
    done = await env.submit(view, number="q1")
    assert done.ack.ok and any("Q2 merged into Q1" in plain_text(m.blocks) for m in done.messages)

    typed = await env.chat.slash("mod", "/question dismiss Q2 duplicate", MODERATOR)
    [refusal] = [m.text for m in typed.ephemerals]
    late = await env.submit(stale, reason="duplicate")
    assert late.ack.ok and late.messages == []
    assert env.told("mod")[-1] == refusal


async def test_an_answered_card_loses_moderate_and_a_stale_press_is_refused(env: Setup) -> None:
    card = await env.ask("alice", "Rail?")
    await env.chat.slash("mod", "/question answer Q1 We will.", MODERATOR)
    shown = json.dumps(env.card(card.ts).blocks)
    assert MODERATE_ACTION not in shown and "hustings_upvote" in shown
    button = {"type": "button", "action_id": MODERATE_ACTION, "value": "Q1"}
    views_before = len(env.slack.fake.views)
    await crafted_press(env, card, button)  # a client still showing the old card
    assert len(env.slack.fake.views) == views_before
    assert env.told("mod") == [
        "Q1 is answered now; only an open question can be dismissed or merged."
    ]


async def crafted_press(
    env: Setup, card: Message, button: dict[str, object], *, trigger: str | None = None
) -> None:
    """The moderator's press on ``card`` as a payload built by hand and signed with the real
    secret (a modified client), carrying ``button``; waits for the private answer."""
    fake, mod = env.slack.fake, user_id("mod")
    team = fake.team(TEAM)
    payload = slack_payloads.block_action(
        team,
        team.users[mod],
        card,
        element=button,
        block_id="forged",
        selected=None,
        app_id=fake.app_id,
        token=fake.verification_token,
        trigger_id=trigger or fake.issue_trigger(TEAM, mod),
        response_url=f"{fake.url}/response/{fake.issue_webhook(TEAM, card.channel, mod).id}",
    )
    ack = await fake.deliver("block_actions", payload)
    assert ack.ok
    await fake.wait_for(lambda: bool(fake.ephemerals(TEAM, mod)))
    await fake.settle(0.1)


@pytest.mark.parametrize("value", ["Q99", "Q2", "Q1; DROP", "P1", "", None, "Q" + "9" * 40])
async def test_forged_button_values_are_refused(env: Setup, value: str | None) -> None:
    """A press carrying a value we never put on a card (``Q2`` is a question of another
    channel) opens nothing and changes nothing."""
    fake = env.slack.fake
    await env.ask("alice", "Rail?")
    await env.ask("alice", "Buses?")  # Q2, in CHANNEL
    fake.add_channel(TEAM, OTHER, "elsewhere")
    env.chat.channel = OTHER
    other = await env.ask("carol", "Schools?")  # Q1 of OTHER
    button: dict[str, object] = {"type": "button", "action_id": MODERATE_ACTION}
    if value is not None:
        button["value"] = value
    views_before = len(fake.views)
    await crafted_press(env, other, button)
    assert len(fake.views) == views_before
    absent = f"There is no question {value} in this channel."
    assert env.told("mod") == [absent if value in ("Q99", "Q2") else moderate.NOT_A_QUESTION]
    listed = await env.chat.slash("dave", "/questions")
    assert "Schools?" in plain_text(listed.ephemerals[0].blocks)


async def test_a_spent_trigger_is_told_not_apologised_for(env: Setup) -> None:
    card = await env.ask("alice", "Rail?")
    button = {"type": "button", "action_id": MODERATE_ACTION, "value": "Q1"}
    await crafted_press(env, card, button, trigger="1.spent")
    assert env.told("mod") == [moderate.TOO_SLOW]


async def test_typed_moderation_closes_cards_as_the_form_does(env: Setup) -> None:
    q1 = await env.ask("alice", "Rail?")
    q2 = await env.ask("bob", "Rail again?")
    q3 = await env.ask("carol", "Something rude")
    await env.chat.slash("dave", "/upvote Q2")
    await env.chat.slash("mod", "/question dismiss Q3 abusive", MODERATOR)
    closed = plain_text(env.card(q3.ts).blocks)
    assert "Question Q3 dismissed (closed)" in closed and "rude" not in closed
    merged = await env.chat.slash("mod", "/question merge Q2 Q1", MODERATOR)
    assert any("Q2 merged into Q1" in plain_text(m.blocks) for m in merged.messages)
    assert "Question Q2 merged into Q1 (closed)" in plain_text(env.card(q2.ts).blocks)
    assert "[Upvote (1)]  [Moderate]" in plain_text(env.card(q1.ts).blocks)
    refused = await env.chat.slash("mod", "/question merge Q2", MODERATOR)
    assert refused.ephemerals[0].text.startswith("Missing into.")  # the parser's refusal


async def test_a_tampered_or_foreign_modal_changes_nothing(env: Setup) -> None:
    card = await env.ask("alice", "Rail?")
    view = await env.modal(card)
    fake = env.slack.fake
    tampered = fake.open_view(TEAM, user_id("mod"), {**view.view, "private_metadata": "{}"})
    await env.refused(tampered, reason="abusive")
    assert tampered.errors == {moderate.REASON: moderate.OUT_OF_DATE}

    # the same modal in a member's hands (never opened for them): refused after the ack
    bob = env.chat.member("bob")
    theirs = fake.open_view(TEAM, bob, copy.deepcopy(view.view))
    done = await fake.submit_view(theirs, {"reason": "abusive"})
    await answered(fake, done)
    assert [m.text for m in done.ephemerals] == [MEMBERS_REFUSED]
    listed = await env.chat.slash("dave", "/questions")
    assert "Rail?" in plain_text(listed.ephemerals[0].blocks)
    assert "[Moderate]" in plain_text(env.card(card.ts).blocks)
