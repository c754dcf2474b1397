"""Slack's Block Kit limits, checked the way the Web API checks them.

Slack rejects a whole message whose blocks break a limit (``invalid_blocks``) rather than
trimming it, so the fake must too: otherwise an adapter that overflows 50 blocks or 3000
characters in a section would pass here and fail in a real workspace. Error strings follow
Slack's shape: ``"<what> [json-pointer:/blocks/3/text/text]"``.
"""

from __future__ import annotations

from typing import Any

MAX_MESSAGE_BLOCKS = 50
MAX_MODAL_BLOCKS = 100
MAX_MESSAGE_TEXT = 40_000
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER_TEXT = 150
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_ID = 255
MAX_MODAL_TITLE = 24
MAX_PRIVATE_METADATA = 3000

BLOCK_TYPES = frozenset(
    {"section", "header", "divider", "context", "actions", "input", "image", "rich_text"}
)
SELECTS = frozenset({"static_select", "multi_static_select"})


def message_errors(blocks: object) -> list[str]:
    """Problems with a message's ``blocks`` (absent blocks are fine)."""
    return _blocks_errors(blocks, MAX_MESSAGE_BLOCKS)


def view_errors(view: object) -> list[str]:
    """Problems with a modal passed to ``views.open`` / ``views.update``."""
    if not isinstance(view, dict):
        return ["must be an object [json-pointer:/view]"]
    errors: list[str] = []
    if view.get("type") != "modal":
        errors.append("must be 'modal' [json-pointer:/view/type]")
    title = view.get("title")
    errors += _text(title, "/view/title", MAX_MODAL_TITLE, plain_only=True)
    for key in ("submit", "close"):
        if key in view:
            errors += _text(view[key], f"/view/{key}", MAX_MODAL_TITLE, plain_only=True)
    has_inputs = any(isinstance(b, dict) and b.get("type") == "input" for b in _list(view))
    if has_inputs and "submit" not in view:
        errors.append("submit is required when inputs are present [json-pointer:/view/submit]")
    if len(str(view.get("private_metadata", ""))) > MAX_PRIVATE_METADATA:
        errors.append(
            f"must be at most {MAX_PRIVATE_METADATA} characters "
            "[json-pointer:/view/private_metadata]"
        )
    if len(str(view.get("callback_id", ""))) > MAX_ID:
        errors.append(f"must be at most {MAX_ID} characters [json-pointer:/view/callback_id]")
    errors += [
        e.replace("[json-pointer:/", "[json-pointer:/view/")
        for e in _blocks_errors(view.get("blocks"), MAX_MODAL_BLOCKS, required=True)
    ]
    return errors


def _list(view: dict[str, Any]) -> list[Any]:
    blocks = view.get("blocks")
    return blocks if isinstance(blocks, list) else []


def _blocks_errors(blocks: object, limit: int, *, required: bool = False) -> list[str]:
    if blocks is None:
        return ["blocks are required [json-pointer:/blocks]"] if required else []
    if not isinstance(blocks, list):
        return ["must be an array [json-pointer:/blocks]"]
    errors: list[str] = []
    if len(blocks) > limit:
        errors.append(f"must be less than {limit + 1} items [json-pointer:/blocks]")
    seen_ids: set[str] = set()
    for i, block in enumerate(blocks):
        errors += _block(block, f"/blocks/{i}", seen_ids)
    return errors


def _block(block: object, at: str, seen_ids: set[str]) -> list[str]:
    if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
        return [f"unsupported block type [json-pointer:{at}/type]"]
    errors = _block_id(block, at, seen_ids)
    kind = block["type"]
    if kind == "section":
        errors += _section(block, at)
    elif kind == "header":
        errors += _text(block.get("text"), f"{at}/text", MAX_HEADER_TEXT, plain_only=True)
    elif kind == "actions":
        errors += _elements(block.get("elements"), f"{at}/elements", MAX_ACTIONS_ELEMENTS)
    elif kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 0 < len(elements) <= MAX_CONTEXT_ELEMENTS:
            errors.append(
                f"must have 1 to {MAX_CONTEXT_ELEMENTS} items [json-pointer:{at}/elements]"
            )
    elif kind == "input":
        errors += _text(block.get("label"), f"{at}/label", MAX_FIELD_TEXT, plain_only=True)
        errors += _element(block.get("element"), f"{at}/element")
    return errors


