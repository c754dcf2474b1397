"""Platform-neutral scenarios: a mock ballot and a hustings Q&A as steps and expectations.

Each adapter's end-to-end tests implement ``Chat`` for their platform (Slack through the fake
Slack, Discord through the fake Discord) and call ``play``: the same members type the same
commands, and must see the same things, privately or in the channel. A step names the
speaker, their roles (``moderator`` means whatever the platform uses: a Slack user group, a
Discord role) and the command in the one-line text form; expectations are substrings of the
plain text each audience received, so platform markup does not matter.

The mock ballot is built so the count is known by hand (8 ballots, IRV, three rounds):

    round 1: Corbyn 3, Burnham 2, Cooper 2, Kendall 1 → Kendall eliminated (to Cooper)
    round 2: Corbyn 3, Cooper 3, Burnham 2            → Burnham eliminated (1 to Cooper,
                                                        1 exhausted: Kendall is out)
    round 3: Cooper 4, Corbyn 3                       → Cooper elected
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

MODERATOR = frozenset({"moderator"})
CANDIDATES = ("Kendall", "Burnham", "Cooper", "Corbyn")
TITLE = "Labour leader 2015"


@dataclass(frozen=True)
class Seen:
    """What one step produced: private texts to the speaker, and texts in the channel."""

    private: tuple[str, ...] = ()
    public: tuple[str, ...] = ()
    edited: tuple[str, ...] = ()
    """Channel messages posted before this step and edited by it (their new text)."""


@dataclass(frozen=True)
class Step:
    """One line typed by ``who`` (with ``roles``), and what each audience must see."""

    who: str
    line: str
    roles: frozenset[str] = frozenset()
    private: tuple[str, ...] = ()
    """Substrings that must appear, in order, in the speaker's private replies."""
    public: tuple[str, ...] = ()
    """Substrings that must appear, in order, in the channel."""
    quiet: bool = False
    """Nothing may be posted in the channel (a private action, or a refused one)."""
    hidden: tuple[str, ...] = field(default=())
    """Substrings that must NOT appear anywhere (e.g. a ranking in the channel)."""
    edited: tuple[str, ...] = ()
    """Substrings that must appear, in order, in channel messages edited in place."""


class Chat(Protocol):
    """A platform as the scenarios drive it."""

    async def say(self, step: Step) -> Seen: ...


BALLOTS = {
    "alice": "Corbyn Burnham",
    "bob": "Corbyn, Cooper",
    "carol": "corbyn",
    "dave": "1. Burnham 2. Cooper",
    "erin": "Burnham > Kendall",
    "frank": "Cooper Burnham",
    "grace": "Cooper Corbyn",
    "heidi": "Kendall Cooper",
}


def setup_steps() -> list[Step]:
    """A moderator creates and opens the election."""
    return [
        Step(
            "mod",
            f'/election create "{TITLE}" {", ".join(CANDIDATES)}',
            MODERATOR,
            private=("created as a draft", TITLE),
            quiet=True,
        ),
        Step("mod", "/election open", MODERATOR, public=("Voting is open", TITLE)),
    ]


def voting_steps() -> list[Step]:
    """Everyone ranks privately; one mistake is refused; a non-moderator cannot count."""
    steps = [
        Step(who, f"/rank {ranking}", private=("is recorded", "receipt"), quiet=True)
        for who, ranking in BALLOTS.items()
    ]
    steps.insert(
        2,
        Step("ivan", "/rank Kendall Kendall", private=("twice",), quiet=True),
    )
    steps.append(Step("alice", "/election count", private=("Only moderators",), quiet=True))
    steps.append(Step("ivan", "/withdraw", private=("no ballot",), quiet=True))
    return steps


def count_steps() -> list[Step]:
    return [
        Step(
            "mod",
            "/election count",
            MODERATOR,
            public=(
                f"Result: {TITLE}",
                "8 ballots",
                "Round 1",
                "Eliminated: Kendall",
                "Round 2",
                "Eliminated: Burnham",
                "Round 3",
                "Elected: Cooper",
            ),
        )
    ]


def mock_ballot() -> list[Step]:
    """The whole mock ballot, from creation to the announced result."""
    return [*setup_steps(), *voting_steps(), *count_steps()]


