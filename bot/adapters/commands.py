"""Every command the bot understands, declared once, as data.

The fake console, the Slack slash-command parser and the Discord app-command tree are all
generated from ``COMMANDS``; none of them lists a command or an option of its own. Keeping the
declarations platform-neutral (and inside Discord's limits: lowercase names of at most 32
characters, descriptions of at most 100, at most 25 options and 25 choices, required options
first) means a new command is one entry here plus one branch in ``dispatch``.

``Option.convert`` turns the text a member typed into the option's value; the Slack and console
single-text form (``bot.adapters.textform``) and Discord's string options both use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bot.errors import InvalidInput

Value = str | int | bool | datetime | tuple[str, ...]
"""What a parsed option holds: ``tuple[str, ...]`` only for options declared ``many``."""


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    CHOICE = "choice"
    CANDIDATE = "candidate"
    DATETIME = "datetime"
    BOOL = "bool"


class Permission(StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"


CLEAR = "none"
"""The value of a ``clearable`` option typed as ``none`` (or ``never``): remove the setting."""
_CLEAR_WORDS = frozenset({"none", "never"})
_TRUE = frozenset({"yes", "y", "true", "on", "1"})
_FALSE = frozenset({"no", "n", "false", "off", "0"})
_LIST_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|(\S+)')


@dataclass(frozen=True)
class Option:
    """One argument of a command.

    ``positional`` options are typed without a flag in the single-text form, in declaration
    order; ``rest`` marks the last positional, which takes all remaining words (a ranking, a
    question, a candidate list). Other options are ``--flags``. ``many`` options hold a list,
    typed comma-separated (or as separate words when nobody's name has a space in it).
    ``clearable`` options also take ``none`` (or ``never``), converted to ``CLEAR``: on an
    edit that removes the setting, where leaving the option out keeps it.
    """

    name: str
    kind: Kind
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()
    positional: bool = False
    rest: bool = False
    many: bool = False
    clearable: bool = False
    pairs: bool = False
    """Text that is a comma-separated list of ``key=value`` pairs (kept as one string)."""
    free: bool = False
    """Free text (a question, an answer, a reason): the last positional, taken exactly as
    typed. In the single-text form its command's options come before it (``--`` ends them
    explicitly) and nothing inside it is an option or a quote (``bot.adapters.textform``)."""

    @property
    def is_list(self) -> bool:
        """Typed comma-separated: in the single-text form a trailing comma continues it."""
        return self.many or self.pairs

    @property
    def metavar(self) -> str:
        if self.kind is Kind.CHOICE:
            return "|".join(self.choices)
        return self.name + ("…" if self.many or self.free else "")

    def convert(self, raw: str) -> Value:
        """The value of ``raw`` for this option, or ``InvalidInput`` naming what was typed:
        the ``--flag`` for a flag, only the value for a positional (whose name the member
        never typed: ``/premoderate maybe`` → ``Use on or off, not "maybe".``)."""
        text = raw.strip()
        flag = None if self.positional else f"--{self.name}"
        if self.clearable and text.casefold() in _CLEAR_WORDS:
            return CLEAR
        if self.many:
            return _split_list(text)
        if self.kind is Kind.INT:
            return _to_int(flag, text)
        if self.kind is Kind.BOOL:
            return _to_bool(flag, text)
        if self.kind is Kind.DATETIME:
            return _to_datetime(flag, text)
        if self.kind is Kind.CHOICE:
            return _to_choice(flag, text, self.choices)
        if not text:
            raise InvalidInput(f"{flag or 'The ' + self.name} needs a value; it is empty.")
        return text


@dataclass(frozen=True)
class Command:
    """A command: its path (``("election", "create")``), who may run it, help and options."""

    path: tuple[str, ...]
    help: str
    permission: Permission = Permission.MEMBER
    options: tuple[Option, ...] = ()

    @property
    def name(self) -> str:
        return " ".join(self.path)

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)

    @property
    def free_text(self) -> bool:
        """The command ends in free text: options must come before it."""
        return any(o.free for o in self.options)

    @property
    def usage(self) -> str:
        """``/election create <title> <candidates…> [--seats int] …`` for help and errors;
        ``/ask [--to CANDIDATE] [--named] [--] <question…>`` (options first) for free text."""
        parts = [f"/{self.name}"]
        options = self.options
        if self.free_text:
            options = tuple(o for o in options if not o.positional)
            parts += [f"[{_flag_usage(o)}]" for o in options]
            if options:
                parts.append("[--]")
            options = tuple(o for o in self.options if o.positional)
        for opt in options:
            shown = f"<{opt.metavar}>" if opt.positional else _flag_usage(opt)
            parts.append(shown if opt.required else f"[{shown}]")
        return " ".join(parts)


_FLAG_METAVARS = {Kind.INT: "N", Kind.DATETIME: "WHEN", Kind.CANDIDATE: "CANDIDATE"}


def _flag_usage(opt: Option) -> str:
    if opt.kind is Kind.BOOL:
        return f"--{opt.name}"
    if opt.kind is Kind.CHOICE:
        return f"--{opt.name} {opt.metavar}"
    shown = _FLAG_METAVARS.get(opt.kind, opt.name.upper())
    return f"--{opt.name} {shown}{',…' if opt.many else ''}"


def _election(positional: bool = False, *, optional: bool = False) -> Option:
    """Which election: a ``--election`` flag for members (left out when one is open), a
    positional for moderators; ``optional`` positionals may be left out when only one
    election in the channel fits the command (the service picks it or lists the choices)."""
    return Option(
        "election",
        Kind.TEXT,
        "Which election: its number or the start of its title"
        + (" (if several could be meant)" if optional or not positional else ""),
        required=positional and not optional,
        positional=positional,
    )


def _question_id() -> Option:
    return Option("id", Kind.TEXT, "The question's short id", required=True, positional=True)


def _page() -> Option:
    return Option("page", Kind.INT, "Which page of the list (10 to a page; default 1)")


_METHODS = ("irv", "stv", "college")
_SETUP = (
    Option("seats", Kind.INT, "How many are elected (default 1)"),
    Option("method", Kind.CHOICE, "How the count is run (default irv)", choices=_METHODS),
    Option(
        "closes",
        Kind.DATETIME,
        "When voting closes: 2026-12-01T18:00Z (UTC) or +2h from now; none for no closing time",
        clearable=True,
    ),
    Option("roles", Kind.TEXT, "Only members with one of these roles may vote", many=True),
    Option("ron", Kind.BOOL, "Add RON (re-open nominations) as a candidate"),
)
_CREATE_ONLY = (
    Option("sections", Kind.TEXT, "College only: role=section pairs, comma-separated", pairs=True),
    Option("weights", Kind.TEXT, "College only: section=weight pairs, comma-separated", pairs=True),
)
_ELECTION_SIMPLE = {
    "open": "Open an election for voting",
    "close": "Close voting now (the count is separate)",
    "cancel": "Cancel an election; its ballots are never counted",
    "count": "Count an election (closing it first) and announce the result round by round",
    "status": "Show an election: candidates, status, turnout",
}

_BALLOT = Option(
    "ballot",
    Kind.TEXT,
    "A draft election whose voting opens when the hustings ends; none: open no ballot",
    clearable=True,
)
HUSTINGS_COMMANDS = (
    Command(
        ("hustings", "start"),
        "Start a hustings here: questions asked until /hustings end belong to it",
        Permission.MODERATOR,
        (
            Option("title", Kind.TEXT, "Its title (optional)", positional=True, rest=True),
            _BALLOT,
        ),
    ),
    Command(
        ("hustings", "end"),
        "End the hustings here, publishing its minutes (and opening its ballot, if any)",
        Permission.MODERATOR,
        (_BALLOT,),
    ),
)

COMMANDS: tuple[Command, ...] = (
    Command(
        ("rank",),
        "Cast or replace your secret ranked ballot, most preferred first",
        options=(
            Option(
                "ranking",
                Kind.TEXT,
                "Candidates in order of preference, e.g. Kendall Burnham Cooper",
                required=True,
                positional=True,
                rest=True,
            ),
            _election(),
        ),
    ),
    Command(
        ("ballot",),
        "Show your own ballot and its receipt code (only to you)",
        options=(_election(),),
    ),
    Command(("withdraw",), "Withdraw your ballot while voting is open", options=(_election(),)),
    Command(
        ("election", "create"),
        "Create a draft election",
        Permission.MODERATOR,
        (
            Option(
                "title",
                Kind.TEXT,
                "Title, in quotes if it has spaces",
                required=True,
                positional=True,
            ),
            Option(
                "candidates",
                Kind.TEXT,
                "Candidate names, comma-separated",
                required=True,
                positional=True,
                rest=True,
                many=True,
            ),
            *_SETUP,
            *_CREATE_ONLY,
        ),
    ),
    Command(
        ("election", "edit"),
        "Change a draft election",
        Permission.MODERATOR,
        (
            _election(positional=True),
            Option("title", Kind.TEXT, "New title"),
            Option("candidates", Kind.TEXT, "New candidate names, comma-separated", many=True),
            *_SETUP,
            *_CREATE_ONLY,
        ),
    ),
    Command(
        ("election", "alias"),
        "Let members type a nickname for a candidate",
        Permission.MODERATOR,
        (
            _election(positional=True),
            Option("alias", Kind.TEXT, "The nickname", required=True, positional=True),
            Option(
                "candidate",
                Kind.CANDIDATE,
                "The candidate it stands for",
                required=True,
                positional=True,
                rest=True,
            ),
        ),
    ),
    *(
        Command(
            ("election", sub),
            text,
            Permission.MODERATOR,
            (_election(positional=True, optional=True),),
        )
        for sub, text in _ELECTION_SIMPLE.items()
        if sub not in ("status", "count")
    ),
    Command(
        ("election", "count"),
        _ELECTION_SIMPLE["count"],
        Permission.MODERATOR,
        (
            _election(positional=True, optional=True),
            Option("paced", Kind.BOOL, "Declare round 1 now; each next round on /election next"),
            Option("pace", Kind.TEXT, "Paced, each next round by itself after this long: 20s, 1m"),
        ),
    ),
    Command(
        ("election", "next"),
        "Declare the next round of a paced count",
        Permission.MODERATOR,
        (_election(positional=True, optional=True),),
    ),
    Command(
        ("election", "status"),
        _ELECTION_SIMPLE["status"],
        options=(_election(positional=True, optional=True),),
    ),
    Command(("election", "list"), "List the elections in this channel", options=(_page(),)),
    Command(
        ("election", "export"),
        "Export the anonymised ballots of a closed election",
        Permission.MODERATOR,
        (
            _election(positional=True, optional=True),
            Option(
                "format",
                Kind.CHOICE,
                "File format (default blt; html, summary, csv once counted)",
                choices=("blt", "json", "html", "summary", "csv"),
            ),
        ),
    ),
    Command(
        ("ask",),
        "Ask a hustings question",
        options=(
            Option(
                "question",
                Kind.TEXT,
                "Your question, exactly as it should appear",
                required=True,
                positional=True,
                rest=True,
                free=True,
            ),
            Option("to", Kind.CANDIDATE, "Address the question to one candidate"),
            Option("named", Kind.BOOL, "Show your name to members (default: anonymous)"),
        ),
    ),
    Command(
        ("upvote",),
        "Upvote a question (not your own), or take your upvote back with --undo",
        options=(_question_id(), Option("undo", Kind.BOOL, "Take your upvote back")),
    ),
    Command(
        ("questions",),
        "List questions, or export a hustings' minutes (Markdown and CSV files)",
        options=(
            Option(
                "action",
                Kind.CHOICE,
                "list (default), or export: the minutes (members: once the hustings has ended)",
                positional=True,
                choices=("list", "export"),
            ),
            Option("order", Kind.CHOICE, "top (most upvoted) or new", choices=("top", "new")),
            Option(
                "status",
                Kind.CHOICE,
                "Which (default open; all: all you may see; pending/dismissed: yours, or all for "
                "moderators)",
                choices=("open", "answered", "pending", "dismissed", "all"),
            ),
            _page(),
            Option("hustings", Kind.INT, "export only: which hustings (default the latest)"),
        ),
    ),
    Command(
        ("question", "answer"),
        "Answer a question; the answer is posted with it",
        Permission.MODERATOR,
        (
            _question_id(),
            Option(
                "answer",
                Kind.TEXT,
                "The answer",
                required=True,
                positional=True,
                rest=True,
                free=True,
            ),
        ),
    ),
    Command(
        ("question", "dismiss"),
        "Dismiss a question; the asker sees the reason",
        Permission.MODERATOR,
        (
            _question_id(),
            Option(
                "reason",
                Kind.TEXT,
                "Why, for the asker",
                required=True,
                positional=True,
                rest=True,
                free=True,
            ),
        ),
    ),
    Command(
        ("question", "approve"),
        "Publish a question waiting for approval (or all of them)",
        Permission.MODERATOR,
        (
            Option(
                "id",
                Kind.TEXT,
                "The waiting question's id (e.g. P3), or all",
                required=True,
                positional=True,
            ),
        ),
    ),
    Command(
        ("question", "pending"),
        "List questions waiting for approval",
        Permission.MODERATOR,
        (_page(),),
    ),
    Command(
        ("question", "limits"),
        "Show or set how many questions one member may ask here (3 per 10 minutes by default)",
        Permission.MODERATOR,
        (
            Option("open", Kind.INT, "Most questions per member open at once (0: no limit)"),
            Option("window", Kind.INT, "Minutes in which one member may ask that many"),
        ),
    ),
    Command(
        ("premoderate",),
        "Hold new questions in this channel for approval (on) or publish at once (off)",
        Permission.MODERATOR,
        (
            Option(
                "mode",
                Kind.CHOICE,
                "on or off",
                required=True,
                positional=True,
                choices=("on", "off"),
            ),
        ),
    ),
    *HUSTINGS_COMMANDS,
    Command(("help",), "Show the commands you may use"),
)

GROUPS: dict[str, str] = {
    "election": "Create, run and count elections",
    "question": "Moderate hustings questions",
    "hustings": "Hold a hustings as an event: its questions, minutes and ballot",
}
"""Help for commands that only group sub-commands (Discord needs a description for them)."""

BY_NAME: dict[str, Command] = {c.name: c for c in COMMANDS}


def allowed(command: Command, is_moderator: bool) -> bool:
    return command.permission is Permission.MEMBER or is_moderator


def visible_to(is_moderator: bool) -> Iterator[Command]:
    """The commands a caller may run, in declaration order (what ``/help`` shows)."""
    return (c for c in COMMANDS if allowed(c, is_moderator))


def subcommands(group: str) -> tuple[Command, ...]:
    return tuple(c for c in COMMANDS if len(c.path) == 2 and c.path[0] == group)


def _split_list(text: str) -> tuple[str, ...]:
    """``Kendall, Burnham`` or ``"Liz Kendall" "Andy Burnham"`` or ``Kendall Burnham``."""
    if "," in text:
        items = [item.strip().strip('"“”').strip() for item in _outside_quotes(text, ",")]
    else:
        items = [next(g for g in m.groups() if g is not None) for m in _LIST_QUOTED.finditer(text)]
    return tuple(i for i in (" ".join(item.split()) for item in items) if i)


def _outside_quotes(text: str, separator: str) -> list[str]:
    """``text`` split at each ``separator`` that is not inside ``"…"`` or ``“…”``: a quoted
    ``"A, B"`` stays one item (and is then refused as a name holding a comma, never read as
    the two candidates A and B)."""
    items: list[str] = []
    current: list[str] = []
    closing = ""
    for ch in text:
        if closing:
            closing = "" if ch == closing else closing
        elif ch in '"“':
            closing = '"' if ch == '"' else "”"
        elif ch == separator:
            items.append("".join(current))
            current = []
            continue
        current.append(ch)
    items.append("".join(current))
    return items


def _wrong(flag: str | None, wanted: str, text: str) -> InvalidInput:
    """``--seats must be a whole number, not "two".`` or, for a positional, ``Use on or off,
    not "maybe".``"""
    if flag is None:
        return InvalidInput(f'Use {wanted}, not "{text}".')
    return InvalidInput(f'{flag} must be {wanted}, not "{text}".')


def _to_int(flag: str | None, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise _wrong(flag, "a whole number", text) from None


def _to_bool(flag: str | None, text: str) -> bool:
    word = text.casefold()
    if not word or word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _wrong(flag, "yes or no", text)


def _to_choice(flag: str | None, text: str, choices: tuple[str, ...]) -> str:
    word = text.casefold()
    if word in choices:
        return word
    if len(choices) == 2:
        raise _wrong(flag, " or ".join(choices), text)
    raise _wrong(flag, f"one of {', '.join(choices)}", text)


_RELATIVE = re.compile(r"\+(\d{1,6})\s*([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _to_datetime(flag: str | None, text: str) -> datetime:
    """ISO 8601 (``2026-12-01T18:00Z``, ``2026-12-01 18:00``); no zone given means UTC.

    Or a time from now on the server's clock: ``+90s``, ``+30m``, ``+2h``, ``+1d``.
    """
    relative = _RELATIVE.fullmatch(text.strip().casefold())
    if relative is not None:
        seconds = int(relative[1]) * _UNIT_SECONDS[relative[2]]
        return datetime.now(UTC) + timedelta(seconds=seconds)
    cleaned = text.replace(" ", "T", 1)
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        when = datetime.fromisoformat(cleaned)
    except ValueError:
        raise _wrong(flag, "a date and time like 2026-12-01T18:00Z or +2h", text) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)
