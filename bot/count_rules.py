"""Every counting rule as a ``hustings count`` option, laid over the file's own rules.

A ballot file may state its rules (the JSON ``rules`` object: Burlington's over-vote rule and
batch elimination, say); each option given on the command line replaces that one rule and
nothing else. An option the chosen method would not read (``--quota`` with Scottish STV, whose
Order fixes the quota) is refused rather than silently ignored, and a candidate name given to
``--withdraw``, ``--tie-order`` or ``--write-in`` must match exactly one candidate once case,
accents and punctuation are folded (``counting.names.fold``), or the count is refused.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from fractions import Fraction
from typing import Any

from counting.formats.ballot_file import BallotFile
from counting.names import fold
from counting.rules import Method, Overvote, Quota, Rules, StvVariant, TieBreak
from counting.rules_words import WIGM_ONLY, applies


class RuleOptionError(Exception):
    """A rule option that cannot be used as given; the message is shown as it is."""


def _count(text: str) -> int:
    """A whole number ≥ 0 for argparse (negative numbers are refused by the parser)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


UNLIMITED = -1
"""``--max-skipped-ranks unlimited``, told apart from "not given" (``None``)."""


def _skips(text: str) -> int:
    return UNLIMITED if text == "unlimited" else _count(text)


def _percentage(text: str) -> Fraction:
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _flag(parser: argparse._ActionsContainer, name: str, help_text: str) -> None:
    parser.add_argument(f"--{name}", action=argparse.BooleanOptionalAction, help=help_text)


def register_rule_options(parser: argparse.ArgumentParser) -> None:
    """Add one option per counting rule; each defaults to "as the file says"."""
    rules = parser.add_argument_group("counting rules (default: the file's own, else defaults)")
    rules.add_argument("--method", choices=[m.value for m in Method])
    rules.add_argument("--seats", type=int, help="seats to fill")
    rules.add_argument("--stv-variant", choices=[v.value for v in StvVariant])
    rules.add_argument("--quota", choices=[q.value for q in Quota], help="STV (WIGM) quota")
    rules.add_argument("--decimal-places", type=_count, help="STV (WIGM) transfer value places")
    _flag(rules, "one-winner-per-round", "STV (WIGM): elect one candidate per round")
    rules.add_argument(
        "--threshold-basis",
        choices=["each-round", "first-round"],
        help="IRV threshold: more than half of each round's continuing votes, or of round 1's",
    )
    _flag(rules, "batch-elimination", "exclude at once all candidates who cannot catch up")
    _flag(rules, "continue-until-two", "IRV: after the winner, keep counting until two remain")
    rules.add_argument("--stop-after-round", type=int, metavar="N", help="stop after round N")
    rules.add_argument("--bottoms-up-percentage", type=_percentage, metavar="PERCENT")
    _flag(rules, "cutoff-elimination", "bottoms-up %%: exclude everyone below it at once")
    rules.add_argument(
        "--overvote",
        choices=[o.value for o in Overvote],
        help="a rank with two or more names: exhaust the ballot, skip the rank, or exhaust "
        "only if two or more of the names are continuing",
    )
    rules.add_argument(
        "--max-skipped-ranks",
        type=_skips,
        metavar="N|unlimited",
        help="more than N blank ranks in a row exhaust the ballot",
    )
    _flag(rules, "exhaust-on-duplicate", "a name ranked twice exhausts the ballot")
    rules.add_argument("--write-in", metavar="NAME", help="the undeclared write-in pool")
    _flag(rules, "ron", "the file's RON candidate (re-open nominations) stands")
    rules.add_argument("--tiebreak", choices=[t.value for t in TieBreak])
    rules.add_argument("--seed", type=int, help="seed of the lot drawn to break ties")
    rules.add_argument(
        "--tie-order",
        metavar="A,B,C",
        help="with --tiebreak ask (the returning officer's decision) or candidate-order: "
        "tied candidates in order of preference, most preferred first",
    )


