"""Benchmark: ``hustings count FILE --json`` as a whole process, against other counters.

The auditor's real path is a file on disk and a fresh process, so that is what is timed: each
contender reads the same BLT file in its own subprocess, and the clock covers the process from
start to exit (interpreter start-up, imports, reading, counting, printing). Peak memory is that
child's own peak resident set (GNU time's ``%M``; see ``_timed``). Files are generated in
a subprocess so this process stays small.

Cases (issue #10's targets), files generated once per run from ``--seed`` with the three-bloc
Plackett–Luce model of ``bench_counting.py``, one ballot per line (weight 1), as published
ballot files are:

* ``irv4``: 1,000,000 lines, 4 candidates, 1 seat (IRV). Target: at least 5× faster than
  pyrankvote, under 200 MB peak RSS.
* ``stv12``: 1,000,000 lines, 12 candidates, 3 seats (Scottish STV). Target: at least 5× faster
  than pyrankvote's STV and than droop's Scottish rule, under 400 MB.
* ``startup``: ``hustings count`` of a 3-ballot file within 3× the wall time of
  ``python -c "import argparse, json, fractions"`` (median of ``--repeat`` runs each).

Contenders: pyrankvote and votekit (``pip install -e .[bench]``), each read by a ~20-line
reader in this file (their own libraries have no BLT reader for this layout); droop when
``--droop DIR`` points at a droop checkout (it is not on PyPI; its own BLT reader is used).
A contender that is not installed is reported and skipped; a missing pyrankvote or droop
means the target against it cannot be checked and is reported as not checked.

``--smoke`` runs tiny files (2,000 lines) in seconds, no contenders needed, and checks only
that our process answers with the same winners as an in-process count; the suite runs it.
Exit status: 1 when a target is missed (full mode) or our count fails (any mode), else 0.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_counting import candidate_names, generate

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Case:
    name: str
    candidates: int
    seats: int
    max_mb: float
    rivals: tuple[str, ...]
    """Contenders we must be at least 5× faster than."""


CASES = {
    "irv4": Case("irv4", 4, 1, 200.0, ("pyrankvote",)),
    "stv12": Case("stv12", 12, 3, 400.0, ("pyrankvote", "droop")),
}
SPEEDUP = 5.0
STARTUP_RATIO = 3.0
TINY = '3 1\n3 2 0\n1 1 0\n1 3 0\n0\n"Ann"\n"Bob"\n"Cat"\n"Tiny ward"\n'


def write_blt(path: Path, lines: int, case: Case, seed: int) -> None:
    """``lines`` ballots, one per line, for ``case``'s candidates and seats."""
    names = candidate_names(case.candidates)
    number = {name: str(i) for i, name in enumerate(names, start=1)}
    with path.open("w", encoding="utf-8") as out:
        out.write(f"{case.candidates} {case.seats}\n")
        for ranking in generate(lines, case.candidates, seed):
            out.write("1 " + " ".join(number[n] for n in ranking) + " 0\n")
        out.write("0\n")
        out.writelines(f'"{name}"\n' for name in names)
        out.write(f'"{case.name} benchmark"\n')


# Contenders' workers: run as ``bench_recount.py --worker NAME FILE SEATS``; print winners.


