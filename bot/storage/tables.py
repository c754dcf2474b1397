"""The schema: typed SQLAlchemy 2 declarative tables.

Invariants live in constraints, not only in code: one ballot per voter key per election
(``uq_ballot_voter``), one upvote per member per question, one stored result per election,
one acceptance per request (``seen_requests``).
Ballots carry a keyed hash of the voter (``voter_key``), never a platform user id, so the
database alone cannot tie a ranking to a member. Timestamps are stored as naive UTC and come
back timezone-aware (``UTCDateTime``), whatever the backend.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class RankingText(TypeDecorator[tuple[str, ...]]):
    """A ranking as canonical JSON text, so equal rankings are equal strings for GROUP BY."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: tuple[str, ...] | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return json.dumps(list(value), ensure_ascii=False, separators=(",", ":"))

    def process_result_value(self, value: str | None, dialect: Dialect) -> tuple[str, ...] | None:
        return None if value is None else tuple(json.loads(value))


BallotId = BigInteger().with_variant(Integer(), "sqlite")
"""64-bit: BIGINT on PostgreSQL; on SQLite ``INTEGER PRIMARY KEY``, the 64-bit rowid itself."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        dict[str, Any] | None: JSON,
        list[str]: JSON,
    }


CLOCK_OPTION = "hustings_clock"
"""The engine execution option holding the app's clock (``database.create_engine(clock=…)``):
a ``() -> datetime`` (UTC) that dates the rows below, as services date what they write."""


def _now(context: Any) -> datetime:
    """The time a row is created or changed (a column default; SQLAlchemy passes the
    statement's execution ``context``): the engine's injected clock (``CLOCK_OPTION``, set by
    ``build_app`` from ``ServiceContext.clock``), so a test on a fake clock gets the same dates
    every run; the wall clock (UTC) for an engine built without one (migrations, the CLIs)."""
    clock = context.execution_options.get(CLOCK_OPTION)
    return clock() if clock is not None else datetime.now(UTC)


class Election(Base):
    """An election in one channel; ``ref`` is its per-channel number members type."""

    __tablename__ = "elections"
    __table_args__ = (
        UniqueConstraint("platform", "workspace", "channel", "ref", name="uq_election_ref"),
        Index("ix_elections_place", "platform", "workspace", "channel", "status"),
        Index("ix_elections_closes_at", "status", "closes_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(64))
    ref: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    candidates: Mapped[list[str]]
    seats: Mapped[int] = mapped_column(Integer, default=1)
    method: Mapped[str] = mapped_column(String(16), default="irv")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    closes_at: Mapped[datetime | None]
    eligible_roles: Mapped[list[str]]
    sections: Mapped[dict[str, Any]]
    """College only: role → section."""
    section_weights: Mapped[dict[str, Any]]
    ron: Mapped[bool] = mapped_column(default=False)
    turnout: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Ballots held; kept in step with the ballots table in the same transaction, so
    showing turnout on every acknowledgement costs one row, not a count of every ballot."""
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=_now)
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    electorate: Mapped[str] = mapped_column(String(8), default="roles", server_default="roles")
    """Who may vote: ``roles`` (anyone, or holders of ``eligible_roles``) or ``roll``
    (members on the roll with a linked account; ``roll_rules`` narrows it)."""
    roll_rules: Mapped[dict[str, Any] | None]
    """``electorate == "roll"`` only: ``branches``, ``sections``, ``statuses`` (lists),
    ``joined_before`` (ISO date); see ``bot.services.roll_rules``."""
    announced_at: Mapped[datetime | None]
    """When the close was announced in the channel. A moderator's close, cancel or count is
    announced by its own reply (set with ``closed_at``); a timed close is committed by the
    scheduler first and marked here only after the announcement was posted, so a restart
    finds and announces a close that was committed but never announced."""
    announcing_until: Mapped[datetime | None]
    """A scheduler's claim on announcing this close, until this time: one process announces
    it, the others skip it; a process that dies mid-post leaves the claim to expire and
    another announces (``ClosingService.claim_announcement``)."""

    aliases: Mapped[list[Alias]] = relationship(
        back_populates="election", lazy="selectin", cascade="all, delete-orphan"
    )


