"""The command line both fake servers share: ``python -m bot.adapters.{discord,slack}.fake``.

Each fake runs a populated demo until interrupted and prints the settings a bot needs to
reach it. What differs per platform (the server, its demo, the settings it prints) stays in its
own ``__main__``; the argument parsing, the flushed print (a parent process reads it from a
pipe) and Ctrl-C as a clean exit are the same, so they live here once.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any


def print_settings(text: str) -> None:
    """Print the fake's settings and flush at once: whoever started us is waiting for them."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def serve_main(
    prog: str, argv: list[str] | None, serve: Callable[[int], Coroutine[Any, Any, None]]
) -> int:
    """Parse ``--port``, run ``serve(port)`` until interrupted; the exit code (0)."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--port", type=int, default=0, help="default: any free port")
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args.port))
    except KeyboardInterrupt:
        return 0
    return 0
