"""Read and write the JSON ballot file (issue #2, item 7).

Shape::

    {"title": "...", "candidates": ["A", "B"], "seats": 1,
     "ballots": [{"ranking": ["A", ["B", "C"], [], "D"], "count": 3, "section": "members"}],
     "sections": {"mps": 1, "members": 1}, "withdrawn": [], "rules": {...}}

A ranking entry is a name, or a list of names marked equal at that rank (``[]`` is a skipped
rank). ``count`` defaults to 1; a bare list is accepted as a ballot of count 1. ``sections``
weights are relative; when absent, every section a ballot names weighs the same.

The same reader takes the conformance vectors (``format: hustings-rcv-vector/1``) and the
validation ballots in ``shared/``: for a vector, ``rules`` are RCTab's own options and are
mapped by ``counting.formats.rctab``; otherwise ``rules`` are ``Rules.to_dict()`` keys.

Every error names the entry, e.g. ``ballots[12].ranking[2]: unknown candidate 'Kendal'``,
so a moderator can find the bad line in a file of thousands.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from counting.ballots import OVERVOTE, Ballot, Position, Profile, Ranking
from counting.formats.ballot_file import BallotFile, BallotFileError, default_method
from counting.result import format_number
from counting.rules import Rules

VECTOR_FORMAT = "hustings-rcv-vector/1"


def _candidates(data: Mapping[str, Any]) -> tuple[str, ...]:
    names = data.get("candidates")
    if not isinstance(names, list) or not names:
        raise BallotFileError("candidates", "must be a non-empty list of names")
    seen: set[str] = set()
    for index, name in enumerate(names):
        where = f"candidates[{index}]"
        if not isinstance(name, str) or not name.strip():
            raise BallotFileError(where, f"must be a non-empty string, not {name!r}")
        if name in seen:
            raise BallotFileError(where, f"candidate {name!r} is listed twice")
        if name == OVERVOTE:
            raise BallotFileError(where, f"{OVERVOTE} is the overvote marker, not a name")
        seen.add(name)
    return tuple(names)


def _whole(value: Any, where: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BallotFileError(where, f"must be a whole number, not {value!r}")
    if value < minimum:
        raise BallotFileError(where, f"must be at least {minimum}, not {value}")
    return value


def _weight(value: Any, where: str) -> Fraction:
    """A section weight: a number, or a string such as ``"1/3"`` or ``"33.3"``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BallotFileError(where, f"must be a number, not {value!r}")
    try:
        weight = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise BallotFileError(where, f"must be a number, not {value!r}") from None
    if weight <= 0:
        raise BallotFileError(where, f"must be positive, not {value!r}")
    return weight


def _position(entry: Any, where: str, known: set[str]) -> Position:
    names = [entry] if isinstance(entry, str) else entry
    if not isinstance(names, list):
        raise BallotFileError(where, f"must be a name or a list of names, not {entry!r}")
    for index, name in enumerate(names):
        spot = where if isinstance(entry, str) else f"{where}[{index}]"
        if not isinstance(name, str):
            raise BallotFileError(spot, f"must be a candidate name, not {name!r}")
        if name not in known and name != OVERVOTE:
            raise BallotFileError(spot, f"unknown candidate {name!r}")
    if OVERVOTE in names and len(names) > 1:
        raise BallotFileError(where, f"{OVERVOTE} cannot share a rank with names")
    return tuple(names)


def _ranking(entries: Any, where: str, known: set[str]) -> Ranking:
    if not isinstance(entries, list):
        raise BallotFileError(where, f"must be a list, not {entries!r}")
    positions = [_position(e, f"{where}[{i}]", known) for i, e in enumerate(entries)]
    while positions and not positions[-1]:
        positions.pop()
    return tuple(positions)


def _ballot(index: int, entry: Any, known: set[str]) -> Ballot:
    where = f"ballots[{index}]"
    if isinstance(entry, list):
        return Ballot(_ranking(entry, where, known))
    if not isinstance(entry, dict):
        raise BallotFileError(where, "must be an object with a ranking, or a list of names")
    unknown = sorted(set(entry) - {"ranking", "count", "section"})
    if unknown:
        raise BallotFileError(where, f"unknown key(s): {', '.join(unknown)}")
    if "ranking" not in entry:
        raise BallotFileError(where, "has no ranking")
    ranking = _ranking(entry["ranking"], f"{where}.ranking", known)
    count = _whole(entry.get("count", 1), f"{where}.count", 1)
    section = entry.get("section")
    if section is not None and not isinstance(section, str):
        raise BallotFileError(f"{where}.section", f"must be a name, not {section!r}")
    return Ballot(ranking, count, section)


def _ballots(data: Mapping[str, Any], candidates: tuple[str, ...]) -> list[Ballot]:
    entries = data.get("ballots")
    if not isinstance(entries, list):
        raise BallotFileError("ballots", "must be a list")
    known = set(candidates)
    return [_ballot(i, entry, known) for i, entry in enumerate(entries)]


