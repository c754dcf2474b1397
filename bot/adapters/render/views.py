"""Neutral replies for everything but the count: receipts, elections, questions, help.

Each function takes the value a service returned and decides what the caller (or the channel)
is shown. Two rules live here: while an election is open only its turnout is shown, never a
tally; and a question's asker is named to the channel only if they chose ``--named``
(``QuestionView.named``); private lists show what the service filled in for the caller (their
own name, or everyone's for moderators).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from bot.adapters.commands import Command
from bot.adapters.render.message import Attachment, Reply, Section, private, private_to, public
from bot.domain import (
    BallotReceipt,
    BallotView,
    ElectionView,
    FloodLimits,
    Page,
    PremoderationView,
    QuestionView,
    UpvoteOutcome,
)
from bot.errors import InvalidInput
from bot.services.question_reasons import lapsed_notice

T = TypeVar("T")
PER_PAGE = 10
"""Items on one page of a list the adapters page themselves (elections)."""


def numbered(ranking: Sequence[str]) -> str:
    """``1. Kendall 2. Burnham``."""
    return " ".join(f"{i}. {name}" for i, name in enumerate(ranking, start=1))


def when(moment: datetime | None) -> str:
    return "no closing time" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def receipt(r: BallotReceipt) -> Reply:
    verb = "replaces your earlier one" if r.replaced else "is recorded"
    if r.replaced and r.election.electorate == "roll":
        verb = "replaces your earlier one (one ballot per member, from any linked account)"
    return private(
        f"Your ballot in {r.election.title} {verb}: {numbered(r.ranking)} — receipt {r.receipt}",
        *([r.note] if r.note else []),
        "Only you can see this. You can re-rank or /withdraw until voting closes.",
    )


def ballot(b: BallotView) -> Reply:
    return private(
        f"Your ballot in {b.election.title}: {numbered(b.ranking)} — receipt {b.receipt}",
        f"Cast {when(b.cast_at)}.",
    )


def withdrawn(e: ElectionView) -> Reply:
    return private(f"Your ballot in {e.title} is withdrawn. You can /rank again until it closes.")


def election_status(e: ElectionView) -> Reply:
    """What anyone may see about an election: never tallies, whatever its status."""
    lines = [
        f"Status: {e.status}",
        f"Candidates: {', '.join(e.candidates)}",
        f"Method: {e.method.upper()}, {e.seats} seat{'s' if e.seats != 1 else ''}",
        f"Closes: {when(e.closes_at)}",
        f"Ballots cast: {e.turnout}",
    ]
    if e.eligible_roles:
        lines.append(f"Who may vote: members with role {', '.join(e.eligible_roles)}")
    if e.roll_electorate:
        lines.append(f"Who may vote: {e.roll_electorate} (one ballot each; /link to vote)")
    if e.branch_turnout is not None:
        lines.append(branch_turnout(e))
    if e.section_turnout is not None:
        lines.append(section_turnout(e))
    if e.aliases:
        lines.append("Aliases: " + ", ".join(f"{a} = {c}" for a, c in e.aliases.items()))
    if e.sections:
        lines.append(college_line(e))
    if e.winners is not None:
        lines.append(f"Elected: {', '.join(e.winners)}" if e.winners else "Nobody was elected.")
    lines.extend(e.warnings)
    return Reply(f"Election {e.ref}: {e.title}", (Section(tuple(lines)),))


def college_line(e: ElectionView) -> str:
    """``Sections: MPs (weight 1; role mp), Members (weight 2; roles member, cllr)``."""
    shown = []
    for section, weight in e.section_weights.items():
        roles = [role for role, name in e.sections.items() if name == section]
        label = "role" if len(roles) == 1 else "roles"
        shown.append(f"{section} (weight {weight}; {label} {', '.join(roles)})")
    return "Sections: " + ", ".join(shown)


def branch_turnout(e: ElectionView) -> str:
    """``Turnout by branch: North 12, South 10; 4 in branches under 10, not shown``."""
    shown = ", ".join(f"{branch} {n}" for branch, n in e.branch_turnout or ())
    rest = f"{e.branch_others} in branches with fewer than 10, not shown"
    if not shown:
        return "Turnout by branch is shown only where at least 10 have voted; none has yet."
    return f"Turnout by branch: {shown}" + (f"; {rest}" if e.branch_others else "")


def section_turnout(e: ElectionView) -> str:
    """``Turnout by section: members 22; 3 in sections with fewer than 10, not shown``."""
    shown = ", ".join(f"{section} {n}" for section, n in e.section_turnout or ())
    rest = f"{e.section_others} in sections with fewer than 10, not shown"
    if not shown:
        return "Turnout by section is shown only where at least 10 have voted; none has yet."
    return f"Turnout by section: {shown}" + (f"; {rest}" if e.section_others else "")


def election_changed(e: ElectionView, what: str) -> Reply:
    """A moderator's own confirmation of create / edit / alias (private)."""
    voters = [f"Who may vote: {e.roll_electorate}"] if e.roll_electorate else []
    return private(
        f"Election {e.ref} {what}: {e.title} ({e.status})",
        f"Candidates: {', '.join(e.candidates)}",
        *voters,
    )


