"""The count announcement: a title, one section per round with its working, then the winners.

Built from ``counting.result.Result`` as the counting library produced it, so the announcement
shows exactly what was decided: every tally (exact where whole, percentages to one decimal place
for display only), the threshold, who was elected or eliminated, where their ballots went, how
many are exhausted, and each tie-break with its explanation. No floats: display rounding is done
on ``Fraction`` values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from bot.adapters.render import count_words
from bot.adapters.render.message import Reply, Section
from bot.domain import CountOutcome, PacedStep
from counting.result import Number, Result, Round, format_number


def announce_count(outcome: CountOutcome) -> Reply:
    """The public round-by-round announcement of a count (or a checked recount)."""
    election, result = outcome.election, outcome.result
    prefix = "Recount" if outcome.recount_of is not None else "Result"
    intro = (
        f"{result.ballots} {_plural(result.ballots, 'ballot')}, "
        f"{len(result.candidates)} candidates, {election.method.upper()} for "
        f"{election.seats} {_plural(election.seats, 'seat')}."
    )
    unplaced = count_words.not_in_any_round(result)
    sections = [Section((intro, unplaced) if unplaced else (intro,))]
    if outcome.recount_of is not None:
        sections.append(Section(("The stored ballots were counted again: identical result.",)))
    sections.extend(_round_sections(result))
    sections.append(Section(winner_lines(result)))
    return Reply(f"{prefix}: {election.title}", tuple(sections), private=False, charts_of=result)


def declare_step(step: PacedStep) -> Reply:
    """One step of a paced declaration: the headline and round 1 first, then one round per
    step; the last step names the winners. Public, like the unpaced count."""
    election, result = step.outcome.election, step.outcome.result
    rounds = _round_sections(result)
    shown = rounds[step.shown - 1]
    if step.shown == 1:
        intro = (
            f"{result.ballots} {_plural(result.ballots, 'ballot')}, "
            f"{len(result.candidates)} candidates, {election.method.upper()} for "
            f"{election.seats} {_plural(election.seats, 'seat')}."
        )
        sections = [Section((intro,)), shown]
    else:
        sections = [shown]
    if step.shown < len(rounds):
        following = f"Round {step.shown + 1} of {len(rounds)} follows"
        if step.pace_seconds is None:
            following += " on /election next."
        else:
            following += f" in {_duration(step.pace_seconds)}, or sooner on /election next."
        sections.append(Section((following,)))
        return Reply(f"Count: {election.title}", tuple(sections), private=False)
    sections.append(Section(winner_lines(result)))
    return Reply(f"Result: {election.title}", tuple(sections), private=False, charts_of=result)


def _round_sections(result: Result) -> list[Section]:
    if not result.passes:
        return [round_section(result, r) for r in result.rounds]
    sections = []
    for seat, sub in enumerate(result.passes, start=1):
        for r in sub.rounds:
            sections.append(round_section(sub, r, f"Seat {seat}, round {r.number}"))
    return sections


def round_section(result: Result, r: Round, label: str | None = None) -> Section:
    """One round: the threshold in words (round 1) or its number, the tally with each share
    of the continuing votes, decisions, tie-breaks, transfers and notes."""
    heading = label or f"Round {r.number}"
    threshold = count_words.threshold_text(result, r, display_number)
    if threshold:
        heading += f": {threshold}"
    lines = [f"Percentages are {count_words.share_label(result)}."] if r.number == 1 else []
    lines += _tally_lines(r.tally, result.candidates)
    if r.exhausted:
        lines.append(f"Exhausted: {display_number(r.exhausted)}")
    for name, tally in r.sections.items():
        shown = ", ".join(f"{c} {display_number(v)}" for c, v in tally.items())
        lines.append(f"Section {name}: {shown}")
    lines += [f"Elected: {name}" for name in r.elected]
    lines += [f"Eliminated: {name}" for name in r.eliminated]
    lines += [f"Tie-break: {t.explanation}" for t in r.tiebreaks]
    lines += [
        count_words.transfer_text(result, src, moves, display_number)
        for src, moves in r.transfers.items()
        if moves
    ]
    renormalised = count_words.renormalised_text(r, display_number)
    if renormalised:
        lines.append(renormalised)
    if r.note:
        lines.append(r.note)
    return Section(tuple(lines), heading)


@dataclass(frozen=True)
class TallyColumns:
    """A round's tally laid out for a table: candidates highest first, and column widths."""

    ranked: list[str]
    """Highest tally first; ties in ballot-paper order, then by name."""
    total: Fraction
    width: int
    """The longest candidate name."""
    numbers: dict[str, str]
    """Each candidate's tally as displayed (exact)."""
    digits: int
    """The longest displayed number."""


def tally_columns(tally: Mapping[str, Number], candidates: Sequence[str]) -> TallyColumns:
    """Order and widths shared by every platform's tally table (text, Discord's bars)."""
    total = sum((Fraction(v) for v in tally.values()), Fraction(0))
    order = {name: i for i, name in enumerate(candidates)}
    ranked = sorted(tally, key=lambda c: (-Fraction(tally[c]), order.get(c, len(order)), c))
    width = max((len(c) for c in ranked), default=0)
    numbers = {c: display_number(tally[c]) for c in ranked}
    digits = max((len(n) for n in numbers.values()), default=0)
    return TallyColumns(ranked, total, width, numbers, digits)


def _tally_lines(tally: Mapping[str, Number], candidates: tuple[str, ...]) -> list[str]:
    t = tally_columns(tally, candidates)
    return [
        f"{c:<{t.width}}  {t.numbers[c]:>{t.digits}}  {percent(tally[c], t.total):>6}"
        for c in t.ranked
    ]


def winner_lines(result: Result) -> tuple[str, ...]:
    """Who won (said once: each round already said "Elected"), then the rules in force."""
    return (count_words.winners_text(result), count_words.rules_line(result))


def display_number(value: Number) -> str:
    """Exact where the decimal is short (``12``, ``12.5``), else ``≈`` and two places."""
    exact = format_number(value)
    if "/" not in exact and len(exact.partition(".")[2]) <= 5:
        return exact
    hundredths = round(Fraction(value) * 100)
    return "≈" + format_number(Fraction(hundredths, 100))


def percent(part: Number, whole: Number) -> str:
    """``41.7%``: share of ``whole`` to one decimal place (display only; exact rounding)."""
    if not whole:
        return "–"
    tenths = round(Fraction(part) * 1000 / Fraction(whole))
    return f"{tenths // 10}.{tenths % 10}%"


def _duration(seconds: int) -> str:
    """``20 seconds``, ``1 minute``, ``1 minute 30 seconds``."""
    minutes, rest = divmod(seconds, 60)
    parts = [f"{minutes} {_plural(minutes, 'minute')}"] if minutes else []
    if rest or not parts:
        parts.append(f"{rest} {_plural(rest, 'second')}")
    return " ".join(parts)


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"