class Alias(Base):
    """A moderator-set nickname for a candidate (``"jc"`` → ``"Corbyn"``)."""

    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("election_id", "alias", name="uq_alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(64))
    candidate: Mapped[str] = mapped_column(String(200))

    election: Mapped[Election] = relationship(back_populates="aliases")


class Ballot(Base):
    """One member's current ranking; ``voter_key`` = HMAC(secret, platform|workspace|user|id)."""

    __tablename__ = "ballots"
    __table_args__ = (
        UniqueConstraint("election_id", "voter_key", name="uq_ballot_voter"),
        UniqueConstraint("election_id", "receipt", name="uq_ballot_receipt"),
        # The count's GROUP BY walks this index in order instead of sorting every ballot.
        Index("ix_ballots_grouping", "election_id", "ranking", "section"),
    )

    id: Mapped[int] = mapped_column(BallotId, primary_key=True)
    """Random (``ballot_rows.new_ballot_id``), so row order says nothing of cast order."""
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"))
    voter_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    ranking: Mapped[tuple[str, ...]] = mapped_column(RankingText())
    section: Mapped[str | None] = mapped_column(String(64))
    receipt: Mapped[str] = mapped_column(String(16))
    cast_at: Mapped[datetime]


class CountResult(Base):
    """The stored result of an election's count, with its rules and the counting version."""

    __tablename__ = "results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    election_id: Mapped[int] = mapped_column(
        ForeignKey("elections.id", ondelete="CASCADE"), unique=True
    )
    rules: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any]]
    ballots: Mapped[int] = mapped_column(Integer)
    counting_version: Mapped[str] = mapped_column(String(64))
    counted_at: Mapped[datetime]
    declared_rounds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """A paced declaration: how many rounds the channel has been shown (a restart resumes
    from here); ``None`` when the whole count was declared at once."""
    pace_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """A paced declaration that advances by itself: seconds between rounds (``--pace``)."""
    next_round_at: Mapped[datetime | None] = mapped_column(nullable=True)
    """When the scheduler declares the next round; ``None`` once fully declared or unpaced."""


