"""The **Moderate** button on a Slack question card, and the modal it opens for moderators.

An open question's card carries Upvote and Moderate (``render.upvote_button``). A press is
checked before anything is shown (``adapters.moderation``): the presser must be a moderator
(the slash commands' check), and the button's value must name, now, an open question of the
channel the press came from; a member, a forged value or a question already closed gets a
private refusal and nothing opens. A moderator gets a modal (``views.open`` with the press's
``trigger_id``) holding:

- a select of reason codes (``question_reasons.REASONS``) and a text input for the words the
  asker is shown (required after ``other``; after another code they follow its label);
- a select of up to 100 questions to merge into (Slack's cap), and a text input taking any
  other question's number.

The submission is read from Slack's signed payload alone, before the ack: one action, dismiss
or merge, whole, or the modal shows what is wrong beside the field (``response_action:
errors``). The modal's ``private_metadata`` (written by us: the question, the channel, the
card's message) says nothing about who may act: after the ack the submitter's moderator
status is checked again and the action runs as ``/question dismiss`` or ``/question merge``
through ``dispatch``, with every check of the typed command as of that moment (a question
dismissed or merged meanwhile gets the typed command's refusal). What it says is delivered as
the typed command's is (``handlers.shaped``: a merge refreshes the card it joined), and the
moderated question's card is closed (``question_views.card_reply``: buttons gone, a dismissed
question's text hidden). The typed ``/question dismiss`` and ``/question merge`` run through
the same path (``typed``), so a card ends the same way however the moderator acted.

A ``trigger_id`` lives 3 s and opens one modal; if it is spent before ``views.open`` (a slow
database), the moderator is told to press again rather than given an apology.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.adapters.commands import BY_NAME, Value
from bot.adapters.dispatch import run_outcome
from bot.adapters.moderation import MEMBERS_REFUSED, merge_targets, question_to_moderate
from bot.adapters.render import views
from bot.adapters.render.message import private
from bot.adapters.slack.deliver import Outcome, Target, deliver
from bot.adapters.slack.handlers import shaped
from bot.adapters.textform import Invocation, parse_line
from bot.app import App
from bot.domain import Actor, Place, QuestionView
from bot.errors import UserError
from bot.services.common import moderates
from bot.services.question_cards import QuestionCards
from bot.services.question_reasons import REASONS
from bot.services.questions import MAX_REASON

log = logging.getLogger(__name__)

JSON = dict[str, Any]
CALLBACK_ID = "hustings_moderate"
REASON, WORDS, INTO, NUMBER = "reason", "words", "into", "number"
"""The modal's input blocks."""
PICK = "pick"
MAX_TARGETS = 100
"""Slack's cap on a static select's options."""
MAX_OPTION_TEXT = 75
MAX_CONTEXT = 2000
NOT_A_QUESTION = "That button does not name a question of this channel; nothing was changed."
TOO_SLOW = "Slack would not open the form in time; press Moderate again."
TRIGGER_SPENT = ("expired_trigger_id", "invalid_trigger_id")
"""``views.open``'s answer when the press's ``trigger_id`` (3 s, single use) is spent."""
OUT_OF_DATE = "This form is out of date: close it and press Moderate on the card again."
_SHORT_ID = re.compile(r"Q[0-9]{1,9}")
_CHANNEL = re.compile(r"[A-Z0-9]{1,32}")
_TS = re.compile(r"[0-9]{1,12}\.[0-9]{1,9}")


@dataclass(frozen=True)
class Form:
    """A whole moderation: ``command`` (``question dismiss`` / ``question merge``) with its
    options, for ``question`` in ``channel``; ``card``: the pressed card's message ts."""

    question: str
    channel: str
    card: str | None
    command: str
    options: dict[str, Value]


@dataclass(frozen=True)
class Submitted:
    """A submitted modal: the form, or what is wrong with it keyed by block id."""

    form: Form | None
    errors: dict[str, str]