def _sections(data: Mapping[str, Any], ballots: list[Ballot]) -> dict[str, Fraction]:
    """Declared section weights, or equal weights for the sections the ballots name."""
    declared = data.get("sections")
    named = [b.section for b in ballots]
    if declared is None:
        used = [s for s in named if s is not None]
        if used and len(used) != len(named):
            index = named.index(None)
            raise BallotFileError(f"ballots[{index}].section", "missing; other ballots have one")
        return {s: Fraction(1) for s in dict.fromkeys(used)}
    if not isinstance(declared, dict) or not declared:
        raise BallotFileError("sections", "must be an object of section weights")
    weights = {str(k): _weight(v, f"sections.{k}") for k, v in declared.items()}
    for index, section in enumerate(named):
        if section not in weights:
            raise BallotFileError(
                f"ballots[{index}].section",
                f"{section!r} is not one of the sections {sorted(weights)}",
            )
    return weights


def _vector_rules(data: Mapping[str, Any], candidates: tuple[str, ...]) -> Rules:
    """RCTab's options of a conformance vector, mapped by the RCTab mapper."""
    rules = data.get("rules")
    if not isinstance(rules, dict):
        raise BallotFileError("rules", "a conformance vector must carry RCTab's rules")
    from counting.formats import rctab  # noqa: PLC0415 - only vectors need it

    try:
        return rctab.rules_from_rctab(rules, candidates, data.get("tiebreak_order"))
    except rctab.UnsupportedRules as exc:
        raise BallotFileError("rules", f"not supported: {exc}") from None
    except (ValueError, TypeError, KeyError) as exc:
        raise BallotFileError("rules", str(exc)) from None


def _our_rules(data: Mapping[str, Any], profile: Profile, seats: int) -> Rules | None:
    rules = data.get("rules")
    if rules is None:
        return None
    if not isinstance(rules, dict):
        raise BallotFileError("rules", "must be an object of rule options")
    options = {"seats": seats, "method": default_method(profile, seats).value, **rules}
    try:
        return Rules.from_dict(options)
    except (ValueError, TypeError) as exc:
        raise BallotFileError("rules", str(exc)) from None


def _title(data: Mapping[str, Any]) -> str | None:
    title = data.get("title", data.get("name"))
    return title if isinstance(title, str) and title else None


def parse_json(text: str) -> BallotFile:
    """Parse a JSON ballot file; raise ``BallotFileError`` naming the bad entry."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} (column {exc.colno})"
        raise BallotFileError(exc.lineno, message) from None
    if not isinstance(data, dict):
        raise BallotFileError(None, "a JSON ballot file must be an object")
    candidates = _candidates(data)
    vector = data.get("format") == VECTOR_FORMAT
    seats = _whole(data.get("seats", 1), "seats", 0 if vector else 1)
    ballots = _ballots(data, candidates)
    sections = _sections(data, ballots)
    profile = Profile.from_ballots(candidates, ballots, sections)
    withdrawn = data.get("withdrawn", [])
    if not isinstance(withdrawn, list) or any(w not in candidates for w in withdrawn):
        raise BallotFileError("withdrawn", "must be a list of candidate names")
    rules: Rules | None
    if vector:
        rules = _vector_rules(data, candidates)
        if seats == 0:  # RCTab's "as many as reach the percentage": bottoms-up only
            if rules.bottoms_up_percentage is None:
                raise BallotFileError("seats", "0 seats needs a bottoms-up percentage threshold")
            seats = rules.seats
    else:
        rules = _our_rules(data, profile, seats)
    return BallotFile(profile, rules, _title(data), seats, tuple(withdrawn))


def _entry(position: Position) -> str | list[str]:
    return position[0] if len(position) == 1 else list(position)


def _ballot_json(ballot: Ballot) -> str:
    out: dict[str, Any] = {"ranking": [_entry(p) for p in ballot.ranking], "count": ballot.count}
    if ballot.section is not None:
        out["section"] = ballot.section
    return json.dumps(out, ensure_ascii=False)


def _weight_json(weight: Fraction) -> int | str:
    return weight.numerator if weight.denominator == 1 else format_number(weight)


def write_json(file: BallotFile) -> str:
    """JSON text for ``file``, one ballot per line so large files stay diffable."""
    head: dict[str, Any] = {}
    if file.title:
        head["title"] = file.title
    head["candidates"] = list(file.profile.candidates)
    head["seats"] = file.seats
    tail: dict[str, Any] = {}
    if file.profile.sections:
        tail["sections"] = {k: _weight_json(v) for k, v in file.profile.sections.items()}
    if file.withdrawn:
        tail["withdrawn"] = list(file.withdrawn)
    if file.rules is not None:
        tail["rules"] = file.rules.to_dict()
    parts = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in head.items()]
    ballots = ",\n".join(f"    {_ballot_json(b)}" for b in file.profile.ballots)
    parts.append(f'  "ballots": [\n{ballots}\n  ]' if ballots else '  "ballots": []')
    parts.extend(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in tail.items())
    return "{\n" + ",\n".join(parts) + "\n}\n"
