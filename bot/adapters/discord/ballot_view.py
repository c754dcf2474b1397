"""``/ballot``: rank with select menus in an ephemeral message, then confirm.

Built for a phone: one select menu per preference (1st, 2nd, 3rd…), each offering the
candidates not yet ranked, so a member taps rather than types. A message holds five rows, so
at most four preference menus show at once (the last filled ones and the next) above one row
of buttons: Confirm, Start over, and ◀ ▶ to page through the candidates when more than fit a
menu (Discord allows 25 options; 24 are listed so a filled preference still shows its choice).
Picking a candidate already chosen is impossible: each menu lists only unranked candidates.

No process keeps a form: each menu and button is a ``DynamicItem`` whose ``custom_id`` holds
the whole form (``ballot_form``), registered at start-up like the Next round button, so any
bot process — another shard's replacement, or this one after a restart — serves the next
click. Every click is deferred as an update of the form, then reads the election (one short
read) and refuses privately, changing and recording nothing, when the form is stale: the
election is no longer open, or its candidates changed since the form was opened. Choosing,
paging and starting over then redraw the form. Confirm shows the ballot to be cast, with
Cast and Change: Cast casts through ``dispatch`` exactly as ``/rank`` does (one permission
check, one error mapping), every name quoted so nothing is re-interpreted, and the form
becomes the receipt. The review step is there because each button carries the ranking as
it was drawn: a pick still on its way when Confirm is pressed would otherwise be left out of
the ballot unseen, while Cast sits in the same message as the ranking it casts.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.commands import BY_NAME, Value
from bot.adapters.discord import markdown
from bot.adapters.discord.ballot_form import (
    BUTTON_TEMPLATE,
    PICK_TEMPLATE,
    FormState,
    candidate_index,
    pages,
)
from bot.adapters.discord.errors import guarded, tell
from bot.adapters.discord.render import reply_messages
from bot.adapters.discord.respond import ANSWERED, NO_MENTIONS
from bot.adapters.dispatch import run_outcome
from bot.adapters.render import views
from bot.adapters.render.text import render as render_text
from bot.adapters.textform import Invocation
from bot.domain import Actor, ElectionView, Place
from bot.errors import UserError

if TYPE_CHECKING:
    from bot.adapters.discord.client import HustingsClient

__all__ = ["EXPIRED", "NOT_OFFERED", "BallotButton", "BallotMenu", "candidate_index"]

RANK = BY_NAME["rank"]
EXPIRED = "This ballot form has expired. Run /ballot again to rank."
NOT_OFFERED = "That choice is not on this ballot form; nothing was changed. Pick from the menu."
GONE = "Election {ref} is not here any more; nothing was recorded. Run /ballot again."
View = discord.ui.View


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def content(election: ElectionView, form: FormState) -> str:
    """The form's text: whose ballot, the ranking so far, what to do next."""
    title = markdown.text(election.title)
    lines = [f"**Your ballot: {title}** (election {election.ref}) — only you can see this."]
    if form.ranking:
        lines.append(markdown.text("So far: " + views.numbered(form.names(election))))
    if len(form.ranking) < len(election.candidates):
        lines.append(
            f"Pick your {ordinal(len(form.ranking) + 1)} preference, or Confirm to cast "
            "what you have."
        )
    else:
        lines.append("Every candidate is ranked: Confirm to cast your ballot.")
    count = pages(len(election.candidates) - len(form.ranking))
    if count > 1:
        lines.append(f"Candidates page {form.page + 1} of {count} (◀ ▶ for more).")
    return "\n".join(lines)


def form_view(election: ElectionView, form: FormState) -> View:
    """The menus and buttons for ``form``; nothing of it is kept after it is sent."""
    view = View(timeout=None)
    listed = form.page_of_remaining(election)
    for row, position in enumerate(form.positions(election)):
        chosen = form.ranking[position] if position < len(form.ranking) else None
        view.add_item(BallotMenu(form, position, _options(election, chosen, listed), row))
    empty = not form.ranking
    count = pages(len(election.candidates) - len(form.ranking))
    view.add_item(
        BallotButton(form, "confirm", confirm_label(form), discord.ButtonStyle.success, empty)
    )
    view.add_item(BallotButton(form, "reset", "Start over", discord.ButtonStyle.secondary, empty))
    if count > 1:
        blue = discord.ButtonStyle.primary
        view.add_item(BallotButton(form, "prev", "◀", blue, form.page == 0))
        view.add_item(BallotButton(form, "next", "▶", blue, form.page >= count - 1))
    return view


def review(election: ElectionView, form: FormState) -> str:
    """The review step's text: exactly the ranking its Cast button casts."""
    title = markdown.text(election.title)
    return "\n".join(
        (
            f"**Your ballot: {title}** (election {election.ref}) — only you can see this.",
            markdown.text("Cast this ballot? " + views.numbered(form.names(election))),
            "Cast records it; Change goes back to the form.",
        )
    )


def review_view(form: FormState) -> View:
    """Cast (the ranking shown above it) and Change."""
    view = View(timeout=None)
    view.add_item(BallotButton(form, "cast", "Cast this ballot", discord.ButtonStyle.success))
    view.add_item(BallotButton(form, "back", "Change", discord.ButtonStyle.secondary))
    return view