async def press(
    core: App, actor: Actor, place: Place, value: str, *, trigger: str, target: Target,
    cards: QuestionCards,
) -> None:  # fmt: skip
    """Verify the press (presser, then the question it names, now), then open the modal."""
    refusal: str | None = None
    if not moderates(core.context, actor):
        refusal = MEMBERS_REFUSED
    elif _SHORT_ID.fullmatch(value) is None:
        refusal = NOT_A_QUESTION
    else:
        try:
            question = await question_to_moderate(core, actor, place, value)
        except UserError as exc:
            refusal = exc.message
    if refusal is not None:
        await deliver(Outcome(private(refusal)), target, cards)
        return
    targets = await merge_targets(core, actor, place, question, MAX_TARGETS)
    modal = moderation_modal(question, targets, place.channel, target.card_ts)
    try:
        await target.client.views_open(trigger_id=trigger, view=modal)
    except SlackApiError as exc:
        if exc.response.get("error") not in TRIGGER_SPENT:
            raise
        await deliver(Outcome(private(TOO_SLOW)), target, cards)


def moderation_modal(
    question: QuestionView, targets: list[tuple[str, str, str]], channel: str, card: str | None
) -> JSON:
    """The modal for ``question`` (``targets``: ``merge_targets``' ``(id, label, text)``)."""
    [line, *_] = views.question_lines(question, public=True)
    reasons = [
        _option(label + (" (say why below)" if code == "other" else ""), code)
        for code, label in REASONS.items()
    ]
    blocks: list[JSON] = [
        _context(f"Moderating {line}"),
        _input(REASON, "Dismiss it with a reason", _select(reasons, "Choose a reason")),
        _input(WORDS, "Words its asker is shown (needed after Other)", _text(
            MAX_REASON - len("answered-elsewhere "), multiline=True)),
    ]  # fmt: skip
    if targets:
        options = [_option(f"{label}: {text}", short_id) for short_id, label, text in targets]
        blocks.append(_input(INTO, "Or merge it into the question it repeats",
                             _select(options, "Choose a question")))  # fmt: skip
    blocks.append(_input(NUMBER, "Or merge it into question number (e.g. Q2)", _text(12)))
    metadata = {"question": question.short_id, "channel": channel, "card": card}
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": json.dumps(metadata),
        "title": {"type": "plain_text", "text": f"Moderate {question.short_id}"},
        "submit": {"type": "plain_text", "text": "Apply"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def _input(block_id: str, label: str, element: JSON) -> JSON:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }


def _select(options: list[JSON], placeholder: str) -> JSON:
    return {
        "type": "static_select",
        "action_id": PICK,
        "placeholder": {"type": "plain_text", "text": placeholder},
        "options": options,
    }


def _text(max_length: int, *, multiline: bool = False) -> JSON:
    return {
        "type": "plain_text_input",
        "action_id": PICK,
        "multiline": multiline,
        "max_length": max_length,
    }


def _option(label: str, value: str) -> JSON:
    shown = label if len(label) <= MAX_OPTION_TEXT else label[: MAX_OPTION_TEXT - 1] + "…"
    return {"text": {"type": "plain_text", "text": shown}, "value": value}


def _context(text: str) -> JSON:
    shown = text if len(text) <= MAX_CONTEXT else text[: MAX_CONTEXT - 1] + "…"
    return {"type": "context", "elements": [{"type": "plain_text", "text": shown}]}


def read_form(view: JSON) -> Submitted:
    """The one action a submitted modal asks for, or what is wrong (no database needed)."""
    where = _metadata(view.get("private_metadata"))
    if where is None:
        return Submitted(None, {REASON: OUT_OF_DATE})
    values = (view.get("state") or {}).get("values")
    values = values if isinstance(values, dict) else {}
    reason, words = _value(values, REASON), _value(values, WORDS)
    into, number = _value(values, INTO), _value(values, NUMBER)
    errors = _errors(reason, words, into, number)
    if errors:
        return Submitted(None, errors)
    question, channel, card = where
    if reason:
        options: dict[str, Value] = {"id": question, "reason": f"{reason} {words}".strip()}
        return Submitted(Form(question, channel, card, "question dismiss", options), {})
    options = {"id": question, "into": into or number}
    return Submitted(Form(question, channel, card, "question merge", options), {})


