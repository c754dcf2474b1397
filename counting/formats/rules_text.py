"""Counting rules as one line of text, for formats that have no place for them (BLT).

The representation is the JSON ballot file's ``rules`` object, ``Rules.to_dict()`` (every option,
the tie-break seed included), written compactly with sorted keys, so a BLT export and a JSON
export of the same count carry the same rules in the same words. A BLT file holds it in a
comment line that other BLT readers skip::

    # hustings-rules: {"batch_elimination":false,...,"seed":7,...}

Reading fills in what the dictionary leaves out the way the JSON reader does: ``seats`` from
the file, ``method`` from ``default_method``. Errors are ``ValueError`` with the reason.
"""

from __future__ import annotations

import json
from typing import Any

from counting.ballots import Profile
from counting.formats.ballot_file import default_method
from counting.rules import Rules

RULES_COMMENT = "hustings-rules:"
"""The word that opens a rules comment (after the ``#``)."""


def rules_to_text(rules: Rules) -> str:
    """``rules`` as compact JSON: ``Rules.to_dict()`` with sorted keys, on one line."""
    return json.dumps(rules.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def rules_from_dict(data: dict[str, Any], profile: Profile, seats: int) -> Rules:
    """``Rules`` from a rules dictionary; ``seats`` and ``method`` default from the file."""
    options = {"seats": seats, "method": default_method(profile, seats).value, **data}
    try:
        return Rules.from_dict(options)
    except TypeError as exc:
        raise ValueError(str(exc)) from None


def rules_from_text(text: str, profile: Profile, seats: int) -> Rules:
    """Inverse of ``rules_to_text``; ``ValueError`` saying what is wrong with ``text``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the rules are not valid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError(f"the rules must be a JSON object, found {type(data).__name__}")
    return rules_from_dict(data, profile, seats)
