"""The ``hustings`` command: one entry point, one sub-command per job.

Sub-commands register themselves through small ``register(subparsers)`` functions so each
lives in the module that does the work; this module only assembles them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hustings",
        description="Mock ranked ballots and member Q&A for Discord and Slack communities.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in _registrars():
        register(subparsers)
    return parser


def _registrars() -> list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]]:
    """Each sub-command module's ``register``; imported lazily so ``--help`` stays fast."""
    found = []
    for module_name in ("bot.count_cli", "bot.run_cli", "bot.adapters.discord.sync"):
        try:
            module = __import__(module_name, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        found.append(module.register)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
