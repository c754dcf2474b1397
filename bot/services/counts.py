"""From stored ballots to the counting library and back: profiles, rules, exports.

The count reads ballots already grouped by (ranking, section) in one query, so a million
ballots with a few hundred distinct rankings become a few hundred ``Ballot`` groups. The
rules are fixed by the election (method, seats, RON) plus the seed of the tie-break lot. The
seed is drawn at random when the election is first counted (after voting has closed), so
nobody can work out in advance which way a tie would fall; it is stored with the result, and
recounts and exports reuse it, so a recount of the same ballots always draws the same lot.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from bot.services.common import ballot_candidates
from bot.storage.tables import Election
from counting.ballots import Ballot, Profile
from counting.engine import count
from counting.formats.ballot_file import BallotFile
from counting.formats.json_file import write_json
from counting.formats.rules_text import RULES_COMMENT, rules_to_text
from counting.result import Result
from counting.rules import Method, Rules

Group = tuple[tuple[str, ...], str | None, int]
"""(ranking, section, how many ballots)."""


def rules_for(election: Election, seed: int = 0) -> Rules:
    """The rules an election is counted under (stored with its result)."""
    return Rules(method=Method(election.method), seats=election.seats, ron=election.ron, seed=seed)


def _to_ballot(ranking: Sequence[str], section: str | None, n: int = 1) -> Ballot:
    return Ballot(tuple((name,) for name in ranking), n, section)


def profile_for(election: Election, groups: Iterable[Group]) -> Profile:
    """A counting profile of the election's grouped ballots."""
    ballots = [_to_ballot(ranking, section, n) for ranking, section, n in groups]
    weights = dict(election.section_weights) if election.method == "college" else None
    return Profile.from_ballots(ballot_candidates(election), ballots, weights)


def run_count(election: Election, groups: Iterable[Group], seed: int) -> Result:
    """Count the grouped ballots (pure; callers run it off the event loop)."""
    return count(profile_for(election, groups), rules_for(election, seed))


def as_json(result: Result) -> dict[str, Any]:
    """The result as it is stored: plain JSON (exact numbers are strings)."""
    stored: dict[str, Any] = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    return stored


Receipted = tuple[str, tuple[str, ...], str | None]
"""(receipt, ranking, section) of one ballot."""


def export_json(election: Election, ballots: Sequence[Receipted], seed: int = 0) -> str:
    """Anonymised JSON: one ballot per entry (in receipt order, not cast order).

    It is a normal ``counting.formats`` JSON ballot file, readable by ``hustings count``;
    ``receipts[i]`` is the receipt code of ``ballots[i]`` so members can find their ballot.
    ``seed`` is the counted election's stored seed, so a recount of the file draws the same lot.
    """
    profile = Profile(
        ballot_candidates(election),
        tuple(_to_ballot(ranking, section) for _, ranking, section in ballots),
        dict(election.section_weights) if election.method == "college" else {},
    )
    file = BallotFile(profile, rules_for(election, seed), election.title, election.seats)
    body = write_json(file).rstrip().removesuffix("}").rstrip()
    receipts = json.dumps([receipt for receipt, _, _ in ballots])
    return f'{body},\n  "receipts": {receipts}\n}}\n'


def export_blt(election: Election, ballots: Sequence[Receipted], seed: int = 0) -> str:
    """Anonymised BLT: one line per ballot, its receipt as the OpenSTV ballot id ``(…)``.

    The rules in force, ``seed`` included, follow the title as a ``# hustings-rules:`` comment
    (``counting.formats.rules_text``), so ``hustings count`` of the export draws the same lot
    and reproduces the announced result.
    """
    if election.method == "college":
        raise ValueError("BLT cannot hold college sections; export JSON instead")
    names = ballot_candidates(election)
    numbers = {name: n for n, name in enumerate(names, start=1)}
    lines = [f"{len(names)} {election.seats}"]
    for receipt, ranking, _ in ballots:
        marks = " ".join(str(numbers[name]) for name in ranking)
        lines.append(f"({receipt}) 1 {marks} 0")
    lines.append("0")
    lines.extend(f'"{name}"' for name in names)
    lines.append('"{}"'.format(election.title.replace('"', "'")))
    lines.append(f"# {RULES_COMMENT} {rules_to_text(rules_for(election, seed))}")
    return "\n".join(lines) + "\n"


def publish(election: Election, ballots: Sequence[Receipted], seed: int, fmt: str) -> str:
    """The counted election's published result as ``html``, ``summary`` (RCTab JSON) or
    ``csv`` (one row per round and candidate). Recounts the anonymised ballots with the
    stored seed, so it is the stored result (the count checks recounts match). CPU-bound
    (charts): call in a thread."""
    from bot import publish as published  # noqa: PLC0415 - matplotlib only when publishing

    groups = [(tuple(ranking), section, 1) for _, ranking, section in ballots]
    result = run_count(election, groups, seed)
    if fmt == "summary":
        return json.dumps(published.summary(result, election.title), indent=2) + "\n"
    if fmt == "csv":
        return published.rounds_csv(result)
    receipts = [(receipt, ranking) for receipt, ranking, _ in ballots]
    return published.html_page(result, election.title, *published.charts_of(result), receipts)
