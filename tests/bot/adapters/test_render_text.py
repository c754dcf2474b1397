"""Plain-text rendering: the count announcement, receipts, status, questions."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

import pytest

from bot.adapters.commands import visible_to
from bot.adapters.render import views
from bot.adapters.render.count import announce_count, display_number, percent
from bot.adapters.render.message import Attachment, Reply, Section
from bot.adapters.render.text import render
from bot.domain import (
    BallotReceipt,
    CountOutcome,
    ElectionStatus,
    ElectionView,
    Page,
    QuestionView,
    UpvoteOutcome,
)
from bot.errors import InvalidInput
from counting.result import EXHAUSTED, Result, Round, TieBreakRecord
from counting.rules import RON, Rules

CANDIDATES = ("Kendall", "Burnham", "Cooper", "Corbyn")
WHEN = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def election(status: ElectionStatus = "open", turnout: int = 12) -> ElectionView:
    return ElectionView(
        id=1,
        ref="1",
        title="Labour leader 2015",
        candidates=CANDIDATES,
        seats=1,
        method="irv",
        status=status,
        closes_at=WHEN,
        turnout=turnout,
    )


def two_round_result() -> Result:
    tie = TieBreakRecord(
        1,
        "loser",
        ("Kendall", "Cooper"),
        "Kendall",
        "backward",
        "Kendall had fewer votes in round 0",
    )
    first = Round(
        1,
        {"Kendall": 2, "Burnham": 3, "Cooper": 2, "Corbyn": 5},
        7,
        eliminated=("Kendall",),
        transfers={"Kendall": {"Cooper": 1, EXHAUSTED: 1}},
        tiebreaks=(tie,),
    )
    second = Round(
        2,
        {"Burnham": 3, "Cooper": 3, "Corbyn": 5},
        6,
        elected=("Corbyn",),
        exhausted=1,
        inactive={"exhausted": 1},
    )
    return Result(("Corbyn",), (first, second), Rules(), CANDIDATES, 12)


def test_count_announcement_round_by_round() -> None:
    text = render(announce_count(CountOutcome(election("counted"), two_round_result())))
    assert text.splitlines() == [
        "Result: Labour leader 2015",
        "12 ballots, 4 candidates, IRV for 1 seat.",
        "Round 1: threshold 7: more than half of the 12 continuing votes",
        "  Percentages are of continuing votes.",
        "  Corbyn   5   41.7%",
        "  Burnham  3   25.0%",
        "  Kendall  2   16.7%",
        "  Cooper   2   16.7%",
        "  Eliminated: Kendall",
        "  Tie-break: Kendall had fewer votes in round 0",
        "  Transfers from Kendall: 1 to Cooper, 1 exhausted",
        "Round 2: threshold 6 (of 11 continuing votes)",
        "  Corbyn   5   45.5%",
        "  Burnham  3   27.3%",
        "  Cooper   3   27.3%",
        "  Exhausted: 1",
        "  Elected: Corbyn",
        "Winner: Corbyn",
        "Rules: alternative vote (IRV), 1 seat; an over-vote exhausts the ballot; skipped ranks "
        "are passed over; a repeated name is passed over; ties: the most recent earlier round "
        "where they differed, then a lot (seed 0); counting version hustings-counting/0.1.",
    ]
    assert text.count("Elected") == 1


def test_count_announcement_is_public() -> None:
    assert not announce_count(CountOutcome(election("counted"), two_round_result())).private


def test_recount_says_it_was_checked() -> None:
    reply = announce_count(CountOutcome(election("counted"), two_round_result(), recount_of=3))
    assert reply.title == "Recount: Labour leader 2015"
    assert "The stored ballots were counted again: identical result." in reply.lines


def test_fractional_stv_numbers_are_exact_or_marked_approximate() -> None:
    assert display_number(Fraction(25, 2)) == "12.5"
    assert display_number(Fraction(1234567, 100000)) == "12.34567"
    assert display_number(Fraction(10, 3)) == "≈3.33"
    assert display_number(7) == "7"


def test_percent_rounds_exactly_to_one_place() -> None:
    assert percent(1, 3) == "33.3%"
    assert percent(2, 3) == "66.7%"
    assert percent(0, 0) == "–"
    assert percent(Fraction(1, 2), 1) == "50.0%"


def test_several_winners_in_order() -> None:
    result = Result(("A", "B"), (), Rules(seats=2), ("A", "B", "C"), 3)
    lines = announce_count(CountOutcome(election("counted"), result)).lines
    assert lines[-2] == "Winners, in order of election: A, B"
    assert lines[-1].startswith("Rules: alternative vote (IRV), 2 seats;")


def test_ron_winning_means_nominations_reopen() -> None:
    result = Result((RON,), (), Rules(ron=True), (*CANDIDATES, RON), 3)
    lines = announce_count(CountOutcome(election("counted"), result)).lines
    assert lines[-2] == f"{RON} wins: nobody is elected and nominations re-open."


def test_no_winner() -> None:
    result = Result((), (), Rules(), CANDIDATES, 0)
    assert announce_count(CountOutcome(election("counted"), result)).lines[-2] == (
        "No candidate was elected."
    )


def test_receipt_is_private_and_numbered() -> None:
    reply = views.receipt(BallotReceipt(election(), ("Kendall", "Burnham"), "K7Q-2MX", False))
    assert reply.private
    assert reply.title == (
        "Your ballot in Labour leader 2015 is recorded: 1. Kendall 2. Burnham — receipt K7Q-2MX"
    )


def test_replacing_receipt_says_so() -> None:
    reply = views.receipt(BallotReceipt(election(), ("Corbyn",), "AAA-BBB", True))
    assert "replaces your earlier one: 1. Corbyn" in (reply.title or "")


def test_receipt_says_when_numbers_were_closed_up() -> None:
    note = "You numbered them 1, 2, 4; with the gaps closed up they count as 1, 2, 3."
    ranked = ("Kendall", "Burnham", "Cooper")
    text = render(views.receipt(BallotReceipt(election(), ranked, "AAA-BBB", False, note)))
    assert "is recorded: 1. Kendall 2. Burnham 3. Cooper — receipt AAA-BBB" in text
    assert note in text
    assert note not in render(views.receipt(BallotReceipt(election(), ranked, "AAA-BBB", False)))


def test_status_shows_turnout_and_never_tallies() -> None:
    text = render(views.election_status(election(turnout=9)))
    assert "Ballots cast: 9" in text
    assert "Closes: 2026-12-01 18:00 UTC" in text
    assert "%" not in text and "Round" not in text


def test_opening_is_announced_publicly() -> None:
    reply = views.election_announcement(election("open"))
    assert not reply.private
    assert reply.title == "Voting is open: Labour leader 2015 (election 1)"


def question(**kw: object) -> QuestionView:
    values: dict[str, object] = {
        "id": 1,
        "short_id": "Q1",
        "text": "Will you scrap tuition fees?",
        "to_candidate": "Corbyn",
        "status": "open",
        "upvotes": 2,
        "asker_name": None,
        "asker_user_id": None,
        "answer": None,
        "dismiss_reason": None,
        "created_at": WHEN,
    }
    values.update(kw)
    return QuestionView(**values)  # type: ignore[arg-type]


def test_announcements_never_name_the_asker_even_from_their_own_view() -> None:
    own_view = question(asker_name="alice")
    assert render(views.asked(own_view)).splitlines() == [
        "New question Q1",
        "Q1 to Corbyn — 2 upvotes: Will you scrap tuition fees?",
        "Upvote it with /upvote Q1.",
    ]


def test_answer_announced_by_a_moderator_hides_the_asker() -> None:
    moderator_view = question(asker_name="alice", asker_user_id="U1", answer="Yes.")
    text = render(views.answered(moderator_view))
    assert "alice" not in text and "U1" not in text


def test_a_members_list_shows_anonymous_askers_as_a_member() -> None:
    assert "asked by a member:" in views.question_lines(question())[0]


def test_moderator_view_shows_the_asker() -> None:
    line = views.question_lines(question(asker_name="alice", asker_user_id="U1"))[0]
    assert "asked by alice (U1)" in line


def test_answer_is_posted_with_the_question() -> None:
    reply = views.answered(question(status="answered", answer="Yes."))
    assert not reply.private
    assert reply.lines[-1] == "   Answer: Yes."


def test_pending_question_is_acknowledged_privately() -> None:
    reply = views.asked(question(status="pending"))
    assert reply.private and "waiting for a moderator" in (reply.title or "")


def test_upvote_toggle_wording() -> None:
    assert views.upvoted(UpvoteOutcome(question(upvotes=1), True)).title == (
        "You upvoted Q1; it has 1 upvote."
    )
    assert views.upvoted(UpvoteOutcome(question(upvotes=0), False)).title == (
        "You took back your upvote on Q1; it has 0 upvotes."
    )


def test_empty_question_list() -> None:
    empty = Page[QuestionView]((), 0, 1, 10)
    assert render(views.question_list(empty, "Top open", "/questions")) == "Top open: none."


def test_help_lists_usage_lines() -> None:
    text = render(views.help_reply(visible_to(is_moderator=False)))
    assert "/rank <ranking> [--election ELECTION] — Cast or replace" in text
    assert "/election create" not in text


def test_sections_with_headings_are_indented_and_attachments_shown() -> None:
    reply = Reply(
        "T",
        (Section(("a", "b"), "H"), Section(("c",))),
        attachment=Attachment("x.blt", "4 1\n1 2 0\n"),
    )
    assert render(reply) == "T\nH\n  a\n  b\nc\n--- x.blt ---\n4 1\n1 2 0\n---"


def test_a_page_says_what_it_holds_and_how_to_see_the_rest() -> None:
    items = tuple(range(10))
    first = views.showing(Page(items, 12, 1, 10), "/questions --order new")
    assert first == "Showing 10 of 12 (1–10) — /questions --order new --page 2 for more."
    last = views.showing(Page((10, 11), 12, 2, 10), "/questions")
    assert last == "Showing 2 of 12 (11–12) — the last page; /questions --page 1 for the first."
    assert views.showing(Page((1, 2), 2, 1, 10), "/questions") == "Showing all 2."
    assert views.showing(Page((1,), 1, 1, 10), "/questions") == "Showing the only one."


def test_election_list_pages_and_refuses_a_page_past_the_end() -> None:
    elections = [election(status="draft") for _ in range(12)]
    shown = render(views.election_list(elections, 2))
    assert "Showing 2 of 12 (11–12)" in shown
    with pytest.raises(InvalidInput, match="There are 2 pages of elections"):
        views.election_list(elections, 3)
