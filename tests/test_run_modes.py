"""Each local run mode the README documents, driven as a user would, as a subprocess.

``scripts/run`` (``hustings run`` with no tokens: the fake chat), ``--platform discord`` (fake
Discord, the real discord.py client, the console), ``--platform slack`` (fake Slack, the real
bolt app over Socket Mode, the console) and ``hustings fake --script``: create an election,
open it with a closing time a few seconds ahead, rank, see the timed close announced in the
console with nobody typing, then count and see the declaration.

The closing time is relative (``--closes +4s``), so it starts when the line is read, not when
the test started the process: start-up time on a loaded machine cannot eat into it. Waits are
for lines to appear, bounded generously; the one timing bound (the close shown within 15 s of
being set) is half the scheduler's 30 s fallback poll, so it fails only if nothing woke it.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOKENS = (
    "DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET",
    "SLACK_CLIENT_ID", "PLATFORM",
)  # fmt: skip
START_UP = 90.0
"""Bound on start-up (the Discord client's handshake takes seconds on a loaded machine)."""
REPLY = 60.0
CLOSE_SHOWN_WITHIN = 15.0
CLOSED = "Voting has closed: Snap. Ballots cast: 1."
LINES = (
    '@m +moderator: /election create "Snap" Able, Baker --closes +4s',
    "@m +moderator: /election open",
    "@alice: /rank Able Baker",
)


def _environment(tmp_path: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in TOKENS}
    environment.update(
        PYTHONPATH=str(ROOT),
        DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'hustings.db'}",
        HUSTINGS_SECRET="",
        LOG_LEVEL="WARNING",
    )
    return environment


class Session:
    """A running ``hustings`` with its output read on a thread, waited on line by line."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, cwd=tmp_path, env=_environment(tmp_path),
        )  # fmt: skip
        self.seen: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def expect(self, wanted: str, timeout: float) -> float:
        """Wait for a line containing ``wanted``; returns when (monotonic) it was read."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.seen.append(line)
            if wanted in line:
                return time.monotonic()
        pytest.fail(f"no line with {wanted!r} within {timeout:g} s; saw:\n" + self.transcript())

    def finish(self) -> str:
        """End of input: the process must exit 0; returns the whole transcript."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        code = self.process.wait(timeout=REPLY)
        while (line := self._lines.get(timeout=REPLY)) is not None:
            self.seen.append(line)
        assert self.process.stderr is not None
        assert code == 0, self.process.stderr.read()
        return self.transcript()

    def transcript(self) -> str:
        return "\n".join(self.seen)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.parametrize(
    ("args", "banner"),
    [
        ((), "Hustings fake chat."),
        (("--platform", "discord"), "Hustings on a local fake Discord"),
        (("--platform", "slack"), "Hustings on a local fake Slack"),
    ],
    ids=["plain", "discord", "slack"],
)
def test_a_timed_close_is_announced_in_the_console_then_counted(
    tmp_path: Path, args: tuple[str, ...], banner: str
) -> None:
    session = Session(tmp_path, "run", *args)
    try:
        session.expect(banner, START_UP)
        set_at = time.monotonic()
        for line in LINES:
            session.type(line)
        session.expect("Voting is open: Snap", REPLY)
        session.expect("Your ballot in Snap is recorded: 1. Able 2. Baker", REPLY)
        shown_at = session.expect(CLOSED, REPLY)
        assert shown_at - set_at < CLOSE_SHOWN_WITHIN, "the scheduler was not woken"
        session.type("@m +moderator: /election count")
        session.expect("Elected: Able", REPLY)
        transcript = session.finish()
    finally:
        session.kill()
    assert transcript.count(CLOSED) == 1


def test_a_script_waits_for_the_timed_close_then_counts(tmp_path: Path) -> None:
    script = tmp_path / "snap.txt"
    script.write_text(
        "\n".join((*LINES, "wait 10", "@m +moderator: /election count", "")), encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "fake", "--script", str(script)],
        capture_output=True, text=True, cwd=tmp_path, env=_environment(tmp_path),
        timeout=START_UP + REPLY, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    order = [
        "[#general] Voting is open: Snap (election 1)",
        "wait 10",
        f"[#general] {CLOSED}",
        "@m +moderator: /election count",
        "    Winner: Able",
    ]
    assert all(line in lines for line in order), done.stdout
    assert [lines.index(line) for line in order] == sorted(lines.index(line) for line in order)
