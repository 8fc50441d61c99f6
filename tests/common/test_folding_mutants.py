"""common.folding: the one folding of names for every search and match (mutation-tested)."""

from __future__ import annotations

import pytest

from common.folding import fold, same_name


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("GUAMÁN", "guaman"),
        ("MÜLLER", "muller"),
        ("Núñez", "nunez"),
        ("Søren Østergaard", "soren ostergaard"),
        ("Łukasz Wałęsa", "lukasz walesa"),
        ("Đorđe ĐURIĆ", "dorde duric"),
        ("Ðalla", "dalla"),
        ("ðora", "dora"),
        ("Ħamrun ħal", "hamrun hal"),
        ("Y\u0131lmaz", "yilmaz"),
        ("Þórður þór", "thordur thor"),
        ("Æsa æther", "aesa aether"),
        ("Œuvre œil", "oeuvre oeil"),
        ("STRAẞE", "strasse"),
        ("Straße", "strasse"),
        ("ﬁfty", "fifty"),
        ("\uff21\uff4c\uff49", "ali"),  # full-width letters
    ],
)
def test_fold_drops_case_and_marks_as_a_clerk_types_them(written: str, folded: str) -> None:
    assert fold(written) == folded


def test_fold_keeps_letters_without_marks_and_spacing() -> None:
    assert fold("de la  Cruz") == "de la  cruz"
    assert fold("") == ""


def test_fold_recomposes_what_it_keeps() -> None:
    assert fold("K\u2019iche\u2019") == "k\u2019iche\u2019"
    assert fold("Ǆ") == "dz"
    # Hangul syllables decompose into letters (no marks among them) and are put back.
    assert fold("한국") == "한국"
    # A half-width voicing mark is a compatibility form of a combining mark: dropped.
    assert fold("\uff76\uff9e") == "\u30ab"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Guamán ", "GUAMAN", True),
        ("de la Cruz", "De La  Cruz", True),
        ("  Núñez\tPérez ", "NUNEZ PEREZ", True),
        ("Nunez", "Nunes", False),
        ("de la Cruz", "delacruz", False),
        ("Ana", "Ana María", False),
    ],
)
def test_same_name(a: str, b: str, same: bool) -> None:
    assert same_name(a, b) is same
    assert same_name(b, a) is same