# argparse dest → Rules field, for options copied as they are.
_PLAIN = {
    "method": "method",
    "stv_variant": "stv_variant",
    "quota": "quota",
    "decimal_places": "decimal_places",
    "one_winner_per_round": "one_winner_per_round",
    "batch_elimination": "batch_elimination",
    "continue_until_two": "continue_until_two",
    "stop_after_round": "stop_after_round",
    "bottoms_up_percentage": "bottoms_up_percentage",
    "cutoff_elimination": "cutoff_elimination",
    "overvote": "overvote",
    "exhaust_on_duplicate": "exhaust_on_duplicate",
    "ron": "ron",
    "tiebreak": "tiebreak",
    "seed": "seed",
}
_CONVERT: dict[str, Any] = {
    "method": Method,
    "stv_variant": StvVariant,
    "quota": Quota,
    "overvote": Overvote,
    "tiebreak": TieBreak,
}


def resolve_names(typed: list[str], candidates: tuple[str, ...], option: str) -> list[str]:
    """Each typed name as the one candidate it folds to; refuse unknown or ambiguous names."""
    folded: dict[str, list[str]] = {}
    for name in candidates:
        folded.setdefault(fold(name), []).append(name)
    out: list[str] = []
    for name in typed:
        matches = folded.get(fold(name), [])
        if not matches:
            raise RuleOptionError(f"{option}: not a candidate: {name!r}")
        if len(matches) > 1:
            raise RuleOptionError(f"{option}: {name!r} could be any of {', '.join(matches)}")
        if matches[0] in out:
            raise RuleOptionError(f"{option}: {matches[0]} is named twice")
        out.append(matches[0])
    return out


def _given(args: argparse.Namespace) -> dict[str, Any]:
    """Rules fields set on the command line, converted."""
    given: dict[str, Any] = {}
    for dest, field in _PLAIN.items():
        value = getattr(args, dest, None)
        if value is not None:
            given[field] = _CONVERT[dest](value) if dest in _CONVERT else value
    if args.threshold_basis is not None:
        given["threshold_from_first_round"] = args.threshold_basis == "first-round"
    if args.max_skipped_ranks is not None:
        skips = args.max_skipped_ranks
        given["max_skipped_ranks"] = None if skips == UNLIMITED else skips
    return given


def _option(field: str) -> str:
    if field == "threshold_from_first_round":
        return "--threshold-basis"
    return "--" + field.replace("_", "-")


def rules_from_args(file: BallotFile, args: argparse.Namespace) -> Rules:
    """The file's rules with the command-line options laid over them."""
    if args.seats is not None:
        if args.seats < 1:
            raise RuleOptionError(f"--seats must be at least 1, not {args.seats}")
        standing = len(file.profile.candidates)
        if args.seats >= standing:  # the bot's rule: a count must have someone to not elect
            raise RuleOptionError(f"--seats {args.seats} needs more than {standing} candidates")
        file = replace(file, seats=args.seats)
    candidates = file.profile.candidates
    given = _given(args)
    if args.write_in is not None:
        given["write_in"] = resolve_names([args.write_in], candidates, "--write-in")[0]
    if args.tie_order is not None:
        typed = [name.strip() for name in args.tie_order.split(",") if name.strip()]
        given["tiebreak_order"] = tuple(resolve_names(typed, candidates, "--tie-order"))
    try:
        rules = replace(file.rules_for_count(), seats=file.seats, **given)
    except ValueError as exc:
        raise RuleOptionError(str(exc)) from None
    for field in given:
        if field in {"tiebreak_order", "write_in"} or applies(field, rules):
            continue
        if rules.method is Method.STV and field in WIGM_ONLY:
            raise RuleOptionError(
                f"{_option(field)} applies only to --stv-variant wigm (the {_method_name(rules)} "
                "rules fix it themselves)"
            )
        raise RuleOptionError(f"{_option(field)} does not apply to {_method_name(rules)}")
    if "tiebreak_order" in given and rules.tiebreak not in (
        TieBreak.ASK,
        TieBreak.CANDIDATE_ORDER,
    ):
        raise RuleOptionError(
            f"--tie-order needs --tiebreak ask or candidate-order (ties are broken by "
            f"'{rules.tiebreak.value}' here)"
        )
    return rules


def _method_name(rules: Rules) -> str:
    if rules.method is Method.STV:
        return f"STV ({rules.stv_variant.value})"
    return rules.method.value
