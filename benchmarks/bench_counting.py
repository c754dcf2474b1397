"""Benchmark: our counting engine against pyrankvote and votekit on the same generated ballots.

Run ``.venv/bin/python benchmarks/bench_counting.py`` (``--help`` for options; ``--smoke``
for a few seconds with 20,000 ballots and our engine only, as the test suite does). The parent
process generates each profile once (deterministic seed), writes it to a temporary file, and
runs every engine in a fresh subprocess, so peak memories never mix and import costs stay out
of the timings. Each worker times the *whole* count from a list of rankings (tuples of names):
building the engine's own ballot objects is part of the work, as it is for a real caller.

Memory is the worker's peak resident set (Linux ``VmHWM``) while counting, reset just before
the count starts, minus its resident set at that moment (the input list and the imported
libraries); "peak RSS" is the whole process's peak. pyrankvote and votekit are optional
(``pip install pyrankvote votekit``); missing ones are reported as such.

Cases (the issue's performance targets):

* ``irv4``: 1,000,000 ballots, 4 candidates, IRV. Target < 0.5 s and < 200 MB.
* ``stv12``: 1,000,000 ballots, 12 candidates, 3 seats, Scottish STV. Target < 3 s.

The exit code is 1 if our engine failed to count or (in full runs) missed a target; a
comparison engine's failure is shown but not judged.

Ballots follow a bloc ("slate") Plackett–Luce model: three blocs, each favouring its own
third of the candidates; each voter ranks a random number of candidates (most rank a few),
sampled without replacement with probability proportional to weight (Efraimidis–Spirakis
keys), which yields hundreds of thousands of distinct partial rankings for 12 candidates.
"""

from __future__ import annotations

import argparse
import json
import marshal
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Rankings = list[tuple[str, ...]]

ROOT = Path(__file__).resolve().parents[1]
LENGTH_WEIGHTS = (18, 14, 14, 12, 10, 8, 6, 5, 4, 3, 3, 3)
"""Relative frequency of ranking 1, 2, 3, ... candidates (most voters rank a few)."""


@dataclass(frozen=True)
class Case:
    name: str
    candidates: int
    seats: int
    method: str
    target_seconds: float
    target_mb: float | None


CASES = {
    "irv4": Case("irv4", 4, 1, "irv", 0.5, 200.0),
    "stv12": Case("stv12", 12, 3, "stv", 3.0, None),
}
ENGINES = ("hustings", "pyrankvote", "votekit")


def candidate_names(count: int) -> list[str]:
    return [f"Candidate {i + 1:02d}" for i in range(count)]


def generate(count: int, candidates: int, seed: int) -> Rankings:
    """``count`` partial rankings from a three-bloc Plackett–Luce model (deterministic)."""
    rng = random.Random(seed)
    names = candidate_names(candidates)
    base = [1 / (1 + 0.35 * i) for i in range(candidates)]
    inverse = [
        [1 / (base[i] * (6 if i % 3 == bloc else 1)) for i in range(candidates)]
        for bloc in range(3)
    ]
    blocs = rng.choices(range(3), (45, 35, 20), k=count)
    lengths = rng.choices(range(1, candidates + 1), LENGTH_WEIGHTS[:candidates], k=count)
    rand = rng.random
    order = range(candidates)
    out: Rankings = []
    for bloc, length in zip(blocs, lengths, strict=True):
        inv = inverse[bloc]
        keys = sorted(order, key=lambda i: rand() ** inv[i], reverse=True)
        out.append(tuple(names[i] for i in keys[:length]))
    return out


# Workers: each takes the rankings and the case, returns the winners.


def run_hustings(rankings: Rankings, case: Case) -> list[str]:
    from counting.ballots import Profile  # noqa: PLC0415
    from counting.engine import count  # noqa: PLC0415
    from counting.rules import Method, Rules, StvVariant  # noqa: PLC0415

    profile = Profile.from_rankings(candidate_names(case.candidates), rankings)
    rules = Rules(method=Method(case.method), seats=case.seats, stv_variant=StvVariant.SCOTTISH)
    return list(count(profile, rules).winners)


def run_pyrankvote(rankings: Rankings, case: Case) -> list[str]:
    import pyrankvote  # noqa: PLC0415

    people = {name: pyrankvote.Candidate(name) for name in candidate_names(case.candidates)}
    ballots = [pyrankvote.Ballot(ranked_candidates=[people[n] for n in r]) for r in rankings]
    if case.method == "irv":
        result = pyrankvote.instant_runoff_voting(list(people.values()), ballots)
    else:
        result = pyrankvote.single_transferable_vote(
            list(people.values()), ballots, number_of_seats=case.seats
        )
    return [c.name for c in result.get_winners()]


