"""Replies for moderation in the open: merges, consented rewordings and the published figures.

Platform-neutral like ``views``: every adapter renders these ``Reply`` values. What goes to
the channel names no asker who did not choose to be named; what a moderator does to someone's
question is told to that member privately (``private_to``).
"""

from __future__ import annotations

from bot.adapters.render.message import Reply, Section, private, private_to
from bot.adapters.render.views import approved, question_lines
from bot.domain import QuestionView
from bot.services.question_reasons import lapsed_notice
from bot.services.question_stats import UNSPECIFIED
from bot.services.question_values import Figures, MergeOutcome, QuestionStats, RewordOutcome


def _upvotes(n: int) -> str:
    return f"{n} upvote{'s' if n != 1 else ''}"


def merged(m: MergeOutcome) -> Reply:
    """Public: the duplicate is folded into the question it repeats, with the new count.
    The moderator is told how many upvotes moved (sums only: ``MergeOutcome``); the
    duplicate's asker, privately, why."""
    src, dst = m.merged.short_id, m.into.short_id
    notes = [f"{_upvotes(m.moved)} moved to {dst}, which now has {m.into.upvotes}"]
    if m.not_added:
        notes.append(  # one sum: its parts would tell how Q2's (known) asker voted
            f"{m.not_added} more did not add to it (each member counts once, and never on "
            "their own question)"
        )
    told: tuple[Reply, ...] = ()
    if m.asker_user_id is not None:
        told = (
            private_to(
                m.asker_user_id,
                f"Your question {src} was merged into {dst}, which asks the same: "
                f"your question's upvotes joined {dst}'s.",
                f"It was: {m.merged.text}",
                f"{dst} reads: {m.into.text}",
                *((lapsed_notice(src, f"merged into {dst}"),) if m.merged.proposal_lapsed else ()),
            ),
        )
    confirmation = private(f"Merged {src} into {dst}: " + "; ".join(notes) + ".")
    if src.startswith("P"):  # never shown to the channel: members never learn of it
        return Reply(confirmation.title, confirmation.sections, True, followups=told)
    announcement = Reply(
        f"{src} merged into {dst} (a duplicate)",
        (
            Section(
                (*question_lines(m.into, public=True), f"{dst} now has {_upvotes(m.into.upvotes)}.")
            ),
        ),
        private=False,
        followups=(confirmation, *told),
    )
    return announcement


def closed_card(q: QuestionView, merged_into: str | None = None) -> Reply:
    """What a dismissed question's card says once closed, on every platform: a duplicate
    names the question it was merged into (``merged_into``, a short id); any other dismissal
    hides the text (it may have been dismissed as abusive) and says the asker was told."""
    shown = q.short_id
    if merged_into is not None:
        lines = (
            f"{shown}: {q.text}",
            f"It asks what {merged_into} asks; its upvotes joined {merged_into}'s. "
            f"Upvote {merged_into} instead.",
        )
        return Reply(f"Question {shown} merged into {merged_into} (closed)", (Section(lines),),
                     private=False)  # fmt: skip
    closed = "A moderator took this question off the board; its asker has been told why."
    return Reply(f"Question {shown} dismissed (closed)", (Section((closed,)),), private=False)


def reworded(r: RewordOutcome) -> Reply:
    """Each step of a rewording: proposed (asker asked privately), accepted (announced when
    the question is public), declined (the proposer told privately)."""
    q = r.question
    if r.step == "proposed" and r.asker_user_id is None:  # refused by the service; defensive
        return private(f"The asker of {q.short_id} cannot be reached; nothing was proposed.")
    if r.step == "proposed":
        assert r.asker_user_id is not None
        ask = private_to(
            r.asker_user_id,
            f"A moderator proposes rewording your question {q.short_id}.",
            f"Now: {r.old_text}",
            f"Proposed: {r.proposed_text}",
            f"/question accept {q.short_id} to take it, /question decline {q.short_id} to keep "
            "yours. Nothing changes unless you accept.",
        )
        confirmation = private(
            f"Rewording of {q.short_id} proposed to its asker; {q.short_id} is unchanged until "
            "they accept it."
        )
        return Reply(confirmation.title, confirmation.sections, True, followups=(ask,))
    tell = () if r.proposer is None else (_proposer_told(r),)
    if r.step == "declined":
        mine = private(f"You declined the rewording; {q.short_id} stays as you asked it.")
        return Reply(mine.title, mine.sections, True, followups=tell)
    mine = private(f"You accepted the rewording; {q.short_id} now reads: {q.text}")
    if q.status == "pending":  # not public yet: nothing to announce
        return Reply(mine.title, mine.sections, True, followups=tell)
    lines = (
        *question_lines(q, public=True),
        "   (reworded by a moderator, with its asker's consent)",
    )
    return Reply(
        f"Question {q.short_id} reworded", (Section(lines),), False, followups=(mine, *tell)
    )


def _proposer_told(r: RewordOutcome) -> Reply:
    assert r.proposer is not None
    verb = "accepted" if r.step == "accepted" else "declined"
    return private_to(r.proposer, f"The asker of {r.question.short_id} {verb} your rewording.")


def stats(s: QuestionStats) -> Reply:
    """Posted to the channel: the figures overall, per addressee, and equal time."""
    sections = [Section((figures_line(s.overall),))]
    if s.by_addressee:
        lines = tuple(f"{name or 'To everyone'}: {figures_line(f)}" for name, f in s.by_addressee)
        sections.append(Section(lines, "By candidate asked"))
    answered = tuple(
        f"{e.candidate}: {e.answers} answer{'s' if e.answers != 1 else ''}, "
        f"{_upvotes(e.upvotes)} on the questions answered"
        for e in s.equal_time
    )
    if answered:
        sections.append(Section(answered, "Equal time (answers given with --by)"))
    return Reply("Questions in this channel", tuple(sections), private=False)


def figures_line(f: Figures) -> str:
    """``42 received · 30 shown · 18 answered · 12 dismissed (7 duplicate, …) · 4 pending``."""
    why = ", ".join(f"{n} {_reason_word(code)}" for code, n in f.reasons)
    parts = [f"{f.received} received", f"{f.shown} shown"]
    parts += [f"{f.answered} answered", f"{f.dismissed} dismissed" + (f" ({why})" if why else "")]
    parts.append(f"{f.pending} pending")
    return " · ".join(parts)


def _reason_word(code: str) -> str:
    return "no reason code" if code == UNSPECIFIED else code


def card_reply(question: QuestionView, merged_into: str | None = None) -> Reply:
    """What a question's card (Discord and Slack) says for the question's state
    (``merged_into``: the short id it was merged into, for a merged duplicate). A closed
    card drops a dismissed question's text: it may have been dismissed as abusive."""
    q, shown = question, question.short_id
    if q.status == "open":
        return approved(q)
    if q.status == "answered":
        line = question_lines(q, public=True)[0]
        lines = (line, "Answered: the answer is posted in this channel.")
        return Reply(f"Question {shown} (answered)", (Section(lines),), private=False)
    return closed_card(q, merged_into)
