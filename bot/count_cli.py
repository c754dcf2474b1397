"""``hustings count FILE``: recount a published ballot file, for auditors.

Anyone holding a ballot file (BLT or JSON) can check an announced result: the same ballots
and the same rules give the same rounds, byte for byte. Options override the file's rules.
The table is for people; ``--json`` prints ``Result.to_dict()`` (the schema documented in
``counting/README.md``) for machines. A bad file is one line on stderr naming the line or
entry, exit code 2, never a traceback: the auditor needs to know where to look, not where
our code was.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counting import engine
from counting.ballots import InvalidBallotError
from counting.formats import (
    BallotFile,
    BallotFileError,
    parse_ballot_file,
    write_ballot_file,
)
from counting.result import EXHAUSTED, Number, Result, Round, format_number
from counting.rules import Method, Rules, StvVariant, TieBreak

if TYPE_CHECKING:  # counting.analysis is imported only when --analysis or --withdraw asks
    from counting import analysis

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class CountCliError(Exception):
    """A problem with what the auditor gave us; the message is shown as it is."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``count`` sub-command to the ``hustings`` parser."""
    parser = subparsers.add_parser(
        "count",
        help="recount a ballot file (BLT or JSON) round by round",
        description="Recount a ballot file (BLT or JSON) and print the round-by-round result.",
    )
    parser.add_argument("file", metavar="FILE", help="ballot file (.blt or .json; - for stdin)")
    parser.add_argument("--method", choices=[m.value for m in Method])
    parser.add_argument("--seats", type=int, help="seats to fill")
    parser.add_argument("--tiebreak", choices=[t.value for t in TieBreak])
    parser.add_argument("--seed", type=int, help="seed of the lot drawn to break ties")
    parser.add_argument("--stv-variant", choices=[v.value for v in StvVariant])
    parser.add_argument(
        "--withdraw",
        action="append",
        default=[],
        metavar="NAME",
        help="recount as if NAME had not stood (repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--analysis",
        action="store_true",
        help="also print first preferences, head-to-head matrix and transfer matrix",
    )
    parser.add_argument("--save", metavar="PATH", help="also write the ballots to PATH")
    parser.set_defaults(handler=run)


