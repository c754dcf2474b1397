"""The single-text form of a command, as Slack and the fake console receive it.

Slack passes everything after ``/election`` as one string; the console reads whole lines. Both
become an ``Invocation`` here, driven only by the declarations in ``commands``:

    /election create "Labour leader 2015" Kendall, Burnham, Cooper, Corbyn --seats 1
    /ask --to Corbyn --named Will you renationalise rail?

Two grammars, chosen by the command's declaration:

- **Free text** (a command whose last positional is ``free``: ``/ask``, ``/question answer``,
  ``/question dismiss``). Options come first; a word ``--`` ends them explicitly; then any
  other positionals (a question id), one word each, after which options may come again
  (``/question answer Q1 --by Corbyn …``) unless ``--`` ended them; then everything left is
  the text, exactly as typed. Nothing inside the text is ever read as an option or a quote:
  ``/ask Will those --named resign?`` asks exactly that, anonymously, and ``/ask What does
  "hard Brexit mean?`` keeps its lone quote. A ``--word`` where options are read that the
  command does not have is refused rather than guessed at (``/ask -- --word …`` asks a
  question starting with it), and a yes/no flag does not swallow the next word (``--named no
  more wars?`` would otherwise lose "no"); it takes a value only as ``--named=no``.
- **Everything else** (names and settings). Words are split like a shell line (double or
  curly quotes group words, because names are listed); ``--name value`` and ``--name=value``
  set flag options anywhere in the line, until a word ``--`` (a list value ending in a comma
  goes on to the next word: ``--roles members, union``); the remaining words fill the
  positional options in order, the last (``rest``) one taking all that is left in its
  original form, so the ranking parser still sees the member's quotes and commas.

In both, a word like ``—name`` or ``——name`` (a phone's dashes) naming one of the command's
options, where options are read, is refused with a hint naming ``--name``: it is the option
or a word of text, two readings, so it is neither taken as text nor converted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.adapters.commands import BY_NAME, GROUPS, Command, Kind, Option, Value, subcommands
from bot.errors import InvalidInput

_TOKEN = re.compile(r'(?:"[^"]*"|“[^”]*”|[^\s"“”])+')
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”')
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)
"""A time typed as its own word after a date: ``--closes 2026-12-01 18:00``."""
_BOOL_WORDS = frozenset({"yes", "no", "on", "off", "true", "false"})
_STRAY_QUOTE = re.compile('["“”]')
_FLAG = re.compile(r"--([a-z][a-z0-9-]*)(?:=(.*))?$", re.DOTALL)
_END_OF_OPTIONS = "--"
_PHONE_FLAG = re.compile(
    r"(?:[—–‒―−][—–‒―−-]?|-[—–‒―−])([a-z][a-z0-9-]*)(?:=.*)?$", re.DOTALL | re.IGNORECASE
)
"""``—named``, ``——named``, ``–-named``: a phone's smart punctuation turns ``--`` (or each
of its hyphens) into an em or en dash."""
_NEXT_TOKEN = re.compile(r'\s*((?:"[^"]*"|“[^”]*”|[^\s"“”])+)')
"""The next word at a position, quotes grouping; no match at a stray quote or the end."""


@dataclass(frozen=True)
class Invocation:
    """A command with its options converted to values; absent options are simply missing."""

    command: Command
    options: Mapping[str, Value]


def parse_line(line: str) -> Invocation:
    """Parse ``/command [sub] args…`` (the leading slash is optional)."""
    words = line.strip().removeprefix("/").split(maxsplit=1)
    if not words:
        raise InvalidInput("Type a command, e.g. /help.")
    head, rest = words[0].casefold(), (words[1] if len(words) > 1 else "")
    if head in GROUPS:
        return _parse_group(head, rest)
    command = BY_NAME.get(head)
    if command is None:
        raise InvalidInput(f'There is no command "/{head}". Type /help to see what you can do.')
    return parse_arguments(command, rest)


def _parse_group(group: str, text: str) -> Invocation:
    words = text.split(maxsplit=1)
    names = ", ".join(c.path[1] for c in subcommands(group))
    if not words:
        raise InvalidInput(f"/{group} needs a sub-command: {names}.")
    command = BY_NAME.get(f"{group} {words[0].casefold()}")
    if command is None:
        raise InvalidInput(f'/{group} has no sub-command "{words[0]}"; try one of: {names}.')
    return parse_arguments(command, words[1] if len(words) > 1 else "")


def parse_arguments(command: Command, text: str) -> Invocation:
    """Parse the argument text of ``command`` into converted option values."""
    free = next((o for o in command.options if o.free), None)
    values = _parse_free(command, free, text) if free else _parse_words(command, text)
    missing = [o for o in command.options if o.required and o.name not in values]
    if len(missing) == 1 and missing[0].missing is not None:
        typed = {name: str(value) for name, value in values.items()}
        raise InvalidInput(missing[0].missing.format_map(_Typed(typed)))
    if missing:
        names = ", ".join(o.name for o in missing)
        raise InvalidInput(f"Missing {names}. Usage: {command.usage}")
    return Invocation(command, values)


class _Typed(dict[str, str]):
    """Options typed, for ``Option.missing``; a place not typed stays a ``<name>`` slot."""

    def __missing__(self, key: str) -> str:
        return f"<{key}>"


def _parse_free(command: Command, free: Option, text: str) -> dict[str, Value]:
    """Options first (until ``--`` or the first other word), then positionals, then options
    again (``/question answer Q1 --by Corbyn …``) unless ``--`` ended them, then the text."""
    values: dict[str, Value] = {}
    position, ended = _read_flags(command, text, 0, values, after_positionals=False)
    for option in (o for o in command.options if o.positional and o is not free):
        word = _NEXT_TOKEN.match(text, position)
        if word is None:
            return values
        values[option.name] = option.convert(_unquote(word.group(1)))
        position = word.end()
    if not ended:
        position, _ = _read_flags(command, text, position, values, after_positionals=True)
    body = text[position:].strip()
    if body:
        values[free.name] = free.convert(body)
    return values


def _read_flags(
    command: Command,
    text: str,
    position: int,
    values: dict[str, Value],
    *,
    after_positionals: bool,
) -> tuple[int, bool]:
    """Read ``--flag [value]`` words from ``position`` into ``values``; where they stop, and
    whether a ``--`` ended them (then nothing after is an option). ``after_positionals``: the
    positionals (a question id) were read before ``position`` (it shapes an unknown flag's hint).
    """
    while (found := _NEXT_TOKEN.match(text, position)) is not None:
        token = found.group(1)
        if token == _END_OF_OPTIONS:
            return found.end(), True
        flag = _FLAG.match(token)
        if flag is None:
            _refuse_phone_flag(command, token)
            break
        hint = _as_text(command, text, found.start(), after_positionals=after_positionals)
        option = _flag_option(command, flag.group(1), as_text=hint)
        position = found.end()
        if flag.group(2) is not None:
            raw = _unquote(flag.group(2))
        elif option.kind is Kind.BOOL:
            raw = "yes"
        else:
            value = _NEXT_TOKEN.match(text, position)
            if value is None or _FLAG.match(value.group(1)):
                raise InvalidInput(f"--{option.name} needs a value. Usage: {command.usage}")
            raw, position = _unquote(value.group(1)), value.end()
        values[option.name] = option.convert(raw)
    return position, False


def _parse_words(command: Command, text: str) -> dict[str, Value]:
    """Flags anywhere (until ``--``), quotes grouping words; the rest fills positionals."""
    if _STRAY_QUOTE.search(_QUOTED.sub("", text)):
        raise InvalidInput(f"A quote is not closed. Usage: {command.usage}")
    tokens = _TOKEN.findall(text)
    values: dict[str, Value] = {}
    loose: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == _END_OF_OPTIONS:
            loose.extend(tokens[index + 1 :])
            break
        flag = _FLAG.match(token)
        if flag is None:
            _refuse_phone_flag(command, token)
            loose.append(token)
            index += 1
            continue
        option, raw, index = _take_flag(command, flag, tokens, index)
        values[option.name] = option.convert(raw)
    _fill_positionals(command, loose, values)
    return values


def _take_flag(
    command: Command, flag: re.Match[str], tokens: list[str], index: int
) -> tuple[Option, str, int]:
    """The option a ``--flag`` names, its raw value and the index after it."""
    name, inline = flag.group(1), flag.group(2)
    option = _flag_option(command, name)
    if inline is not None:
        return option, _unquote(inline), index + 1
    if option.kind is Kind.BOOL:
        follows = index + 1 < len(tokens) and tokens[index + 1].casefold() in _BOOL_WORDS
        return option, (tokens[index + 1] if follows else "yes"), index + (2 if follows else 1)
    if index + 1 >= len(tokens) or _FLAG.match(tokens[index + 1]):
        raise InvalidInput(f"--{name} needs a value. Usage: {command.usage}")
    value, after = _raw_or_unquoted(option, tokens[index + 1]), index + 2
    while _short_of_code(option, value) and after < len(tokens):
        if _FLAG.match(tokens[after]) or tokens[after] == _END_OF_OPTIONS:
            break
        value, after = f"{value} {_unquote(tokens[after])}", after + 1  # "3H2T TGHR …"
    while option.is_list and value.endswith(",") and after < len(tokens):
        if _FLAG.match(tokens[after]):
            break
        # "--sections mp=MPs, member=Members": a trailing comma means the list goes on
        value, after = f"{value} {_raw_or_unquoted(option, tokens[after])}", after + 1
    if option.kind is Kind.DATETIME and after < len(tokens) and _TIME.match(tokens[after]):
        return option, f"{value} {tokens[after]}", after + 1
    return option, value, after


def _short_of_code(option: Option, value: str) -> bool:
    """A grouped code (``Option.grouped``) typed with spaces that is not whole yet."""
    return option.grouped > 0 and sum(c.isalnum() for c in value) < option.grouped


def _refuse_phone_flag(command: Command, token: str) -> None:
    """``—named`` where options are read is an option or text (a name, a question's first
    word): two readings, so refuse, in every command; words after ``--`` are never checked.

    Only a dash followed by one of the command's own option names is refused; any other text
    starting with a dash (``—well, …``) is simply text.
    """
    dashed = _PHONE_FLAG.match(token)
    if dashed is None:
        return
    option = command.option(dashed.group(1).casefold())
    if option is None or option.positional:
        return
    dashes = token[: dashed.start(1)]
    raise InvalidInput(
        f'Did you mean --{option.name}? "{dashes}" is not two hyphens (phones often turn -- '
        f"into a dash): type --{option.name}, or type -- first if your text really starts "
        f'with "{token}".'
    )


def _flag_option(command: Command, name: str, *, as_text: str | None = None) -> Option:
    """The flag option ``--name`` of ``command``, or ``InvalidInput`` listing the real ones
    (and, for free text, ``as_text``: the exact line that makes ``--name`` part of the text).
    """
    option = command.option(name)
    if option is not None and not option.positional:
        return option
    flags = ", ".join(f"--{o.name}" for o in command.options if not o.positional) or "none"
    message = f'/{command.name} has no option "--{name}" (options: {flags}).'
    if as_text is not None:
        message += f' If your text starts with "--{name}", type -- before it: {as_text}'
    raise InvalidInput(message)


def _as_text(command: Command, text: str, start: int, *, after_positionals: bool) -> str:
    """The command line to type so that everything from ``start`` is free text: what was
    typed before it (the question id included), ``--``, then the rest, e.g.
    ``/question edit Q2 -- --by x``. Before the positionals were read, their places are
    shown as ``<id>`` (which word was meant for them cannot be known)."""
    before = text[:start].strip()
    if not after_positionals:
        slots = [f"<{o.name}>" for o in command.options if o.positional and not o.free]
        before = " ".join([before, *slots]).strip()
    return " ".join(
        part for part in (f"/{command.name}", before, "--", text[start:].strip()) if part
    )


def _fill_positionals(command: Command, loose: list[str], values: dict[str, Value]) -> None:
    positionals = [o for o in command.options if o.positional]
    for option in positionals:
        if not loose:
            return
        if option.rest:
            # A ranking or a candidate list parses names itself, quotes included: '"Corbyn
            # Burnham"' is one (unknown) name, never the two names it would be unquoted.
            keep = len(loose) > 1 or option.kind is Kind.TEXT
            whole = " ".join(loose) if keep else _unquote(loose[0])
            values[option.name] = option.convert(whole)
            return
        values[option.name] = option.convert(_unquote(loose.pop(0)))
    if loose:
        extra = " ".join(loose)
        raise InvalidInput(f'Unexpected "{extra}". Usage: {command.usage}')


def _raw_or_unquoted(option: Option, token: str) -> str:
    """List values keep their quotes (they group names); everything else loses them."""
    return token if option.many else _unquote(token)


def _unquote(token: str) -> str:
    return _QUOTED.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), token)
