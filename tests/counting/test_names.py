"""One folding for every name match: phone punctuation, spaces, invisibles, accents, case."""

from __future__ import annotations

import pytest

from counting.names import fold, has_bidi_override, has_control, visible


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Rory O’Brien", "Rory O'Brien"),
        ("Rory O‘Brien", "Rory O'Brien"),
        ("Rory Oʼbrien", "Rory O'Brien"),
        ("Rory O`Brien", "Rory O'Brien"),
        ("Rory O´Brien", "Rory O'Brien"),
        ("Ann Smith–Jones", "Ann Smith-Jones"),
        ("Ann Smith—Jones", "Ann Smith-Jones"),
        ("Ann Smith‑Jones", "Ann Smith-Jones"),
        ("Ann Smith−Jones", "Ann Smith-Jones"),
        ("Ed\u00a0Balls", "Ed Balls"),
        ("Ed\u2009Balls", "Ed Balls"),
        ("Ed\u3000Balls", "Ed Balls"),
        ("Ed \t\n Balls", "Ed Balls"),
        ("Corb\u200byn", "Corbyn"),
        ("Corb\u200cy\u200dn\u2060", "Corbyn"),
        ("\ufeffCorbyn\u00ad", "Corbyn"),
        ("\u200eCorbyn\u202e", "Corbyn"),
        ("Corbyn\ufe0f", "Corbyn"),
        ("ＣＯＲＢＹＮ", "corbyn"),
        ("Zoë Søndergård", "zoe sondergard"),
        ("Łukasz Straße", "lukasz strasse"),
        ("«Corbyn»", '"Corbyn"'),
    ],
)
def test_variants_fold_to_the_same_name(typed: str, meant: str) -> None:
    assert fold(typed) == fold(meant)


def test_fold_keeps_what_differs() -> None:
    assert fold("Ann Smith-Jones") != fold("Ann Smith Jones")
    assert fold("O'Brien") != fold("OBrien")
    assert fold("\u200b\u200d") == ""


def test_visible_shows_invisible_characters() -> None:
    assert visible("Corb\u200byn") == "Corb\\u200byn"
    assert visible("a\x07b") == "a\\u0007b"
    assert visible("x\U000e0101") == "x\\U000e0101"
    assert visible("Rory O’Brien") == "Rory O’Brien"


def test_control_and_bidi_detection() -> None:
    assert has_control("a\x00b")
    assert not has_control("a b")
    assert has_bidi_override("abc\u202edef")
    assert not has_bidi_override("abc\u200edef")