def confirm_label(form: FormState) -> str:
    """``Confirm 2 preferences``: the button says what it will show to cast (its
    ``custom_id`` carries the ranking as drawn; the review step shows it in full)."""
    n = len(form.ranking)
    return "Confirm" if n == 0 else f"Confirm {n} preference{'s' if n != 1 else ''}"


def _options(
    election: ElectionView, chosen: int | None, listed: list[int]
) -> list[discord.SelectOption]:
    indexes = ([chosen] if chosen is not None else []) + listed
    return [
        discord.SelectOption(
            label=_label(election.candidates[i]), value=str(i), default=i == chosen
        )
        for i in indexes
    ]


def _label(name: str) -> str:
    return name if len(name) <= 100 else name[:99] + "…"


class BallotMenu(discord.ui.DynamicItem[discord.ui.Select[View]], template=PICK_TEMPLATE):
    """The menu for one preference; its ``custom_id`` is the form and the position."""

    def __init__(
        self,
        form: FormState,
        position: int,
        options: list[discord.SelectOption] | None = None,
        row: int | None = None,
    ) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=form.custom_id(f"pick:{position}"),
                placeholder=f"{ordinal(position + 1)} preference",
                options=options or [discord.SelectOption(label="-", value="-")],
                row=row,
            )
        )
        self.form, self.position = form, position

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> BallotMenu:
        return cls(FormState.parse(match), int(match["position"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        data: Any = interaction.data or {}
        values = [str(v) for v in data.get("values") or []]
        work = lambda: _click(interaction, self.form, f"pick:{self.position}", values)  # noqa: E731
        await guarded(interaction, work, update=True)


class BallotButton(discord.ui.DynamicItem[discord.ui.Button[View]], template=BUTTON_TEMPLATE):
    """Confirm, Start over, ◀ or ▶; its ``custom_id`` is the form and the action."""

    def __init__(
        self,
        form: FormState,
        action: str,
        label: str = "",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or action,
                style=style,
                disabled=disabled,
                custom_id=form.custom_id(action),
                row=4,
            )
        )
        self.form, self.action = form, action

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> BallotButton:
        return cls(FormState.parse(match), match["action"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        work = lambda: _click(interaction, self.form, self.action, [])  # noqa: E731
        await guarded(interaction, work, update=True)


async def _click(
    interaction: discord.Interaction[Any], form: FormState, action: str, values: list[str]
) -> None:
    """One click, already deferred: check the form against the election, then act on it."""
    client: HustingsClient = interaction.client
    actor, place = await client.who_and_where(interaction, fetch_roles=action == "confirm")
    try:
        election = await client.app.elections.get(actor, place, form.ref)
    except UserError:
        await tell(interaction, GONE.format(ref=form.ref))
        return
    problem = form.problem(election)
    if problem is not None:
        await tell(interaction, problem)
        return
    if action == "cast":
        await _confirm(client, interaction, (actor, place), election, form)
        return
    if action == "confirm":
        await interaction.edit_original_response(
            content=review(election, form), view=review_view(form), allowed_mentions=NO_MENTIONS
        )
        return
    following = _changed(election, form, action, values)
    if following is None:
        await tell(interaction, NOT_OFFERED)
        return
    await interaction.edit_original_response(
        content=content(election, following),
        view=form_view(election, following),
        allowed_mentions=NO_MENTIONS,
    )


def _changed(
    election: ElectionView, form: FormState, action: str, values: list[str]
) -> FormState | None:
    """The form after ``action``; None when a menu value is not one it offered."""
    if action == "reset":
        return form.reset()
    if action == "back":
        return form
    if action in ("prev", "next"):
        return form.turn(election, -1 if action == "prev" else 1)
    if not values:
        return form
    index = candidate_index(values[0], len(election.candidates))
    if index is None:  # not an option we offered: a forged or stale value
        return None
    return form.choose(election, int(action.removeprefix("pick:")), index)


async def _confirm(
    client: HustingsClient,
    interaction: discord.Interaction[Any],
    who: tuple[Actor, Place],
    election: ElectionView,
    form: FormState,
) -> None:
    actor, place = who
    text = ", ".join(f'"{name}"' for name in form.names(election))
    options: dict[str, Value] = {"ranking": text, "election": election.ref}
    outcome = await run_outcome(client.app, actor, place, Invocation(RANK, options))
    if outcome.value is None:  # not cast: the form stays for another try
        await tell(interaction, render_text(outcome.reply))
        return
    shown = reply_messages(outcome.reply)[0]
    await interaction.edit_original_response(
        content=shown.content, embeds=shown.embeds, view=None, allowed_mentions=NO_MENTIONS
    )


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
    form = FormState.opened(election)
    await interaction.edit_original_response(
        content=content(election, form),
        view=form_view(election, form),
        allowed_mentions=NO_MENTIONS,
    )
    interaction.extras[ANSWERED] = True


async def tell_expired(interaction: discord.Interaction) -> None:
    await interaction.response.send_message(EXPIRED, ephemeral=True, allowed_mentions=NO_MENTIONS)
