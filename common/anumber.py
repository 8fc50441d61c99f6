"""The Alien Registration Number (A-number).

Stored everywhere as 9 bare digits (an old 8-digit number gets a leading zero) and shown as
``A123-456-789``. People type it in many ways -- with or without the ``A``, with dashes,
spaces or dots -- so every entry point goes through :func:`parse_a_number`.
"""

from __future__ import annotations

from dataclasses import dataclass

_DIGITS = frozenset("0123456789")
# Separators people use when writing an A-number, including the dashes word processors
# substitute for a hyphen when a number is pasted from a letter.
_SEPARATORS = frozenset(" -.\u2010\u2011\u2012\u2013\u2014\u00a0")
# What may follow the leading "A" before the digits: "A#123..." is common on DHS forms.
_PREFIX_MARKS = frozenset("#:")
# How written A-numbers are grouped (9 digits, or an old 8-digit one). Checking the grouping
# keeps dates such as 2026-01-12 (8 digits) from passing as A-numbers in docket search.
_GROUPINGS = frozenset({(9,), (8,), (3, 3, 3), (2, 3, 3)})


class ANumberError(ValueError):
    """The text is not an A-number; ``str(error)`` is a reason a person can act on."""


@dataclass(frozen=True, slots=True)
class ANumber:
    """A validated A-number; ``digits`` is always 9 ASCII digits."""

    digits: str

    def __post_init__(self) -> None:
        if len(self.digits) != 9 or not _DIGITS.issuperset(self.digits):
            raise ANumberError(f"an A-number is stored as 9 digits; got {self.digits!r}")

    @classmethod
    def parse(cls, text: str) -> ANumber:
        """Parse any accepted spelling (see :func:`parse_a_number`)."""
        return cls(parse_a_number(text))

    def __str__(self) -> str:
        return format_a_number(self.digits)


def parse_a_number(text: str) -> str:
    """Return the 9 bare digits of the A-number written in ``text``.

    Accepts an optional leading ``A``/``a`` (optionally followed by ``#`` or ``:``), and
    spaces, hyphens, dashes or dots between digits: ``"A123456789"``, ``"a-123-456-789"``,
    ``"123 456 789"``, ``"A# 123-456-789"``. Eight digits get a leading zero. Raises
    :class:`ANumberError` with a human reason for anything else.
    """
    body = _strip_prefix(text.strip())
    if not body:
        raise ANumberError("the A-number is empty")
    groups = _digit_groups(body)
    digits = _checked_digits("".join(groups))
    grouping = tuple(len(group) for group in groups)
    if grouping not in _GROUPINGS:
        shown = "-".join(str(size) for size in grouping)
        raise ANumberError(
            f"the digits are grouped {shown}; an A-number is written like 123-456-789"
        )
    return digits


def _digit_groups(body: str) -> list[str]:
    """Split ``body`` into runs of digits; any character but a digit or separator fails."""
    groups: list[str] = [""]
    for char in body:
        if char in _DIGITS:
            groups[-1] += char
        elif char in _SEPARATORS:
            groups.append("")
        else:
            raise ANumberError(
                f"an A-number holds only digits after an optional leading A; found {char!r}"
            )
    return [group for group in groups if group]


def _strip_prefix(text: str) -> str:
    if text[:1] not in ("A", "a"):
        return text
    rest = text[1:].lstrip()
    if rest[:1] in _PREFIX_MARKS:
        rest = rest[1:]
    return rest.strip()


def _checked_digits(digits: str) -> str:
    if not digits:
        raise ANumberError("the A-number has no digits")
    if len(digits) not in (8, 9):
        raise ANumberError(f"an A-number has 8 or 9 digits; got {len(digits)}")
    digits = digits.zfill(9)
    if digits == "000000000":
        raise ANumberError("an A-number cannot be all zeros")
    return digits


def format_a_number(digits: str) -> str:
    """Return the display form ``A123-456-789``.

    ``digits`` is normally the stored 9 digits; any spelling :func:`parse_a_number`
    accepts is formatted too, and anything else raises :class:`ANumberError`.
    """
    bare = parse_a_number(digits)
    return f"A{bare[:3]}-{bare[3:6]}-{bare[6:]}"


def is_a_number(text: str) -> bool:
    """Return True if :func:`parse_a_number` would accept ``text``."""
    return normalise_search_term(text) is not None


def normalise_search_term(text: str) -> str | None:
    """Return the 9 digits if ``text`` is an A-number in any accepted spelling, else None.

    Docket search uses this to decide whether a term is an A-number (exact match on the
    stored digits) or a name (text match).
    """
    try:
        return parse_a_number(text)
    except ANumberError:
        return None
