"""Discord rendering: every limit holds, and nothing is cut off (split, never truncated)."""

from __future__ import annotations

from fractions import Fraction

from bot.adapters.discord.render import (
    MAX_CONTENT,
    bar,
    count_messages,
    plain,
    reply_messages,
    tally_lines,
    within_limits,
)
from bot.adapters.render.message import Reply, Section
from bot.domain import CountOutcome, ElectionView
from counting.ballots import Ballot, Profile
from counting.engine import count
from counting.rules import Rules


def _election(candidates: tuple[str, ...], method: str = "irv", seats: int = 1) -> ElectionView:
    return ElectionView(
        1, "1", "Leader", candidates, seats, method, "counted",  # type: ignore[arg-type]
        None, 0,
    )  # fmt: skip


def test_bar_is_exact_and_rounds_half_up() -> None:
    assert bar(3, Fraction(8)) == "█████░░░░░░░"  # 4.5 blocks → 5
    assert bar(0, Fraction(8)) == "░" * 12
    assert bar(8, Fraction(8)) == "█" * 12
    assert bar(1, Fraction(0)) == "░" * 12


def test_tally_lines_show_exact_numbers_and_percentages_highest_first() -> None:
    lines = tally_lines({"Cooper": 2, "Corbyn": Fraction(7, 2)}, ("Cooper", "Corbyn"))
    assert lines[0].startswith("Corbyn") and lines[0].endswith("3.5  63.6%")
    assert lines[1].startswith("Cooper") and lines[1].endswith("2  36.4%")


def test_a_long_plain_reply_is_split_at_lines_within_2000_characters() -> None:
    lines = tuple(f"Q{i} — 0 upvotes: " + "why " * 60 for i in range(40))
    messages = reply_messages(Reply("Top questions", (Section(lines),)))
    assert len(messages) > 1
    assert all(not within_limits(m) for m in messages)
    joined = "\n".join(m.content or "" for m in messages)
    assert all(line in joined for line in lines)


def test_a_line_longer_than_a_message_is_split_not_dropped() -> None:
    line = "x" * (MAX_CONTENT * 2 + 5)
    messages = reply_messages(Reply(None, (Section((line,)),)))
    assert [len(m.content or "") for m in messages] == [MAX_CONTENT, MAX_CONTENT, 5]


def test_many_headed_sections_become_embeds_packed_within_limits() -> None:
    sections = tuple(
        Section(tuple(f"line {j} " * 20 for j in range(30)), f"Part {i}") for i in range(25)
    )
    messages = reply_messages(Reply("Long", sections))
    assert len(messages) > 1
    for message in messages:
        assert within_limits(message) == []
    text = "\n".join(plain(m) for m in messages)
    assert all(f"Part {i}" in text for i in range(25))


def _thirty_candidate_outcome() -> CountOutcome:
    names = tuple(f"Candidate {i:02d} with a fairly long double-barrelled name" for i in range(30))
    ballots = [Ballot.of(*names[i:], *names[:i]) for i in range(30)] + [Ballot.of(names[0])]
    result = count(Profile(names, tuple(ballots)), Rules())
    return CountOutcome(_election(names), result)


def test_thirty_candidates_every_message_within_every_limit() -> None:
    outcome = _thirty_candidate_outcome()
    messages = count_messages(outcome)
    assert len(messages) > 1
    for message in messages:
        assert within_limits(message) == []
    titles = [e.title for m in messages for e in m.embeds]
    rounds = [t for t in titles if t and t.startswith("Round")]
    assert len({t for t in rounds if "continued" not in t}) == len(outcome.result.rounds)
    text = "\n".join(plain(m) for m in messages)
    for r in outcome.result.rounds:
        for name in r.eliminated:
            assert name in text
    assert f"Elected: {outcome.result.winners[0]}" in text


def test_a_small_count_fits_one_message_with_its_intro() -> None:
    names = tuple(f"C{i}" for i in range(3))
    result = count(Profile(names, (Ballot.of("C0"), Ballot.of("C1"), Ballot.of("C0"))), Rules())
    messages = count_messages(CountOutcome(_election(names), result))
    assert all(within_limits(m) == [] for m in messages)
    assert messages[0].content is not None and "3 ballots" in messages[0].content
    assert len(messages) == 1
