"""Reading a stored ``Result.to_dict()`` back into a ``Result``, exactly.

The bot stores each count's result as JSON (exact numbers as decimal or ``n/d`` strings,
``result.format_number``). A paced declaration posts that stored result a round at a time
rather than counting the ballots again on every step, so it needs the values back: this is the
inverse of ``Result.to_dict`` (``result_from_dict(r.to_dict()) == r`` for every result the
engine produces; numbers come back as ``Fraction``, equal to the ``int`` they were).

Errors: ``ValueError`` (or ``KeyError``) when ``data`` is not in the ``to_dict`` shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from counting.result import Number, Result, Round, TieBreakRecord, parse_number
from counting.rules import Rules


def result_from_dict(data: Mapping[str, Any]) -> Result:
    """The ``Result`` that ``Result.to_dict`` turned into ``data``."""
    return Result(
        winners=tuple(data["winners"]),
        rounds=tuple(_round(r) for r in data["rounds"]),
        rules=Rules.from_dict(data["rules"]),
        candidates=tuple(data["candidates"]),
        ballots=int(data["ballots"]),
        version=str(data["version"]),
        passes=tuple(result_from_dict(p) for p in data.get("passes", ())),
    )


def _round(data: Mapping[str, Any]) -> Round:
    threshold = data["threshold"]
    return Round(
        number=int(data["round"]),
        tally=_numbers(data["tally"]),
        threshold=None if threshold is None else parse_number(threshold),
        elected=tuple(data["elected"]),
        eliminated=tuple(data["eliminated"]),
        transfers={src: _numbers(moves) for src, moves in data["transfers"].items()},
        exhausted=parse_number(data["exhausted"]),
        inactive=_numbers(data["inactive"]),
        tiebreaks=tuple(_tiebreak(t) for t in data["tiebreaks"]),
        sections={s: _numbers(t) for s, t in data.get("sections", {}).items()},
        renormalised=_numbers(data.get("renormalised", {})),
        note=str(data.get("note", "")),
    )


def _numbers(data: Mapping[str, str]) -> dict[str, Number]:
    return {key: parse_number(value) for key, value in data.items()}


def _tiebreak(data: Mapping[str, Any]) -> TieBreakRecord:
    selecting: Literal["loser", "winner"] = "winner" if data["selecting"] == "winner" else "loser"
    if data["selecting"] not in ("loser", "winner"):
        raise ValueError(f"tie-break selecting must be loser or winner, not {data['selecting']!r}")
    return TieBreakRecord(
        round=int(data["round"]),
        selecting=selecting,
        tied=tuple(data["tied"]),
        selected=str(data["selected"]),
        method=str(data["method"]),
        explanation=str(data["explanation"]),
    )
