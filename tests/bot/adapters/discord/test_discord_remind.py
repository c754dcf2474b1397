"""``/election remind`` through the real discord.py client and the fake Discord: a DM to each
linked member who has not voted; nothing to the voter; a member whose DMs are closed is
skipped without a word to the moderator (which would single them out); nothing public."""

from __future__ import annotations

from pathlib import Path

from tests.bot.adapters.discord.harness import running
from tests.bot.adapters.roll_scenario import CODES, seed_roll

MOD = frozenset({"moderator"})


async def test_reminders_go_by_dm_to_linked_members_who_have_not_voted(tmp_path: Path) -> None:
    async with running(tmp_path) as (fake, chat, bot):
        assert bot.app is not None
        await seed_roll(bot.app)
        for name, member in (("alice", "M001"), ("bob", "M002"), ("carol", "M003")):
            linked = await chat.run(name, f"/link {CODES[member]}")
            assert "Linked" in linked.texts[0]
        await chat.run("mod", '/election create "Leader" Kendall, Burnham --electorate roll', MOD)
        await chat.run("mod", "/election open", MOD)
        voted = await chat.run("alice", "/rank Kendall")
        assert "receipt" in "\n".join(voted.texts).casefold()
        fake.close_dms(chat.member("carol"))
        before = {m.id for m in chat.public_messages()}

        sent = await chat.run("mod", "/election remind", MOD)

        assert sent.ephemeral and not sent.rejected
        reply = "\n".join(sent.texts)
        assert "Reminders sent for Leader (election 1)" in reply
        assert "How many is not shown" in reply
        assert "could not be sent a direct message" not in reply  # carol is not singled out
        (dm,) = fake.direct_messages(chat.member("bob"))
        assert "Reminder: voting is open in Leader (election 1)" in dm.text
        assert "/rank Kendall, Burnham" in dm.text
        assert dm.guild_id is None and not dm.ephemeral
        assert fake.direct_messages(chat.member("alice")) == []  # she has voted
        assert fake.direct_messages(chat.member("carol")) == []  # DMs closed
        assert fake.direct_messages(chat.member("mod")) == []
        assert [m for m in chat.public_messages() if m.id not in before] == []

        again = await chat.run("mod", "/election remind 1", MOD)
        assert "at most one a day" in "\n".join(again.texts)
        assert len(fake.direct_messages(chat.member("bob"))) == 1
