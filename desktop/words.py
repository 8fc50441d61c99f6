"""How the client words counts: "1 page", "2 pages", "no changes".

Every count a person reads goes through :func:`count`, so a lone item is never "1 pages".
Nouns whose plural is not the noun plus "s" are listed in ``_IRREGULAR``.
"""

from __future__ import annotations

_IRREGULAR = {
    "is": "are",
    "has": "have",
    "was": "were",
    "this": "these",
    "entry": "entries",
    "party": "parties",
    "copy": "copies",
    "reply": "replies",
    "match": "matches",
    "class": "classes",
    "person": "people",
    "child": "children",
    "address": "addresses",
}


def plural(noun: str, n: int) -> str:
    """``noun`` as it reads beside the number ``n``: "page" for 1, "pages" otherwise."""
    if n == 1:
        return noun
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def count(n: int, noun: str, *, zero: str | None = None) -> str:
    """ "1 page", "2 pages", "1,204 pages"; ``zero`` (e.g. "no pages") when given and n is 0."""
    if n == 0 and zero is not None:
        return zero
    return f"{n:,} {plural(noun, n)}"