def _block_id(block: dict[str, Any], at: str, seen_ids: set[str]) -> list[str]:
    block_id = block.get("block_id")
    if block_id is None:
        return []
    if len(str(block_id)) > MAX_ID:
        return [f"must be at most {MAX_ID} characters [json-pointer:{at}/block_id]"]
    if block_id in seen_ids:
        return [f"duplicate block_id {block_id!r} [json-pointer:{at}/block_id]"]
    seen_ids.add(str(block_id))
    return []


def _section(block: dict[str, Any], at: str) -> list[str]:
    if "text" not in block and "fields" not in block:
        return [f"must provide text or fields [json-pointer:{at}]"]
    errors: list[str] = []
    if "text" in block:
        errors += _text(block["text"], f"{at}/text", MAX_SECTION_TEXT)
    fields = block.get("fields")
    if fields is not None:
        if not isinstance(fields, list) or len(fields) > MAX_FIELDS:
            errors.append(f"must be at most {MAX_FIELDS} items [json-pointer:{at}/fields]")
        else:
            for j, item in enumerate(fields):
                errors += _text(item, f"{at}/fields/{j}", MAX_FIELD_TEXT)
    if "accessory" in block:
        errors += _element(block["accessory"], f"{at}/accessory")
    return errors


def _elements(elements: object, at: str, limit: int) -> list[str]:
    if not isinstance(elements, list) or not elements:
        return [f"must be a non-empty array [json-pointer:{at}]"]
    errors: list[str] = []
    if len(elements) > limit:
        errors.append(f"must be less than {limit + 1} items [json-pointer:{at}]")
    for i, element in enumerate(elements):
        errors += _element(element, f"{at}/{i}")
    return errors


def _element(element: object, at: str) -> list[str]:
    if not isinstance(element, dict):
        return [f"must be an object [json-pointer:{at}]"]
    errors: list[str] = []
    if len(str(element.get("action_id", ""))) > MAX_ID:
        errors.append(f"must be at most {MAX_ID} characters [json-pointer:{at}/action_id]")
    kind = element.get("type")
    if kind == "button":
        errors += _text(element.get("text"), f"{at}/text", MAX_BUTTON_TEXT, plain_only=True)
        if len(str(element.get("value", ""))) > MAX_BUTTON_VALUE:
            errors.append(
                f"must be at most {MAX_BUTTON_VALUE} characters [json-pointer:{at}/value]"
            )
    elif kind in SELECTS:
        errors += _options(element.get("options"), f"{at}/options")
    return errors


def _options(options: object, at: str) -> list[str]:
    if not isinstance(options, list) or not options:
        return [f"must be a non-empty array [json-pointer:{at}]"]
    errors: list[str] = []
    if len(options) > MAX_OPTIONS:
        errors.append(f"must be less than {MAX_OPTIONS + 1} items [json-pointer:{at}]")
    for i, option in enumerate(options):
        if not isinstance(option, dict):
            errors.append(f"must be an object [json-pointer:{at}/{i}]")
            continue
        errors += _text(option.get("text"), f"{at}/{i}/text", MAX_OPTION_TEXT, plain_only=True)
        if not 0 < len(str(option.get("value", ""))) <= MAX_OPTION_VALUE:
            errors.append(
                f"must be 1 to {MAX_OPTION_VALUE} characters [json-pointer:{at}/{i}/value]"
            )
    return errors


def _text(obj: object, at: str, limit: int, *, plain_only: bool = False) -> list[str]:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return [f"must be a text object [json-pointer:{at}]"]
    allowed = {"plain_text"} if plain_only else {"plain_text", "mrkdwn"}
    if obj.get("type") not in allowed:
        return [f"must be one of {sorted(allowed)} [json-pointer:{at}/type]"]
    length = len(obj["text"])
    if length == 0:
        return [f"must be more than 0 characters [json-pointer:{at}/text]"]
    if length > limit:
        return [f"must be less than {limit + 1} characters [json-pointer:{at}/text]"]
    return []
