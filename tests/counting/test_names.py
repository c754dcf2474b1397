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


@pytest.mark.parametrize(
    "hidden", ["\u3164", "\uffa0", "\u115f", "\u180b", "\u2065", "\ufff0", "\U000e0001", "\u034f"]
)
def test_every_default_ignorable_character_is_removed_and_shown(hidden: str) -> None:
    assert fold(f"Corb{hidden}yn") == "corbyn"
    assert visible(f"Corb{hidden}yn") == f"Corb{_escaped(hidden)}yn"


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def test_a_look_alike_letter_from_another_script_is_shown_escaped() -> None:
    cyrillic_o = "\u043e"
    assert fold(f"C{cyrillic_o}rbyn") != fold("Corbyn")
    assert visible(f"C{cyrillic_o}rbyn") == "C\\u043erbyn"
    assert visible("Ed B\u0430lls") == "Ed B\\u0430lls"  # Cyrillic а
    assert visible("\u0421\u043e\u0440\u0431\u0438\u043d o") == "Сорбин o"  # one script a word
    assert visible("\u0421\u043eo") == "\u0421\u043e\\u006f"  # Latin o in a Cyrillic word
    assert visible("Zoë Ωmega") == "Zoë \\u03a9mega"
    assert visible("ΩΩa") == "ΩΩ\\u0061"
    assert visible("Aφ") == "A\\u03c6"  # one each: Latin is taken as the main script
    assert visible("Zoë 2nd") == "Zoë 2nd"
