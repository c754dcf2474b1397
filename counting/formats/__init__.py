"""Ballot files: BLT (OpenSTV/OpaVote/droop) and our JSON, read into one ``BallotFile``.

Pure text in, values out: reading the file from disk is the caller's job (the CLI's), which
keeps ``counting/`` free of I/O.
"""

from __future__ import annotations

from counting.formats.ballot_file import BallotFile, BallotFileError
from counting.formats.blt import parse_blt, write_blt
from counting.formats.json_file import parse_json, write_json

__all__ = [
    "BallotFile",
    "BallotFileError",
    "parse_ballot_file",
    "parse_blt",
    "parse_json",
    "write_ballot_file",
    "write_blt",
    "write_json",
]


def _is_json(text: str, name_hint: str) -> bool:
    """By extension when it is telling, else by content (JSON files open with ``{``)."""
    lowered = name_hint.lower()
    if lowered.endswith(".json"):
        return True
    if lowered.endswith(".blt"):
        return False
    return text.lstrip("\ufeff \t\r\n").startswith("{")


def parse_ballot_file(text: str, name_hint: str = "") -> BallotFile:
    """Parse ``text`` as JSON or BLT, chosen by ``name_hint``'s extension or the content."""
    if _is_json(text, name_hint):
        return parse_json(text.lstrip("\ufeff"))
    return parse_blt(text)


def write_ballot_file(file: BallotFile, name_hint: str) -> str:
    """Text for ``file`` in the format ``name_hint``'s extension names (BLT unless .json)."""
    if name_hint.lower().endswith(".json"):
        return write_json(file)
    return write_blt(file)