def _read(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CountCliError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise CountCliError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _load(path: str) -> BallotFile:
    text = _read(path)
    try:
        return parse_ballot_file(text, path)
    except (BallotFileError, InvalidBallotError) as exc:
        raise CountCliError(f"{path}: {exc}") from None
    except ValueError as exc:
        raise CountCliError(f"{path}: {exc}") from None


def _rules(file: BallotFile, args: argparse.Namespace) -> Rules:
    """The file's rules with the command-line options laid over them."""
    if args.seats is not None:
        if args.seats < 1:
            raise CountCliError(f"--seats must be at least 1, not {args.seats}")
        file = replace(file, seats=args.seats)
    rules = file.rules_for_count()
    overrides: dict[str, Any] = {"seats": file.seats}
    if args.method:
        overrides["method"] = Method(args.method)
    if args.tiebreak:
        overrides["tiebreak"] = TieBreak(args.tiebreak)
    if args.seed is not None:
        overrides["seed"] = args.seed
    if args.stv_variant:
        overrides["stv_variant"] = StvVariant(args.stv_variant)
    return replace(rules, **overrides)


def _count(file: BallotFile, rules: Rules, withdrawn: list[str]) -> Result:
    try:
        if withdrawn:
            from counting import analysis  # noqa: PLC0415 - only what-if counts need it

            return analysis.what_if_withdrawn(file.profile, rules, withdrawn)
        return engine.count(file.profile, rules)
    except ValueError as exc:
        raise CountCliError(f"cannot count: {exc}") from None


def _save(file: BallotFile, path: str) -> None:
    try:
        text = write_ballot_file(file, path)
    except ValueError as exc:
        raise CountCliError(f"cannot write {path}: {exc}") from None
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CountCliError(f"cannot write {path}: {exc.strerror or exc}") from None


def _output(file: BallotFile, result: Result, args: argparse.Namespace) -> str:
    profile = file.profile
    if args.withdraw or args.analysis:
        from counting import analysis  # noqa: PLC0415 - only these options need it

        if args.withdraw:
            profile = analysis.withdraw(profile, args.withdraw)
    report = analysis.analyse(profile) if args.analysis else None
    if args.json:
        data = result.to_dict()
        if report is not None:
            data["analysis"] = report.to_dict()
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    text = render_result(result, file.title, withdrawn=args.withdraw)
    if report is not None:
        text += "\n" + render_analysis(report)
    return text


def _show(value: Number) -> str:
    """Exact when the decimal terminates; otherwise six places, marked as rounded."""
    exact = format_number(value)
    if "/" not in exact:
        return exact
    q = Fraction(value)
    scaled = (abs(q.numerator) * 10**6 * 2 + q.denominator) // (2 * q.denominator)
    sign = "-" if q < 0 else ""
    return f"≈{sign}{scaled // 10**6}.{scaled % 10**6:06d}"


def _signed(value: Number) -> str:
    shown = _show(value)
    return f"≈+{shown[1:]}" if shown.startswith("≈") else f"+{shown}"


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
    return lines


def _tally_lines(round_: Round) -> list[str]:
    total = round_.continuing_total
    width = max((len(name) for name in round_.tally), default=0)
    ordered = sorted(round_.tally.items(), key=lambda item: -Fraction(item[1]))
    lines = [f"  {name:<{width}}  {_show(v):>12}  {_percent(v, total):>7}" for name, v in ordered]
    inactive = ", ".join(f"{k} {_show(v)}" for k, v in round_.inactive.items() if v)
    suffix = f" ({inactive})" if inactive else ""
    lines.append(f"  {EXHAUSTED:<{width}}  {_show(round_.exhausted):>12}{suffix}")
    return lines


def _round_lines(round_: Round) -> list[str]:
    threshold = "" if round_.threshold is None else f": threshold {_show(round_.threshold)}"
    lines = [f"Round {round_.number}{threshold}", *_tally_lines(round_)]
    for section, tally in round_.sections.items():
        votes = ", ".join(f"{k} {_show(v)}" for k, v in tally.items())
        lines.append(f"  section {section}: {votes}")
    if round_.elected:
        lines.append(f"  Elected: {', '.join(round_.elected)}")
    if round_.eliminated:
        lines.append(f"  Eliminated: {', '.join(round_.eliminated)}")
    for source, moves in round_.transfers.items():
        moved = ", ".join(f"{dest} {_signed(v)}" for dest, v in moves.items())
        lines.append(f"  Transfers from {source}: {moved or 'none'}")
    lines.extend(f"  Tie-break: {tie.explanation}" for tie in round_.tiebreaks)
    if round_.note:
        lines.append(f"  Note: {round_.note}")
    return lines


def render_result(result: Result, title: str | None, withdrawn: list[str]) -> str:
    """The round-by-round table, winners and provenance, for people."""
    lines = _heading(result, title, withdrawn)
    for round_ in result.rounds:
        lines.extend(["", *_round_lines(round_)])
    for index, sub in enumerate(result.passes, start=1):
        lines.extend(["", f"Pass {index}: winners {', '.join(sub.winners) or 'none'}"])
    rules = result.rules
    lines.extend(
        [
            "",
            f"Winners: {', '.join(result.winners) or 'none'}",
            f"Method: {rules.method.value}; tie-break: {rules.tiebreak.value}; "
            f"seed: {rules.seed}; counting version: {result.version}",
            f"Rules: {json.dumps(rules.to_dict(), sort_keys=True)}",
        ]
    )
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


def run(args: argparse.Namespace) -> int:
    """Handle ``hustings count``; returns the process exit code."""
    try:
        file = _load(args.file)
        rules = _rules(file, args)
        result = _count(file, rules, args.withdraw)
        if args.save:
            _save(file, args.save)
    except CountCliError as exc:
        print(f"hustings count: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(_output(file, result, args))
    return EXIT_OK
