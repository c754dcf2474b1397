"""``hustings count``'s table for people: the rounds, the winners and the rules, in words.

The phrasing is shared with the bot's announcement (``bot.adapters.render.count_words``); only
the layout and the precision differ: an auditor's terminal shows six decimal places (marked
``≈`` when rounded) where chat shows two. Imports only ``counting`` and that module.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from bot.adapters.render import count_words
from counting.result import EXHAUSTED, Number, Result, Round, format_number

if TYPE_CHECKING:  # only --analysis needs the module, and it imports it then
    from counting import analysis


def _show(value: Number) -> str:
    """Exact when the decimal terminates; otherwise six places, marked as rounded."""
    exact = format_number(value)
    if "/" not in exact:
        return exact
    q = Fraction(value)
    scaled = (abs(q.numerator) * 10**6 * 2 + q.denominator) // (2 * q.denominator)
    sign = "-" if q < 0 else ""
    return f"≈{sign}{scaled // 10**6}.{scaled % 10**6:06d}"


def _percent(part: Number, whole: Number) -> str:
    """``part`` as a percentage of ``whole`` to two places (rounded half up, for display)."""
    if not whole:
        return "-"
    hundredths = (Fraction(part) * 10000 / Fraction(whole) * 2 + 1) // 2
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _heading(result: Result, title: str | None, withdrawn: list[str]) -> list[str]:
    rules = result.rules
    lines = [title] if title else []
    lines.append(
        f"{rules.method.value.upper()}, {_plural(rules.seats, 'seat')}, "
        f"{_plural(result.ballots, 'ballot')}, {_plural(len(result.candidates), 'candidate')}"
    )
    if withdrawn:
        lines.append(f"What if {', '.join(withdrawn)} had not stood: struck from every ballot.")
    unplaced = count_words.not_in_any_round(result)
    if unplaced:
        lines.append(unplaced)
    return lines


def _aligned(values: list[Number]) -> list[str]:
    """The values shown with their decimal points in one column (``7498``, ``6509.6203``,
    ``≈12.333333``), padded to a common width."""
    shown = [_show(v).partition(".") for v in values]
    whole = max((len(w) for w, _, _ in shown), default=0)
    tail = max((len(dot + f) for _, dot, f in shown), default=0)
    return [f"{w:>{whole}}{dot + f:<{tail}}" for w, dot, f in shown]


def _tally_lines(result: Result, round_: Round) -> list[str]:
    total = round_.continuing_total
    width = max((len(name) for name in round_.tally), default=0)
    ordered = sorted(round_.tally.items(), key=lambda item: -Fraction(item[1]))
    label = count_words.share_label(result)
    unit = "points" if result.rules.method.value == "college" else "votes"
    numbers = _aligned([v for _, v in ordered] + [round_.exhausted])
    column = max(12, *(len(n) for n in numbers))
    lines = [f"  {'':<{width}}  {unit:>{column}}  % {label}"]
    lines += [
        f"  {name:<{width}}  {shown:>{column}}  {_percent(v, total):>7}"
        for (name, v), shown in zip(ordered, numbers, strict=False)
    ]
    inactive = count_words.inactive_text(round_.inactive, _show)
    suffix = f"  ({inactive})" if inactive else ""
    lines.append(f"  {EXHAUSTED:<{width}}  {numbers[-1]:>{column}}{suffix}".rstrip())
    return lines


def _round_lines(result: Result, round_: Round) -> list[str]:
    threshold = count_words.threshold_text(result, round_, _show)
    lines = [f"Round {round_.number}" + (f": {threshold}" if threshold else "")]
    lines += _tally_lines(result, round_)
    for section, tally in round_.sections.items():
        votes = ", ".join(f"{k} {_show(v)}" for k, v in tally.items())
        lines.append(f"  section {section}: {votes}")
    if round_.elected:
        lines.append(f"  Elected: {', '.join(round_.elected)}")
    if round_.eliminated:
        lines.append(f"  Eliminated: {', '.join(round_.eliminated)}")
    lines.extend(f"  Tie-break: {tie.explanation}" for tie in round_.tiebreaks)
    for source, moves in round_.transfers.items():
        lines.append("  " + count_words.transfer_text(result, source, moves, _show))
    renormalised = count_words.renormalised_text(round_, _show)
    if renormalised:
        lines.append(f"  {renormalised}")
    if round_.note:
        lines.append(f"  Note: {round_.note}")
    return lines


def render_result(result: Result, title: str | None, withdrawn: list[str]) -> str:
    """The round-by-round table, the winners and the rules in force, for people."""
    lines = _heading(result, title, withdrawn)
    for round_ in result.rounds:
        lines.extend(["", *_round_lines(result, round_)])
    for index, sub in enumerate(result.passes, start=1):
        lines.extend(["", f"Pass {index}: {count_words.winners_text(sub)}"])
    lines.extend(["", count_words.winners_text(result), count_words.rules_line(result)])
    return "\n".join(lines) + "\n"


def render_analysis(report: analysis.Analysis) -> str:
    """First preferences, head-to-head contests and transfers, for people."""
    first = report.first_preferences
    total = sum(first.tally.values())
    width = max((len(name) for name in first.tally), default=0)
    lines = ["First preferences (plurality):"]
    for name, votes in sorted(first.tally.items(), key=lambda item: -item[1]):
        lines.append(f"  {name:<{width}}  {votes:>12}  {_percent(votes, total):>7}")
    if first.overvoted or first.blank:
        lines.append(f"  (overvoted first rank {first.overvoted}, blank {first.blank})")
    tied = f"tie between {', '.join(first.tied)}" if first.tied else "none"
    lines.append(f"  Plurality winner: {first.winner or tied}")
    lines.extend(["", "Head to head (ballots preferring each):"])
    names = report.pairwise.candidates
    wins = report.pairwise.wins
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            lines.append(f"  {a} {wins[a][b]} - {wins[b][a]} {b}")
    lines.append(f"  Condorcet winner: {report.pairwise.condorcet_winner or 'none'}")
    lines.append(f"  Condorcet loser: {report.pairwise.condorcet_loser or 'none'}")
    lines.extend(["", "Next preferences of each candidate's first-preference supporters:"])
    for source, moves in report.transfers.moves.items():
        moved = ", ".join(f"{dest} {n}" for dest, n in moves.items() if n)
        lines.append(f"  {source}: {moved or 'none'}")
    return "\n".join(lines) + "\n"