class Question(Base):
    """A hustings question in a channel; the asker is stored for moderators (and to hold back
    one member's flood of questions).

    A ``named`` question keeps its asker in the clear (``asker_user_id``, ``asker_name``: the
    name is published anyway). An anonymous one keeps neither: ``asker_key`` (a keyed hash,
    per channel) lets the asker be recognised when they type a command, and ``asker_sealed``
    (their id and name, encrypted under a key derived from the voter-key secret) lets the bot
    tell them privately what happened to it and show moderators who asked
    (``bot.services.question_askers``). Rows asked before revision 0012 keep the raw id.
    """

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("platform", "workspace", "channel", "number", name="uq_question_number"),
        UniqueConstraint(
            "platform", "workspace", "channel", "draft_number", name="uq_question_draft_number"
        ),
        Index("ix_questions_asker", "platform", "workspace", "channel", "asker_user_id"),
        Index("ix_questions_asker_key", "platform", "workspace", "channel", "asker_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(64))
    number: Mapped[int | None] = mapped_column(Integer)
    """Per-channel sequence of published questions; the short id members type is ``Q<number>``.
    Given when the question is first published, so the numbers members see have no gaps where
    a question was held back (``None`` until then)."""
    draft_number: Mapped[int | None] = mapped_column(Integer)
    """Per-channel sequence of questions held for approval: ``P<draft_number>``, the id only
    moderators (and the asker, privately) see while it waits."""
    text: Mapped[str] = mapped_column(Text)
    to_candidate: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    asker_user_id: Mapped[str | None] = mapped_column(String(64))
    """The asker's platform user id, for a ``named`` question only (and rows before 0012)."""
    asker_name: Mapped[str | None] = mapped_column(String(200))
    """The asker's display name, for a ``named`` question only (and rows before 0012)."""
    asker_key: Mapped[str | None] = mapped_column(String(64))
    """Anonymous questions: ``Secrecy.asker_key`` of the asker in this channel (hex)."""
    asker_sealed: Mapped[str | None] = mapped_column(Text)
    """Anonymous questions: the asker's id and name, sealed (``Secrecy.seal``)."""
    named: Mapped[bool] = mapped_column(default=False)
    published: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Ever shown to the channel (posted open, approved, or answered). A question that never
    was stays invisible to members whatever happens to it (a dismissed one included)."""
    upvotes: Mapped[int] = mapped_column(Integer, default=0)
    answer: Mapped[str | None] = mapped_column(Text)
    dismiss_reason: Mapped[str | None] = mapped_column(Text)
    dismiss_code: Mapped[str | None] = mapped_column(String(32))
    """Why it was dismissed, as a code (``bot.services.question_moderation.REASONS``);
    ``dismiss_reason`` holds the words shown. ``None`` for rows dismissed before codes."""
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL")
    )
    """The question this one was merged into (``/question merge``): dismissed as its duplicate."""
    answered_by: Mapped[str | None] = mapped_column(String(200))
    """The candidate who answered (``/question answer --by``), spelled as on the ballot."""
    answered_at: Mapped[datetime | None]
    answer_edited_at: Mapped[datetime | None]
    """When the answer was last replaced by a re-answer; ``None`` if it never was."""
    answer_message: Mapped[str | None] = mapped_column(String(128))
    """Where the answer was posted (the platform's message id: Discord ``channel:message``,
    Slack ``channel:ts``), so a re-answer edits that message instead of posting another."""
    card_message: Mapped[str | None] = mapped_column(String(128))
    """Where the question's card (its announcement, with the upvote button) was posted
    (Discord ``channel:message``, Slack ``channel:ts``), so an upvote, merge, dismissal or
    answer can update that card from any process (``bot.services.question_cards``). ``None``:
    not recorded (the console, or posted before this column)."""
    proposed_text: Mapped[str | None] = mapped_column(Text)
    """A moderator's proposed rewording, waiting for the asker's consent (``text`` unchanged)."""
    proposed_by: Mapped[str | None] = mapped_column(String(64))
    """The platform user id of the moderator who proposed it (told of the asker's decision)."""
    created_at: Mapped[datetime] = mapped_column(default=_now)
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)
    hustings_id: Mapped[int | None] = mapped_column(
        ForeignKey("hustings.id", ondelete="SET NULL"), index=True
    )
    """The hustings open in the channel when it was asked (``bot.services.hustings_events``);
    ``None`` for a question asked while none was."""


class Hustings(Base):
    """A hustings as an event: the questions asked in a channel between ``/hustings start``
    and ``/hustings end`` (``Question.hustings_id``). ``number`` is the per-channel number
    moderators and members type; at most one is open (``ended_at`` NULL) per channel, which
    the partial unique index ``uq_hustings_open`` guards against two concurrent starts."""

    __tablename__ = "hustings"
    __table_args__ = (
        UniqueConstraint("platform", "workspace", "channel", "number", name="uq_hustings_number"),
        Index(
            "uq_hustings_open",
            "platform",
            "workspace",
            "channel",
            unique=True,
            sqlite_where=sql_text("ended_at IS NULL"),
            postgresql_where=sql_text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(64))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(200))
    ballot_election_id: Mapped[int | None] = mapped_column(
        ForeignKey("elections.id", ondelete="SET NULL")
    )
    """The election whose voting opens when the hustings ends (``--ballot``), if any."""
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class Upvote(Base):
    """One member's upvote; ``voter`` is a keyed hash so upvotes are not a member directory."""

    __tablename__ = "upvotes"
    __table_args__ = (UniqueConstraint("question_id", "voter", name="uq_upvote"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    voter: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=_now)


class ChannelSettings(Base):
    """Per-channel options (pre-moderated Q&A, the question flood limits)."""

    __tablename__ = "channel_settings"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    premoderated: Mapped[bool] = mapped_column(default=False)
    question_limit: Mapped[int | None] = mapped_column(Integer)
    """Most questions one member may have waiting or open, and ask per window; ``None`` means
    the default (``bot.services.flood``), 0 no limit."""
    question_window: Mapped[int | None] = mapped_column(Integer)
    """The window for ``question_limit``, in minutes; ``None`` means the default."""
    stats_posted_at: Mapped[datetime | None]
    """When ``/questions stats`` last posted the figures here (``flood.stats_cooldown``)."""
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)


class AuditEntry(Base):
    """What a moderator (or the scheduler) did; moderators are named, members never are."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_place", "platform", "workspace", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(48))
    details: Mapped[dict[str, Any]]
    at: Mapped[datetime] = mapped_column(default=_now)


class KeyCheck(Base):
    """Fingerprints (keyed hashes, ``bot.keys.fingerprint``) of the secrets this database was
    used with, by purpose (``voter_key``): a start under another secret is detected, and
    voting refused, before a member could cast a second ballot under a new voter key."""

    __tablename__ = "key_checks"

    purpose: Mapped[str] = mapped_column(String(32), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=_now)


class SeenRequest(Base):
    """A request already accepted, remembered until it can no longer come back.

    One row per Slack Socket Mode envelope, Events API event or signed HTTP request (see
    ``bot.services.seen``): ``key_hash`` is SHA-256 of ``kind:key`` (never the request
    itself); ``expires_at`` is when a redelivery or replay of it can no longer be accepted,
    after which the row may be purged.
    """

    __tablename__ = "seen_requests"
    __table_args__ = (Index("ix_seen_requests_expires_at", "expires_at"),)

    key_hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    expires_at: Mapped[datetime]


class RollMember(Base):
    """One member on the imported roll: only what eligibility needs (see README, "The roll").

    No name, no email: the roll file's ``name`` and ``email`` are checked and dropped.
    ``member_id`` is kept as the organisation gives it so ``hustings roll codes`` can print
    it beside each code for the organisation's mail merge. ``departed_at`` is set when a
    re-import no longer lists the member (kept, not deleted, so the change is reported and a
    member who returns keeps their links).
    """

    __tablename__ = "roll_members"

    member_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    branch: Mapped[str] = mapped_column(String(100))
    section: Mapped[str] = mapped_column(String(100))
    joined: Mapped[date] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(String(32))
    departed_at: Mapped[datetime | None]
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    """HMAC of the member's current link code (``bot.services.roll_codes``); never the code."""
    code_expires_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)