def hustings() -> list[Step]:
    """Ask, upvote (twice by one member: the second is refused, --undo takes it back), answer."""
    return [
        Step("alice", "/ask What will you do about rail?", public=("New question", "rail")),
        Step("bob", "/upvote Q1", private=("You upvoted", "1 upvote")),
        Step("carol", "/upvote Q1", private=("2 upvotes",)),
        Step("carol", "/upvote Q1", private=("already upvoted Q1", "--undo"), quiet=True),
        Step("carol", "/upvote Q1 --undo", private=("took back", "1 upvote")),
        Step("alice", "/question answer Q1 Nationalise it", private=("Only moderators",)),
        Step(
            "mod",
            "/question answer Q1 Public ownership, line by line.",
            MODERATOR,
            public=("answered", "Public ownership"),
        ),
    ]


def check(step: Step, seen: Seen) -> None:
    """Assert that ``seen`` meets ``step``'s expectations, with a readable message."""
    _in_order(step, "private", step.private, seen.private)
    _in_order(step, "public", step.public, seen.public)
    _in_order(step, "edited", step.edited, seen.edited)
    if step.quiet:
        assert not seen.public, f"{step.line!r} posted in the channel: {seen.public}"
    everything = "\n".join([*seen.private, *seen.public, *seen.edited])
    for secret in step.hidden:
        assert secret not in everything, f"{step.line!r} showed {secret!r}"


def _in_order(step: Step, audience: str, wanted: Sequence[str], texts: Sequence[str]) -> None:
    joined = "\n".join(texts)
    at = 0
    for part in wanted:
        found = joined.find(part, at)
        assert found >= 0, f"{step.who}: {step.line!r}: {audience} lacks {part!r} in:\n{joined}"
        at = found + len(part)


async def play(chat: Chat, steps: Sequence[Step]) -> list[Seen]:
    """Run ``steps`` in order, checking each; returns what each produced (for transcripts)."""
    out = []
    for step in steps:
        seen = await chat.say(step)
        check(step, seen)
        out.append(seen)
    return out


ENTRY_TITLE = "Mock leader"
ENTRY_CANDIDATES = (*CANDIDATES, "Rory O'Brien", "Ed Balls", "Ann Smith-Jones")


def _ranked(who: str, typed: str, recorded: str, *more: str) -> Step:
    return Step(who, f"/rank {typed}", private=(f"is recorded: {recorded}", *more), quiet=True)


def _refused(who: str, typed: str, *why: str) -> Step:
    return Step(who, f"/rank {typed}", private=why, quiet=True, hidden=("is recorded",))


def ballot_entry() -> list[Step]:
    """What a member types is what is recorded (issue 9): numbers decide the order, phone
    punctuation and invisible characters are read as meant, and anything with two readings
    or none is refused with nothing stored. Then the friendly edges after a count."""
    return [
        Step(
            "mod",
            f'/election create "{ENTRY_TITLE}" {", ".join(ENTRY_CANDIDATES)}',
            MODERATOR,
            private=("created as a draft",),
            quiet=True,
        ),
        Step("mod", "/election open", MODERATOR, public=("Voting is open", ENTRY_TITLE)),
        _ranked(
            "alice",
            "4. Kendall 3. Cooper 2. Burnham 1. Corbyn",
            "1. Corbyn 2. Burnham 3. Cooper 4. Kendall",
        ),
        _ranked("bob", "2) Cooper 1) Kendall", "1. Kendall 2. Cooper"),
        _refused(
            "carol",
            "1. Corbyn 1. Burnham",
            'You gave "Corbyn" and "Burnham" the same number, 1',
        ),
        Step("carol", "/withdraw", private=("You have no ballot",), quiet=True),
        _ranked("dave", "Rory O’Brien, Ed Balls", "1. Rory O'Brien 2. Ed Balls"),
        _ranked("erin", "Ann Smith–Jones", "1. Ann Smith-Jones —"),
        _ranked("frank", "Ed\u00a0Balls", "1. Ed Balls —"),
        _ranked("grace", "E\u200bd Balls", "1. Ed Balls —"),
        _ranked(
            "heidi",
            "1. Kendall 2. Burnham 4. Cooper",
            "1. Kendall 2. Burnham 3. Cooper",
            "You numbered them 1, 2, 4; with the gaps closed up they count as 1, 2, 3.",
        ),
        _refused("ivan", "Corb\u200bin", 'u200bin" is not a candidate. Did you mean "Corbyn"?'),
        _refused("judy", "Kendall 1. Burnham", '"Kendall" has no number', "(1. Kendall 2. Burn"),
        _refused("judy", "1. Kendall 2.", '"2." has no candidate after it'),
        Step("mod", "/election count", MODERATOR, public=("Result", "7 ballots")),
        Step(
            "mod",
            "/election count",
            MODERATOR,
            private=("is already counted", "/election count 1"),
            quiet=True,
        ),
        Step(
            "alice",
            "/ballot",
            private=(f"Your ballot in {ENTRY_TITLE}: 1. Corbyn 2. Burnham 3. Cooper 4. Kendall",),
            quiet=True,
        ),
        Step("alice", "/election status", private=("Status: counted", "Elected: "), quiet=True),
    ]


