"""The moderators' menu on a question's card: dismiss with a reason, or merge into another.

Every open card carries a **Moderate** button (``cards``). Members see the button but never
the menu: a press is answered privately, and only a moderator (the check the slash commands
use, ``services.common.moderates``) gets the menu, as an ephemeral message only they see:

- a select of reason codes (``question_reasons.REASONS``); ``other`` opens a modal for the
  words the asker is shown, since the code alone would tell them nothing;
- a select of the channel's open (then answered) questions to merge this one into, at most
  25 (Discord's cap), and a button opening a modal that takes any target's number.

Every id is in the ``custom_id`` (``hustings:<what>:<number>``, registered with
``add_dynamic_items``; the modals are read from the raw submission by ``on_modal_submit``),
so the menu and its modals work after a restart and in any process. Each use is checked again
as it happens: the clicker is a moderator, and the action runs as the typed command does
(``/question dismiss`` or ``/question merge`` through ``dispatch``), so the services check
the question's state now (it may have changed since the menu was shown) and that the target
is a question of this channel; a refusal is told privately and changes nothing. A forged
``custom_id`` or select value can do no more than the moderator could type. What happens is
then shown as ``moderate_actions`` shows it for the typed commands.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.discord.cards import MODERATE
from bot.adapters.discord.errors import guarded, handle, tell
from bot.adapters.discord.moderate_actions import MAX_TARGETS, act
from bot.adapters.discord.render import reply_messages
from bot.adapters.discord.respond import send
from bot.adapters.moderation import MEMBERS_REFUSED, merge_targets, question_to_moderate
from bot.adapters.render import views
from bot.adapters.render.message import private
from bot.errors import UserError
from bot.services.common import moderates
from bot.services.question_reasons import REASONS
from bot.services.questions import MAX_REASON

if TYPE_CHECKING:
    from bot.adapters.discord.client import HustingsClient

DISMISS, MERGE, MERGE_ASK = "hustings:dismiss:", "hustings:merge:", "hustings:mergeask:"
WHY, INTO = "hustings:dismisswhy:", "hustings:mergeinto:"
"""The two modals' ``custom_id`` prefixes."""
_NUMBER = r"(?P<number>[0-9]{1,9})"
_MODAL = re.compile(f"(?P<kind>{re.escape(WHY)}|{re.escape(INTO)}){_NUMBER}")
_SHORT_ID = re.compile(r"Q[0-9]{1,9}")


def _template(prefix: str) -> re.Pattern[str]:
    return re.compile(re.escape(prefix) + _NUMBER)


class ModerateButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=_template(MODERATE)
):
    """On the card: opens the menu, privately, for moderators only."""

    def __init__(self, number: int) -> None:
        super().__init__(discord.ui.Button(label="Moderate", custom_id=f"{MODERATE}{number}"))
        self.number = number

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> ModerateButton:  # fmt: skip
        return cls(int(match["number"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, lambda: _open_menu(interaction.client, interaction, self.number))


async def _open_menu(client: HustingsClient, interaction: discord.Interaction, number: int) -> None:
    actor, place = await client.who_and_where(interaction)
    try:
        question = await question_to_moderate(client.app, actor, place, f"Q{number}")
    except UserError as refused:
        await tell(interaction, refused.message)
        return
    targets = await merge_targets(client.app, actor, place, question, MAX_TARGETS)
    view = discord.ui.View(timeout=None)
    view.add_item(DismissSelect(number))
    if targets:
        view.add_item(MergeSelect(number, targets))
    view.add_item(MergeAskButton(number))
    [line, *_] = views.question_lines(question, public=True)
    shown = private(f"Moderating {line}", "Dismiss it with a reason, or merge it into the "
                    "question it repeats.")  # fmt: skip
    await send(interaction, reply_messages(shown), private=True, view=view)


class DismissSelect(
    discord.ui.DynamicItem[discord.ui.Select[discord.ui.View]], template=_template(DISMISS)
):
    """The reason codes; ``other`` asks for the words in a modal."""

    def __init__(self, number: int) -> None:
        options = [
            discord.SelectOption(label=label + (" (say why)" if code == "other" else ""),
                                 value=code)
            for code, label in REASONS.items()
        ]  # fmt: skip
        select: discord.ui.Select[discord.ui.View] = discord.ui.Select(
            custom_id=f"{DISMISS}{number}", placeholder="Dismiss with a reason…", options=options
        )
        super().__init__(select)
        self.number = number

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> DismissSelect:  # fmt: skip
        return cls(int(match["number"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client: HustingsClient = interaction.client
        code = _picked(interaction)
        if code == "other":
            await _ask(client, interaction, _why_modal(self.number))
            return
        if code not in REASONS:
            await tell(interaction, "Choose one of the reasons in the menu.")
            return
        options = {"id": f"Q{self.number}", "reason": code}
        work = lambda: act(client, interaction, "question dismiss", options)  # noqa: E731
        await guarded(interaction, work, update=True)


class MergeSelect(
    discord.ui.DynamicItem[discord.ui.Select[discord.ui.View]], template=_template(MERGE)
):
    """The questions this one may be merged into (``targets``: ``(short id, label, text)``)."""

    def __init__(self, number: int, targets: list[tuple[str, str, str]] | None = None) -> None:
        options = [
            discord.SelectOption(label=label[:100], value=short_id, description=text[:100] or None)
            for short_id, label, text in targets or []
        ]
        select: discord.ui.Select[discord.ui.View] = discord.ui.Select(
            custom_id=f"{MERGE}{number}", placeholder="Merge into…", options=options
        )
        super().__init__(select)
        self.number = number

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> MergeSelect:  # fmt: skip
        return cls(int(match["number"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        into = _picked(interaction)
        if _SHORT_ID.fullmatch(into) is None:
            await tell(interaction, "Choose a question in the menu, or merge by its number.")
            return
        await _merge(interaction.client, interaction, self.number, into)


class MergeAskButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=_template(MERGE_ASK)
):
    """Opens a modal asking for the number of the question to merge into."""

    def __init__(self, number: int) -> None:
        super().__init__(
            discord.ui.Button(label="Merge into Q… (by number)", custom_id=f"{MERGE_ASK}{number}")
        )
        self.number = number

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> MergeAskButton:  # fmt: skip
        return cls(int(match["number"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _ask(interaction.client, interaction, _into_modal(self.number))


async def _ask(
    client: HustingsClient, interaction: discord.Interaction, modal: discord.ui.Modal
) -> None:
    """Open ``modal`` for a moderator (a modal must be the first answer, so nothing is
    deferred: the role check reads the cache); anyone else is refused privately."""
    try:
        actor, _ = await client.who_and_where(interaction)
    except Exception as exc:  # answered like any other failure
        await handle(interaction, exc)
        return
    if not moderates(client.app.context, actor):
        await tell(interaction, MEMBERS_REFUSED)
        return
    await interaction.response.send_modal(modal)


def _why_modal(number: int) -> discord.ui.Modal:
    modal = discord.ui.Modal(title=f"Dismiss Q{number}: other", custom_id=f"{WHY}{number}",
                             timeout=900)  # fmt: skip
    modal.add_item(
        discord.ui.TextInput(
            label="Why (its asker is shown this)", custom_id="why",
            style=discord.TextStyle.paragraph, max_length=MAX_REASON - len("other "),
        )
    )  # fmt: skip
    return modal


def _into_modal(number: int) -> discord.ui.Modal:
    modal = discord.ui.Modal(title=f"Merge Q{number} into…", custom_id=f"{INTO}{number}",
                             timeout=900)  # fmt: skip
    modal.add_item(
        discord.ui.TextInput(label="The question it repeats (e.g. Q2)", custom_id="into",
                             max_length=12)
    )  # fmt: skip
    return modal


async def on_modal_submit(client: HustingsClient, interaction: discord.Interaction) -> bool:
    """Handle a submitted moderation modal (False: not one of ours). Read from the raw
    submission, so a modal opened before a restart still works."""
    data: Any = interaction.data or {}
    match = _MODAL.fullmatch(str(data.get("custom_id", "")))
    if interaction.type is not discord.InteractionType.modal_submit or match is None:
        return False
    number, typed = int(match["number"]), _inputs(data.get("components") or [])
    if match["kind"] == WHY:
        options = {"id": f"Q{number}", "reason": f"other {typed.get('why', '').strip()}"}
        work = lambda: act(client, interaction, "question dismiss", options)  # noqa: E731
        await guarded(interaction, work, update=True)
        return True
    await _merge(client, interaction, number, typed.get("into", "").strip())
    return True


async def _merge(
    client: HustingsClient, interaction: discord.Interaction, number: int, into: str
) -> None:
    options = {"id": f"Q{number}", "into": into}
    work = lambda: act(client, interaction, "question merge", options)  # noqa: E731
    await guarded(interaction, work, update=True)


def _picked(interaction: discord.Interaction) -> str:
    data: Any = interaction.data or {}
    values = data.get("values") or []
    return str(values[0]) if len(values) == 1 else ""


def _inputs(items: list[Any]) -> dict[str, str]:
    """``custom_id → value`` of a modal submission's text inputs (rows or labels)."""
    found: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        if "value" in item and item.get("custom_id"):
            found[str(item["custom_id"])] = str(item["value"])
        inner = list(item.get("components") or [])
        if isinstance(item.get("component"), dict):
            inner.append(item["component"])
        found |= _inputs(inner)
    return found
