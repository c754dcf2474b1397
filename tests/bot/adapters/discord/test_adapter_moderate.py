"""The moderators' menu on a question's card, through discord.py and the fake Discord: dismiss
with a reason (``other`` by modal), merge by select or by number, each use checked again as
it happens; the cards a merge, a dismissal or an upvote changed are redrawn."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.discord.fake import FakeDiscord, InteractionRecord, Message
from bot.domain import Actor, Place
from tests.bot.adapters.discord.harness import Bot, DiscordChat, running

MOD = frozenset({"moderator"})


@dataclasses.dataclass
class Setup:
    fake: FakeDiscord
    chat: DiscordChat
    bot: Bot

    def card(self, short_id: str) -> Message:
        """The channel's card of ``short_id`` (as it reads now)."""
        for message in self.fake.channel_messages(self.chat.channel, include_interactions=True):
            if f"hustings:upvote:{short_id[1:]}" in message.custom_ids() or (
                f"Question {short_id} " in message.text and "(closed)" in message.text
            ):
                return message
        raise LookupError(short_id)

    async def ask(self, who: str, text: str) -> Message:
        await self.chat.run(who, f"/ask {text}")
        return self.fake.channel_messages(self.chat.channel)[-1]

    async def press(self, who: str, message: Message, prefix: str) -> InteractionRecord:
        [custom_id] = [i for i in message.custom_ids() if i.startswith(prefix)]
        return await (await self.fake.click(self.chat.member(who), message.id, custom_id))

    async def menu(self, card: Message) -> Message:
        """A moderator presses Moderate; the menu only they see."""
        opened = await self.press("mod", card, "hustings:moderate:")
        [menu] = [m for m in opened.messages if m.custom_ids()]
        assert menu.ephemeral and menu.visible_to == self.chat.member("mod", MOD)
        return menu

    async def pick(
        self, menu: Message, prefix: str, value: str, *, forged: bool = False
    ) -> InteractionRecord:
        [custom_id] = [i for i in menu.custom_ids() if i.startswith(prefix)]
        user = self.chat.member("mod", MOD)
        return await (await self.fake.select(user, menu.id, custom_id, [value], forged=forged))


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Setup]:
    async with running(tmp_path) as (fake, chat, bot):
        chat.member("mod", MOD)
        yield Setup(fake, chat, bot)


def _said(record: InteractionRecord) -> str:
    return "\n".join(m.text for m in record.followups) or "\n".join(record.texts)


async def test_a_member_gets_no_menu_and_changes_nothing(env: Setup) -> None:
    card = await env.ask("alice", "What about rail?")
    assert any(i.startswith("hustings:moderate:1") for i in card.custom_ids())
    before = [(m.id, m.edits) for m in env.fake.channel_messages(env.chat.channel)]
    pressed = await env.press("bob", card, "hustings:moderate:")
    assert pressed.ephemeral
    assert pressed.texts == ["Only moderators can dismiss or merge questions."]
    assert all(not m.custom_ids() for m in pressed.messages)  # no menu for a member
    assert [(m.id, m.edits) for m in env.fake.channel_messages(env.chat.channel)] == before
    listed = await env.chat.run("bob", "/questions")
    assert "What about rail?" in "\n".join(listed.texts)


async def test_dismiss_with_a_reason_closes_the_card_and_tells_the_asker(env: Setup) -> None:
    card = await env.ask("alice", "Buy my crypto course")
    menu = await env.menu(card)
    assert "Moderating Q1" in menu.text
    done = await env.pick(menu, "hustings:dismiss:", "abusive")
    assert "Question Q1 dismissed. alice is told privately why: Abusive" in _said(done)
    (told,) = env.fake.direct_messages(env.chat.member("alice"))
    assert "Your question Q1 was dismissed by a moderator: Abusive" in told.text
    closed = env.fake.message(card.id)
    assert closed.custom_ids() == [] and "dismissed (closed)" in closed.text
    assert "crypto" not in closed.text  # a dismissed question's words leave the channel
    assert env.fake.message(menu.id).custom_ids() == []  # the spent menu loses its controls
    listed = await env.chat.run("bob", "/questions")
    assert "crypto" not in "\n".join(listed.texts)