REPORTED_QUESTIONS = (
    "Will candidates who are --named in the report resign?",
    "Should we say yes --to the merger or no?",
    'What does "hard Brexit mean?',
)
MASKED_LINK = "[Vote here: official ballot](https://evil.example/login) **URGENT**"


def free_text() -> list[Step]:
    """Issue 18's reported questions: stored and shown exactly as typed, nobody named."""
    askers = ("alice", "bob", "carol", "mallory")
    texts = (*REPORTED_QUESTIONS, MASKED_LINK)
    return [
        Step(
            who,
            f"/ask {text}",
            public=(f"New question Q{n}", f"Q{n} — 0 upvotes: {text}"),
            hidden=(who, "asked by"),
        )
        for n, (who, text) in enumerate(zip(askers, texts, strict=True), start=1)
    ]


def flood_and_pages() -> list[Step]:
    """After ``free_text`` (Q1–Q4): three quick questions from one member, a refused fourth,
    then twelve questions listed a page at a time."""
    steps = [
        Step("dave", f"/ask Quick question {n}?", public=(f"Q{q}",))
        for n, q in ((1, 5), (2, 6), (3, 7))
    ]
    steps.append(
        Step(
            "dave",
            "/ask A fourth, at once?",
            private=("3 questions waiting or open here (Q5, Q6, Q7)", "not before", "UTC (in "),
            quiet=True,
            hidden=("Q8",),
        )
    )
    steps += [
        Step(who, f"/ask From {who}?", public=(f"Q{q}",))
        for q, who in enumerate(("erin", "frank", "grace", "heidi", "ivan"), start=8)
    ]
    steps += [
        Step(
            "judy",
            "/questions --order new",
            private=("Q12 —", "Q3 —", "Showing 10 of 12 (1–10) — /questions --order new --page 2"),
            quiet=True,
            hidden=("Q2 —", "Q1 —"),
        ),
        Step(
            "judy",
            "/questions --order new --page 2",
            private=("Q2 —", "Q1 —", "Showing 2 of 12 (11–12)"),
            quiet=True,
            hidden=("Q3 —",),
        ),
    ]
    return steps


def unpublished() -> list[Step]:
    """A question dismissed before it was published stays unknown to members (a held question
    has a draft id, P1, and takes a public number only when published, so no gap shows);
    switching pre-moderation off tells the moderator what still waits."""
    return [
        Step("mod", "/premoderate on", MODERATOR, public=("wait for a moderator's approval",)),
        Step("erin", "/ask A secret?", private=("P1 is waiting",), quiet=True),
        Step("mod", "/question dismiss P1 Off topic", MODERATOR, quiet=True),
        Step("bob", "/upvote P1", private=("There is no question P1 in this channel.",)),
        Step("bob", "/upvote Q1", private=("There is no question Q1 in this channel.",)),
        Step("frank", "/ask Still waiting?", private=("P2 is waiting",), quiet=True),
        Step(
            "mod",
            "/premoderate off",
            MODERATOR,
            public=("published at once",),
            private=("1 question is still waiting for approval: P2", "/question approve all"),
        ),
        Step(
            "mod",
            "/question approve all",
            MODERATOR,
            public=("1 new question", "Q1 — 0 upvotes: Still waiting?"),
            hidden=("frank", "P2", "secret"),
        ),
        Step("bob", "/upvote Q1", private=("You upvoted Q1",)),
        Step("mod", "/question approve all", MODERATOR, private=("No questions are waiting",)),
    ]