def election_announcement(e: ElectionView) -> Reply:
    """Public notice of opening, closing or cancelling."""
    if e.status == "open":
        return public(
            f"Voting is open: {e.title} (election {e.ref})",
            f"Candidates: {', '.join(e.candidates)}",
            f"Rank them with /rank, most preferred first. Closes: {when(e.closes_at)}.",
            *(
                [f"Who may vote: {e.roll_electorate}; link your account first with /link CODE."]
                if e.roll_electorate
                else []
            ),
        )
    if e.status == "cancelled" and not e.opened:  # a draft: members never saw it
        return private(
            f"Draft election {e.ref} cancelled: {e.title}. It was never opened, so it is "
            "not announced, and members will never see it."
        )
    if e.status == "cancelled":
        return public(f"Election {e.ref} cancelled: {e.title}. Its ballots will not be counted.")
    return public(f"Voting has closed: {e.title}. Ballots cast: {e.turnout}.")


def election_list(elections: Sequence[ElectionView], page: int = 1) -> Reply:
    """One page of the channel's elections, saying how many there are and how to see more."""
    if not elections:
        return private("There are no elections in this channel.")
    shown = page_of(elections, page, "elections")
    lines = [f"{e.ref}. {e.title} — {e.status}, {e.turnout} cast" for e in shown.items]
    return private("Elections in this channel:", *lines, showing(shown, "/election list"))


