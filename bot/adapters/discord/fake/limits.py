"""Discord's size limits, checked the way the API checks them (400, code 50035).

The bot must split long results rather than have Discord reject them, so the fake refuses
exactly what Discord refuses: content over 2000 characters, more than 10 embeds or 6000
embed characters in one message, more than 25 fields, over-long titles, descriptions and
field values, more than 5 action rows, selects with more than 25 options, autocomplete
answers with more than 25 choices, and modals beyond 5 rows. Messages with nothing in them
are refused with 50006, as on Discord.
"""

from __future__ import annotations

from typing import Any

from bot.adapters.discord.fake.errors import EMPTY_MESSAGE, JSON, ApiError, FormErrors

CONTENT_MAX = 2000
EMBEDS_MAX, EMBED_TOTAL_MAX, FIELDS_MAX = 10, 6000, 25
TITLE_MAX, DESCRIPTION_MAX, FIELD_NAME_MAX, FIELD_VALUE_MAX = 256, 4096, 256, 1024
FOOTER_MAX, AUTHOR_MAX = 2048, 256
ROWS_MAX, ROW_BUTTONS_MAX, SELECT_OPTIONS_MAX, CUSTOM_ID_MAX, LABEL_MAX = 5, 5, 25, 100, 80
V2_COMPONENTS_MAX, MODAL_ROWS_MAX, MODAL_TITLE_MAX = 40, 5, 45
CHOICES_MAX, CHOICE_NAME_MAX, CHOICE_VALUE_MAX = 25, 100, 100
COMPONENTS_V2_FLAG = 1 << 15

ACTION_ROW, BUTTON, STRING_SELECT, TEXT_INPUT, LABEL = 1, 2, 3, 4, 18
SELECTS = {3, 5, 6, 7, 8}


def check_message(payload: JSON, *, require_body: bool = True) -> None:
    """Raise ``ApiError`` for anything Discord would refuse in a message create/edit."""
    errors = FormErrors()
    errors.max_length("content", payload.get("content"), CONTENT_MAX)
    embeds = payload.get("embeds") or []
    errors.max_items("embeds", embeds, EMBEDS_MAX)
    total = sum(_check_embed(errors, f"embeds.{i}", e) for i, e in enumerate(embeds))
    if total > EMBED_TOTAL_MAX:
        errors.add(
            "embeds",
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
        )
    _check_components(errors, payload.get("components") or [], int(payload.get("flags") or 0))
    errors.raise_if_any()
    if require_body and not _has_body(payload):
        raise ApiError(400, EMPTY_MESSAGE, "Cannot send an empty message")


def _has_body(payload: JSON) -> bool:
    return any(
        payload.get(key) for key in ("content", "embeds", "components", "attachments", "poll")
    )


def _check_embed(errors: FormErrors, path: str, embed: JSON) -> int:
    """Check one embed; return its character count towards the 6000 total."""
    title, description = embed.get("title"), embed.get("description")
    errors.max_length(f"{path}.title", title, TITLE_MAX)
    errors.max_length(f"{path}.description", description, DESCRIPTION_MAX)
    fields = embed.get("fields") or []
    errors.max_items(f"{path}.fields", fields, FIELDS_MAX)
    footer = (embed.get("footer") or {}).get("text")
    author = (embed.get("author") or {}).get("name")
    errors.max_length(f"{path}.footer.text", footer, FOOTER_MAX)
    errors.max_length(f"{path}.author.name", author, AUTHOR_MAX)
    size = sum(len(text or "") for text in (title, description, footer, author))
    for i, field in enumerate(fields):
        name, value = field.get("name"), field.get("value")
        errors.length_between(f"{path}.fields.{i}.name", name, 1, FIELD_NAME_MAX)
        errors.length_between(f"{path}.fields.{i}.value", value, 1, FIELD_VALUE_MAX)
        size += len(name or "") + len(value or "")
    return size


