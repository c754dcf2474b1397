"""``benchmarks/bench_recount.py --smoke`` runs (DESIGN: benchmarks are code too).

A real subprocess on tiny files: the benchmark generates its BLT files, runs ``hustings count
FILE --json`` as a process and compares the winners with an in-process count; its exit code
says whether our count failed. Speed is not asserted here (the smoke sizes measure start-up).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_recount_smoke_mode_runs_and_agrees() -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/bench_recount.py", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {tuple(line.split()[:2]) for line in done.stdout.splitlines() if line.strip()}
    assert ("irv4", "hustings") in rows
    assert ("stv12", "hustings") in rows
    assert ("startup", "hustings") in rows
    assert "MISSED" not in done.stdout
