"""The real discord.py client, through the fake: commands, replies, components and rules."""

from __future__ import annotations

import discord
import pytest
from discord_test_bot import ADMIN, MEMBER, MODERATOR, HarnessBot, Place, Seen

from bot.adapters.discord.fake import FakeDiscord, InteractionFailedError
from bot.adapters.discord.fake.record import CHOICES, DEFERRED_MESSAGE, MESSAGE, MODAL, UPDATE


async def test_sync_stores_the_tree_and_keeps_ids(fake: FakeDiscord, bot: HarnessBot) -> None:
    first = {c["name"]: c["id"] for c in fake.commands()}
    await bot.tree.sync()
    again = {c["name"]: c["id"] for c in fake.commands()}
    assert {"echo", "rank", "question", "count"} <= set(first)
    assert again == first
    assert fake.state.commands.overwrites == 2


async def test_guild_sync_is_separate_from_global(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    guild = discord.Object(place.guild)
    bot.tree.copy_global_to(guild=guild)
    await bot.tree.sync(guild=guild)
    assert {c["name"] for c in fake.commands(place.guild)} == {c["name"] for c in fake.commands()}
    assert all(c["guild_id"] == str(place.guild) for c in fake.commands(place.guild))


async def test_deferred_slash_command_is_followed_up(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    record = await fake.slash(MEMBER, place.channel, "echo", {"text": "hello"})
    await record
    assert record.callback_type == DEFERRED_MESSAGE
    assert record.texts == ["echo: hello"]
    assert not record.ephemeral
    # within Discord's 3 s deadline (speed itself is measured by benchmarks/, not here)
    assert record.ack_latency is not None and record.ack_latency < 3.0
    public = fake.channel_messages(place.channel, include_interactions=True)
    assert [m.text for m in public] == ["echo: hello"]
    assert fake.channel_messages(place.channel) == []


async def test_ephemeral_reply_is_private(fake: FakeDiscord, place: Place, bot: HarnessBot) -> None:
    record = await fake.slash(MEMBER, place.channel, "whisper", {"text": "my vote"})
    await record
    assert record.callback_type == MESSAGE
    assert record.ephemeral
    assert record.original is not None and record.original.visible_to == MEMBER
    assert fake.channel_messages(place.channel, include_interactions=True) == []


async def test_autocomplete_suggests_the_next_candidate(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    record = await fake.autocomplete(
        MEMBER, place.channel, "rank", {"ranking": "Burnham Co"}, "ranking"
    )
    await record
    assert record.callback_type == CHOICES
    assert [c["name"] for c in record.choices] == ["Burnham Cooper", "Burnham Corbyn"]


async def test_autocomplete_over_25_choices_is_refused(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    record = await fake.autocomplete(MEMBER, place.channel, "flood", {"name": ""}, "name")
    await record.wait_until(lambda: bool(record.rejected))
    assert record.error_codes == [50035]
    assert "choices" in record.rejected[0].errors["data"]  # type: ignore[index]
    assert not record.acked


async def test_button_click_reaches_the_view_and_updates_the_message(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    posted = await fake.slash(MEMBER, place.channel, "question")
    await posted
    assert posted.original is not None
    message_id = posted.original.id
    click = await fake.click(MODERATOR, message_id, "qa:upvote")
    await click
    assert click.callback_type == UPDATE
    assert fake.message(message_id).content == "Question? (1 upvotes)"


async def test_select_menu_pick_is_delivered(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    opened = await fake.slash(MEMBER, place.channel, "ballot")
    await opened
    assert opened.original is not None and opened.original.ephemeral
    picked = await fake.select(MEMBER, opened.original.id, "ballot:first", ["Cooper"])
    await picked
    assert fake.message(opened.original.id).content == "First preference: Cooper"


async def test_nobody_else_can_click_an_ephemeral_message(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    opened = await fake.slash(MEMBER, place.channel, "ballot")
    await opened
    assert opened.original is not None
    with pytest.raises(PermissionError):
        await fake.select(MODERATOR, opened.original.id, "ballot:first", ["Cooper"])


async def test_modal_opens_and_its_submission_arrives(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    opened = await fake.slash(MEMBER, place.channel, "ask")
    await opened
    assert opened.callback_type == MODAL
    assert opened.modal is not None and opened.modal["title"] == "Ask the candidates"
    submitted = await fake.submit_modal(opened, {"qa:text": "Will you repeal it?"})
    await submitted
    assert submitted.texts == ["Asked: Will you repeal it?"]
    assert submitted.ephemeral


@pytest.mark.parametrize("fake_options", [{"ack_deadline": 0.3}])
async def test_a_slow_first_response_gets_unknown_interaction(
    fake: FakeDiscord, place: Place, bot: HarnessBot, seen: Seen
) -> None:
    seen.slow = 0.5
    record = await fake.slash(MEMBER, place.channel, "slow")
    with pytest.raises(InteractionFailedError):
        await record.wait_ack()
    await record.wait_until(lambda: bool(record.rejected))
    assert record.timed_out
    assert record.error_codes == [10062]
    assert [(e.status, e.code) for e in seen.errors] == [(404, 10062)]


def test_the_default_deadline_is_three_seconds() -> None:
    fake = FakeDiscord()
    assert fake.state.ack_deadline == 3.0
    assert fake.state.token_lifetime == 15 * 60


async def test_a_second_acknowledgement_is_refused(
    fake: FakeDiscord, place: Place, bot: HarnessBot, seen: Seen
) -> None:
    record = await fake.slash(MEMBER, place.channel, "twice")
    await record
    assert [(e.status, e.code) for e in seen.errors] == [(400, 40060)]
    assert record.texts == ["done"]


async def test_oversize_content_is_an_invalid_form_body(
    fake: FakeDiscord, place: Place, bot: HarnessBot, seen: Seen
) -> None:
    record = await fake.slash(MEMBER, place.channel, "huge")
    await record
    assert [(e.status, e.code) for e in seen.errors] == [(400, 50035)]
    assert "content" in seen.errors[0].text
    assert record.texts == ["sorry"]


async def test_followup_before_acknowledging_is_unknown_webhook(
    fake: FakeDiscord, place: Place, bot: HarnessBot, seen: Seen
) -> None:
    record = await fake.slash(MEMBER, place.channel, "early")
    await record
    assert [(e.status, e.code) for e in seen.errors] == [(404, 10015)]


class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


CLOCK = Clock()


@pytest.mark.parametrize("fake_options", [{"clock": CLOCK}])
async def test_interaction_token_expires_after_15_minutes(
    fake: FakeDiscord, place: Place, bot: HarnessBot, seen: Seen
) -> None:
    record = await fake.slash(MEMBER, place.channel, "later")
    await record.wait_ack()
    CLOCK.now += 15 * 60 + 1
    seen.gate.set()
    await record.wait_until(lambda: bool(record.rejected))
    assert [(e.status, e.code) for e in seen.errors] == [(401, 50027)]
    assert record.original is not None and record.original.loading


async def test_first_followup_after_a_public_defer_stays_public(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    record = await fake.slash(MEMBER, place.channel, "leak")
    await record
    assert record.texts == ["meant to be private"]
    assert not record.ephemeral
    assert record.followups == []


async def test_bot_token_posts_land_in_the_channel(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    record = await fake.slash(MODERATOR, place.channel, "announce")
    await record
    posted = fake.channel_messages(place.channel)
    assert [(m.content, [e["title"] for e in m.embeds]) for m in posted] == [
        ("Results", ["Round 1", "Round 2"])
    ]
    assert posted[0].source == "bot" and posted[0].edits == 1
    assert record.texts == ["announced"]


async def test_embeds_over_6000_characters_are_refused(
    fake: FakeDiscord, place: Place, bot: HarnessBot, seen: Seen
) -> None:
    record = await fake.slash(MODERATOR, place.channel, "announce", {"size": 3500})
    await record
    assert [(e.status, e.code) for e in seen.errors] == [(400, 50035)]
    assert "MAX_EMBED_SIZE_EXCEEDED" in str(seen.errors[0].text) or "6000" in seen.errors[0].text
    assert fake.channel_messages(place.channel) == []


async def test_moderator_commands_are_hidden_from_members(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    assert "count" not in fake.visible_commands(place.guild, MEMBER)
    assert "count" in fake.visible_commands(place.guild, MODERATOR)
    assert "count" in fake.visible_commands(place.guild, ADMIN)
    with pytest.raises(PermissionError):
        await fake.slash(MEMBER, place.channel, "count")
    forced = await fake.slash(MEMBER, place.channel, "count", force=True)
    await forced
    assert forced.texts == ["counted"]


async def test_member_payload_carries_roles_and_permissions(
    fake: FakeDiscord, place: Place, bot: HarnessBot
) -> None:
    record = await fake.slash(MODERATOR, place.channel, "whisper", {"text": "x"})
    await record
    member = record.payload["member"]
    role = fake.world.guild(place.guild).role_named("moderator")
    assert role is not None and member["roles"] == [str(role.id)]
    assert int(member["permissions"]) & (1 << 5)
    assert record.payload["data"]["options"] == [{"name": "text", "type": 3, "value": "x"}]


async def test_persistent_button_works_after_a_restart(
    fake: FakeDiscord, place: Place, bot: HarnessBot, seen: Seen
) -> None:
    posted = await fake.slash(MEMBER, place.channel, "question")
    await posted
    assert posted.original is not None
    await bot.close()
    restarted = await HarnessBot(fake, seen).start(sync=False)
    try:
        click = await fake.click(MEMBER, posted.original.id, "qa:upvote")
        await click
        assert fake.message(posted.original.id).content == "Question? (1 upvotes)"
    finally:
        await restarted.close()
