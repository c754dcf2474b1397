"""Checks on what a moderator asks an election to be, with messages that say what to fix.

Run on ``create`` and on every ``edit`` (against the merged result), so a stored election
is always countable: distinct candidate names members can type (``bot.ranking.typeable``),
seats the method can fill, sections only for the college, a closing time in the future.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.errors import InvalidInput
from bot.ranking.names import match_key
from bot.ranking.typeable import name_problem, refused, title_problem
from counting.rules import RON

METHODS = ("irv", "stv", "college")
MAX_TITLE = 200
MAX_NAME = 100
MAX_CANDIDATES = 50
SINGLE_WINNER = ("irv", "college")


@dataclass(frozen=True)
class ElectionSpec:
    """An election's settable fields, validated and normalised."""

    title: str
    candidates: tuple[str, ...]
    seats: int = 1
    method: str = "irv"
    closes_at: datetime | None = None
    eligible_roles: tuple[str, ...] = ()
    sections: Mapping[str, str] = field(default_factory=dict)
    section_weights: Mapping[str, int] = field(default_factory=dict)
    ron: bool = False


def check_spec(spec: ElectionSpec, now: datetime) -> ElectionSpec:
    """Validate ``spec``; return it normalised (names stripped, roles folded, weights filled)."""
    title = " ".join(spec.title.split())
    problem = title_problem(title)
    if problem:
        raise InvalidInput(refused("The title", title, problem))
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"The title must be 1 to {MAX_TITLE} characters.")
    candidates = check_candidates(spec.candidates)
    method = spec.method.strip().casefold()
    if method not in METHODS:
        raise InvalidInput(f"Unknown method {spec.method!r}; use one of {', '.join(METHODS)}.")
    _check_seats(spec.seats, method, len(candidates))
    _check_closes_at(spec.closes_at, now)
    roles = tuple(sorted({r.strip().casefold() for r in spec.eligible_roles if r.strip()}))
    sections, weights = _check_sections(method, spec.sections, spec.section_weights)
    return ElectionSpec(
        title, candidates, spec.seats, method, spec.closes_at, roles, sections, weights, spec.ron
    )


def check_candidates(names: Sequence[str]) -> tuple[str, ...]:
    cleaned = tuple(" ".join(n.split()) for n in names)
    if len(cleaned) < 2:
        raise InvalidInput("An election needs at least two candidates.")
    if len(cleaned) > MAX_CANDIDATES:
        raise InvalidInput(f"An election can have at most {MAX_CANDIDATES} candidates.")
    seen: dict[str, str] = {}
    for name in cleaned:
        problem = name_problem(name)
        if problem:
            raise InvalidInput(refused("The candidate name", name, problem))
        if len(name) > MAX_NAME:
            raise InvalidInput(f"Candidate names must be 1 to {MAX_NAME} characters.")
        spelled = match_key(name)
        if spelled == match_key(RON):
            raise InvalidInput("RON is added by the ron option, not as a candidate.")
        if spelled in seen:
            raise InvalidInput(f"{name} and {seen[spelled]} are the same name; list each once.")
        seen[spelled] = name
    return cleaned


def _check_seats(seats: int, method: str, candidates: int) -> None:
    if seats < 1:
        raise InvalidInput(f"--seats must be at least 1, not {seats}.")
    if method in SINGLE_WINNER and seats != 1:
        raise InvalidInput(
            f"{method.upper()} fills one seat; to fill {seats} seats, add --method stv "
            "(the single transferable vote)."
        )
    if seats >= candidates:
        raise InvalidInput(f"{seats} seats need more than {candidates} candidates.")


def _check_closes_at(closes_at: datetime | None, now: datetime) -> None:
    if closes_at is None:
        return
    if closes_at.tzinfo is None:
        raise InvalidInput("The closing time needs a time zone (UTC is assumed by the commands).")
    if closes_at <= now:
        raise InvalidInput("The closing time must be in the future.")


def _check_sections(
    method: str, sections: Mapping[str, str], weights: Mapping[str, int]
) -> tuple[dict[str, str], dict[str, int]]:
    if method != "college":
        if sections or weights:
            raise InvalidInput("Sections and weights only apply to the college method.")
        return {}, {}
    mapping = {r.strip().casefold(): s.strip() for r, s in sections.items() if r.strip()}
    if not mapping or any(not s for s in mapping.values()):
        raise InvalidInput("The college needs a role → section mapping (e.g. mp=MPs).")
    names = list(dict.fromkeys(mapping.values()))
    unknown = sorted(set(weights) - set(names))
    if unknown:
        raise InvalidInput(f"Weights given for unknown sections: {', '.join(unknown)}.")
    filled: dict[str, int] = {}
    for name in names:
        weight = weights.get(name, 1)
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
            raise InvalidInput(f"Section {name}'s weight must be a whole number ≥ 1.")
        filled[name] = weight
    return mapping, filled
