"""The rules of a count in words, for people, and which methods read each rule option.

A result is read by members in chat and by auditors at a terminal; both end with one line
saying the rules in force (``describe``), in the same words, so nobody has to read a dict dump.
(The rules *as data*, for a file to carry, are ``Rules.to_dict()``; a BLT file holds them in a
comment, see ``counting.formats``.)

``APPLIES`` says which methods read each option, so a caller can refuse an option that would
be silently ignored (``--quota`` for Scottish STV, whose Order fixes the quota) instead of
guessing what the user meant.
"""

from __future__ import annotations

from counting.rules import Method, Overvote, Rules, StvVariant, TieBreak

IRV_FAMILY = frozenset({Method.IRV, Method.MULTI_PASS_IRV, Method.BOTTOMS_UP})
READS_BALLOTS = frozenset(Method)
"""Every method reads ballots through the same over-vote/skipped/repeated rules."""

APPLIES: dict[str, frozenset[Method]] = {
    "threshold_from_first_round": IRV_FAMILY,
    "batch_elimination": IRV_FAMILY,
    "continue_until_two": frozenset({Method.IRV, Method.MULTI_PASS_IRV}),
    "stop_after_round": IRV_FAMILY,
    "stv_variant": frozenset({Method.STV}),
    "quota": frozenset({Method.STV, Method.BOTTOMS_UP}),
    "decimal_places": frozenset({Method.STV, Method.BOTTOMS_UP}),
    "one_winner_per_round": frozenset({Method.STV}),
    "overvote": READS_BALLOTS,
    "max_skipped_ranks": READS_BALLOTS,
    "exhaust_on_duplicate": READS_BALLOTS,
}
"""Option → the methods that read it (options not listed apply to every method)."""

WIGM_ONLY = frozenset({"quota", "decimal_places", "one_winner_per_round"})
"""STV options only the WIGM variant reads (the Scottish Order and Meek fix their own)."""


def applies(option: str, rules: Rules) -> bool:
    """Whether counting under ``rules`` reads ``option`` (a ``Rules`` field name)."""
    if rules.method not in APPLIES.get(option, READS_BALLOTS):
        return False
    if rules.method is Method.STV and option in WIGM_ONLY:
        return rules.stv_variant is StvVariant.WIGM
    return True


_METHOD = {
    Method.IRV: "alternative vote (IRV)",
    Method.STV: "STV",
    Method.COLLEGE: "Labour electoral college",
    Method.MULTI_PASS_IRV: "multi-pass IRV",
    Method.BOTTOMS_UP: "bottoms-up",
}
_VARIANT = {
    StvVariant.SCOTTISH: "Scottish rules of SSI 2007/42, Droop quota, transfer values to 5 places",
    StvVariant.WIGM: "weighted inclusive Gregory",
    StvVariant.MEEK: "Meek",
}
_QUOTA = {
    "droop": "Droop quota",
    "droop-fractional": "fractional Droop quota",
    "hare": "Hare quota",
}
_OVERVOTE = {
    Overvote.EXHAUST: "an over-vote exhausts the ballot",
    Overvote.SKIP: "an over-voted rank is skipped",
    Overvote.EXHAUST_IF_MULTIPLE: (
        "an over-vote exhausts the ballot only if it marks two or more continuing candidates"
    ),
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _method(rules: Rules) -> list[str]:
    parts = [f"{_METHOD[rules.method]}, {_plural(rules.seats, 'seat')}"]
    if rules.method is Method.STV:
        variant = _VARIANT[rules.stv_variant]
        if rules.stv_variant is StvVariant.WIGM:
            variant += f", {_QUOTA[rules.quota.value]}, transfer values to "
            variant += _plural(rules.decimal_places, "place")
        parts[0] += f" ({variant})"
        if applies("one_winner_per_round", rules) and rules.one_winner_per_round:
            parts.append("one winner per round")
    if applies("threshold_from_first_round", rules) and rules.threshold_from_first_round:
        parts.append("threshold fixed at round 1")
    if applies("batch_elimination", rules) and rules.batch_elimination:
        parts.append("batch elimination")
    if applies("continue_until_two", rules) and rules.continue_until_two:
        parts.append("counting continues until two remain")
    if applies("stop_after_round", rules) and rules.stop_after_round is not None:
        parts.append(f"stops after round {rules.stop_after_round}")
    return parts


def _reading(rules: Rules) -> list[str]:
    parts = [_OVERVOTE[rules.overvote]]
    if rules.max_skipped_ranks is None:
        parts.append("skipped ranks are passed over")
    else:
        limit = _plural(rules.max_skipped_ranks, "skipped rank")
        parts.append(f"more than {limit} in a row exhaust the ballot")
    if rules.exhaust_on_duplicate:
        parts.append("a repeated name exhausts the ballot")
    else:
        parts.append("a repeated name is passed over")
    return parts


def _ties(rules: Rules) -> str:
    lot = f"a lot (seed {rules.seed})"
    order = " > ".join(rules.tiebreak_order or ())
    if rules.tiebreak is TieBreak.BACKWARD:
        return f"ties: the most recent earlier round where they differed, then {lot}"
    if rules.tiebreak is TieBreak.FORWARD:
        return f"ties: the earliest round where they differed, then {lot}"
    if rules.tiebreak is TieBreak.LOT:
        return f"ties: {lot}"
    if rules.tiebreak is TieBreak.CANDIDATE_ORDER:
        return f"ties: candidate order ({order or 'as listed'})"
    if order:
        return f"ties: decided by the returning officer ({order})"
    return "ties: decided by the returning officer"


def describe(rules: Rules) -> str:
    """The rules in force, as one readable sentence (no trailing full stop)."""
    parts = _method(rules) + _reading(rules) + [_ties(rules)]
    if rules.excluded:
        parts.append(f"withdrawn before the count: {', '.join(sorted(rules.excluded))}")
    if rules.write_in is not None:
        parts.append(f"undeclared write-ins pooled as {rules.write_in}")
    if rules.ron:
        parts.append("re-open nominations (RON) stands")
    return "; ".join(parts)
