"""Who a document is about: the respondent, the court, and the caption naming them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from common.anumber import format_a_number
from sync_server.demo.pdfs.drawing import LEFT, SERIF, SERIF_BOLD, Line, Text
from sync_server.demo.pdfs.layout import Layout


@dataclass(frozen=True)
class Respondent:
    """A fictional respondent; ``a_number`` is 9 bare digits."""

    first_name: str
    last_name: str
    a_number: str
    nationality: str
    language: str
    date_of_birth: date
    address: str

    @property
    def full_name(self) -> str:
        """The name as the court writes it: LAST, First."""
        return f"{self.last_name.upper()}, {self.first_name}"

    @property
    def display_name(self) -> str:
        """The name in reading order: First Last."""
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class CourtInfo:
    """The immigration court a document belongs to."""

    name: str
    address: str
    city: str


def caption(lay: Layout, resp: Respondent, court_line: str, title: str) -> None:
    """The "In the Matter of" block used on filings."""
    lay.line(court_line, font=SERIF_BOLD, size=11, align="center")
    lay.gap(6)
    top = lay.y
    lay.line("In the Matter of:", font=SERIF, size=11)
    lay.line(resp.full_name, font=SERIF_BOLD, size=11, x=LEFT + 20)
    lay.line(f"File No. {format_a_number(resp.a_number)}", font=SERIF, size=11, x=LEFT + 20)
    lay.line("Respondent.", font=SERIF, size=11, x=LEFT + 20)
    lay.ops.append(Line(LEFT + 270, top, LEFT + 270, lay.y, 0.6))
    lay.ops.append(Text(LEFT + 285, top + 26, "IN REMOVAL PROCEEDINGS", SERIF_BOLD, 11))
    lay.rule()
    lay.gap(6)
    lay.line(title.upper(), font=SERIF_BOLD, size=12, align="center")
    lay.gap(8)
