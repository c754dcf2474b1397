"""A draft election is the moderators' alone: no member-facing reply names its candidates,
whatever a member types (``/ask --to``, a near-miss ``/rank``, a status or ballot look-up)."""

from __future__ import annotations

import pytest

from bot.adapters.fake.run import run_lines
from bot.app import App

SETUP = """
@mod +moderator: /election create "Leader" Kendall, Burnham
@mod +moderator: /election open
@mod +moderator: /election create "Deputy" "Yara Quillfeather", "Tom Watson"
"""
PROBES = (
    "/ask --to Yara Will you stand?",
    "/ask --to Quillfeathr Will you stand?",
    "/ask --to Watson Will you stand?",
    "/rank Quillfeathr",
    "/rank Yara Kendall",
    "/rank --election Deputy Yara",
    "/rank --election 2 Yara",
    "/ballot --election Deputy",
    "/election status Deputy",
    "/election status 2",
    "/election list",
    "/questions --status all",
    "/help",
)


@pytest.mark.parametrize("probe", PROBES)
async def test_members_never_see_a_drafts_candidates(app: App, probe: str) -> None:
    out: list[str] = []
    await run_lines(app, [*SETUP.strip().splitlines(), f"@alice: {probe}"], out.append)
    seen = "\n".join(out[out.index(f"@alice: {probe}") + 1 :] if f"@alice: {probe}" in out else out)
    member_view = "\n".join(line for line in seen.splitlines() if "[private to mod]" not in line)
    for name in ("Quillfeather", "Tom Watson", "Deputy"):
        if name not in probe:  # a refusal may quote what the member typed
            assert name not in member_view, (probe, member_view)


async def test_after_opening_the_same_question_is_addressed_by_name(app: App) -> None:
    """The exclusion is about drafts only: once open, ``--to`` matches its candidates."""
    out: list[str] = []
    script = [
        *SETUP.strip().splitlines(),
        "@mod +moderator: /election close 1",
        "@mod +moderator: /election open 2",
        "@alice: /ask --to Yara Will you stand?",
    ]
    await run_lines(app, script, out.append)
    assert "Q1 to Yara Quillfeather" in "\n".join(out)
