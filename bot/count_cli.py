"""``hustings count FILE``: recount a published ballot file, for auditors.

Anyone holding a ballot file (BLT or JSON) can check an announced result: the same ballots
and the same rules give the same rounds, byte for byte. Options override the file's rules.
The table is for people; ``--json`` prints ``Result.to_dict()`` (the schema documented in
``counting/README.md``) for machines, plus ``ballotsInNoRound`` (``counting.result.
ballots_in_no_round``: the table's "in no round" figure) when the count has one. A bad file
is one line on stderr naming the line or entry, exit code 2, never a traceback: the auditor
needs to know where to look, not where our code was.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from bot.count_rules import RuleOptionError, register_rule_options, resolve_names, rules_from_args
from bot.count_table import render_analysis, render_result
from counting import engine
from counting.ballots import InvalidBallotError, collector_paused
from counting.formats import (
    BallotFile,
    BallotFileError,
    parse_ballot_file,
    write_ballot_file,
)
from counting.result import Result, ballots_in_no_round
from counting.rules import Rules
from counting.tiebreak import TieNeedsDecisionError

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
    register_rule_options(parser)
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
    register_publish_options(parser)
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
    try:
        return rules_from_args(file, args)
    except RuleOptionError as exc:
        raise CountCliError(str(exc)) from None


def _withdrawn(file: BallotFile, args: argparse.Namespace) -> list[str]:
    """``--withdraw`` names as the candidates they fold to (case, accents, punctuation)."""
    try:
        return resolve_names(args.withdraw, file.profile.candidates, "--withdraw")
    except RuleOptionError as exc:
        raise CountCliError(str(exc)) from None


def _refuse_empty(file: BallotFile, path: str) -> None:
    """No ballot with a preference: nothing to count and nobody can be elected (the bot's rule:
    a lot among 0–0 ties would "elect" somebody)."""
    if not file.profile.any_marks():
        raise CountCliError(
            f"{path}: no ballots with any preference, so there is nothing to count and nobody "
            "can be elected"
        )


def _decision_needed(exc: TieNeedsDecisionError, rules: Rules) -> CountCliError:
    """One line naming the tie and the option that decides it."""
    role = "election" if exc.selecting == "winner" else "exclusion"
    named = list(rules.tiebreak_order or ())
    order = ",".join(named + [name for name in exc.tied if name not in named])
    return CountCliError(
        f"round {exc.round}: {_and(exc.tied)} are tied for {role} and --tiebreak ask needs a "
        f"decision: recount with --tie-order naming them, most preferred first "
        f"(e.g. --tie-order '{order}')"
    )


def _and(names: tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def _count(file: BallotFile, rules: Rules, withdrawn: list[str]) -> Result:
    try:
        if withdrawn:
            from counting import analysis  # noqa: PLC0415 - lazy, as in _output

            return analysis.what_if_withdrawn(file.profile, rules, withdrawn)
        return engine.count(file.profile, rules)
    except TieNeedsDecisionError as exc:
        raise _decision_needed(exc, rules) from None
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
    report = None
    if args.analysis:
        from counting import analysis  # noqa: PLC0415 - lazy: start-up is held to 3× bare Python

        profile = file.profile
        if args.withdraw:
            profile = analysis.withdraw(profile, args.withdraw)
        report = analysis.analyse(profile)
    if args.json:
        data = result.to_dict()
        unplaced = ballots_in_no_round(result)
        if unplaced is not None:
            data["ballotsInNoRound"] = unplaced  # the table's "in no round" line, as a number
        if report is not None:
            data["analysis"] = report.to_dict()
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    text = render_result(result, file.title, withdrawn=args.withdraw)
    if report is not None:
        text += "\n" + render_analysis(report)
    return text


def register_publish_options(parser: argparse.ArgumentParser) -> None:
    """``--chart``, ``--sankey``, ``--html``, ``--summary``: files to publish (any subset)."""
    parser.add_argument("--chart", metavar="PATH", help="write the round-by-round bars (PNG)")
    parser.add_argument("--sankey", metavar="PATH", help="write the transfers chart (PNG)")
    parser.add_argument("--html", metavar="PATH", help="write one self-contained HTML page")
    parser.add_argument("--summary", metavar="PATH", help="write the RCTab-shaped summary JSON")


def _publish(file: BallotFile, result: Result, args: argparse.Namespace) -> None:
    """Write the requested files; nothing is imported unless one was asked for."""
    wanted = {k: getattr(args, k, None) for k in ("chart", "sankey", "html", "summary")}
    if not any(wanted.values()):
        return
    from bot.publish import write_outputs  # noqa: PLC0415 - matplotlib only when asked

    try:
        write_outputs(result, file.title, wanted)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        raise CountCliError(f"cannot write{where}: {exc.strerror or exc}") from None


def _refuse_clashes(wanted: dict[str, str | None], source: str, save: str | None) -> None:
    """Two outputs naming one file would leave only the last written, and an output naming
    the ballot file (or ``--save``'s) would overwrite it: refuse before writing anything."""
    seen: dict[Path, str] = {}
    if source != "-":
        seen[Path(source).resolve()] = "the ballot file"
    if save:
        seen[Path(save).resolve()] = "--save"
    for option, path in wanted.items():
        if not path:
            continue
        key = Path(path).resolve()
        if key in seen:
            raise CountCliError(f"--{option} {path} is the same file as {seen[key]}")
        seen[key] = f"--{option}"


def run(args: argparse.Namespace) -> int:
    """Handle ``hustings count``; returns the process exit code.

    The cyclic garbage collector is paused for the run: a million-line file builds hundreds
    of thousands of small acyclic tuples and lists, and each burst of allocations made the
    collector rescan all of them (a tenth of the whole run, measured by
    ``benchmarks/bench_recount.py``); reference counting still frees everything.
    """
    with collector_paused():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        wanted = {k: getattr(args, k, None) for k in ("chart", "sankey", "html", "summary")}
        _refuse_clashes(wanted, args.file, args.save)
        file = _load(args.file)
        rules = _rules(file, args)
        _refuse_empty(file, args.file)
        args.withdraw = _withdrawn(file, args)
        result = _count(file, rules, args.withdraw)
        if args.save:
            _save(replace(file, rules=rules), args.save)
        _publish(file, result, args)
    except CountCliError as exc:
        print(f"hustings count: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(_output(file, result, args))
    return EXIT_OK
