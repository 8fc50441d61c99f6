"""Where a rule in ``resources/`` comes from: the document, its section, the day it was read.

"The law is data with a source": every deadline rule, adjournment code and closure in the
data files carries one of these beside it, so a reader can check the rule against the text
it was taken from, and a changed text is found by its date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from common.resources import DataFileError, require


@dataclass(frozen=True, slots=True)
class Citation:
    document: str  # "Immigration Court Practice Manual", "8 CFR", ...
    section: str  # "Chapter 3.1(c)(2) (Computation of time)", "1003.38(b)"
    read_on: date  # the day the cited text was read for this data file
    says: str | None = None  # the rule in the project's own words, where it helps

    def __str__(self) -> str:
        # "8 CFR 1003.38(b)" reads as one; a manual's name is followed by its chapter. A
        # citation of several documents spells each out in its section already.
        if ";" in self.document:
            return self.section
        short = _SHORT_NAMES.get(self.document, self.document)
        separator = " " if short in ("8 CFR", "INA", "ICPM") else ", "
        return f"{short}{separator}{self.section}"


_SHORT_NAMES = {
    "Immigration Court Practice Manual": "ICPM",
    "Board of Immigration Appeals Practice Manual": "BIA Practice Manual",
}


def parse_citation(raw: object, where: str) -> Citation:
    """A citation object of a data file; raises DataFileError naming what is missing."""
    if not isinstance(raw, Mapping):
        raise DataFileError(f"{where}: 'citation' must be an object with document and section")
    where = f"{where}, citation"
    read_on = require(raw, "read_on", str, where=where)
    try:
        day = date.fromisoformat(read_on)
    except ValueError:
        raise DataFileError(f"{where}: 'read_on' must be a date (YYYY-MM-DD)") from None
    says = raw.get("says")
    return Citation(
        document=require(raw, "document", str, where=where),
        section=require(raw, "section", str, where=where),
        read_on=day,
        says=says if isinstance(says, str) else None,
    )
