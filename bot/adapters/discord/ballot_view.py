"""``/ballot``: rank with select menus in an ephemeral message, then confirm.

Built for a phone: one select menu per preference (1st, 2nd, 3rd…), each offering the
candidates not yet ranked, so a member taps rather than types. A message holds five rows, so
at most four preference menus show at once (the last filled ones and the next) above one row
of buttons: Confirm, Start over, and ◀ ▶ to page through the candidates when more than fit a
menu (Discord allows 25 options; 24 are listed so a filled preference still shows its choice).
Picking a candidate already chosen is impossible: each menu lists only unranked candidates.

Choosing, paging and starting over only change this form (in memory, answered at once with
an edit, no database). Confirm defers, then casts through ``dispatch`` exactly as ``/rank``
does (one permission check, one error mapping), with every name quoted so nothing is
re-interpreted, and the form becomes the receipt. The form lives in memory for 14 minutes
(an ephemeral message cannot be edited after the interaction token's 15); after a restart
its buttons say so and point to ``/ballot``.
"""

from __future__ import annotations

import secrets
import weakref
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.commands import BY_NAME, Value
from bot.adapters.discord import markdown
from bot.adapters.discord.errors import guarded, tell
from bot.adapters.discord.render import reply_messages
from bot.adapters.discord.respond import ANSWERED, NO_MENTIONS
from bot.adapters.dispatch import run_outcome
from bot.adapters.render import views
from bot.adapters.render.text import render as render_text
from bot.adapters.textform import Invocation
from bot.domain import ElectionView
from bot.errors import UserError

RANK = BY_NAME["rank"]

if TYPE_CHECKING:
    from bot.adapters.discord.client import HustingsClient

PREFIX = "hustings:ballot:"
PER_PAGE = 24
MENUS = 4
LIFETIME = 14 * 60.0
EXPIRED = "This ballot form has expired. Run /ballot again to rank."
NOT_OFFERED = "That choice is not on this ballot form; nothing was changed. Pick from the menu."

_live: weakref.WeakValueDictionary[str, BallotForm] = weakref.WeakValueDictionary()


