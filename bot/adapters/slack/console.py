"""The local Slack console: typed lines become slash commands on the fake Slack.

Lines use the fake console's format (``@alice +moderator: /rank Kendall Burnham``, a
``#channel`` prefix to switch channel, ``!admin`` for a workspace admin). Each speaker becomes
a member of the demo workspace; ``+role`` is membership of the user group with that handle
(the adapter reads roles from user groups), set for that line only. The command is delivered
by the fake exactly as Slack would (Socket Mode envelope, ack timed), and everything the bot
then shows is printed: ``[#hustings] …`` for the channel, ``[private to alice] …`` for
ephemerals, ``[direct message to alice] …`` for the app's DM with her (the minutes, their
text files printed beneath), ``[form for alice] …`` when a modal opens.
"""

from __future__ import annotations

import contextlib
import re

from bot.adapters.console import Write, feed_line, tagged
from bot.adapters.fake import ConsoleLine
from bot.adapters.fake.lines import chat_text, is_chat
from bot.adapters.slack.after_ack import until_idle
from bot.adapters.slack.app import SLASH_COMMANDS
from bot.adapters.slack.fake import FakeSlack, Interaction
from bot.adapters.slack.render import plain_text

ANSWER_WAIT = 10.0
QUIET = 0.1


class SlackConsole:
    """Feeds typed lines to the fake Slack in one workspace and prints what members see."""

    def __init__(self, fake: FakeSlack, team: str, channel: str, write: Write) -> None:
        self.fake = fake
        self.team = team
        self.channel = channel
        self.write = write
        self._seen_seq = fake.next_seq()
        self._names: dict[str, str] = {}

    async def feed(self, line: str) -> None:
        await feed_line(line, self.write, self._send)

    async def _send(self, parsed: ConsoleLine, _text: str) -> None:
        if parsed.platform not in (None, "slack"):  # @alice/discord is not a Slack account
            self.write(f"[console] this console serves Slack; @{parsed.speaker} is not here")
            return
        if parsed.channel:
            self.channel = self._channel(parsed.channel)
        if is_chat(parsed):
            where = self.fake.team(self.team).channels[self.channel].name
            self.write(tagged(f"[#{where}]", chat_text(parsed)))
            return
        command, _, argument = parsed.command_text.partition(" ")
        if command.lstrip("/") not in SLASH_COMMANDS or not command.startswith("/"):
            self.write(f"[console] {command or '(nothing)'} is not a Hustings command; try /help")
            return
        user = self._member(parsed.user, parsed.roles, parsed.admin)
        done = await self.fake.slash(self.team, user, self.channel, command, argument.strip())
        if done.error:
            self.write(f"[console] Slack shows {parsed.user} an error: {done.error}")
        else:
            await self._answer(done)
        for view in done.views:
            inputs = sum(1 for b in view.view.get("blocks", []) if b.get("type") == "input")
            self.write(
                f"[form for {parsed.user}] {view.view['title']['text']}: {inputs} preference "
                "menus (the console cannot fill forms; rank with /rank Name Name …)"
            )
        self.flush()

    async def _answer(self, done: Interaction) -> None:
        """Wait for the bot's first answer to this line (a count may take a moment), then
        for the rest of its work (a count's charts are drawn after its text)."""
        with contextlib.suppress(TimeoutError):
            await self.fake.wait_for(
                lambda: bool(done.messages or done.ephemerals or done.views), ANSWER_WAIT
            )
        await until_idle(ANSWER_WAIT)
        await self.fake.settle(QUIET)

    def flush(self) -> None:
        """Print every message posted since the last flush (timed closes included)."""
        for message in self.fake.messages:
            if message.seq <= self._seen_seq or message.team_id != self.team:
                continue
            self._seen_seq = message.seq
            body = plain_text(message.blocks) or message.text
            channel = self.fake.team(self.team).channels[message.channel]
            if message.ephemeral_to is not None:
                who = self._name_of(message.ephemeral_to)
                self.write(tagged(f"[private to {who}]", body))
            elif channel.is_im:
                who = self._name_of(channel.members[0])
                self.write(tagged(f"[direct message to {who}]", body))
            else:
                self.write(tagged(f"[#{channel.name}]", body))
            for file_id in message.files:
                self._show_file(file_id)

    def _show_file(self, file_id: str) -> None:
        """``[attachment NAME]``, then an image's alt text or a text file's lines."""
        shared = self.fake.file_store.files[file_id]
        self.write(f"[attachment {shared.filename}]")
        if shared.alt_txt:
            self.write(f"  alt: {shared.alt_txt}")
        elif shared.mimetype != "image/png" and shared.data is not None:
            text = shared.data.decode("utf-8", errors="replace")
            self.write("\n".join(f"    {line}" for line in text.splitlines()))

    def _member(self, name: str, roles: frozenset[str], admin: bool) -> str:
        uid = "U0" + (re.sub(r"[^A-Z0-9]", "", name.upper()) or "X")
        team = self.fake.team(self.team)
        if uid not in team.users:
            self.fake.add_user(self.team, uid, name)
        self._names[uid] = name
        team.users[uid].is_admin = admin
        self.fake.set_usergroups(self.team, uid, roles)
        return uid

    def _channel(self, name: str) -> str:
        team = self.fake.team(self.team)
        for channel in team.channels.values():
            if channel.name == name:
                return channel.id
        channel_id = "C0" + (re.sub(r"[^A-Z0-9]", "", name.upper()) or "X")
        self.fake.add_channel(self.team, channel_id, name)
        return channel_id

    def _name_of(self, user_id: str) -> str:
        user = self.fake.team(self.team).users.get(user_id)
        return self._names.get(user_id) or (user.name if user else user_id)
