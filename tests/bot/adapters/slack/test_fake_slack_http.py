"""The real bolt ``AsyncApp`` over HTTP against the fake: signatures, acks, replies, modals."""

from __future__ import annotations

import pytest
from slack_bolt.async_app import AsyncApp
from slack_fake_app import ADMIN, CHANNEL, MEMBER, TEAM, Seen, build_app, populate, serve

from bot.adapters.slack.fake import FakeSlack, RateLimit, Signing


async def test_signed_slash_command_is_acked_and_answered(
    fake: FakeSlack, http_app: AsyncApp, seen: Seen
) -> None:
    done = await fake.slash(TEAM, MEMBER, CHANNEL, "/echo", "Kendall Burnham")

    assert done.ack.status == 200 and done.ack.ok and done.ack.elapsed < 3.0
    assert seen.commands == ["Kendall Burnham"]
    assert [m.text for m in done.messages] == ["echo: Kendall Burnham"]
    assert done.messages[0].via == "chat.postMessage"
    assert sorted(m.text for m in done.ephemerals) == ["also only you", "only you: Kendall Burnham"]
    assert {m.via for m in done.ephemerals} == {"response_url", "chat.postEphemeral"}
    assert fake.ephemerals(TEAM, ADMIN) == []


@pytest.mark.parametrize("how", [Signing.FORGED, Signing.STALE, Signing.MISSING])
async def test_bad_signature_is_rejected_and_runs_nothing(
    fake: FakeSlack, http_app: AsyncApp, seen: Seen, how: Signing
) -> None:
    done = await fake.slash(TEAM, MEMBER, CHANNEL, "/echo", "forged", signing=how)

    assert done.ack.status == 401
    assert done.error == "dispatch_failed"
    assert seen.commands == []
    assert fake.messages == []


async def test_ack_text_becomes_an_ephemeral_reply(fake: FakeSlack, http_app: AsyncApp) -> None:
    done = await fake.slash(TEAM, MEMBER, CHANNEL, "/quick", "hi")

    assert [(m.text, m.via) for m in done.ephemerals] == [("acked: hi", "ack")]
    assert done.messages == []


async def test_late_ack_is_recorded_as_timeout(seen: Seen) -> None:
    # A deadline of 1.5 s: wide enough that an immediate ack meets it on a loaded machine,
    # while the slow handler (2.5 s) misses it whatever the load.
    async with FakeSlack(ack_timeout=1.5, settle_quiet=0) as fake:
        populate(fake)
        runner, origin = await serve(build_app(fake, seen))
        fake.request_url = f"{origin}/slack/events"
        try:
            slow = await fake.slash(TEAM, MEMBER, CHANNEL, "/slow", "2.5")
            quick = await fake.slash(TEAM, MEMBER, CHANNEL, "/slow", "0")
        finally:
            await runner.cleanup()

    assert slow.ack.late and not slow.ack.ok and slow.error == "operation_timeout"
    assert slow.ack.elapsed >= 2.5
    assert quick.ack.ok and quick.error is None


async def test_button_click_reaches_the_action_and_replaces_the_message(
    fake: FakeSlack, http_app: AsyncApp, seen: Seen
) -> None:
    posted = (await fake.slash(TEAM, MEMBER, CHANNEL, "/echo", "q")).messages[0]

    done = await fake.click(posted, "upvote", user_id=ADMIN)
    # The edit follows the ack through response_url; on a loaded machine it may come after
    # the fake's quiet spell, so wait for it (event-driven, generous) rather than for quiet.
    await fake.wait_for(lambda: posted.text == "upvoted q1", within=30)

    assert done.ack.ok and seen.actions == ["q1"]
    assert posted.text == "upvoted q1" and posted.edits[0]["text"] == "echo: q"
    assert done.payload["container"]["message_ts"] == posted.ts


async def test_modal_opens_validates_and_submits(
    fake: FakeSlack, http_app: AsyncApp, seen: Seen
) -> None:
    opened = await fake.slash(TEAM, MEMBER, CHANNEL, "/vote")
    [view] = opened.views

    rejected = await fake.submit_view(view, {"pref1": "Cooper", "pref2": "Cooper"})
    assert rejected.ack.ok and view.state == "open"
    assert view.errors == {"pref2": "Already ranked"} and seen.submissions == []

    cast = await fake.submit_view(view, {"pref1": "Cooper", "pref2": "Burnham"})
    assert view.state == "closed"
    assert seen.submissions == [{"ranking": ["Cooper", "Burnham"], "user": MEMBER}]
    assert [m.text for m in cast.ephemerals] == ["ballot: Cooper > Burnham"]


async def test_a_member_cannot_pick_what_the_modal_does_not_offer(
    fake: FakeSlack, http_app: AsyncApp
) -> None:
    [view] = (await fake.slash(TEAM, MEMBER, CHANNEL, "/vote")).views

    with pytest.raises(LookupError):
        await fake.submit_view(view, {"pref1": "Nobody"})
    with pytest.raises(ValueError, match="required"):
        await fake.submit_view(view, {"pref2": "Cooper"})


async def test_rate_limited_posts_are_retried_and_none_is_lost(seen: Seen) -> None:
    # Slack's own pace (1 a second, a burst of 3): the fourth post meets a 429 unless the
    # first four took a whole second, which even a loaded machine does not take.
    async with FakeSlack(rate_limit=RateLimit(per_second=1.0, burst=3), settle_quiet=0) as fake:
        populate(fake)
        runner, origin = await serve(build_app(fake, seen))
        fake.request_url = f"{origin}/slack/events"
        try:
            await fake.slash(TEAM, MEMBER, CHANNEL, "/burst", "6")
            await fake.wait_for(lambda: len(fake.channel_messages(TEAM, CHANNEL)) == 6, within=30)
        finally:
            await runner.cleanup()

    assert [m.text for m in fake.channel_messages(TEAM, CHANNEL)] == [
        f"round {n}" for n in range(1, 7)
    ]
    limited = [c for c in fake.calls if c.status == 429]
    assert limited and all(c.error == "ratelimited" for c in limited)
