"""/rank autocomplete while a member types a numbered ranking: numbers decide the order."""

from __future__ import annotations

from bot.adapters.discord.autocomplete import suggest_rankings

CANDIDATES = ("Liz Kendall", "Andy Burnham", "Yvette Cooper", "Jeremy Corbyn")


def test_the_next_number_being_typed_is_completed() -> None:
    assert suggest_rankings("1. Kendall 2. Bur", CANDIDATES) == ["Liz Kendall, Andy Burnham"]


def test_a_bare_next_number_offers_every_remaining_candidate() -> None:
    assert suggest_rankings("1. Kendall 2.", CANDIDATES) == [
        "Liz Kendall, Andy Burnham",
        "Liz Kendall, Yvette Cooper",
        "Liz Kendall, Jeremy Corbyn",
    ]


def test_numbers_typed_out_of_order_keep_their_meaning() -> None:
    assert suggest_rankings("2. Kendall 1. Corb", CANDIDATES) == ["Jeremy Corbyn, Liz Kendall"]
