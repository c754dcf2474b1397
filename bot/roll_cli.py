"""``hustings roll import|codes``: the membership roll, from the operator's command line.

``roll import FILE.csv`` checks every row first (``bot.services.roll_file``) and stores
nothing when any row is bad, printing each problem with its row and column (exit 1);
otherwise it replaces the stored roll and prints what changed (``--dry-run``: what would).

``roll codes`` issues a new link code to every member on the roll (``--unlinked``: only to
members with no linked account, so nobody who has linked loses the code that may still link
their other platforms) and writes
``member_id,code,expires`` as CSV to ``--out`` (created owner-only, 0600) or standard output,
for the organisation's mail merge: the database keeps only a keyed hash of each code, so this
file is the only copy. It needs the same voter-key secret as the bot (``HUSTINGS_SECRET``, or
the console's ``DATA_DIR/secret.key``) and refuses to run under another one, since codes
hashed under it could never link.

Exit codes: 0 done, 1 the roll file or output was refused, 2 the database or settings could not
be used (one line, as ``hustings db``).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from bot.config import Settings
from bot.run_cli import _db_settings, _debug_flag, _guarded

if TYPE_CHECKING:
    from bot.services.roll import IssuedCode
    from bot.storage.database import Sessions

T = TypeVar("T")

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_UNAVAILABLE = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    roll = subparsers.add_parser("roll", help="the membership roll: import it, issue link codes")
    actions = roll.add_subparsers(dest="roll_command", required=True, metavar="ACTION")
    imports = actions.add_parser(
        "import", help="replace the roll with a CSV file (nothing is stored if any row is bad)"
    )
    imports.add_argument("file", type=Path, metavar="FILE.csv")
    imports.add_argument("--dry-run", action="store_true", help="report changes, store nothing")
    codes = actions.add_parser("codes", help="issue every member a new one-time link code")
    codes.add_argument("--out", type=Path, metavar="FILE.csv", help="write the codes here")
    codes.add_argument("--days", type=int, default=30, help="days until the codes expire")
    codes.add_argument(
        "--unlinked",
        action="store_true",
        help="only members with no linked account (others keep their codes)",
    )
    for parser in (imports, codes):
        parser.add_argument(
            "--database", metavar="URL", help="database URL (default: DATABASE_URL)"
        )
        _debug_flag(parser)
    imports.set_defaults(handler=_guarded(_import))
    codes.set_defaults(handler=_guarded(_codes))


def _import(args: argparse.Namespace) -> int:
    from bot.services.roll import import_roll  # noqa: PLC0415 - keeps `hustings count` light
    from bot.services.roll_file import RollFileError, decode, read_roll  # noqa: PLC0415

    path: Path = args.file
    try:
        entries = read_roll(decode(path.read_bytes()))
    except OSError as exc:
        print(f"hustings roll import: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return EXIT_REFUSED
    except RollFileError as exc:
        print(f"hustings roll import: {path} was not imported; nothing changed:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_REFUSED
    now = datetime.now(UTC)
    report = _with_database(args, lambda s: import_roll(s, entries, now, dry_run=args.dry_run))
    print(("dry run, nothing stored: " if args.dry_run else "roll imported: ") + report.summary())
    return EXIT_OK


def _codes(args: argparse.Namespace) -> int:
    from bot.keys import load_voter_secret  # noqa: PLC0415
    from bot.services import keycheck  # noqa: PLC0415
    from bot.services.roll import issue_codes  # noqa: PLC0415
    from bot.services.secrecy import Secrecy  # noqa: PLC0415

    if args.days < 1:
        print("hustings roll codes: --days must be at least 1", file=sys.stderr)
        return EXIT_REFUSED
    settings = _db_settings(args)
    secret = load_voter_secret(settings, strict=False)
    now = datetime.now(UTC)
    try:
        output = _open_output(args.out)
    except OSError as exc:
        print(
            f"hustings roll codes: {_not_written(args.out, exc)}; nothing changed", file=sys.stderr
        )
        return EXIT_REFUSED

    def deliver(issued: Sequence[IssuedCode]) -> None:
        """Write and sync the codes inside the transaction: a failure rolls it back."""
        try:
            output.write(_codes_csv(issued))
            output.flush()
            if args.out is not None:
                os.fsync(output.fileno())
        except OSError as exc:
            raise _WriteError(_not_written(args.out, exc)) from exc

    async def issue(sessions: Sessions) -> list[IssuedCode] | None:
        if not await keycheck.check(sessions, secret):
            return None
        return await issue_codes(
            sessions, Secrecy(secret), now, days=args.days, unlinked_only=args.unlinked,
            deliver=deliver,
        )  # fmt: skip

    done = False
    try:
        issued = _with_database(args, issue, settings=settings)
        done = issued is not None
    except _WriteError as exc:
        print(f"hustings roll codes: {exc}; nothing changed", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        _close_output(output, args.out, keep=done)
    if issued is None:
        print(
            "hustings roll codes: refused: the voter-key secret is not the one this database "
            "was used with, so codes made now could never link (see README, rotating the secret)",
            file=sys.stderr,
        )
        return EXIT_UNAVAILABLE
    if args.out is not None:
        print(f"{len(issued)} code(s) written to {args.out} (only copy; keep it private)")
    return EXIT_OK


class _WriteError(Exception):
    """The codes file could not be written: the transaction issuing the codes rolls back."""


def _open_output(path: Path | None) -> TextIO:
    """The codes file, created now, owner-only (refused if it exists), or standard output."""
    if path is None:
        return sys.stdout
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def _close_output(output: TextIO, path: Path | None, *, keep: bool) -> None:
    """Close the file; unless the codes were committed, remove it (its codes never work)."""
    if path is None:
        return
    try:
        output.close()
    except OSError:
        keep = False
    if not keep:
        path.unlink(missing_ok=True)


def _not_written(path: Path | None, exc: OSError) -> str:
    if isinstance(exc, FileExistsError):
        return f"{path} exists; choose a new file"
    where = "standard output" if path is None else str(path)
    return f"cannot write {where}: {exc.strerror or exc}"


def _codes_csv(issued: Sequence[IssuedCode]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["member_id", "code", "expires"])
    for each in issued:
        writer.writerow([each.member_id, each.code, each.expires_at.strftime("%Y-%m-%d %H:%M UTC")])
    return out.getvalue()


def _with_database(
    args: argparse.Namespace,
    body: Callable[[Sessions], Awaitable[T]],
    settings: Settings | None = None,
) -> T:
    """Run ``body(sessions)`` on the migrated database (problems: one line, exit 2)."""
    from bot.startup_checks import database_problems  # noqa: PLC0415
    from bot.storage.database import create_engine, session_factory  # noqa: PLC0415
    from bot.storage.migrate import upgrade  # noqa: PLC0415

    chosen = settings if settings is not None else _db_settings(args)
    url = chosen.database_url

    async def run() -> T:
        await upgrade(url)
        engine = create_engine(url)
        try:
            return await body(session_factory(engine))
        finally:
            await engine.dispose()

    with database_problems(url):
        return asyncio.run(run())
