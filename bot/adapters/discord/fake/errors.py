"""Discord's error replies, as the fake sends them.

Discord answers a bad request with a JSON body ``{"code", "message", "errors"}``; discord.py
turns it into ``HTTPException`` with ``.code`` and ``.text``. ``FormErrors`` collects field
problems in Discord's nested shape (``{"content": {"_errors": [...]}}``) so one reply can list
them all, exactly as the real API's 50035 "Invalid Form Body" does.
"""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]

INVALID_FORM_BODY = 50035
UNKNOWN_INTERACTION = 10062
ALREADY_ACKNOWLEDGED = 40060
UNKNOWN_WEBHOOK = 10015
UNKNOWN_MESSAGE = 10008
UNKNOWN_CHANNEL = 10003
UNKNOWN_GUILD = 10004
UNKNOWN_USER = 10013
CANNOT_MESSAGE_USER = 50007
INVALID_RECIPIENTS = 50033
INVALID_WEBHOOK_TOKEN = 50027
EMPTY_MESSAGE = 50006
UNAUTHORIZED = 0


class ApiError(Exception):
    """An error reply: HTTP status, Discord code, message and optional field errors."""

    def __init__(self, status: int, code: int, message: str, errors: JSON | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def body(self) -> JSON:
        body: JSON = {"code": self.code, "message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body


def unknown_interaction() -> ApiError:
    return ApiError(404, UNKNOWN_INTERACTION, "Unknown interaction")


def already_acknowledged() -> ApiError:
    return ApiError(400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged.")


def unauthorized() -> ApiError:
    return ApiError(401, UNAUTHORIZED, "401: Unauthorized")


class FormErrors:
    """Field errors under dotted paths (``embeds.0.title``), rendered as Discord nests them."""

    def __init__(self) -> None:
        self._errors: list[tuple[tuple[str, ...], str, str]] = []

    def add(self, path: str, code: str, message: str) -> None:
        self._errors.append((tuple(path.split(".")) if path else (), code, message))

    def max_length(self, path: str, value: str | None, limit: int) -> None:
        if value is not None and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def length_between(self, path: str, value: str | None, low: int, high: int) -> None:
        size = len(value or "")
        if not low <= size <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def max_items(self, path: str, items: list[Any] | None, limit: int) -> None:
        if items is not None and len(items) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def __bool__(self) -> bool:
        return bool(self._errors)

    @property
    def paths(self) -> list[str]:
        return [".".join(path) for path, _, _ in self._errors]

    def nested(self) -> JSON:
        root: JSON = {}
        for path, code, message in self._errors:
            node = root
            for part in path:
                node = node.setdefault(part, {})
            node.setdefault("_errors", []).append({"code": code, "message": message})
        return root

    def raise_if_any(self) -> None:
        if self._errors:
            raise ApiError(400, INVALID_FORM_BODY, "Invalid Form Body", self.nested())
