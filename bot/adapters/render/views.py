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

from bot.adapters.commands import Command
from bot.adapters.render.message import Attachment, Reply, Section, private, private_to, public
from bot.domain import BallotReceipt, BallotView, ElectionView, QuestionView, UpvoteOutcome


def numbered(ranking: Sequence[str]) -> str:
    """``1. Kendall 2. Burnham``."""
    return " ".join(f"{i}. {name}" for i, name in enumerate(ranking, start=1))


def when(moment: datetime | None) -> str:
    return "no closing time" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def receipt(r: BallotReceipt) -> Reply:
    verb = "replaces your earlier one" if r.replaced else "is recorded"
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
    if e.aliases:
        lines.append("Aliases: " + ", ".join(f"{a} = {c}" for a, c in e.aliases.items()))
    if e.sections:
        lines.append(college_line(e))
    if e.winners is not None:
        lines.append(f"Elected: {', '.join(e.winners)}" if e.winners else "Nobody was elected.")
    return Reply(f"Election {e.ref}: {e.title}", (Section(tuple(lines)),))


def college_line(e: ElectionView) -> str:
    """``Sections: MPs (weight 1; role mp), Members (weight 2; roles member, cllr)``."""
    shown = []
    for section, weight in e.section_weights.items():
        roles = [role for role, name in e.sections.items() if name == section]
        label = "role" if len(roles) == 1 else "roles"
        shown.append(f"{section} (weight {weight}; {label} {', '.join(roles)})")
    return "Sections: " + ", ".join(shown)


def election_changed(e: ElectionView, what: str) -> Reply:
    """A moderator's own confirmation of create / edit / alias (private)."""
    return private(
        f"Election {e.ref} {what}: {e.title} ({e.status})",
        f"Candidates: {', '.join(e.candidates)}",
    )


def election_announcement(e: ElectionView) -> Reply:
    """Public notice of opening, closing or cancelling."""
    if e.status == "open":
        return public(
            f"Voting is open: {e.title} (election {e.ref})",
            f"Candidates: {', '.join(e.candidates)}",
            f"Rank them with /rank, most preferred first. Closes: {when(e.closes_at)}.",
        )
    if e.status == "cancelled":
        return public(f"Election {e.ref} cancelled: {e.title}. Its ballots will not be counted.")
    return public(f"Voting has closed: {e.title}. Ballots cast: {e.turnout}.")


def election_list(elections: Sequence[ElectionView]) -> Reply:
    if not elections:
        return private("There are no elections in this channel.")
    lines = [f"{e.ref}. {e.title} — {e.status}, {e.turnout} cast" for e in elections]
    return private("Elections in this channel:", *lines)


def export(ref: str, fmt: str, content: str) -> Reply:
    name = f"election-{ref}.{fmt}"
    title = f"Anonymised ballots ({fmt.upper()}): {name}"
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
        lines = [f"{q.short_id}{to} — {votes}, asked by {asker}: {q.text}"]
    if q.answer:
        lines.append(f"   Answer: {q.answer}")
    if q.dismiss_reason:
        lines.append(f"   Dismissed: {q.dismiss_reason}")
    return tuple(lines)


def asked(q: QuestionView) -> Reply:
    if q.status == "pending":
        return private(f"Your question {q.short_id} is waiting for a moderator's approval.")
    return approved(q)


def approved(q: QuestionView) -> Reply:
    lines = (*question_lines(q, public=True), f"Upvote it with /upvote {q.short_id}.")
    return Reply(f"New question {q.short_id}", (Section(lines),), private=False)


def answered(q: QuestionView) -> Reply:
    lines = question_lines(q, public=True)
    return Reply(f"Question {q.short_id} answered", (Section(lines),), private=False)


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
    told = private_to(
        q.asker_user_id,
        f"Your question {q.short_id} was dismissed by a moderator: {reason}",
        f"It was: {q.text}",
    )
    confirmation = private(
        f"Question {q.short_id} dismissed. {asker} is told privately why: {reason}"
    )
    return Reply(confirmation.title, confirmation.sections, True, followups=(told,))


def upvoted(outcome: UpvoteOutcome) -> Reply:
    q = outcome.question
    done = "You upvoted" if outcome.upvoted else "You took back your upvote on"
    return private(
        f"{done} {q.short_id}; it has {q.upvotes} upvote{'s' if q.upvotes != 1 else ''}."
    )


def question_list(questions: Sequence[QuestionView], title: str) -> Reply:
    if not questions:
        return private(f"{title}: none.")
    return Reply(title, tuple(Section(question_lines(q)) for q in questions))


def premoderation(on: bool) -> Reply:
    if on:
        return public("New questions in this channel now wait for a moderator's approval.")
    return public("New questions in this channel are now published at once.")


def help_reply(commands: Iterable[Command]) -> Reply:
    lines = [f"{c.usage} — {c.help}" for c in commands]
    return private("What you can do here:", *lines)
