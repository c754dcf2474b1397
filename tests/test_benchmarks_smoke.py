"""Every benchmark runs in ``--smoke`` mode (tiny sizes, seconds) so none can silently rot.

Each is run as a user would run it, as a subprocess: it must exit 0, say ``all passed`` and
print the rows its README section quotes. Smoke runs judge correctness (every ballot stored,
every ack and receipt accounted for) but not the performance targets, which mean nothing at
these sizes on a shared machine; full-size runs stay out of the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"


def bench(tmp_path: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize(
    ("script", "rows"),
    [
        ("bench_ballots.py", ["cast: stored / turnout", "count: ballots counted", "recount"]),
        (
            "bench_slack_ack.py",
            [
                "closed sqlite, 1 process: acks: 200 within 3 s",
                "closed sqlite, 1 process: receipts delivered",
                "closed sqlite, 1 process: turnout",
                "open sqlite, 2 workers: acks: 200 within 3 s",
                "open sqlite, 2 workers: receipts delivered",
                "open sqlite, 2 workers: errors logged (workers, bench)",
                "open sqlite, 2 workers: workers stopped cleanly",
                "open sqlite, 2 workers: stored / turnout",
            ],
        ),
        ("bench_discord_ack.py", ["acks within 3 s", "receipts delivered", "turnout"]),
        ("bench_counting.py", ["irv4   hustings", "stv12  hustings"]),
        ("bench_charts.py", ["two PNGs, each >= 600x400", "longest loop gap while drawing"]),
    ],
)
def test_smoke_run_passes_and_prints_its_table(
    tmp_path: Path, script: str, rows: list[str]
) -> None:
    done = bench(tmp_path, script, "--smoke")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "result: all passed" in done.stdout
    for row in rows:
        assert row in done.stdout, done.stdout
    assert "FAILED" not in done.stdout


def test_a_failure_exits_non_zero_and_still_prints_the_table(tmp_path: Path) -> None:
    """Our engine given no time to count: the table shows it failed, and the exit code says so."""
    done = bench(tmp_path, "bench_counting.py", "--smoke", "--timeout", "0.001")
    assert done.returncode == 1
    assert "irv4   hustings   FAILED: timed out" in done.stdout
    assert "result: FAILED (irv4 failed, stv12 failed)" in done.stdout


def test_a_crash_is_a_failed_row_not_a_silent_exit(tmp_path: Path) -> None:
    done = bench(
        tmp_path,
        "bench_ballots.py",
        "--smoke",
        "--stores",
        "sqlite",
        "--dir",
        str(tmp_path / "missing"),
    )
    assert done.returncode == 1
    assert "completed  FileNotFoundError" in done.stdout
    assert "result: FAILED (completed)" in done.stdout