def is_expired_form(custom_id: str) -> bool:
    """A ballot-form component whose form is no longer in memory (timed out, or restarted)."""
    if not custom_id.startswith(PREFIX):
        return False
    form_id = custom_id.removeprefix(PREFIX).partition(":")[0]
    return form_id not in _live


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class BallotForm(discord.ui.View):
    """One member's ballot form for one election."""

    def __init__(self, client: HustingsClient, election: ElectionView, owner_id: int) -> None:
        super().__init__(timeout=LIFETIME)
        self.client = client
        self.election = election
        self.owner_id = owner_id
        self.form_id = secrets.token_hex(6)
        self.ranking: list[str] = []
        self.page = 0
        _live[self.form_id] = self
        self.rebuild()

    # -- state -------------------------------------------------------------------------------

    @property
    def remaining(self) -> list[str]:
        return [c for c in self.election.candidates if c not in self.ranking]

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.remaining) // PER_PAGE))

    def positions(self) -> range:
        """The preferences shown as menus: the last filled ones and the next one."""
        shown_next = len(self.ranking) < len(self.election.candidates)
        end = len(self.ranking) + (1 if shown_next else 0)
        return range(max(0, end - MENUS), end)

    def choose(self, position: int, candidate: str) -> None:
        if candidate not in self.election.candidates:
            return
        if candidate in self.ranking:
            return
        if position < len(self.ranking):
            self.ranking[position] = candidate
        elif position == len(self.ranking):
            self.ranking.append(candidate)
        self.page = min(self.page, self.pages - 1)

    def content(self) -> str:
        e = self.election
        title = markdown.text(e.title)
        lines = [f"**Your ballot: {title}** (election {e.ref}) — only you can see this."]
        if self.ranking:
            lines.append(markdown.text("So far: " + views.numbered(self.ranking)))
        if len(self.ranking) < len(e.candidates):
            lines.append(
                f"Pick your {ordinal(len(self.ranking) + 1)} preference, or Confirm to cast "
                "what you have."
            )
        else:
            lines.append("Every candidate is ranked: Confirm to cast your ballot.")
        if self.pages > 1:
            lines.append(f"Candidates page {self.page + 1} of {self.pages} (◀ ▶ for more).")
        return "\n".join(lines)

    # -- components --------------------------------------------------------------------------

    def rebuild(self) -> None:
        self.clear_items()
        page = self.remaining[self.page * PER_PAGE : (self.page + 1) * PER_PAGE]
        for row, position in enumerate(self.positions()):
            self.add_item(self._menu(row, position, page))
        self._button("confirm", "Confirm", discord.ButtonStyle.success, not self.ranking)
        self._button("reset", "Start over", discord.ButtonStyle.secondary, not self.ranking)
        if self.pages > 1:
            self._button("prev", "◀", discord.ButtonStyle.primary, self.page == 0)
            self._button("next", "▶", discord.ButtonStyle.primary, self.page >= self.pages - 1)

    def _menu(self, row: int, position: int, page: list[str]) -> discord.ui.Select[BallotForm]:
        chosen = self.ranking[position] if position < len(self.ranking) else None
        names = ([chosen] if chosen else []) + page
        menu: discord.ui.Select[BallotForm] = discord.ui.Select(
            custom_id=f"{PREFIX}{self.form_id}:pick:{position}",
            placeholder=f"{ordinal(position + 1)} preference",
            options=[
                discord.SelectOption(
                    label=_label(n), value=str(self._index(n)), default=n == chosen
                )
                for n in names
            ],
            row=row,
        )
        menu.callback = self._picked(position, menu)  # type: ignore[method-assign]
        return menu

    def _index(self, name: str) -> int:
        return self.election.candidates.index(name)

    def _button(self, action: str, label: str, style: discord.ButtonStyle, off: bool) -> None:
        button: discord.ui.Button[BallotForm] = discord.ui.Button(
            label=label,
            style=style,
            disabled=off,
            custom_id=f"{PREFIX}{self.form_id}:{action}",
            row=4,
        )
        button.callback = self._pressed(action)  # type: ignore[method-assign]
        self.add_item(button)

    def _picked(self, position: int, menu: discord.ui.Select[BallotForm]) -> Any:
        async def picked(interaction: discord.Interaction) -> None:
            if menu.values:
                index = candidate_index(menu.values[0], len(self.election.candidates))
                if index is None:  # not an option we offered: a forged or stale value
                    await tell(interaction, NOT_OFFERED)
                    return
                self.choose(position, self.election.candidates[index])
            await self._redraw(interaction)

        return picked

    def _pressed(self, action: str) -> Any:
        async def pressed(interaction: discord.Interaction) -> None:
            if action == "confirm":
                await guarded(interaction, lambda: self._confirm(interaction), update=True)
                return
            if action == "reset":
                self.ranking.clear()
                self.page = 0
            elif action == "prev":
                self.page = max(0, self.page - 1)
            elif action == "next":
                self.page = min(self.pages - 1, self.page + 1)
            await self._redraw(interaction)

        return pressed

    async def _redraw(self, interaction: discord.Interaction) -> None:
        """Answer a choice at once by editing the form (nothing touches the database)."""
        self.rebuild()
        await interaction.response.edit_message(
            content=self.content(), view=self, allowed_mentions=NO_MENTIONS
        )

    async def _confirm(self, interaction: discord.Interaction) -> None:
        actor, place = await self.client.who_and_where(interaction)
        text = ", ".join(f'"{name}"' for name in self.ranking)
        options: dict[str, Value] = {"ranking": text, "election": self.election.ref}
        outcome = await run_outcome(self.client.app, actor, place, Invocation(RANK, options))
        if outcome.value is None:  # not cast: the form stays for another try
            await tell(interaction, render_text(outcome.reply))
            return
        shown = reply_messages(outcome.reply)[0]
        self.stop()
        _live.pop(self.form_id, None)
        await interaction.edit_original_response(
            content=shown.content, embeds=shown.embeds, view=None, allowed_mentions=NO_MENTIONS
        )

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return interaction.user.id == self.owner_id


def candidate_index(value: str, candidates: int) -> int | None:
    """The candidate a menu value names (its index as ASCII digits), or None if it names none.

    Menus offer ``str(index)`` for each candidate; anything else (text, ``-1``, ``99``,
    ``01``, a sign, spaces or non-ASCII digits) was not offered and is refused.
    """
    offered = {str(i): i for i in range(candidates)}
    return offered.get(value)


def _label(name: str) -> str:
    return name if len(name) <= 100 else name[:99] + "…"


async def open_form(
    client: HustingsClient, interaction: discord.Interaction, ref: str | None
) -> None:
    """Answer ``/ballot``: the election's form (after the tree's ephemeral defer); when no
    election is open for voting, the member's own latest ballot and receipt instead."""
    actor, place = await client.who_and_where(interaction)
    try:
        election: ElectionView | None = await client.app.elections.get(actor, place, ref)
    except UserError:
        election = None  # several, or none in progress: the text form says which
    if election is None or election.status != "open":
        options: dict[str, Value] = {} if ref is None else {"election": ref}
        shown = await run_outcome(client.app, actor, place, Invocation(BY_NAME["ballot"], options))
        await tell(interaction, render_text(shown.reply))
        return
    form = BallotForm(client, election, interaction.user.id)
    await interaction.edit_original_response(
        content=form.content(), view=form, allowed_mentions=NO_MENTIONS
    )
    interaction.extras[ANSWERED] = True


async def tell_expired(interaction: discord.Interaction) -> None:
    await interaction.response.send_message(EXPIRED, ephemeral=True, allowed_mentions=NO_MENTIONS)
