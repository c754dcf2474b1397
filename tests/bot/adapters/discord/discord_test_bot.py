"""A tiny real discord.py bot for testing the fake Discord: a ``discord.Client`` with an
``app_commands.CommandTree`` whose commands each exercise one Discord rule.

Handlers catch ``discord.HTTPException`` and keep it in ``seen`` so tests can assert what
discord.py itself saw (status and Discord error code), not only what the fake recorded.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import discord
from discord import app_commands

from bot.adapters.discord.fake import FakeDiscord

CANDIDATES = ["Burnham", "Cooper", "Corbyn", "Kendall"] + [f"Extra {i:02}" for i in range(30)]


MEMBER, MODERATOR, ADMIN = 501, 502, 503


@dataclass
class Place:
    guild: int
    channel: int


def populate(fake: FakeDiscord) -> Place:
    guild = fake.add_guild(name="Hustings Test")
    channel = fake.add_channel(guild.id, "hustings")
    fake.add_member(guild.id, MEMBER, "member")
    moderator = fake.add_role(guild.id, "moderator", permissions=1 << 5)  # manage guild
    fake.add_member(guild.id, MODERATOR, "moderator", roles=[moderator.name])
    fake.add_member(guild.id, ADMIN, "admin", admin=True)
    return Place(guild.id, channel.id)


@dataclass
class Seen:
    errors: list[discord.HTTPException] = field(default_factory=list)
    gate: asyncio.Event = field(default_factory=asyncio.Event)
    slow: float = 0.0


class UpvoteView(discord.ui.View):
    """A persistent view (no timeout, fixed custom id), as the Q&A upvote button will be."""

    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.votes = 0

    @discord.ui.button(label="Upvote", custom_id="qa:upvote")
    async def upvote(
        self, interaction: discord.Interaction, button: discord.ui.Button[UpvoteView]
    ) -> None:
        self.votes += 1
        await interaction.response.edit_message(content=f"Question? ({self.votes} upvotes)")


class PickView(discord.ui.View):
    @discord.ui.select(
        custom_id="ballot:first",
        options=[discord.SelectOption(label=n, value=n) for n in CANDIDATES[:4]],
    )
    async def first(
        self, interaction: discord.Interaction, select: discord.ui.Select[PickView]
    ) -> None:
        await interaction.response.edit_message(content=f"First preference: {select.values[0]}")


class QuestionModal(discord.ui.Modal, title="Ask the candidates"):
    question: discord.ui.TextInput[QuestionModal] = discord.ui.TextInput(
        label="Question", custom_id="qa:text"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Asked: {self.question.value}", ephemeral=True)


def build_tree(client: discord.Client, seen: Seen) -> app_commands.CommandTree[discord.Client]:
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)

    async def attempt(coro: object) -> None:
        try:
            await coro  # type: ignore[misc]
        except discord.HTTPException as error:
            seen.errors.append(error)

    @tree.command(description="Defer, then follow up")
    async def echo(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer()
        await interaction.followup.send(f"echo: {text}")

    @tree.command(description="Answer privately")
    async def whisper(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(f"psst: {text}", ephemeral=True)

    @tree.command(description="Rank the candidates")
    async def rank(interaction: discord.Interaction, ranking: str) -> None:
        await interaction.response.send_message(f"ranked: {ranking}", ephemeral=True)

    @rank.autocomplete("ranking")
    async def suggest(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        words = current.split()
        stem, typed = words[:-1], (words[-1] if words and not current.endswith(" ") else "")
        names = [c for c in CANDIDATES if c.lower().startswith(typed.lower()) and c not in stem]
        return [
            app_commands.Choice(name=" ".join([*stem, n]), value=" ".join([*stem, n]))
            for n in names[:25]
        ]

    @tree.command(description="Autocomplete with too many choices")
    async def flood(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(name)

    @flood.autocomplete("name")
    async def flood_choices(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=c, value=c) for c in CANDIDATES]

    @tree.command(description="Post a question with an upvote button")
    async def question(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Question? (0 upvotes)", view=UpvoteView())

    @tree.command(description="A select menu ballot")
    async def ballot(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            "Pick your first preference", view=PickView(), ephemeral=True
        )

    @tree.command(description="Open a modal")
    async def ask(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(QuestionModal())

    @tree.command(description="Sleep before answering")
    async def slow(interaction: discord.Interaction) -> None:
        await asyncio.sleep(seen.slow)
        await attempt(interaction.response.send_message("finally"))

    @tree.command(description="Acknowledge twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        await attempt(discord.InteractionResponse(interaction).send_message("again"))
        await interaction.followup.send("done", ephemeral=True)

    @tree.command(description="Say too much")
    async def huge(interaction: discord.Interaction) -> None:
        await attempt(interaction.response.send_message("x" * 2001))
        if not interaction.response.is_done():
            await interaction.response.send_message("sorry", ephemeral=True)

    @tree.command(description="Follow up before acknowledging")
    async def early(interaction: discord.Interaction) -> None:
        await attempt(interaction.followup.send("too soon"))
        await interaction.response.send_message("ok", ephemeral=True)

    @tree.command(description="Defer, wait for the test, then follow up")
    async def later(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        await seen.gate.wait()
        await attempt(interaction.followup.send("at last", ephemeral=True))

    @tree.command(description="Defer publicly, then try a private followup")
    async def leak(interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        await interaction.followup.send("meant to be private", ephemeral=True)

    @tree.command(description="Post to the channel with the bot token")
    async def announce(interaction: discord.Interaction, size: int = 10) -> None:
        await interaction.response.defer(ephemeral=True)
        embeds = [discord.Embed(title=f"Round {i}", description="d" * size) for i in (1, 2)]
        channel = interaction.channel
        assert isinstance(channel, discord.TextChannel)
        try:
            posted = await channel.send(
                embeds=embeds, allowed_mentions=discord.AllowedMentions.none()
            )
            await posted.edit(content="Results")
        except discord.HTTPException as error:
            seen.errors.append(error)
        await interaction.followup.send("announced", ephemeral=True)

    @tree.command(description="Moderators only")
    @app_commands.default_permissions(manage_guild=True)
    async def count(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("counted", ephemeral=True)

    return tree


class HarnessBot:
    """A started client bound to one fake; ``await bot.close()`` stops it."""

    def __init__(
        self, fake: FakeDiscord, seen: Seen, intents: discord.Intents | None = None
    ) -> None:
        self.fake, self.seen = fake, seen
        self.client = discord.Client(
            intents=intents or discord.Intents.default(), guild_ready_timeout=0.05
        )
        self.client.add_view(UpvoteView())
        self.client.before_identify_hook = self._no_identify_pause  # type: ignore[method-assign]
        self.tree = build_tree(self.client, seen)
        self.ready = asyncio.Event()
        self.client.event(self.on_ready)
        self.task: asyncio.Task[None] | None = None

    async def _no_identify_pause(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py sleeps 5 s before every IDENTIFY after the first; tests need not."""

    async def on_ready(self) -> None:
        self.ready.set()

    async def start(self, *, sync: bool = True) -> HarnessBot:
        self.task = asyncio.create_task(self.client.start(self.fake.token))
        ready = asyncio.create_task(self.ready.wait())
        await asyncio.wait({ready, self.task}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if self.task.done():
            ready.cancel()
            self.task.result()
        if sync:
            await self.tree.sync()
        return self

    async def close(self) -> None:
        await self.client.close()
        if self.task is not None:
            await asyncio.gather(self.task, return_exceptions=True)