def qa_fixes() -> list[Step]:
    """Issue 13's fixes, as a new user meets them: ``--to`` names a candidate of an opened
    ballot (or all/panel), nobody upvotes their own question, ``/upvote`` never toggles,
    refusals say the state the question is in, a re-answer is marked edited, and an asker
    sees their own held or dismissed question (with the reason) while others do not."""
    mod = MODERATOR
    return [
        Step("mod", f'/election create "{TITLE}" {", ".join(CANDIDATES)}', mod, quiet=True),
        Step(
            "alice",
            "/ask --to Corbyn Rail?",
            private=("no election here has been opened", "--to can only be all or panel"),
            quiet=True,
            hidden=("Did you mean",),  # a draft's candidates are not suggested
        ),
        Step("mod", "/election open", mod, public=("Voting is open",)),
        Step(
            "alice",
            "/ask --to Nobody Rail?",
            private=('"Nobody" is not a candidate',),
            quiet=True,
            hidden=("New question",),
        ),
        Step("alice", "/ask --to Corbin Rail?", private=('Did you mean "Corbyn"?',), quiet=True),
        Step("alice", "/ask --to corbyn What about rail?", public=("Q1 to Corbyn — 0 upvotes",)),
        Step(
            "bob",
            "/ask --to panel And buses?",
            public=("Q2 — 0 upvotes: And buses?",),
            hidden=("panel",),
        ),
        Step("alice", "/upvote Q1", private=("Q1 is your own question",), quiet=True),
        Step("bob", "/upvote Q1", private=("You upvoted Q1; it has 1 upvote.",), quiet=True),
        Step(
            "bob",
            "/upvote Q1",
            private=(
                "You have already upvoted Q1; it has 1 upvote",
                "/upvote Q1 --undo takes your upvote back",
            ),
            quiet=True,
        ),
        Step(
            "bob",
            "/upvote Q1 --undo",
            private=("took back your upvote on Q1", "0 upvotes"),
            quiet=True,
        ),
        Step("bob", "/upvote Q1 --undo", private=("have not upvoted Q1",), quiet=True),
        Step(
            "mod",
            "/question approve Q1",
            mod,
            private=("Q1 is already open",),
            quiet=True,
            hidden=("cannot be open",),
        ),
        Step("mod", "/question answer Q1 By 2030.", mod, public=("Q1 answered", "By 2030.")),
        Step(
            "mod",
            "/question answer Q1 By 2029.",
            mod,
            edited=("Q1 answer edited", "By 2029.", "(edited"),
            quiet=True,  # the posted answer is edited in place, not posted again
        ),
        Step(
            "mod",
            "/question dismiss Q1 Duplicate",
            mod,
            private=("Q1 is already answered", "/question answer Q1"),
            quiet=True,
        ),
        Step("mod", "/premoderate on", mod, public=("wait for a moderator's approval",)),
        Step("carol", "/ask A secret plan?", private=("P1 is waiting",), quiet=True),
        Step(
            "carol",
            "/questions --status all",
            private=("P1 (waiting for approval)", "A secret plan?"),
            quiet=True,
        ),
        Step(
            "dave",
            "/questions --status all",
            private=("Q1", "Q2"),
            quiet=True,
            hidden=("secret", "P1"),
        ),
        Step("dave", "/upvote P1", private=("There is no question P1",), quiet=True),
        Step(
            "carol", "/upvote P1", private=("P1 is waiting for a moderator's approval",), quiet=True
        ),
        Step(
            "mod", "/questions --status pending", mod, private=("P1 (waiting", "secret"), quiet=True
        ),
        Step("mod", "/question dismiss P1 Off topic", mod, quiet=True),
        Step(
            "carol",
            "/questions --status dismissed",
            private=("P1 (dismissed)", "Dismissed: Off-topic"),
            quiet=True,
        ),
        Step(
            "dave",
            "/questions --status dismissed",
            private=("none",),
            quiet=True,
            hidden=("secret",),
        ),
        Step(
            "mod",
            "/question approve P1",
            mod,
            private=("P1 was dismissed (Off-topic)", "cannot be approved"),
            quiet=True,
        ),
        Step(
            "mod",
            "/question dismiss P1 abusive",
            mod,
            private=("P1 is already dismissed",),
            quiet=True,
        ),
    ]


STATS_LINE = (
    "5 received · 4 shown · 2 answered · 2 dismissed (1 duplicate, 1 off-topic) · 1 pending"
)


