"""``/question answer --by`` in a channel whose only election is a draft, on the console: the
refusal is about --by and says why no candidate can be credited; nothing is recorded."""

from __future__ import annotations

from bot.adapters.fake.run import run_lines
from bot.app import App

SCRIPT = [
    '@mod +moderator: /election create "Leader" Kendall, Burnham, Cooper, Corbyn',
    "@alice: /ask Will you renationalise rail?",
    "@mod +moderator: /question answer Q1 --by Corbyn Yes, within five years.",
    "@alice: /questions --status answered",
]


async def test_answer_by_with_only_a_draft_is_refused_about_by(app: App) -> None:
    out: list[str] = []
    await run_lines(app, SCRIPT, out.append)
    said = "\n".join(out[out.index(SCRIPT[2]) + 1 : out.index(SCRIPT[3])])
    assert "--to" not in said, said
    assert "--by" in said and "no election in this channel has been opened" in said
    assert "Corbyn" not in "\n".join(out[out.index(SCRIPT[3]) + 1 :])  # nothing recorded