def run_votekit(rankings: Rankings, case: Case) -> list[str]:
    from votekit.ballot import RankBallot  # noqa: PLC0415
    from votekit.elections import IRV, FastSTV  # noqa: PLC0415
    from votekit.pref_profile import RankProfile  # noqa: PLC0415

    grouped = Counter(rankings)
    ballots = [
        RankBallot(ranking=[frozenset({n}) for n in r], weight=w) for r, w in grouped.items()
    ]
    names = candidate_names(case.candidates)
    profile = RankProfile(ballots=ballots, candidates=names, max_ranking_length=case.candidates)
    if case.method == "irv":
        election: Any = IRV(profile)
    else:
        election = FastSTV(profile, n_seats=case.seats)
    return [sorted(s)[0] for s in election.get_elected() if s]


WORKERS: dict[str, Callable[[Rankings, Case], list[str]]] = {
    "hustings": run_hustings,
    "pyrankvote": run_pyrankvote,
    "votekit": run_votekit,
}
IMPORTS = {"hustings": "counting.engine", "pyrankvote": "pyrankvote", "votekit": "votekit"}


def _rss_mb(field: str) -> float | None:
    """``VmRSS`` or ``VmHWM`` of this process in MB (Linux), else ``None``."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:  # pragma: no cover - not Linux
        return None
    for line in status.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return None  # pragma: no cover


def _reset_peak() -> bool:
    """Reset this process's peak RSS (Linux ``clear_refs`` 5); False where unsupported."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def worker(engine: str, case_name: str, path: str) -> dict[str, Any]:
    """Runs in the subprocess: load the rankings, import the engine, count, measure."""
    case = CASES[case_name]
    rankings: Rankings = marshal.loads(Path(path).read_bytes())
    __import__(IMPORTS[engine])
    before = _rss_mb("VmRSS")
    reset = _reset_peak()
    start = time.perf_counter()
    winners = WORKERS[engine](rankings, case)
    seconds = time.perf_counter() - start
    peak = _rss_mb("VmHWM") if reset else None
    if peak is None:  # pragma: no cover - fall back to the lifetime peak
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    added = None if before is None or not reset else max(peak - before, 0.0)
    return {"seconds": seconds, "peak_mb": peak, "added_mb": added, "winners": winners}


def _available(engine: str) -> bool:
    probe = [sys.executable, "-c", f"import {IMPORTS[engine]}"]
    return subprocess.run(probe, cwd=ROOT, capture_output=True, check=False).returncode == 0


def _run_worker(engine: str, case: str, path: str, timeout: float) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", engine, case, path]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:g} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return {"error": last[:120]}
    data: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return data


def _verdict(case: Case, engine: str, data: dict[str, Any], smoke: bool) -> str:
    """``meets target`` / ``MISSES target`` for our engine; ``FAILED`` if it did not count."""
    if engine != "hustings":
        return ""
    if "error" in data:
        return "FAILED"
    if smoke:
        return "not judged"
    fast = data["seconds"] < case.target_seconds
    small = case.target_mb is None or (
        data["added_mb"] is not None and data["added_mb"] < case.target_mb
    )
    return "meets target" if fast and small else "MISSES target"


def _row(case: Case, engine: str, data: dict[str, Any], verdict: str) -> str:
    label = f"{case.name:<6} {engine:<10}"
    if "error" in data:
        return f"{label} {verdict or 'error (a comparison engine: not judged)'}: {data['error']}"
    added = "-" if data["added_mb"] is None else f"{data['added_mb']:.0f}"
    winners = ", ".join(data["winners"])
    return (
        f"{label} {data['seconds']:>8.2f} {added:>9} {data['peak_mb']:>9.0f}  {verdict:<13} "
        f"{winners}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--cases", nargs="+", choices=sorted(CASES), default=list(CASES))
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per engine run")
    parser.add_argument("--worker", nargs=3, metavar=("ENGINE", "CASE", "PATH"), help="internal")
    parser.add_argument(
        "--smoke", action="store_true", help="20,000 ballots, our engine only, targets not judged"
    )
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return 0
    if args.smoke:
        args.ballots, args.engines = 20_000, ["hustings"]
    failed: list[str] = []
    print(f"{args.ballots:,} ballots per case, seed {args.seed}, Python {sys.version.split()[0]}")
    print(
        f"{'case':<6} {'engine':<10} {'seconds':>8} {'count MB':>9} {'peak RSS':>9}  "
        f"{'':<13} winners"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.cases:
            case = CASES[name]
            rankings = generate(args.ballots, case.candidates, args.seed)
            path = Path(tmp) / f"{name}.marshal"
            path.write_bytes(marshal.dumps(rankings))
            del rankings
            for engine in args.engines:
                if not _available(engine):
                    print(f"{name:<6} {engine:<10} not installed")
                    continue
                data = _run_worker(engine, name, str(path), args.timeout)
                verdict = _verdict(case, engine, data, args.smoke)
                if verdict in ("FAILED", "MISSES target"):
                    failed.append(f"{name} {verdict.lower()}")
                print(_row(case, engine, data, verdict))
    smoke = " (smoke run: 20,000 ballots, targets not judged)" if args.smoke else ""
    print(f"result: {'FAILED (' + ', '.join(failed) + ')' if failed else 'all passed'}{smoke}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
