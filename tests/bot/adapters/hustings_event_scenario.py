"""Issue 13 items 4 and 5 as one shared scenario: a hustings held as an event, its minutes,
and the ballot it opens when it ends. Played on the console, the Discord fake and the Slack
fake (``scenarios.play``); expectations are substrings of what each audience saw, and the
files of ``/questions export`` are read as text (the CSV rows are the same on every platform).
"""

from __future__ import annotations

from tests.bot.adapters.scenarios import CANDIDATES, MODERATOR, TITLE, Step

HUSTINGS = "Leadership hustings"
DISMISSED_TEXT = "Off-topic rubbish"


def hustings_event() -> list[Step]:
    """Start with ``--ballot`` (a draft, whose candidates may now be asked), three questions
    (one a formula, one forged Markdown, one dismissed), the minutes refused to a member while
    it runs and complete for the moderator, then the end: the ballot opens beside the pinned
    answers summary and every member may read the minutes, without the dismissed text."""
    mod = MODERATOR
    return [
        Step("mod", f'/election create "{TITLE}" {", ".join(CANDIDATES)}', mod, quiet=True),
        Step(
            "mod",
            f"/hustings start {HUSTINGS} --ballot 1",
            mod,
            public=(f"Hustings 1 ({HUSTINGS}) has started", f"voting opens: {TITLE}", "Corbyn"),
        ),
        Step("mod", "/hustings start Another", mod, private=("already open",), quiet=True),
        Step("alice", "/hustings end", private=("Only moderators",), quiet=True),
        Step("alice", "/ask --to Corbyn =SUM(A1:A9) for rail?", public=("Q1 to Corbyn",)),
        Step("bob", "/ask --named # Forged [link](http://evil.example)", public=("Q2",)),
        Step("carol", f"/ask {DISMISSED_TEXT}", public=("Q3",)),
        Step("dave", "/upvote Q1", private=("1 upvote",)),
        Step("mod", "/question answer Q1 Public ownership.", mod, public=("answered",)),
        Step("mod", "/question dismiss Q3 off topic", mod, private=("dismissed",)),
        Step(
            "alice",
            "/questions export",
            private=("still going on", "when a moderator ends it"),
            quiet=True,
            hidden=("Q1,1,",),
        ),
        Step(
            "mod",
            "/questions export",
            mod,
            private=(
                f"Minutes of Hustings 1 ({HUSTINGS})",
                "3 questions: 1 answered · 1 open · 1 dismissed",
                "hustings-1-minutes.md",
                "hustings-1-minutes.csv",
                "question,hustings,state,text,to,asker,upvotes,reason_code,reason,answer,",
                "Q1,1,answered,'=SUM(A1:A9) for rail?,Corbyn,,1,,,Public ownership.,",
                "Q2,1,open,# Forged [link](http://evil.example),,bob,0,",
                f"Q3,1,dismissed,{DISMISSED_TEXT},,,0,,off topic,",
            ),
            quiet=True,
        ),
        Step(
            "mod",
            "/hustings end",
            mod,
            public=(
                f"Hustings 1 ({HUSTINGS}) has ended",
                "3 questions asked",
                f"Voting is open: {TITLE}",
                f"Candidates' answers at Hustings 1 ({HUSTINGS})",
                "Corbyn: 1 answered",
                "Q1 (1 upvote): =SUM(A1:A9) for rail? → Public ownership.",
            ),
        ),
        Step("alice", "/rank Corbyn Cooper", private=("is recorded",), quiet=True),
        Step(
            "erin",
            "/questions export",
            private=(
                f"Minutes of Hustings 1 ({HUSTINGS})",
                "Q1,1,answered,'=SUM(A1:A9) for rail?,Corbyn,,1,",
                "Q2,1,open,",
                "Q3,1,dismissed,(dismissed: text not published),,,0,,off topic,",
            ),
            quiet=True,
            hidden=(DISMISSED_TEXT,),
        ),
        Step("mod", "/hustings end", mod, private=("No hustings is open",), quiet=True),
    ]
