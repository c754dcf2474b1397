"""RCTab rule options → our ``Rules``: a pure mapper, so RCTab configs can be recounted here.

RCTab (the Ranked Choice Voting Resource Center's certified tabulator) names its options in a
contest config's ``rules`` section; the conformance vectors in ``shared/conformance/`` carry
them verbatim (see that README for what each one means). ``rules_from_rctab`` maps every option
we implement and raises ``UnsupportedRules`` naming anything we do not, rather than counting
under rules the caller did not ask for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from counting.rules import Method, Overvote, Quota, Rules, StvVariant, TieBreak
from counting.tiebreak import HASHSET_ORDER, java_shuffle


class UnsupportedRules(ValueError):  # noqa: N818 - the name says what it is; not a bug report
    """An RCTab option (or value) this counter does not implement; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


_METHODS: dict[str, dict[str, Any]] = {
    "singleWinnerMajority": {"method": Method.IRV},
    "multiWinnerAllowMultipleWinnersPerRound": {
        "method": Method.STV,
        "stv_variant": StvVariant.WIGM,
    },
    "multiWinnerAllowOnlyOneWinnerPerRound": {
        "method": Method.STV,
        "stv_variant": StvVariant.WIGM,
        "one_winner_per_round": True,
    },
    "bottomsUp": {"method": Method.BOTTOMS_UP},
    "bottomsUpUsingPercentageThreshold": {"method": Method.BOTTOMS_UP},
    "multiPassIrv": {"method": Method.MULTI_PASS_IRV},
}

_OVERVOTES = {
    "exhaustImmediately": Overvote.EXHAUST,
    "alwaysSkipToNextRank": Overvote.SKIP,
    "exhaustIfMultipleContinuing": Overvote.EXHAUST_IF_MULTIPLE,
}

_IGNORED = frozenset(
    {
        "summary",  # prose
        "maxRankingsAllowed",  # applied when the ballots were read
        "treatBlankAsUndeclaredWriteIn",  # applied when the ballots were read
        "minimumVoteThreshold",  # ignored by the RCTab version the corpus comes from
    }
)

_FLAGS = {
    "exhaustOnDuplicateCandidate": "exhaust_on_duplicate",
    "batchElimination": "batch_elimination",
    "continueUntilTwoCandidatesRemain": "continue_until_two",
    "doesFirstRoundDetermineThreshold": "threshold_from_first_round",
    "cutoffElimination": "cutoff_elimination",
}


def rules_from_rctab(
    options: Mapping[str, Any],
    candidates: Sequence[str],
    tiebreak_order: Sequence[str] | None = None,
) -> Rules:
    """Our ``Rules`` for an RCTab ``rules`` dict, given the vector's candidate list (the
    default tie-break order) and its ``tiebreak_order`` (or None)."""
    handlers: dict[str, Callable[[Any], dict[str, Any]]] = {
        "winnerElectionMode": _method,
        "numberOfWinners": _seats,
        "tiebreakMode": lambda mode: _tiebreak(mode, options, candidates, tiebreak_order),
        "randomSeed": lambda seed: {"seed": 0 if seed is None else int(seed)},
        "overvoteRule": _overvote,
        "maxSkippedRanksAllowed": _skipped,
        "stopTabulationEarlyAfterRound": lambda n: {"stop_after_round": n},
        "decimalPlacesForVoteArithmetic": lambda d: {"decimal_places": int(d)},
        "nonIntegerWinningThreshold": lambda _: _quota(options),
        "hareQuota": lambda _: _quota(options),
        "multiSeatBottomsUpPercentageThreshold": _percentage,
        "excludedCandidates": lambda names: {"excluded": frozenset(names or ())},
        "undeclaredWriteInCandidate": lambda name: {"write_in": name},
    }
    unknown = sorted(set(options) - set(handlers) - set(_FLAGS) - _IGNORED)
    if unknown:
        raise UnsupportedRules(f"unknown RCTab option(s): {', '.join(unknown)}")
    kwargs: dict[str, Any] = {}
    for key, value in options.items():
        if key in _FLAGS:
            kwargs[_FLAGS[key]] = bool(value)
        elif key in handlers:
            kwargs.update(handlers[key](value))
    return Rules(**kwargs)


def _method(mode: str) -> dict[str, Any]:
    if mode not in _METHODS:
        raise UnsupportedRules(f"winnerElectionMode {mode!r} is not supported")
    return dict(_METHODS[mode])


def _seats(number: int) -> dict[str, Any]:
    # 0 means "as many as reach the percentage" (bottoms-up with a threshold): seats unused.
    return {"seats": max(int(number), 1)}


def _tiebreak(
    mode: str,
    options: Mapping[str, Any],
    candidates: Sequence[str],
    order: Sequence[str] | None,
) -> dict[str, Any]:
    seed = int(options.get("randomSeed") or 0)
    if mode == "random":
        return {"tiebreak": TieBreak.LOT}
    if mode == "useCandidateOrder":
        return {"tiebreak": TieBreak.CANDIDATE_ORDER, "tiebreak_order": tuple(order or candidates)}
    if mode == "generatePermutation":
        permutation = tuple(order) if order else java_shuffle(candidates, seed)
        return {"tiebreak": TieBreak.CANDIDATE_ORDER, "tiebreak_order": permutation}
    if mode == "previousRoundCountsThenRandom":
        return {"tiebreak": TieBreak.BACKWARD, "extra": {HASHSET_ORDER: True}}
    if mode == "stopCountingAndAsk":
        return {"tiebreak": TieBreak.ASK}
    raise UnsupportedRules(f"tiebreakMode {mode!r} is not supported")


def _overvote(rule: str) -> dict[str, Any]:
    if rule not in _OVERVOTES:
        raise UnsupportedRules(f"overvoteRule {rule!r} is not supported")
    return {"overvote": _OVERVOTES[rule]}


def _skipped(limit: int | str) -> dict[str, Any]:
    if limit == "unlimited":
        return {"max_skipped_ranks": None}
    return {"max_skipped_ranks": int(limit)}


def _quota(options: Mapping[str, Any]) -> dict[str, Any]:
    hare = bool(options.get("hareQuota"))
    fractional = bool(options.get("nonIntegerWinningThreshold"))
    if hare and fractional:
        raise UnsupportedRules("hareQuota with nonIntegerWinningThreshold is not supported")
    if hare:
        return {"quota": Quota.HARE}
    return {"quota": Quota.DROOP_FRACTIONAL if fractional else Quota.DROOP}


def _percentage(value: int | str | None) -> dict[str, Any]:
    return {} if value is None else {"bottoms_up_percentage": Fraction(value)}