def page_of(items: Sequence[T], page: int, what: str) -> Page[T]:
    """Page ``page`` of ``items`` (``InvalidInput`` past the end: the member asked for it)."""
    pages = max(1, -(-len(items) // PER_PAGE))
    if not 1 <= page <= pages:
        raise InvalidInput(f"There {'is' if pages == 1 else 'are'} {pages} page"
                           f"{'' if pages == 1 else 's'} of {what}.")  # fmt: skip
    start = (page - 1) * PER_PAGE
    return Page(tuple(items[start : start + PER_PAGE]), len(items), page, PER_PAGE)


def showing(page: Page[T], command: str) -> str:
    """``Showing 10 of 12 (1–10) — /questions --page 2 for the rest.`` and the like."""
    if page.total == len(page.items):
        return "Showing the only one." if page.total == 1 else f"Showing all {page.total}."
    where = f"Showing {len(page.items)} of {page.total} ({page.first}–{page.last})"
    if page.page < page.pages:
        return f"{where} — {command} --page {page.page + 1} for more."
    return f"{where} — the last page; {command} --page 1 for the first."


PUBLISHED = {"html": "result.html", "summary": "summary.json", "csv": "rounds.csv"}
"""File names of a counted election's published result, by export format."""


def export(ref: str, fmt: str, content: str) -> Reply:
    name = f"election-{ref}.{fmt}"
    title = f"Anonymised ballots ({fmt.upper()}): {name}"
    if fmt in PUBLISHED:
        name = f"election-{ref}-{PUBLISHED[fmt]}"
        title = f"Published result ({fmt}): {name}"
    return Reply(title, private=True, attachment=Attachment(name, content))


def question_lines(q: QuestionView, *, public: bool = False) -> tuple[str, ...]:
    """A question as the caller may see it; ``public`` lines name only a ``named`` asker.

    A view is made for its caller: the asker sees their own name, moderators see everyone's.
    Announcements go to the whole channel, so they use the name only when the asker chose
    to be named, whoever's view they are built from.
    """
    to = f" to {q.to_candidate}" if q.to_candidate else ""
    votes = f"{q.upvotes} upvote{'s' if q.upvotes != 1 else ''}"
    if public:
        by = f", asked by {q.asker_name}" if q.named and q.asker_name else ""
        lines = [f"{q.short_id}{to} — {votes}{by}: {q.text}"]
    else:
        asker = q.asker_name or "a member"
        if q.asker_user_id:
            asker += f" ({q.asker_user_id})"
        state = _STATE_TAGS.get(q.status, "")
        lines = [f"{q.short_id}{state}{to} — {votes}, asked by {asker}: {q.text}"]
    if q.answer:
        by = f" from {q.answered_by}" if q.answered_by else ""
        if q.answered_by and q.to_candidate and q.answered_by != q.to_candidate:
            by += f" (the question was put to {q.to_candidate})"
        edited = " (edited)" if q.answer_edited_at is not None else ""
        lines.append(f"   Answer{by}{edited}: {q.answer}")
    if q.proposed_text and not public:
        lines.append(f"   Proposed rewording (waiting for the asker): {q.proposed_text}")
    if q.dismiss_reason:
        lines.append(f"   Dismissed: {q.dismiss_reason}")
    return tuple(lines)


_STATE_TAGS = {"pending": " (waiting for approval)", "dismissed": " (dismissed)"}
"""Private lists show the state of a question that is not on the board."""


def asked(q: QuestionView) -> Reply:
    if q.status == "pending":
        return private(f"Your question {q.short_id} is waiting for a moderator's approval.")
    return approved(q)


def approved(q: QuestionView) -> Reply:
    lines = (*question_lines(q, public=True), f"Upvote it with /upvote {q.short_id}.")
    return Reply(f"New question {q.short_id}", (Section(lines),), private=False)


def approved_all(questions: Sequence[QuestionView]) -> Reply:
    """Every question a moderator published at once, in one announcement."""
    if not questions:
        return private("No questions are waiting for approval.")
    sections = [Section(question_lines(q, public=True)) for q in questions]
    sections.append(Section(("Upvote them with /upvote and the question's id.",)))
    count = len(questions)
    title = f"{count} new question{'s' if count != 1 else ''}"
    return Reply(title, tuple(sections), private=False)


def answered(q: QuestionView) -> Reply:
    """The answer, posted with its question; a re-answer is marked as an edit."""
    lines = question_lines(q, public=True)
    by = f" by {q.answered_by}" if q.answered_by else ""
    if q.answer_edited:
        lines = (*lines, "   (edited: this answer replaces the earlier one)")
        title = f"Question {q.short_id} answer edited{by}"
        return Reply(title, (Section(lines),), private=False, edit=True)
    told = _lapse_told(q)
    title = f"Question {q.short_id} answered{by}"
    return Reply(title, (Section(lines),), private=False, followups=told)


def _lapse_told(q: QuestionView) -> tuple[Reply, ...]:
    """The asker's private notice that a rewording waiting for them lapsed (none if none did,
    or if this view cannot address them)."""
    if not q.proposal_lapsed or q.asker_user_id is None:
        return ()
    return (private_to(q.asker_user_id, lapsed_notice(q.short_id, q.status)),)


def dismissed(q: QuestionView) -> Reply:
    """The moderator's private confirmation; the reason goes privately to the asker.

    Nothing is posted to the channel: the question just leaves the list (it may never have
    been public, if it was waiting for approval). The moderator's view carries the asker's
    user id, which addresses the followup.
    """
    reason = q.dismiss_reason or "no reason given"
    if q.asker_user_id is None:
        return private(f"Question {q.short_id} dismissed; its asker could not be told.")
    asker = q.asker_name or q.asker_user_id
    lapse = (lapsed_notice(q.short_id, q.status),) if q.proposal_lapsed else ()
    told = private_to(
        q.asker_user_id,
        f"Your question {q.short_id} was dismissed by a moderator: {reason}",
        f"It was: {q.text}",
        *lapse,
    )
    confirmation = private(
        f"Question {q.short_id} dismissed. {asker} is told privately why: {reason}"
    )
    return Reply(confirmation.title, confirmation.sections, True, followups=(told,))


def upvoted(outcome: UpvoteOutcome) -> Reply:
    """What the caller's upvote now is; a typed ``/upvote`` never toggles, a button does
    (and says so, since a second press takes the upvote back)."""
    q = outcome.question
    count = f"it has {q.upvotes} upvote{'s' if q.upvotes != 1 else ''}"
    if not outcome.changed and outcome.upvoted:
        return private(
            f"You have already upvoted {q.short_id}; {count}. "
            f"/upvote {q.short_id} --undo takes your upvote back."
        )
    if not outcome.changed:
        return private(f"You have not upvoted {q.short_id}, so there is nothing to take back.")
    done = "You upvoted" if outcome.upvoted else "You took back your upvote on"
    again = ""
    if outcome.toggled:
        again = " Press the button again to " + ("take it back." if outcome.upvoted else "upvote.")
    return private(f"{done} {q.short_id}; {count}.{again}")


def question_list(questions: Page[QuestionView], title: str, command: str) -> Reply:
    """One page of questions, ending with what the page holds and how to see the rest
    (``command`` repeats the list's options, e.g. ``/questions --status all``)."""
    if not questions.items:
        return private(f"{title}: none.")
    sections = [Section(question_lines(q)) for q in questions.items]
    sections.append(Section((showing(questions, command),)))
    return Reply(title, tuple(sections))


def premoderation(p: PremoderationView) -> Reply:
    """Public notice of the switch; switching off tells the moderator (privately) what still
    waits, since switching off publishes nothing by itself."""
    if p.on:
        return public("New questions in this channel now wait for a moderator's approval.")
    notice = public("New questions in this channel are now published at once.")
    if not p.pending:
        return notice
    count = len(p.pending)
    waiting = private(
        f"{count} question{' is' if count == 1 else 's are'} still waiting for approval: "
        f"{', '.join(p.pending)}.",
        "They stay unpublished until approved: /question approve all publishes them all, "
        f"/question approve {p.pending[0]} one at a time (or /question dismiss with a reason); "
        "/question pending shows them.",
    )
    return Reply(notice.title, notice.sections, False, followups=(waiting,))


def question_limits(limits: FloodLimits, changed: bool) -> Reply:
    """The channel's question limits, as set or as they stand (moderators)."""
    if limits.limit == 0:
        rule = "no limit on how many questions one member may ask here"
    else:
        rule = (
            f"one member may have at most {limits.limit} questions waiting or open here, and "
            f"ask at most {limits.limit} in any {limits.window_minutes} minutes"
        )
    source = "now" if changed else ("by default" if limits.default else "as set")
    return private(f"Questions: {rule} ({source}).", "Moderators are never held back.")


def help_reply(commands: Iterable[Command]) -> Reply:
    lines = [f"{c.usage} — {c.help}" for c in commands]
    return private("What you can do here:", *lines)