class RollLink(Base):
    """A chat account linked to a roll member: at most one account per platform per member.

    ``account_key`` is an HMAC of (platform, workspace, user id), never the user id, so the
    database alone is not a directory of who holds which account (``address`` is encrypted
    under a key derived from the secret).
    """

    __tablename__ = "roll_links"
    __table_args__ = (UniqueConstraint("member_id", "platform", name="uq_roll_link_platform"),)

    account_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    member_id: Mapped[str] = mapped_column(ForeignKey("roll_members.member_id"))
    linked_at: Mapped[datetime] = mapped_column(default=_now)
    address: Mapped[str | None] = mapped_column(Text)
    """Where to send this account a private reminder: platform, workspace and user id,
    Fernet-encrypted under a key derived from the voter-key secret (``roll_addresses``);
    readable only to send a DM, never used to look anyone up. ``None`` for links made
    before reminders existed (``/link`` again to be reminded)."""


class LinkAttempt(Base):
    """A wrong ``/link`` code, kept an hour to rate-limit guessing (``account_key`` as above)."""

    __tablename__ = "link_attempts"
    __table_args__ = (Index("ix_link_attempts_account", "account_key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class RollTurnout(Base):
    """Ballots held per branch in a roll election: a counter beside the ballots, never on
    them (a ballot row naming a small branch would point at its few members); shown only
    where it is at least 10 (``bot.services.roll_turnout``)."""

    __tablename__ = "roll_turnout"

    election_id: Mapped[int] = mapped_column(
        ForeignKey("elections.id", ondelete="CASCADE"), primary_key=True
    )
    branch: Mapped[str] = mapped_column(String(100), primary_key=True)
    voters: Mapped[int] = mapped_column(Integer, default=0)


class RollSectionTurnout(Base):
    """Ballots held per roll section in a roll election, as ``RollTurnout`` is per branch
    (``bot.services.roll_turnout``)."""

    __tablename__ = "roll_section_turnout"

    election_id: Mapped[int] = mapped_column(
        ForeignKey("elections.id", ondelete="CASCADE"), primary_key=True
    )
    section: Mapped[str] = mapped_column(String(100), primary_key=True)
    voters: Mapped[int] = mapped_column(Integer, default=0)


class ReminderSent(Base):
    """When ``/election remind`` last sent an election's reminders on a platform: at most
    one a day per platform, so an election shared with a channel on the other platform can
    remind its members there too (``bot.services.reminders``). Nothing about who was
    reminded is kept."""

    __tablename__ = "reminders_sent"

    election_id: Mapped[int] = mapped_column(
        ForeignKey("elections.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    sent_at: Mapped[datetime]


class ElectionShare(Base):
    """A channel on another platform that an election is shared with (``/election share``).

    The election keeps its own channel (``elections.platform/workspace/channel``, where its
    moderators run it); this row makes it visible and votable in one more channel, under the
    same number, with one ballot per roll member and one count. ``shown_status`` and
    ``shown_rounds`` say what this channel has been told so far (the election's status, and
    how many rounds of a paced count), so the process serving its platform posts each copy
    once (``bot.services.share_delivery``); ``posting_until`` is that process's claim on the
    post under way, ``finished_at`` when nothing is left to post here.
    """

    __tablename__ = "election_shares"
    __table_args__ = (
        UniqueConstraint("election_id", name="uq_election_share_election"),
        Index("ix_election_shares_place", "platform", "workspace", "channel"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(32))
    workspace: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(64))
    shared_at: Mapped[datetime]
    shown_status: Mapped[str] = mapped_column(String(16), default="draft")
    shown_rounds: Mapped[int] = mapped_column(Integer, default=0)
    posting_until: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class ShareCode(Base):
    """A one-time code that shares an election with a channel on the other platform: only its
    keyed hash (``Secrecy.labelled("share-code", …)``), with its expiry; one per election
    (issuing again replaces it), deleted when used."""

    __tablename__ = "share_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    election_id: Mapped[int] = mapped_column(
        ForeignKey("elections.id", ondelete="CASCADE"), unique=True
    )
    platform: Mapped[str] = mapped_column(String(32))
    """The platform of the moderator's account that asked for it (the other side must differ)."""
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
