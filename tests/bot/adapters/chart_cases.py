"""The counts whose charts a person looks at (issue 12): the 2015-style demo, a 12-candidate
3-seat STV count with surpluses, and 50 candidates with 100-character names.

Shared by ``test_chart_quality`` and by anyone saving the PNGs to look at them.
"""

from __future__ import annotations

import random
from pathlib import Path

from bot.adapters.fake import console as console_module
from bot.adapters.fake.console import Console
from bot.app import App
from counting import engine
from counting.ballots import Profile
from counting.result import Result
from counting.rules import Method, Rules

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "demo" / "leadership2015.txt"
WARD = [
    ("Aileen McLeod", "SNP"), ("Callum Munro", "SNP"), ("Morag Fraser", "SNP"),
    ("Iain Stewart", "Lab"), ("Fiona Grant", "Lab"),
    ("Douglas Reid", "Con"), ("Elspeth Baird", "Con"),
    ("Kirsty Ross", "LD"), ("Hamish Gillies", "Grn"), ("Mairi Urquhart", "Alba"),
    ("Angus Tait", "Ind"), ("Rory Pettigrew", "Ind"),
]  # fmt: skip
"""Twelve invented candidates in a Scottish-ward style: party blocs make surpluses move."""
FIRST = (30, 9, 5, 17, 6, 12, 4, 7, 5, 2, 2, 1)
"""First-preference weights: the first candidate passes the quota, so a surplus transfers."""


async def demo_result(app: App, folder: Path) -> tuple[Result, list[str]]:
    """Run ``demo/leadership2015.txt`` through the fake console with charts saved in
    ``folder``; returns the count's result (as the console drew it) and the transcript."""
    drawn: list[Result] = []
    real = console_module.save_charts

    def spy(result: Result, where: Path) -> list[str]:
        drawn.append(result)
        return real(result, where)

    out: list[str] = []
    console_module.save_charts = spy  # type: ignore[assignment]
    try:
        console = Console(app, out.append, echo=True, attachments=folder)
        for line in DEMO.read_text("utf-8").splitlines():
            await console.feed(line)
    finally:
        console_module.save_charts = real  # type: ignore[assignment]
    assert drawn, "the demo's count drew no charts"
    return drawn[-1], out


def stv12() -> Result:
    """12 candidates, 3 seats, 1,200 ballots from a fixed seed: party voters rank their own
    party first, then others at random, so the count has surplus and exclusion transfers."""
    rng = random.Random(12)
    names = [f"{name} ({party})" for name, party in WARD]
    rankings = []
    for _ in range(1200):
        first = rng.choices(range(12), weights=FIRST)[0]
        party = WARD[first][1]
        own = [n for n, (_, p) in zip(names, WARD, strict=True) if p == party]
        rest = [n for n in names if n not in own]
        rng.shuffle(own)
        rng.shuffle(rest)
        ranking = [names[first], *(n for n in own if n != names[first]), *rest]
        rankings.append(ranking[: rng.randint(1, 7)])
    return engine.count(Profile.from_rankings(names, rankings), Rules(Method.STV, seats=3))


def fifty_long_names() -> Result:
    """50 candidates whose names are all exactly 100 characters, counted by IRV (49 rounds)."""
    names = [
        f"Candidate {i:02d} " + "x" * 40 + " " + "Longname" * 6 + f" end{i:02d}" for i in range(50)
    ]
    names = [n[:100] for n in names]
    rankings = [names[i:] + names[:i] for i in range(50) for _ in range(i % 7 + 1)]
    return engine.count(Profile.from_rankings(names, rankings), Rules(method=Method.IRV, seats=1))
