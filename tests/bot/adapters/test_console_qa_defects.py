"""The Q&A defects noted when issue 13's moderation closed, replayed on the fake console:
a rewording that lapses is told to its asker; the merge reply gives only sums; question
ids typed full-width on a phone are read."""

from __future__ import annotations

from bot.app import App
from tests.bot.adapters import scenarios
from tests.bot.adapters.console_chat import ConsoleChat
from tests.bot.adapters.scenarios import MODERATOR, Step

MOD = MODERATOR


def _asked() -> list[Step]:
    return [
        Step("mod", '/election create "Leader" Kendall, Burnham, Cooper, Corbyn', MOD),
        Step("mod", "/election open", MOD, public=("Voting is open",)),
        Step("alice", "/ask --to Corbyn What about rail?", public=("Q1 to Corbyn",)),
        Step("bob", "/ask Buses?", public=("Q2",)),
        Step("carol", "/ask --to Cooper Schools?", public=("Q3 to Cooper",)),
    ]


async def test_a_rewording_that_lapses_is_told_and_refused(app: App) -> None:
    chat = ConsoleChat(app)
    edit = "/question edit Q3 What will you do about schools?"
    steps = [
        *_asked(),
        Step("mod", edit, MOD, private=("unchanged until they accept",), quiet=True),
        Step("mod", "/question answer Q3 More teachers.", MOD, public=("Q3 answered",)),
        Step(
            "carol",
            "/question accept Q3",
            quiet=True,
            private=("The rewording proposed for Q3 lapsed: Q3 was answered before you accepted",),
        ),
        Step("carol", "/questions --status all", quiet=True, hidden=("Proposed rewording",)),
        Step("mod", "/question edit Q2 Buses, what will you fund?", MOD, quiet=True),
        Step("mod", "/question dismiss Q2 off-topic", MOD, quiet=True),
        Step("bob", "/question decline Q2", quiet=True, private=("Q2 was dismissed (Off-topic)",)),
    ]
    await scenarios.play(chat, steps)
    told = "\n".join(chat.transcript)
    assert "[private to carol] The rewording a moderator proposed for Q3 lapsed" in told
    assert "Q2 was dismissed by a moderator: Off-topic" in told
    assert "The rewording a moderator proposed for Q2 lapsed: Q2 was dismissed first" in told


async def test_a_merge_tells_the_asker_their_rewording_lapsed(app: App) -> None:
    chat = ConsoleChat(app)
    steps = [
        *_asked(),
        Step("mod", "/question edit Q2 Rail?", MOD, quiet=True),
        Step("mod", "/question merge Q2 Q1", MOD, public=("Q2 merged into Q1",)),
        Step("bob", "/question accept Q2", quiet=True, private=("Q2 lapsed",)),
    ]
    await scenarios.play(chat, steps)
    told = "\n".join(chat.transcript)
    assert "Q2 lapsed: Q2 was merged into Q1 first" in told


async def test_an_answer_by_another_candidate_is_refused_or_flagged(app: App) -> None:
    answer = "/question answer Q1 --by Burnham"
    steps = [
        *_asked(),
        Step("mod", f"{answer} Public ownership.", MOD, quiet=True, private=(
            "Q1 was put to Corbyn, not Burnham: nothing was recorded",
            "/question answer Q1 --by Burnham --override",
        )),
        Step("mod", "/question answer Q2 --by Burnham More buses.", MOD, public=("by Burnham",)),
        Step("mod", f"{answer} --override Public ownership.", MOD, public=(
            "Q1 answered by Burnham",
            "Answer from Burnham (the question was put to Corbyn): Public ownership.",
        )),
    ]  # fmt: skip
    await scenarios.play(ConsoleChat(app), steps)


async def test_stats_cannot_flood_the_channel(app: App) -> None:
    steps = [
        *_asked(),
        Step("erin", "/questions stats", public=("3 received · 3 shown",)),
        Step("frank", "/questions stats", quiet=True, private=(
            "The figures were posted in this channel at",
            "scroll up to see them",
            "/questions stats can post them again at",
        )),
        Step("mod", "/questions stats", MOD, public=("3 received · 3 shown",)),
    ]  # fmt: skip
    await scenarios.play(ConsoleChat(app), steps)


async def test_full_width_question_ids_typed_on_a_phone(app: App) -> None:
    steps = [
        *_asked(),
        Step("dave", "/upvote ｑ１", quiet=True, private=("You upvoted Q1; it has 1 upvote",)),
        Step("dave", "/upvote Ｑ１", quiet=True, private=("You have already upvoted Q1",)),
        Step("mod", "/question merge ｑ２ Ｑ１", MOD, public=("Q2 merged into Q1",)),
        Step("mod", "/question answer ｑ１ Public ownership.", MOD, public=("Q1 answered",)),
        Step("dave", "/upvote ｑ", quiet=True, private=("'ｑ' is not a question id",)),
    ]  # fmt: skip
    await scenarios.play(ConsoleChat(app), steps)