def _check_components(errors: FormErrors, rows: list[JSON], flags: int) -> None:
    if flags & COMPONENTS_V2_FLAG:
        if _count_components(rows) > V2_COMPONENTS_MAX:
            errors.add(
                "components",
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {V2_COMPONENTS_MAX} or fewer in length.",
            )
        return
    errors.max_items("components", rows, ROWS_MAX)
    seen: set[str] = set()
    for r, row in enumerate(rows):
        path = f"components.{r}"
        if row.get("type") != ACTION_ROW:
            errors.add(f"{path}.type", "UNION_TYPE_CHOICES", 'Value of field "type" must be 1.')
            continue
        children = row.get("components") or []
        _check_row(errors, path, children)
        for c, child in enumerate(children):
            _check_component(errors, f"{path}.components.{c}", child, seen)


def _check_row(errors: FormErrors, path: str, children: list[JSON]) -> None:
    if not children:
        errors.add(f"{path}.components", "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.")
    selects = sum(1 for c in children if c.get("type") in SELECTS)
    if selects and len(children) > 1:
        errors.add(
            f"{path}.components",
            "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
            "The specified component exceeds the maximum width",
        )
    errors.max_items(f"{path}.components", children, ROW_BUTTONS_MAX)


def _check_component(errors: FormErrors, path: str, item: JSON, seen: set[str]) -> None:
    custom_id = item.get("custom_id")
    if custom_id is not None:
        errors.length_between(f"{path}.custom_id", custom_id, 1, CUSTOM_ID_MAX)
        if custom_id in seen:
            errors.add(
                f"{path}.custom_id",
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                "Component custom id cannot be duplicated",
            )
        seen.add(custom_id)
    errors.max_length(f"{path}.label", item.get("label"), LABEL_MAX)
    if item.get("type") == STRING_SELECT:
        options = item.get("options") or []
        errors.max_items(f"{path}.options", options, SELECT_OPTIONS_MAX)
        if not options:
            errors.add(f"{path}.options", "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.")
        if int(item.get("max_values", 1)) > max(len(options), 1):
            errors.add(
                f"{path}.max_values",
                "BASE_TYPE_MAX",
                f"int value should be less than or equal to {len(options)}.",
            )
        for o, option in enumerate(options):
            errors.length_between(
                f"{path}.options.{o}.label", option.get("label"), 1, CHOICE_NAME_MAX
            )
            errors.length_between(
                f"{path}.options.{o}.value", option.get("value"), 1, CHOICE_VALUE_MAX
            )


def _count_components(items: list[Any]) -> int:
    count = 0
    for item in items:
        if not isinstance(item, dict):
            continue
        count += 1 + _count_components(item.get("components") or [])
        if isinstance(item.get("component"), dict):
            count += _count_components([item["component"]])
        if isinstance(item.get("accessory"), dict):
            count += 1
    return count


def check_autocomplete(data: JSON) -> None:
    """An autocomplete answer: at most 25 choices, names 1-100, string values up to 100."""
    errors = FormErrors()
    choices = data.get("choices") or []
    errors.max_items("data.choices", choices, CHOICES_MAX)
    for i, choice in enumerate(choices):
        errors.length_between(f"data.choices.{i}.name", choice.get("name"), 1, CHOICE_NAME_MAX)
        value = choice.get("value")
        if isinstance(value, str):
            errors.max_length(f"data.choices.{i}.value", value, CHOICE_VALUE_MAX)
    errors.raise_if_any()


def check_modal(data: JSON) -> None:
    """A modal: a title up to 45 characters, a custom id, 1-5 rows or labels."""
    errors = FormErrors()
    errors.length_between("data.title", data.get("title"), 1, MODAL_TITLE_MAX)
    errors.length_between("data.custom_id", data.get("custom_id"), 1, CUSTOM_ID_MAX)
    rows = data.get("components") or []
    if not 1 <= len(rows) <= MODAL_ROWS_MAX:
        errors.add(
            "data.components",
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between 1 and {MODAL_ROWS_MAX} in length.",
        )
    errors.raise_if_any()
