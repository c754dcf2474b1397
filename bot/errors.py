"""The bot's exceptions: what a user did wrong versus what we did wrong.

``UserError`` and its subclasses carry a ``message`` that is safe to show privately to the
person who caused it; adapters map them in one place. Anything that is not a ``BotError``
reaching an adapter is a bug: a generic apology and a logged traceback.
"""

from __future__ import annotations


class BotError(Exception):
    """Root of every error the bot raises on purpose."""


class UserError(BotError):
    """A mistake by the caller; ``message`` says exactly what is wrong, privately."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(UserError):  # noqa: N818 - contract name
    """The election, question or ballot named does not exist here."""


class NotAllowed(UserError):  # noqa: N818 - contract name
    """The caller is not a moderator, or not eligible to vote in this election."""


class InvalidInput(UserError):  # noqa: N818 - contract name
    """Malformed or out-of-range input: an empty ranking, an unknown name, a long question."""


class ElectionClosed(UserError):  # noqa: N818 - contract name
    """The election is not open (not yet, or no longer) for what was asked."""


class Conflict(UserError):  # noqa: N818 - contract name
    """The request clashes with the current state (editing an open election, a taken alias)."""


class Flooded(UserError):  # noqa: N818 - contract name
    """A member asked too many questions too fast; ``message`` says when they may ask again."""


class RecountMismatchError(BotError):
    """A recount of the stored ballots did not reproduce the stored result: a bug, loudly."""


class StartupProblem(BotError):  # noqa: N818 - reads as what the CLI prints
    """A setting, URL, file or secret the bot cannot start with.

    ``setting`` names what to fix (``DATABASE_URL``, ``HUSTINGS_SECRET``…) and ``message`` says
    what is wrong in one line; the CLI prints both and exits 2, with no traceback.
    """

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(f"{setting}: {message}")
        self.setting = setting
        self.message = message
