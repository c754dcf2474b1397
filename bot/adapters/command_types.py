"""The building blocks of command declarations: option kinds, ``Option``, ``Command``.

``bot.adapters.commands`` (and ``bot.adapters.question_commands``) declare every command with
these; ``Option.convert`` turns the text a member typed into the option's value (the Slack
and console single-text form, ``bot.adapters.textform``, and Discord's string options both
use it), with the converters below. No command is declared here.
"""

from __future__ import annotations

import re
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
    grouped: int = 0
    """A code typed in groups (``--code 3H2T TGHR Z8EQ 9MS0``): in the single-text form the
    words after its first are part of the value until it holds this many letters and digits
    (a whole code is never longer, so no later word is ever taken; 0: one word, as usual)."""
    missing: str | None = None
    """What to say when this required option is not typed, instead of the bare usage (the
    dismissal reason codes). ``{name}`` places are filled from the options typed, so the
    message can give the exact line: ``/question dismiss {id} off-topic``."""

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
        ``/ask [--to CANDIDATE] [--named] [--] <question…>`` (options before free text), and
        ``/question answer <id> [--by CANDIDATE] [--] <answer…>``."""
        parts = [f"/{self.name}"]
        options = self.options
        if self.free_text:
            leading = tuple(o for o in options if o.positional and not o.free)
            parts += [f"<{o.metavar}>" if o.required else f"[<{o.metavar}>]" for o in leading]
            flags = tuple(o for o in options if not o.positional)
            parts += [f"[{_flag_usage(o)}]" for o in flags]
            if flags:
                parts.append("[--]")
            options = tuple(o for o in self.options if o.free)
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
