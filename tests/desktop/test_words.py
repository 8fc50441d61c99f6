"""Counts as a person reads them (issue 18 item 7): "1 page", "2 pages", never "page(s)"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop.words import count, plural


@pytest.mark.parametrize(
    ("n", "noun", "said"),
    [
        (1, "page", "1 page"),
        (2, "page", "2 pages"),
        (0, "page", "0 pages"),
        (1204, "page", "1,204 pages"),
        (1, "entry", "1 entry"),
        (3, "entry", "3 entries"),
        (2, "match", "2 matches"),
        (2, "day", "2 days"),
        (2, "emergency stay request", "2 emergency stay requests"),
        (1, "rider hearing", "1 rider hearing"),
    ],
)
def test_count(n: int, noun: str, said: str) -> None:
    assert count(n, noun) == said


def test_zero_and_verbs() -> None:
    assert count(0, "section", zero="Nothing found") == "Nothing found"
    assert count(1, "section", zero="Nothing found") == "1 section"
    assert (plural("has", 1), plural("has", 2), plural("is", 2)) == ("has", "have", "are")


def test_no_hand_made_plurals_left_in_the_client() -> None:
    """Every count in desktop/ goes through desktop.words: no "(s)" after a word in an
    f-string, no ``'s' if n != 1`` spliced by hand."""
    root = Path(__file__).parents[2] / "desktop"
    found = []
    for path in root.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if re.search(r"""f['"][^'"]*\w\(s\)""", code) or re.search(
                r"""['"]s['"] if .* != 1""", code
            ):
                found.append(f"{path.relative_to(root.parent)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
