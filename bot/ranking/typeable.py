"""Names a member can type: checks on candidate names, aliases and titles before they are set.

A name the ``/rank`` grammar cannot read back is a candidate nobody can vote for by typing, and a
name that hides characters (controls, bidi overrides that make ``abc`` display as ``cba``) can
display as something it is not. So ``/election create|edit|alias`` refuse, with the reason:

* text that is empty once invisible characters are removed, or holds no letter or digit;
* control characters and bidi embeddings, overrides or isolates (``counting.names``);
* for candidate names and aliases: a character that separates or quotes names in a ranking
  (``, ; | > → » " “ ” „ «``), a word that looks like an option (``--seats``) or a command
  (``/rank``), and a name that is only a rank number (``1``, ``2nd``, ``first``);
* for titles: a title that is only an option or command word;
* an alias that is, or starts, another candidate's name (``An`` when Ann stands): the member
  typing it could mean either, so the moderator chooses a different alias.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from bot.ranking.names import match_key
from bot.ranking.tokens import Kind, tokens
from counting.names import fold, has_bidi_override, has_control, visible

SEPARATORS = ',;|>→»"“”„«'
"""Characters that separate or quote names in a ranking (``bot.ranking.tokens``)."""


def name_problem(name: str) -> str | None:
    """Why members could not type ``name`` as a candidate name or alias, or ``None``."""
    problem = _text_problem(name)
    if problem:
        return problem
    normal = unicodedata.normalize("NFKC", name)
    used = next((ch for ch in SEPARATORS if ch in normal), None)
    if used is not None:
        return f'contains "{used}", which separates or quotes names in a ranking'
    words = normal.split()
    if any(word.startswith("--") for word in words) or normal.startswith("/"):
        return "looks like part of a command (a --option or a /command)"
    if all(token.kind is Kind.MARK for token in tokens(normal)):
        return "would be read as a rank number"
    return None


def title_problem(title: str) -> str | None:
    """Why ``title`` cannot be an election's title, or ``None``."""
    problem = _text_problem(title)
    if problem:
        return problem
    words = title.split()
    if len(words) == 1 and words[0].startswith(("--", "/")):
        return "looks like part of a command (a --option or a /command)"
    return None


def _text_problem(text: str) -> str | None:
    if has_control(text):
        return "holds a control character"
    if has_bidi_override(text):
        return "holds a character that changes the text's direction"
    folded = fold(text)
    if not folded:
        return "is empty (only spaces or invisible characters)"
    if not any(ch.isalnum() for ch in folded):
        return "has no letters or digits"
    return None


def refused(what: str, text: str, problem: str) -> str:
    """``The candidate name "A|B" contains "|", which separates … .`` (no quotes if blank)."""
    shown = visible(text)
    return f'{what} "{shown}" {problem}.' if shown.strip() else f"{what} {problem}."


def alias_clash(alias: str, target: str, candidates: Sequence[str]) -> str | None:
    """The other candidate ``alias`` is, or starts the name of, or ``None``.

    Matching is the ranking's own (``key``, and a prefix of any word of the name), so an
    alias refused here is exactly one a member could have meant as another candidate.
    """
    spelled = match_key(alias)
    for name in candidates:
        if name == target:
            continue
        own = match_key(name)
        starts = [own[i + 1 :] for i, ch in enumerate(own) if ch == " "]
        if any(start.startswith(spelled) for start in (own, *starts)):
            return name
    return None
