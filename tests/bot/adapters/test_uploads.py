"""The shared upload helpers: alt text fitted to a platform's limit at a sentence, and any
list of uploads laid on Discord messages within Discord's file limits."""

from __future__ import annotations

import pytest

from bot.adapters.discord.render import Outgoing
from bot.adapters.discord.uploads import MAX_FILE_BYTES, MAX_FILES, attach
from bot.adapters.render.uploads import CUT_NOTE, Upload, fit_alt


def test_alt_text_that_fits_is_untouched() -> None:
    assert fit_alt("Round 1: A 3, B 2.", 1000) == "Round 1: A 3, B 2."


def test_long_alt_text_ends_at_a_whole_sentence_and_says_where_the_rest_is() -> None:
    text = " ".join(f"Round {n}: Candidate {n} has {n * 7} votes." for n in range(1, 200))
    fitted = fit_alt(text, 1000)
    assert len(fitted) <= 1000 and fitted.endswith("votes." + CUT_NOTE)
    assert text.startswith(fitted.removesuffix(CUT_NOTE))


def test_one_endless_sentence_is_cut_at_a_word() -> None:
    fitted = fit_alt("word " * 400, 100)
    assert len(fitted) <= 100 and fitted.endswith("word" + CUT_NOTE)


def upload(n: int, size: int = 10) -> Upload:
    return Upload(f"f{n}.png", b"x" * size, f"image {n}")


def test_uploads_ride_on_the_last_message_after_the_text() -> None:
    messages = [Outgoing(content="Round 1"), Outgoing(content="Elected: Cooper")]
    attach(messages, [upload(1), upload(2)])
    assert messages[0].uploads == [] and [u.filename for u in messages[1].uploads] == [
        "f1.png",
        "f2.png",
    ]
    assert [f.description for f in messages[1].files()] == ["image 1", "image 2"]


def test_more_than_ten_files_go_on_further_messages_and_oversized_ones_are_left_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    messages = [Outgoing(content="Result")]
    uploads = [upload(n) for n in range(23)] + [upload(99, MAX_FILE_BYTES + 1)]
    attach(messages, uploads)
    assert [len(m.uploads) for m in messages] == [MAX_FILES, MAX_FILES, 3]
    assert [m.content for m in messages] == ["Result", None, None]
    assert all(u.filename != "f99.png" for m in messages for u in m.uploads)
    assert "over Discord's" in caplog.text
