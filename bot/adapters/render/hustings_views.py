"""Neutral replies for hustings events and their minutes (``/hustings``, ``/questions export``).

``ended`` is a public announcement followed, when the hustings opened a ballot, by that
election's own opening announcement and the candidates' answers summary, which adapters
pin (``Reply.pin``) beside it. The summary shortens long questions and answers (with "…");
the minutes carry them whole.
"""

from __future__ import annotations

from bot.adapters.render import views
from bot.adapters.render.message import Attachment, Reply, Section, public
from bot.services.hustings_values import AnswersSummary, HustingsEnded, HustingsView, Minutes
from bot.services.minutes_files import filenames, state_counts, to_csv, to_markdown

SHORT_QUESTION = 120
SHORT_ANSWER = 200
EXPORT = "/questions export"


def started(h: HustingsView) -> Reply:
    lines = [
        "Questions asked here from now on (/ask) belong to it until a moderator ends it "
        "(/hustings end); its minutes are published to everyone then."
    ]
    if h.ballot_ref is not None:
        lines.append(f"When it ends, voting opens: {h.ballot_title} (election {h.ballot_ref}).")
        names = ", ".join(h.ballot_candidates)
        lines.append(f"Candidates: {names}. Ask one of them with /ask --to NAME.")
    return public(f"{h.name} has started", *lines)


def ended(outcome: HustingsEnded) -> Reply:
    h = outcome.hustings
    asked = f"{h.questions} question{'' if h.questions == 1 else 's'} asked"
    followups: list[Reply] = []
    if outcome.opened is not None:
        followups.append(views.election_announcement(outcome.opened))
    if outcome.summary is not None:
        followups.append(answers(h, outcome.summary))
    announcement = public(
        f"{h.name} has ended",
        f"{asked}. Its minutes (Markdown and CSV) are open to everyone: {EXPORT}"
        + (f" --hustings {h.number}" if h.number > 1 else "")
        + ".",
    )
    return Reply(
        announcement.title, announcement.sections, private=False, followups=tuple(followups)
    )


def answers(h: HustingsView, summary: AnswersSummary) -> Reply:
    """The candidates' answers, one section per candidate (pinned beside the ballot)."""
    sections = [
        Section(
            tuple(_answer_line(*a) for a in c.answered) or ("No answers.",),
            f"{c.candidate}: {len(c.answered)} answered",
        )
        for c in summary.candidates
    ]
    if summary.panel:
        lines = tuple(_answer_line(*a) for a in summary.panel)
        sections.append(Section(lines, f"To the whole panel: {len(summary.panel)} answered"))
    sections.append(Section((f"Every question and answer in full: {EXPORT}.",)))
    return Reply(f"Candidates' answers at {h.name}", tuple(sections), private=False, pin=True)


def _answer_line(short_id: str, question: str, answer: str, upvotes: int) -> str:
    votes = f"{upvotes} upvote{'' if upvotes == 1 else 's'}"
    asked, said = _short(question, SHORT_QUESTION), _short(answer, SHORT_ANSWER)
    return f"{short_id} ({votes}): {asked} → {said}"


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def minutes(m: Minutes) -> Reply:
    """The minutes as two files for the caller: a Markdown transcript and a CSV."""
    md_name, csv_name = filenames(m)
    name = "all questions in this channel" if m.hustings is None else m.hustings.name
    lines = [state_counts(m.entries) + "."]
    if m.hustings is not None and m.hustings.ended_at is None:
        lines.append("The hustings is still going on: members can read these once it ends.")
    if not m.full:
        lines.append("Dismissed questions are listed with their reason; their text is not.")
    return Reply(
        f"Minutes of {name}",
        (Section(tuple(lines)),),
        private=True,
        attachments=(Attachment(md_name, to_markdown(m)), Attachment(csv_name, to_csv(m))),
    )
