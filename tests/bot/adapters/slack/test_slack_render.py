"""Block Kit rendering: every line arrives, split across blocks and messages, never cut off,
and every message passes the fake Slack's own limit checks."""

from __future__ import annotations

from bot.adapters.render.count import announce_count
from bot.adapters.render.message import Attachment, Reply, Section
from bot.adapters.render.text import render as render_text
from bot.adapters.slack.fake.blockkit import message_errors
from bot.adapters.slack.render import MAX_BLOCKS, escape, plain_text, render, upvote_button
from bot.domain import CountOutcome, ElectionView
from counting.ballots import Profile
from counting.irv import count
from counting.rules import Rules


def thirty_candidate_outcome() -> CountOutcome:
    names = tuple(f"Candidate {chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(30))
    rankings = [[names[(v * 11 + k) % 30] for k in range(4)] for v in range(90)]
    result = count(Profile.from_rankings(names, rankings), Rules())
    election = ElectionView(1, "1", "Thirty", names, 1, "irv", "counted", None, 90)
    return CountOutcome(election, result)


def lines_of(messages: list) -> list[str]:  # type: ignore[type-arg]
    return [line for m in messages for line in plain_text(m.blocks).splitlines()]


def test_thirty_candidates_every_round_within_limits() -> None:
    reply = announce_count(thirty_candidate_outcome())
    messages = render(reply)

    assert all(message_errors(m.blocks) == [] for m in messages)
    shown = lines_of(messages)
    for line in render_text(reply).splitlines():  # nothing lost, nothing reworded
        assert line.strip() in (s.strip() for s in shown), line
    headings = [s for s in reply.sections if s.heading]
    assert len(headings) >= 25


def test_many_sections_split_across_messages_in_order() -> None:
    sections = tuple(Section((f"line {n}",), f"Round {n}") for n in range(1, 131))
    reply = Reply("Result: Long count", sections, private=False)

    messages = render(reply, tail=[upvote_button("Q1", 0)])

    assert len(messages) == 3
    assert all(len(m.blocks) <= MAX_BLOCKS and not message_errors(m.blocks) for m in messages)
    assert messages[0].blocks[0]["type"] == "header"
    assert "part 2 of 3" in plain_text(messages[1].blocks[:1])
    assert messages[-1].blocks[-1]["type"] == "actions"
    rounds = [line for line in lines_of(messages) if line.startswith("Round ")]
    assert rounds == [f"Round {n}" for n in range(1, 131)]


def test_a_huge_section_is_split_not_truncated() -> None:
    lines = tuple(f"{n:04d} " + "x" * 95 for n in range(200))  # ~20,000 characters
    long_line = "y" * 7000
    reply = Reply("Export", (Section(lines, "Round 1"), Section((long_line,))), private=True)

    messages = render(reply)

    assert all(not message_errors(m.blocks) for m in messages)
    shown = "\n".join(lines_of(messages))
    assert all(line in shown for line in lines)
    assert shown.replace("\n", "").count("y") == 7000


def test_attachment_is_shown_in_full() -> None:
    content = "\n".join(f"{i} 1 2 3 0" for i in range(1500)) + "\n"
    reply = Reply("Anonymised ballots", private=True, attachment=Attachment("e-1.blt", content))

    messages = render(reply)

    assert all(not message_errors(m.blocks) for m in messages)
    shown = lines_of(messages)
    assert shown.count("1499 1 2 3 0") == 1 and shown.count("0 1 2 3 0") == 1


def test_escaping_never_splits_an_entity() -> None:
    text = "&" * 4000
    [message] = render(Reply(None, (Section((text,), "R"),)))
    for block in message.blocks:
        body = block["text"]["text"].strip("`\n")
        assert body.replace("&amp;", "") == "" or body.startswith("*")
    assert escape("<!here> & >") == "&lt;!here&gt; &amp; &gt;"
