"""The words of a count, shared by the bot's announcement and ``hustings count``'s table.

A result is read by members in chat and by auditors at a terminal; both must be told the same
thing in the same words, so every phrase that explains a count lives here once: the threshold
in words (once, on round 1; later rounds give only the number and what it is of), what the
percentages are of, where ballots went (and, in the college, what was re-shared without any
ballot moving), who won (the word "Elected" belongs to the round that elected them), and the
rules in force as one line. Numbers arrive already formatted by the caller (``show``): the
chat shows two places, the auditors' table six, both exact where the decimal is short.

Imports only ``counting`` so that ``hustings count`` stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

from counting.result import EXHAUSTED, RESIDUAL, Number, Result, Round, ballots_in_no_round
from counting.rules import RON, Method, StvVariant
from counting.rules_words import describe

Show = Callable[[Number], str]


def _plural(n: int | str, word: str) -> str:
    return f"{n} {word}" if str(n) == "1" else f"{n} {word}s"


def _stv_quota_words(result: Result, first: Round, show: Show) -> str:
    rules = result.rules
    valid = first.continuing_total
    if rules.stv_variant is StvVariant.MEEK:
        return "Meek's quota: the votes still counting ÷ (seats + 1), recomputed each round"
    seats = _plural(rules.seats, "seat")
    if rules.stv_variant is StvVariant.SCOTTISH:
        kind = "Droop quota"
    else:
        kind = {"droop": "Droop quota", "droop-fractional": "fractional Droop quota"}.get(
            rules.quota.value, "Hare quota"
        )
    return f"the {kind} of the {_plural(show(valid), 'valid vote')} for {seats}"


def threshold_text(result: Result, round_: Round, show: Show) -> str:
    """``threshold 4489: more than half of the 8976 continuing votes`` on round 1; later
    rounds give the number and what it is of. Empty when the round has no threshold."""
    if round_.threshold is None:
        return ""
    value = show(round_.threshold)
    method = result.rules.method
    first = round_.number == 1
    if method is Method.COLLEGE:
        return f"threshold {value}: more than 50 of the 100 points" if first else ""
    if method is Method.STV:
        return (
            f"quota {value}: {_stv_quota_words(result, round_, show)}"
            if first
            else f"quota {value}"
        )
    if method in (Method.IRV, Method.MULTI_PASS_IRV):
        continuing = round_.continuing_total
        majority = Fraction(continuing) // 2 + 1
        if Fraction(round_.threshold) != majority:
            return f"threshold {value} (fixed at round 1)"
        votes = _plural(show(continuing), "continuing vote")
        if first:
            return f"threshold {value}: more than half of the {votes}"
        return f"threshold {value} (of {votes})"
    return f"threshold {value}"


def share_label(result: Result) -> str:
    """What the percentage column is a share of."""
    if result.rules.method is Method.COLLEGE:
        return "of the points counted"
    return "of continuing votes"


def transfer_text(result: Result, source: str, moves: Mapping[str, Number], show: Show) -> str:
    """Where ``source``'s ballots went (college: the points those ballots carried)."""
    parts = []
    place = {name: index for index, name in enumerate(result.candidates)}
    last = len(place)
    order = {EXHAUSTED: last, RESIDUAL: last + 1}
    ordered = sorted(moves.items(), key=lambda move: place.get(move[0], order.get(move[0], last)))
    for destination, amount in ordered:  # ballot-paper order, then exhausted, then rounding
        if destination == EXHAUSTED:
            parts.append(f"{show(amount)} exhausted")
        elif destination == RESIDUAL:
            parts.append(f"{show(amount)} lost to rounding (residual surplus)")
        else:
            parts.append(f"{show(amount)} to {destination}")
    listed = ", ".join(parts) or "nothing moved"
    if result.rules.method is Method.COLLEGE:
        return f"Points carried by {source}'s ballots: {listed}"
    return f"Transfers from {source}: {listed}"


INACTIVE_WORDS = {
    "overvotes": "over-votes",
    "skippedRankings": "skipped rankings",
    "repeatedRankings": "repeated rankings",
    "exhaustedChoices": "no choices left",
}
"""``counting.reading.Inactive``'s keys (RCTab's report keys, kept in JSON so results compare
with RCTab's) in words for people."""


def inactive_text(inactive: Mapping[str, Number], show: Show) -> str:
    """``over-votes 4, no choices left 147``: why the exhausted ballots stopped counting."""
    return ", ".join(f"{INACTIVE_WORDS.get(k, k)} {show(v)}" for k, v in inactive.items() if v)


def renormalised_text(round_: Round, show: Show) -> str:
    """College only: the points re-shared because ballots exhausted (no ballot moved)."""
    if not round_.renormalised:
        return ""
    gains = ", ".join(f"{show(v)} to {name}" for name, v in round_.renormalised.items())
    return (
        "Re-shared within sections (exhausted ballots leave their section's points to the "
        f"ballots still counting; no ballot moved): {gains}"
    )


def not_in_any_round(result: Result) -> str | None:
    """Ballots that no round accounts for (``counting.result.ballots_in_no_round``: blank, or
    marking only withdrawn or excluded candidates, as RCTab treats undervotes), said in words
    so every ballot is accounted for; ``None`` when there are none or the count has no such
    figure (college counts weigh points, not ballots)."""
    n = ballots_in_no_round(result)
    if not n:
        return None
    return (
        f"{_plural(n, 'ballot')} had no preference for a continuing candidate (blank, or "
        f"only withdrawn or excluded candidates) and {'is' if n == 1 else 'are'} in no round."
    )


def winners_text(result: Result) -> str:
    """The outcome once, without repeating the word each round already said ("Elected")."""
    if RON in result.winners:
        return f"{RON} wins: nobody is elected and nominations re-open."
    if not result.winners:
        return "No candidate was elected."
    if len(result.winners) == 1:
        return f"Winner: {result.winners[0]}"
    return f"Winners, in order of election: {', '.join(result.winners)}"


def rules_line(result: Result) -> str:
    """The rules in force, one readable line, with the counting version (provenance)."""
    return f"Rules: {describe(result.rules)}; counting version {result.version}."