async def test_other_asks_for_words_in_a_modal_that_survives_a_restart(env: Setup) -> None:
    card = await env.ask("alice", "Which football team?")
    menu = await env.menu(card)
    opened = await env.pick(menu, "hustings:dismiss:", "other")
    assert opened.modal is not None and opened.modal["custom_id"] == "hustings:dismisswhy:1"
    await env.bot.stop()
    await env.bot.start()
    submitted = await (await env.fake.submit_modal(opened, {"why": "Not for this panel"}))
    assert "told privately why: Not for this panel" in _said(submitted)
    (told,) = env.fake.direct_messages(env.chat.member("alice"))
    assert "dismissed by a moderator: Not for this panel" in told.text
    stats = await env.chat.run("bob", "/questions stats")
    assert "1 dismissed (1 other)" in "\n".join(stats.texts)
    assert env.fake.message(card.id).custom_ids() == []


async def test_merge_from_the_menu_moves_upvotes_and_redraws_both_cards(env: Setup) -> None:
    first = await env.ask("alice", "Will you renationalise rail?")
    second = await env.ask("bob", "Rail back in public hands?")
    await env.press("carol", second, "hustings:upvote:")  # carol: Q2 only
    await env.press("dave", first, "hustings:upvote:")  # dave: both
    await env.press("dave", second, "hustings:upvote:")
    menu = await env.menu(second)
    offered = str(menu.components)
    assert "Q1 (1 upvote)" in offered and '"value": "Q2"' not in offered
    merged = await env.pick(menu, "hustings:merge:", "Q1")
    assert "Merged Q2 into Q1: 1 upvote moved to Q1" in _said(merged)
    announced = env.fake.channel_messages(env.chat.channel)[-1]
    assert "Q2 merged into Q1 (a duplicate)" in announced.text
    assert "Q1 now has 2 upvotes" in announced.text
    closed = env.fake.message(second.id)
    assert closed.custom_ids() == [] and "merged into Q1 (closed)" in closed.text
    target = env.fake.message(first.id)
    assert "Upvote (2)" in str(target.components) and "2 upvotes" in target.text
    (told,) = env.fake.direct_messages(env.chat.member("bob"))
    assert "Your question Q2 was merged into Q1" in told.text


async def test_merge_by_number_refuses_a_question_of_another_channel(env: Setup) -> None:
    other = env.fake.add_channel(env.chat.guild, "elsewhere").id
    for text in ("One?", "Two?", "Three?"):
        await env.fake.slash(env.chat.member("erin"), other, "ask", {"question": text})
    await env.ask("alice", "Rail?")
    card = await env.ask("bob", "Trains?")
    menu = await env.menu(card)
    opened = await env.press("mod", menu, "hustings:mergeask:")
    assert opened.modal is not None
    refused = await (await env.fake.submit_modal(opened, {"into": "Q3"}))
    assert refused.followups and all(m.ephemeral for m in refused.followups)
    assert "There is no question Q3 in this channel." in _said(refused)
    assert "hustings:upvote:2" in env.fake.message(card.id).custom_ids()  # unchanged
    assert env.fake.message(menu.id).custom_ids()  # the menu stays for another try
    listed = await env.chat.run("mod", "/questions", MOD)
    assert "Trains?" in "\n".join(listed.texts)


async def test_a_menu_shown_before_the_question_changed_is_refused(env: Setup) -> None:
    card = await env.ask("alice", "Rail?")
    menu = await env.menu(card)
    await env.chat.run("mod", "/question answer Q1 By 2030.", MOD)
    assert "hustings:moderate:1" not in env.fake.message(card.id).custom_ids()
    refused = await env.pick(menu, "hustings:dismiss:", "duplicate")
    assert all(m.ephemeral for m in refused.followups)
    assert "Q1 is already answered; it cannot be dismissed now." in _said(refused)
    assert env.fake.direct_messages(env.chat.member("alice")) == []
    listed = await env.chat.run("bob", "/questions --status answered")
    assert "By 2030." in "\n".join(listed.texts)


async def test_a_moderator_who_lost_the_role_cannot_use_an_open_menu(env: Setup) -> None:
    card = await env.ask("alice", "Rail?")
    menu = await env.menu(card)
    mod = env.fake.world.member(env.chat.guild, env.chat.member("mod"))
    mod.roles.clear()
    refused = await env.pick(menu, "hustings:dismiss:", "off-topic")
    assert _said(refused) == "Only moderators can dismiss or merge questions."
    forged = await env.pick(menu, "hustings:dismiss:", "other")
    assert forged.modal is None and "Only moderators" in _said(forged)
    assert "hustings:upvote:1" in env.fake.message(card.id).custom_ids()
    assert env.fake.direct_messages(env.chat.member("alice")) == []