def _read_plain_blt(path: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A minimal BLT reader for the contenders: names, and (weight, ranking) per line."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    count = int(lines[0].split()[0])
    end = lines.index("0")
    names = [n.strip('"') for n in lines[end + 1 : end + 1 + count]]
    ballots = []
    for line in lines[1:end]:
        tokens = line.split()
        ballots.append((int(tokens[0]), [names[int(t) - 1] for t in tokens[1:-1]]))
    return names, ballots


def run_pyrankvote(path: str, seats: int) -> list[str]:
    import pyrankvote  # noqa: PLC0415

    names, lines = _read_plain_blt(path)
    people = {name: pyrankvote.Candidate(name) for name in names}
    ballots = [
        pyrankvote.Ballot(ranked_candidates=[people[n] for n in ranking])
        for weight, ranking in lines
        for _ in range(weight)
    ]
    if seats == 1:
        result = pyrankvote.instant_runoff_voting(list(people.values()), ballots)
    else:
        result = pyrankvote.single_transferable_vote(list(people.values()), ballots, seats)
    return [c.name for c in result.get_winners()]


def run_votekit(path: str, seats: int) -> list[str]:
    from collections import Counter  # noqa: PLC0415

    from votekit.ballot import RankBallot  # noqa: PLC0415
    from votekit.elections import IRV, FastSTV  # noqa: PLC0415
    from votekit.pref_profile import RankProfile  # noqa: PLC0415

    names, lines = _read_plain_blt(path)
    grouped: Counter[tuple[str, ...]] = Counter()
    for weight, ranking in lines:
        grouped[tuple(ranking)] += weight
    ballots = [
        RankBallot(ranking=[frozenset({n}) for n in r], weight=w) for r, w in grouped.items()
    ]
    profile = RankProfile(ballots=ballots, candidates=names, max_ranking_length=len(names))
    election: Any = IRV(profile) if seats == 1 else FastSTV(profile, n_seats=seats)
    return [sorted(s)[0] for s in election.get_elected() if s]


WORKERS = {"pyrankvote": run_pyrankvote, "votekit": run_votekit}


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    winners: list[str] | None
    error: str | None = None
    cpu: float = 0.0
    """User + system CPU seconds (GNU time), far steadier than wall time on a shared machine."""


TIME = shutil.which("time", path="/usr/bin:/bin")
"""GNU time, to read a child's own peak RSS (see ``_timed``)."""


def _timed(command: list[str], cwd: Path, timeout: float) -> tuple[Run, str]:
    """Run ``command``: wall time, its own peak RSS and CPU time, and its stdout.

    The peak comes from GNU time's ``%M`` when installed: Python starts children with vfork,
    and Linux carries the parent's peak into a child's ``ru_maxrss`` at exec, so ``wait4`` on
    our own child would report this benchmark's memory, not the contender's. Without GNU
    time that upper bound is what is reported.
    """
    with tempfile.TemporaryDirectory() as tmp:
        usage = Path(tmp) / "rss"
        wrapped = [TIME, "-f", "%M %U %S", "-o", str(usage), *command] if TIME else command
        with (Path(tmp) / "out").open("w+b") as out, (Path(tmp) / "err").open("w+b") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(wrapped, cwd=cwd, stdout=out, stderr=err)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                return Run(timeout, 0.0, None, f"timed out after {timeout:g} s"), ""
            seconds = time.perf_counter() - start
            rusage = resource.getrusage(resource.RUSAGE_CHILDREN)
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read().decode(), err.read().decode()
        text = usage.read_text().strip().splitlines() if TIME and usage.exists() else []
        fields = text[-1].split() if text else []
        measured = len(fields) == 3 and fields[0].isdigit()
        peak = int(fields[0]) / 1024 if measured else rusage.ru_maxrss / 1024
        cpu = float(fields[1]) + float(fields[2]) if measured else 0.0
    if proc.returncode != 0:
        last = (stderr.strip().splitlines() or ["failed"])[-1][:120]
        return Run(seconds, peak, None, last, cpu), stdout
    return Run(seconds, peak, None, None, cpu), stdout


def run_hustings(path: Path, timeout: float) -> Run:
    command = [sys.executable, "-m", "bot.cli", "count", str(path), "--json"]
    run, stdout = _timed(command, ROOT, timeout)
    if run.error:
        return run
    return Run(run.seconds, run.peak_mb, list(json.loads(stdout)["winners"]), None, run.cpu)


def run_contender(name: str, path: Path, case: Case, droop: Path | None, timeout: float) -> Run:
    if name == "droop":
        assert droop is not None
        command = [sys.executable, "Droop.py", "scotland", str(path)]
        run, stdout = _timed(command, droop, timeout)
        elected = [
            line.split(":", 1)[1].rsplit("(", 1)[0].strip()
            for line in stdout.splitlines()
            if line.strip().startswith("Elected:")
        ]
        elected = list(dict.fromkeys(elected))  # droop lists the winners again at the end
        return Run(run.seconds, run.peak_mb, elected, run.error, run.cpu)
    command = [sys.executable, __file__, "--worker", name, str(path), str(case.seats)]
    run, stdout = _timed(command, ROOT, timeout)
    if run.error:
        return run
    winners = json.loads(stdout.strip().splitlines()[-1])
    return Run(run.seconds, run.peak_mb, winners, None, run.cpu)


def _importable(module: str) -> bool:
    probe = [sys.executable, "-c", f"import {module}"]
    return subprocess.run(probe, cwd=ROOT, capture_output=True, check=False).returncode == 0


def expected_winners(path: Path) -> list[str]:
    """An in-process count of the same file: what our process must print."""
    sys.path.insert(0, str(ROOT))
    from counting.engine import count  # noqa: PLC0415
    from counting.formats import parse_blt  # noqa: PLC0415

    file = parse_blt(path.read_text(encoding="utf-8"))
    return list(count(file.profile, file.rules_for_count()).winners)


def _row(case: str, who: str, run: Run, note: str = "") -> str:
    if run.error:
        return f"{case:<8} {who:<11} {run.error}"
    winners = ", ".join(run.winners or [])
    figures = f"{run.seconds:>9.2f} {run.cpu:>8.2f} {run.peak_mb:>9.0f}"
    return f"{case:<8} {who:<11} {figures}  {note:<30} {winners}"


def bench_case(case: Case, args: argparse.Namespace, tmp: Path) -> list[str]:
    """Print one case's rows; return the targets it missed (or our failures)."""
    path = tmp / f"{case.name}.blt"
    generate_cmd = [sys.executable, __file__, "--generate", case.name, str(path), str(args.lines)]
    subprocess.run([*generate_cmd, str(args.seed)], cwd=ROOT, check=True)
    ours = run_hustings(path, args.timeout)
    missed: list[str] = []
    if ours.error or ours.winners != expected_winners(path):
        print(_row(case.name, "hustings", ours, "WRONG or failed"))
        return [f"{case.name}: hustings count failed or disagreed: {ours.error or ours.winners}"]
    small = ours.peak_mb < case.max_mb
    print(_row(case.name, "hustings", ours, f"<{case.max_mb:.0f} MB: {'yes' if small else 'NO'}"))
    if not args.smoke and not small:
        missed.append(f"{case.name}: peak {ours.peak_mb:.0f} MB, target < {case.max_mb:.0f} MB")
    if args.smoke:
        return missed
    for name in ("pyrankvote", "votekit", "droop"):
        if (name == "droop" and args.droop is None) or (name != "droop" and not _importable(name)):
            print(f"{case.name:<8} {name:<11} not available")
            if name in case.rivals:
                missed.append(f"{case.name}: {name} not available, 5× target not checked")
            continue
        run = run_contender(name, path, case, args.droop, args.timeout)
        ratio = run.seconds / ours.seconds if not run.error else 0.0
        cpu = f" ({run.cpu / ours.cpu:.1f}× CPU)" if ours.cpu and not run.error else ""
        note = f"{ratio:.1f}× our time{cpu}" if not run.error else ""
        print(_row(case.name, name, run, note))
        if name in case.rivals and (run.error or ratio < SPEEDUP):
            missed.append(f"{case.name}: {name} {note or run.error}, target ≥ {SPEEDUP:g}×")
    return missed


def bench_startup(args: argparse.Namespace, tmp: Path) -> list[str]:
    path = tmp / "tiny.blt"
    path.write_text(TINY, encoding="utf-8")
    bare_cmd = [sys.executable, "-c", "import argparse, json, fractions"]
    ours_cmd = [sys.executable, "-m", "bot.cli", "count", str(path)]
    bare = [_timed(bare_cmd, ROOT, 60)[0] for _ in range(args.repeat)]
    ours = [_timed(ours_cmd, ROOT, 60)[0] for _ in range(args.repeat)]
    failed = [r.error for r in ours if r.error]
    if failed:
        return [f"startup: hustings count of a 3-ballot file failed: {failed[0]}"]
    bare_s = statistics.median(r.seconds for r in bare)
    ours_s = statistics.median(r.seconds for r in ours)
    ratio = ours_s / bare_s
    ok = ratio <= STARTUP_RATIO
    bare_cpu = statistics.median(r.cpu for r in bare)
    ours_cpu = statistics.median(r.cpu for r in ours)
    print(
        _row(
            "startup", "bare python", Run(bare_s, max(r.peak_mb for r in bare), [], None, bare_cpu)
        )
    )
    verdict = f"{ratio:.1f}× bare ({'ok' if ok else 'TOO SLOW'})"
    ours_run = Run(ours_s, max(r.peak_mb for r in ours), [], None, ours_cpu)
    print(_row("startup", "hustings", ours_run, verdict))
    if args.smoke or ok:
        return []
    return [f"startup: {ratio:.1f}× bare Python, target ≤ {STARTUP_RATIO:g}×"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="ballot lines per file")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--cases", nargs="+", choices=[*CASES, "startup"], default=[*CASES, "startup"]
    )
    parser.add_argument("--droop", type=Path, help="a droop checkout (droop is not on PyPI)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each start-up command")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per process")
    parser.add_argument("--smoke", action="store_true", help="2,000 lines, ours only, seconds")
    parser.add_argument("--worker", nargs=3, metavar=("NAME", "FILE", "SEATS"), help="internal")
    parser.add_argument("--generate", nargs=4, metavar=("CASE", "FILE", "LINES", "SEED"))
    args = parser.parse_args(argv)
    if args.generate:
        name, path, lines, seed = args.generate
        write_blt(Path(path), int(lines), CASES[name], int(seed))
        return 0
    if args.worker:
        name, path, seats = args.worker
        print(json.dumps(WORKERS[name](path, int(seats))))
        return 0
    if args.smoke:
        args.lines, args.repeat = min(args.lines, 2_000), 1
    print(f"{args.lines:,} lines per file, seed {args.seed}, Python {sys.version.split()[0]}")
    print(
        f"{'case':<8} {'program':<11} {'wall s':>9} {'cpu s':>8} {'peak MB':>9}  {'':<30} winners"
    )
    missed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.cases:
            if name == "startup":
                missed += bench_startup(args, Path(tmp))
            else:
                missed += bench_case(CASES[name], args, Path(tmp))
    for line in missed:
        print(f"MISSED {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
