"""The ``hustings`` command: one entry point, one sub-command per job.

Sub-commands register themselves through small ``register(subparsers)`` functions so each
lives in the module that does the work; this module only assembles them, and imports only the
module of the sub-command being run (``COMMANDS``). ``hustings count`` must cost what
``counting`` costs: an auditor recounting a 3-ballot file should not wait for discord.py,
slack-bolt, SQLAlchemy and pydantic to load (2.3 s before this rule, 0.07 s for bare Python).
``tests/test_cli_imports.py`` holds it to that.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

Handler = Callable[[argparse.Namespace], int]
if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

COMMANDS: dict[str, tuple[str, str]] = {
    "count": ("bot.count_cli", "recount a ballot file (BLT or JSON) round by round"),
    "run": ("bot.run_cli", "start the bot (the fake chat when no tokens are set)"),
    "fake": ("bot.run_cli", "the in-memory chat console, or run a script"),
    "db": ("bot.run_cli", "database maintenance"),
    "discord": ("bot.adapters.discord.sync", "Discord maintenance"),
    "roll": ("bot.roll_cli", "the membership roll: import it, issue link codes"),
}
"""Each sub-command: the module whose ``register`` adds it, and its one-line help (shown by
``hustings --help`` without importing the module)."""


def _columns() -> int:
    """The terminal's width for help text, as argparse finds it, without importing shutil."""
    try:
        columns = int(os.environ.get("COLUMNS", "0")) or os.get_terminal_size().columns
    except (OSError, ValueError):
        columns = 80
    return max(columns - 2, 20)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, except that a help formatter is given the width: argparse builds
    one for every ``add_argument`` and, left to find the width itself, imports shutil (and
    with it lzma and bz2), a tenth of ``hustings count``'s start-up."""

    def _get_formatter(self) -> argparse.HelpFormatter:
        formatter_class: Any = self.formatter_class
        formatter: argparse.HelpFormatter = formatter_class(prog=self.prog, width=_columns())
        return formatter


def _chosen(argv: Sequence[str]) -> str | None:
    """The sub-command named on the command line (the first word not an option), if known."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: the chosen sub-command in full, the others as help lines.

    With ``argv=None`` every sub-command module is imported (full ``--help`` of everything,
    for tests and documentation); ``main`` passes the real arguments so only one is.
    """
    parser = _Parser(
        prog="hustings",
        description="Mock ranked ballots and member Q&A for Discord and Slack communities.",
    )
    subparsers = cast(
        "Subparsers",
        parser.add_subparsers(
            dest="command", required=True, metavar="COMMAND", prog="hustings", parser_class=_Parser
        ),
    )
    if argv is None:
        modules = list(dict.fromkeys(module for module, _ in COMMANDS.values()))
    else:
        chosen = _chosen(argv)
        modules = [COMMANDS[chosen][0]] if chosen else []
    for module_name in modules:
        register = _registrar(module_name)
        if register is not None:
            register(subparsers)
    for name, (_, help_text) in COMMANDS.items():
        if name not in subparsers.choices:
            subparsers.add_parser(name, help=help_text)
    return parser


def _registrar(module_name: str) -> Callable[[Subparsers], None] | None:
    """``module_name.register``, or None when that optional module is not installed."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None
    register: Callable[[Subparsers], None] = module.register
    return register


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(words).parse_args(words)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:  # a sub-command whose module is not installed
        print(f"hustings {args.command}: not available in this installation", file=sys.stderr)
        return 2
    return handler(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