def _errors(reason: str, words: str, into: str, number: str) -> dict[str, str]:
    """Each field's problem: one action, whole (``other`` with words; a merge by list or by
    number, not both); nothing is guessed from a half-filled form."""
    errors: dict[str, str] = {}
    if reason and reason not in REASONS:  # only a forged submission carries another code
        errors[REASON] = "Choose one of the reasons in the list."
    elif reason and (into or number):
        errors[REASON] = "Dismiss or merge, not both: clear the reason or the question."
    elif not reason and not (into or number):
        errors[REASON] = "Choose a reason to dismiss it, or a question to merge it into."
    if words and not reason:
        errors[WORDS] = "These words go with a reason: choose one, or clear them."
    elif reason == "other" and not words:
        errors[WORDS] = "After Other, say why: its asker is shown this."
    if into and number:
        errors[NUMBER] = "Choose the question from the list or type its number, not both."
    return errors


def _metadata(raw: object) -> tuple[str, str, str | None] | None:
    """``(question, channel, card ts)`` as we wrote them, or None if they are not that."""
    try:
        loaded = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
    if not isinstance(loaded, dict):
        return None
    question, channel, card = loaded.get("question"), loaded.get("channel"), loaded.get("card")
    if not (isinstance(question, str) and _SHORT_ID.fullmatch(question)):
        return None
    if not (isinstance(channel, str) and _CHANNEL.fullmatch(channel)):
        return None
    shown = card if isinstance(card, str) and _TS.fullmatch(card) else None
    return question, channel, shown


def _value(values: dict[str, Any], block_id: str) -> str:
    """What was chosen or typed in ``block_id`` (stripped; empty if nothing)."""
    state = values.get(block_id)
    element = state.get(PICK) if isinstance(state, dict) else None
    if not isinstance(element, dict):
        return ""
    selected = element.get("selected_option")
    if isinstance(selected, dict):
        return str(selected.get("value") or "").strip()
    return str(element.get("value") or "").strip()


def is_moderation(name: str, text: str) -> bool:
    """Whether the slash command ``/name text`` is ``/question dismiss`` or ``merge``."""
    words = text.split(maxsplit=1)
    return name == "question" and bool(words) and words[0].casefold() in ("dismiss", "merge")


async def typed(
    core: App, actor: Actor, place: Place, line: str, *, target: Target, cards: QuestionCards
) -> None:
    """``/question dismiss`` or ``/question merge`` as typed: run as the modal's are, so
    the cards end the same way whichever way the moderator chose."""
    try:
        invocation = parse_line(line)
    except UserError as exc:
        await deliver(Outcome(private(exc.message)), target, cards)
        return
    await _run(core, actor, place, invocation, None, target=target, cards=cards)


async def submit(
    core: App, actor: Actor, place: Place, form: Form, *, target: Target, cards: QuestionCards
) -> None:
    """Run the submitted moderation as the typed command, once the submitter is checked."""
    if not moderates(core.context, actor):
        await deliver(Outcome(private(MEMBERS_REFUSED)), target, cards)
        return
    invocation = Invocation(BY_NAME[form.command], form.options)
    await _run(core, actor, place, invocation, form.card, target=target, cards=cards)


async def _run(
    core: App, actor: Actor, place: Place, invocation: Invocation, card: str | None, *,
    target: Target, cards: QuestionCards,
) -> None:  # fmt: skip
    """Dispatch, then deliver what it says: the moderated question's card closes (and a
    merge's target shows its new count) at their stored locations, or, for a question
    whose location was never stored, at ``card`` (the ts of the card the press came from)."""
    done = await run_outcome(core, actor, place, invocation)
    if card is not None:
        target.card_ts = card
    await deliver(shaped(invocation, done), target, cards)
