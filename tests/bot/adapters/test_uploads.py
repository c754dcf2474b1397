"""Alt text fitted to a platform's limit (Discord 1024, Slack 1000) at a whole sentence."""

from __future__ import annotations

from bot.adapters.render.uploads import CUT_NOTE, fit_alt


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
