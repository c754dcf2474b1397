"""The interactive ballot: a modal with one ``static_select`` per preference.

Slack's multi-selects keep no order, so a ranking is a column of single selects, "1st
preference", "2nd preference", …, each offering every candidate (an election has at most 50
candidates; a select may hold 100 options). Only the first is required. The submission is
checked before the ack, using nothing but the submitted values (no database): a candidate
picked twice, or a gap above a filled preference, is sent back as ``response_action:
errors`` on the offending select, so the member fixes it in the form. A valid ranking is
cast after the ack through the same service as ``/rank``, as the names themselves (quoted),
so the parser's exact matching applies.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.adapters.render.views import numbered
from bot.domain import BallotView, ElectionView

CALLBACK_ID = "hustings_ballot"
ACTION_ID = "pick"
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_PREFERENCES = 95
"""A modal holds 100 blocks; leave room for the explanatory context blocks."""

JSON = dict[str, Any]
OUT_OF_DATE = "This form is out of date: close it and run /ballot again."


@dataclass(frozen=True)
class Submission:
    """A submitted ballot form: the ranking, or errors keyed by block id; and where from."""

    ranking: tuple[str, ...]
    errors: dict[str, str]
    election_ref: str | None
    channel: str


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ballot_modal(election: ElectionView, current: BallotView | None, channel: str) -> JSON:
    """The form for ``election``, pre-filled with the member's current ballot, if any."""
    names = election.candidates[:MAX_OPTIONS]
    options = [_option(name) for name in names]
    chosen = current.ranking if current is not None else ()
    blocks: list[JSON] = [_context(f"{election.title}: most preferred first; stop when you like.")]
    if current is not None:
        blocks.append(
            _context(f"Your ballot now: {numbered(current.ranking)} — receipt {current.receipt}")
        )
    for i in range(1, min(len(names), MAX_PREFERENCES) + 1):
        blocks.append(_preference(i, options, chosen[i - 1] if i <= len(chosen) else None))
    metadata = json.dumps({"election": election.ref, "channel": channel})
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": "Your ballot"},
        "submit": {"type": "plain_text", "text": "Cast ballot"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def _preference(i: int, options: list[JSON], initial: str | None) -> JSON:
    element: JSON = {"type": "static_select", "action_id": ACTION_ID, "options": options}
    if initial is not None:
        element["initial_option"] = _option(initial)
    return {
        "type": "input",
        "block_id": f"pref{i}",
        "optional": i > 1,
        "label": {"type": "plain_text", "text": f"{ordinal(i)} preference"},
        "element": element,
    }


def _option(name: str) -> JSON:
    label = name if len(name) <= MAX_OPTION_TEXT else name[: MAX_OPTION_TEXT - 1] + "…"
    return {"text": {"type": "plain_text", "text": label}, "value": name}


def _context(text: str) -> JSON:
    return {"type": "context", "elements": [{"type": "plain_text", "text": text[:2000]}]}


def read_submission(view: JSON) -> Submission:
    """The ranking in a submitted form, or what is wrong with it (no database needed).

    A form whose shape we did not make (unreadable metadata, a pick without a value) is
    refused on its first preference with ``OUT_OF_DATE``, never an exception.
    """
    metadata = _metadata(view.get("private_metadata"))
    values = (view.get("state") or {}).get("values")
    values = values if isinstance(values, dict) else {}
    blocks = [b for b in view.get("blocks") or [] if isinstance(b, dict)]
    picks = [
        (str(block.get("block_id", "")), _picked(values.get(block.get("block_id"))))
        for block in blocks
        if block.get("type") == "input"
    ]
    ranking, errors = _check(picks)
    first = picks[0][0] if picks else "pref1"
    if metadata is None:
        return Submission((), {first: OUT_OF_DATE}, None, "")
    if not ranking and not errors:  # Slack requires the 1st; only a forged form lacks it
        errors = {first: "Pick your 1st preference."}
    ref = metadata.get("election")
    return Submission(
        ranking, errors, str(ref) if ref is not None else None, str(metadata["channel"])
    )


def _metadata(raw: object) -> JSON | None:
    """The form's ``{"election", "channel"}`` as we wrote it, or None if it is not that."""
    try:
        loaded = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
    if not isinstance(loaded, dict) or not isinstance(loaded.get("channel"), str):
        return None
    if not loaded["channel"] or not isinstance(loaded.get("election"), str | int | None):
        return None
    return loaded


def _picked(state: object) -> str | None:
    chosen = state.get(ACTION_ID) if isinstance(state, dict) else None
    selected = chosen.get("selected_option") if isinstance(chosen, dict) else None
    value = selected.get("value") if isinstance(selected, dict) else None
    return str(value) if value is not None else None


def _check(picks: Sequence[tuple[str, str | None]]) -> tuple[tuple[str, ...], dict[str, str]]:
    errors: dict[str, str] = {}
    first_at: dict[str, int] = {}
    gap: str | None = None
    for position, (block_id, name) in enumerate(picks, start=1):
        if name is None:
            gap = gap or block_id
            continue
        if gap is not None:
            errors.setdefault(gap, "Fill this preference first, or clear the ones below it.")
        if name in first_at:
            errors[block_id] = f"{name} is already your {ordinal(first_at[name])} preference."
            continue
        first_at[name] = position
    return tuple(first_at), errors


def ranking_text(ranking: Sequence[str]) -> str:
    """The ranking as ``/rank`` text: each exact name quoted, comma-separated."""
    return ", ".join(f'"{name}"' for name in ranking)