def moderation() -> list[Step]:
    """Issue 13's moderation in the open: reason codes, a merge that counts a member who
    upvoted both questions once (and drops the kept question's asker's own upvote), a
    rewording that changes nothing until the asker accepts, who answered, the per-candidate
    queue and ``/questions stats``, whose figures match what the steps did."""
    mod = MODERATOR
    return [
        Step("mod", f'/election create "{TITLE}" {", ".join(CANDIDATES)}', mod, quiet=True),
        Step("mod", "/election open", mod, public=("Voting is open",)),
        Step("alice", "/ask --to Corbyn What about rail?", public=("Q1 to Corbyn",)),
        Step("bob", "/ask --to Corbyn Rail: what will you do?", public=("Q2 to Corbyn",)),
        Step("carol", "/ask --to Cooper Schools?", public=("Q3 to Cooper",)),
        Step("dave", "/ask Buses?", public=("Q4 — 0 upvotes: Buses?",)),
        Step("alice", "/upvote Q1", private=("Q1 is your own question",), quiet=True),
        Step("bob", "/upvote Q1", private=("it has 1 upvote",), quiet=True),
        Step("carol", "/upvote Q1", private=("it has 2 upvotes",), quiet=True),
        Step("carol", "/upvote Q2", private=("it has 1 upvote",), quiet=True),
        Step("dave", "/upvote Q2", private=("it has 2 upvotes",), quiet=True),
        Step("alice", "/upvote Q2", private=("it has 3 upvotes",), quiet=True),
        Step("bob", "/question merge Q2 Q1", private=("Only moderators",), quiet=True),
        Step(
            "mod",
            "/question merge Q2 Q1",
            mod,
            public=("Q2 merged into Q1", "Q1 now has 3 upvotes"),
            private=("1 upvote moved to Q1, which now has 3", "2 more did not add to it"),
            hidden=("bob", "own upvote", "upvoted both", "asker's own"),
        ),
        Step("carol", "/upvote Q1", private=("already upvoted Q1; it has 3 upvotes",), quiet=True),
        Step("dave", "/upvote Q2", private=("Q2 was dismissed (Duplicate of Q1",), quiet=True),
        Step(
            "bob",
            "/questions --status dismissed",
            private=("Q2 (dismissed)", "Dismissed: Duplicate of Q1"),
            quiet=True,
        ),
        Step(
            "mod", "/question dismiss Q4 offtopic", mod, private=("Start the reason",), quiet=True
        ),
        Step(
            "mod", "/question dismiss Q4 other", mod, private=("After other, say why",), quiet=True
        ),
        Step("mod", "/question dismiss Q4 off-topic", mod, private=("Q4 dismissed",), quiet=True),
        Step(
            "dave",
            "/questions --status dismissed",
            private=("Q4 (dismissed)", "Dismissed: Off-topic"),
            quiet=True,
        ),
        Step(
            "mod",
            "/question edit Q3 What will you do about schools?",
            mod,
            private=("Q3 is unchanged until they accept it",),
            quiet=True,
        ),
        Step("bob", "/question accept Q3", private=("Only the asker of Q3",), quiet=True),
        Step(
            "erin",
            "/questions --to cooper",
            private=("Top open questions to cooper", "Q3 to Cooper", "Schools?"),
            quiet=True,
            hidden=("What will you do", "Q1"),
        ),
        Step(
            "carol",
            "/question accept Q3",
            private=("You accepted the rewording",),
            public=("Q3 reworded", "What will you do about schools?", "asker's consent"),
            hidden=("carol",),
        ),
        Step(
            "mod",
            "/question answer Q1 --by Nobody Public ownership.",
            mod,
            private=('"Nobody" is not a candidate',),
            quiet=True,
        ),
        Step(
            "mod",
            "/question answer Q1 --by corbyn Public ownership.",
            mod,
            public=("Q1 answered by Corbyn", "Answer from Corbyn: Public ownership."),
            hidden=("--by",),
        ),
        Step("mod", "/question answer Q3 --by Cooper More teachers.", mod, public=("by Cooper",)),
        Step("mod", "/premoderate on", mod, public=("wait for a moderator's approval",)),
        Step("frank", "/ask Held back?", private=("P1 is waiting",), quiet=True),
        Step(
            "erin",
            "/questions stats",
            public=(
                STATS_LINE,
                "Corbyn: 2 received · 2 shown · 1 answered · 1 dismissed (1 duplicate) · 0 pending",
                "Cooper: 1 received · 1 shown · 1 answered · 0 dismissed · 0 pending",
                "To everyone: 2 received · 1 shown · 0 answered · 1 dismissed (1 off-topic) · "
                "1 pending",
                "Cooper: 1 answer, 0 upvotes",
                "Corbyn: 1 answer, 3 upvotes",
            ),
            hidden=("Held back", "Buses", "frank"),
        ),
    ]