async def test_a_forged_reason_is_refused(env: Setup) -> None:
    card = await env.ask("alice", "Rail?")
    menu = await env.menu(card)
    refused = await env.pick(menu, "hustings:dismiss:", "boring", forged=True)
    assert "Choose one of the reasons in the menu." in _said(refused)
    assert "hustings:upvote:1" in env.fake.message(card.id).custom_ids()


async def test_a_typed_merge_redraws_the_cards(env: Setup) -> None:
    """The Discord upvote button was stale after ``/question merge``: the duplicate's card
    kept a button that could only be refused, the target's an old count."""
    first = await env.ask("alice", "Rail?")
    second = await env.ask("bob", "Trains?")
    await env.press("carol", second, "hustings:upvote:")
    await env.chat.run("mod", "/question merge Q2 Q1", MOD)
    assert env.fake.message(second.id).custom_ids() == []
    assert "merged into Q1 (closed)" in env.fake.message(second.id).text
    assert "Upvote (1)" in str(env.fake.message(first.id).components)
    typed = await env.chat.run("dave", "/upvote Q1")
    assert "it has 2 upvotes" in typed.texts[0]
    assert "Upvote (2)" in str(env.fake.message(first.id).components)


async def test_a_long_re_answer_edits_every_part_of_the_posted_answer(env: Setup) -> None:
    """An answer split across messages: a re-answer edits each part in place (it used to
    edit only the first, leaving the old answer's tail in the channel), posts a part it
    needs beyond them, and a shorter one deletes the parts it no longer needs."""
    await env.ask("alice", "Rail?")
    old = " ".join(f"old{i}" for i in range(300))
    await env.chat.run("mod", f"/question answer Q1 {old}", MOD)
    parts = env.fake.channel_messages(env.chat.channel)[1:]
    assert len(parts) >= 2 and "old299" in parts[-1].text
    new = " ".join(f"new{i}" for i in range(300))
    await env.chat.run("mod", f"/question answer Q1 {new}", MOD)
    now = env.fake.channel_messages(env.chat.channel)[1:]
    assert [m.id for m in now][: len(parts)] == [m.id for m in parts]  # edited in place
    assert all("old" not in m.text for m in now)  # no part of the old answer is left
    assert "new299" in "\n".join(m.text for m in now) and "(edited" in now[-1].text
    await env.chat.run("mod", "/question answer Q1 Short now.", MOD)
    [short] = env.fake.channel_messages(env.chat.channel)[1:]
    assert short.id == parts[0].id and "Short now." in short.text


async def test_an_accepted_rewording_redraws_the_card(env: Setup) -> None:
    card = await env.ask("alice", "Schools?")
    await env.chat.run("mod", "/question edit Q1 What will you do about schools?", MOD)
    (dm,) = env.fake.direct_messages(env.chat.member("alice"))
    [accept] = [i for i in dm.custom_ids() if i.startswith("hustings:reword:accept:")]
    await (await env.fake.click(env.chat.member("alice"), dm.id, accept))
    redrawn = env.fake.message(card.id)
    assert "What will you do about schools?" in redrawn.text
    assert "hustings:upvote:1" in redrawn.custom_ids()


async def test_moderate_on_a_card_another_process_left_stale_is_refused(env: Setup) -> None:
    """The question was answered elsewhere (another process, no card redraw): the menu is
    not offered for a question that can no longer be dismissed or merged."""
    card = await env.ask("alice", "Rail?")
    app = env.bot.app
    assert app is not None
    guild, channel = str(env.chat.guild), str(env.chat.channel)
    moderator = Actor("discord", guild, str(env.chat.member("mod")), "mod", MOD)
    await app.questions.answer(moderator, Place("discord", guild, channel), "Q1", "By 2030.")
    refused = await env.press("mod", card, "hustings:moderate:")
    assert refused.ephemeral and all(not m.custom_ids() for m in refused.messages)
    assert refused.texts == [
        "Q1 is answered now; only an open question can be dismissed or merged."
    ]
