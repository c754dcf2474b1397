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

from collections.abc import Iterator

from bot.adapters.command_types import (
    CLEAR,
    Command,
    Kind,
    Option,
    Permission,
    Value,
)
from bot.adapters.question_commands import MODERATION_COMMANDS
from bot.adapters.share_commands import SHARE_COMMANDS
from bot.services.question_reasons import REQUIRED as REASON_REQUIRED

__all__ = [
    "BY_NAME",
    "CLEAR",
    "COMMANDS",
    "GROUPS",
    "Command",
    "Kind",
    "Option",
    "Permission",
    "Value",
    "allowed",
    "subcommands",
    "visible_to",
]


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
    Option(
        "sections",
        Kind.TEXT,
        "College only: role=section pairs (roll electorate: roll section=section), comma-separated",
        pairs=True,
    ),
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
ROLL_COMMANDS = (  # handlers: bot.adapters.roll_handlers
    Command(
        ("link",),
        "Link this account to your membership with your code (alone: show your link)",
        options=(Option("code", Kind.TEXT, "The code you were sent", positional=True, rest=True),),
    ),
    Command(("unlink",), "Unlink this account from your membership"),
    Command(("roll",), "How many members are on the roll and linked", Permission.MODERATOR),
    Command(
        ("election", "remind"),
        "Privately remind linked members of the roll who have not voted (once a day)",
        Permission.MODERATOR,
        (_election(positional=True, optional=True),),
    ),
)
_ELECTORATE = (  # roll only: bot.services.roll_rules
    Option("electorate", Kind.CHOICE, "Who may vote (default roles)", choices=("roles", "roll")),
    Option("branch", Kind.TEXT, "Roll only: members of these branches", many=True),
    Option("section", Kind.TEXT, "Roll only: members of these sections", many=True),
    Option("joined-before", Kind.TEXT, "Roll only: who joined before this date, YYYY-MM-DD"),
    Option("status", Kind.TEXT, "Roll only: members with one of these statuses", many=True),
)
_ELECTORATE_EDIT = (  # bot.services.roll_rules_edit: none removes a rule
    _ELECTORATE[0],
    *(
        Option(o.name, o.kind, o.help + "; none: no such rule", many=o.many, clearable=True)
        for o in _ELECTORATE[1:]
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
            *_ELECTORATE,
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
            *_ELECTORATE_EDIT,
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
    *SHARE_COMMANDS,
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
                "list (default); export: the minutes (members: once the hustings has ended); stats",
                positional=True,
                choices=("list", "export", "stats"),
            ),
            Option("order", Kind.CHOICE, "top (most upvoted) or new", choices=("top", "new")),
            Option(
                "status",
                Kind.CHOICE,
                "Which (default open; all: all you may see; pending/dismissed: yours, or all for "
                "moderators)",
                choices=("open", "answered", "pending", "dismissed", "all"),
            ),
            Option("to", Kind.CANDIDATE, "Only questions to this candidate (all: to everyone)"),
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
            Option("by", Kind.CANDIDATE, "The candidate who gave the answer"),
            Option(
                "override",
                Kind.BOOL,
                "With --by: a candidate answers a question put to another (the chair allowed it)",
            ),
        ),
    ),
    Command(
        ("question", "dismiss"),
        "Dismiss a question with a reason code; the asker sees the reason",
        Permission.MODERATOR,
        (
            _question_id(),
            Option(
                "reason",
                Kind.TEXT,
                "duplicate, off-topic, abusive, answered-elsewhere, or other and why",
                required=True,
                positional=True,
                rest=True,
                free=True,
                missing=f"{REASON_REQUIRED}. For example: /question dismiss {{id}} off-topic",
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
    *MODERATION_COMMANDS,
    Command(("help",), "Show the commands you may use"),
    *ROLL_COMMANDS,
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
