"""The notice of hearing, and a fixed 2-page sample document for self-tests."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from common.anumber import format_a_number
from sync_server.demo.pdfs.drawing import MONO, SANS_BOLD
from sync_server.demo.pdfs.layout import Layout, Style, finish_pdf
from sync_server.demo.pdfs.parties import CourtInfo, Respondent
from sync_server.demo.pdfs.text import clock, long_date, office_stamp, seeded_rng, short_date

EOIR_HEADER = ("U.S. Department of Justice", "Executive Office for Immigration Review")

_HEARING_INFO = (
    (
        "Representation",
        "You may be represented by an attorney or accredited representative at no expense to "
        "the Government. A list of free legal service providers is enclosed. Your "
        "representative must file a notice of appearance (Form EOIR-28) with the court.",
    ),
    (
        "Filing deadlines",
        "Documents for a master calendar hearing must reach the court at least 15 days before "
        "the hearing; for an individual hearing, at least 30 days before it. Responses to a "
        "filing are due within 10 days.",
    ),
    (
        "Change of address",
        "Tell the court of any change of address or telephone number within 5 days, using "
        "Form EOIR-33/IC. Notices are sent only to the last address the court has for you.",
    ),
    (
        "If you do not appear",
        "If you fail to attend your hearing without exceptional circumstances, the judge may "
        "order you removed in your absence, and you may be ineligible for some forms of relief.",
    ),
    (
        "Interpreter",
        "The court provides an interpreter at no cost. Tell the court clerk if the language "
        "shown on this notice is not the language you speak best.",
    ),
)


def _hearing_front(lay: Layout, resp: Respondent, court: CourtInfo, issued: date) -> None:
    lay.line(court.name.upper(), font=SANS_BOLD, size=11, align="center")
    lay.line(f"{court.address}, {court.city}", size=9.5, align="center")
    lay.gap(10)
    lay.line(f"To: {resp.full_name}", font=MONO, size=10)
    lay.line(f"    {resp.address}", font=MONO, size=10)
    lay.gap(8)
    lay.line(f"Re: {resp.full_name}", size=10)
    lay.line(f"File: {format_a_number(resp.a_number)}", font=SANS_BOLD, size=10)
    lay.line(f"Date: {long_date(issued)}", size=10)
    lay.gap(8)
    lay.line("NOTICE OF HEARING IN REMOVAL PROCEEDINGS", font=SANS_BOLD, size=13, align="center")
    lay.gap(8)


def _hearing_box(
    lay: Layout, court: CourtInfo, hearing_at: datetime, kind: str, room: str, judge: str
) -> None:
    lay.para(
        f"The immigration court has set your case for a {kind.upper()} hearing:",
        size=10.5,
    )
    lay.box(
        [
            f"{long_date(hearing_at.date())} at {clock(hearing_at)}",
            f"{court.name}, {court.address}, {court.city}",
            f"Courtroom {room} - Immigration Judge {judge}",
        ],
        size=11,
        font=SANS_BOLD,
    )


def _hearing_service(lay: Layout, issued: date, rng: random.Random) -> None:
    lay.gap(6)
    lay.heading("CERTIFICATE OF SERVICE", size=10, band=True)
    electronic = rng.random() < 0.6
    lay.para("This document was served by:", size=9.5, after=2)
    lay.checkbox_row(
        [("Mail", not electronic), ("Personal service", False), ("Electronic service", electronic)]
    )
    lay.para("To:", size=9.5, after=2)
    lay.checkbox_row(
        [
            ("Respondent", True),
            ("Respondent c/o custodial officer", False),
            ("Respondent's ATT/REP", rng.random() < 0.5),
            ("DHS", True),
        ]
    )
    initials = "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(2))
    lay.line(f"Date: {short_date(issued)}          By: Court staff {initials}", size=9.5)


def hearing_notice(
    resp: Respondent,
    court: CourtInfo,
    *,
    hearing_at: datetime,
    hearing_type: str,
    courtroom: str,
    judge: str,
    seed: int,
) -> bytes:
    """A notice of hearing (2 pages): the notice with certificate of service, then advisals."""
    rng = seeded_rng(
        "hearing", seed, resp.a_number, hearing_at.isoformat(), hearing_type, courtroom, judge
    )
    issued = hearing_at.date() - timedelta(days=rng.randrange(30, 120))
    lay = Layout(Style((*EOIR_HEADER, "Immigration Court"), "Notice of Hearing (demo)"))
    _hearing_front(lay, resp, court, issued)
    _hearing_box(lay, court, hearing_at, hearing_type, courtroom, judge)
    lay.para(
        "You may be represented at this hearing by an attorney or accredited representative "
        "of your choice at no expense to the Government. If you fail to appear, the hearing "
        "may go ahead without you and an order of removal may be entered. Bring this notice "
        "and any identity documents with you.",
        size=10,
    )
    _hearing_service(lay, issued, rng)
    lay.new_page()
    lay.line("IMPORTANT INFORMATION ABOUT YOUR HEARING", font=SANS_BOLD, size=12, align="center")
    lay.gap(8)
    for title, text in _HEARING_INFO:
        lay.heading(title, size=10, band=True)
        lay.para(text, size=10)
    lay.para(f"Language on file for this case: {resp.language}.", font=SANS_BOLD, size=10)
    title = f"Notice of Hearing - {resp.full_name} - {format_a_number(resp.a_number)}"
    return finish_pdf(
        lay, title=title, subject=f"{hearing_type} hearing notice", stamp=office_stamp(issued, rng)
    )


def sample_pdf_bytes() -> bytes:
    """A short, fixed 2-page sample document for self-tests."""
    lay = Layout(Style(EOIR_HEADER, "Sample (demo)"))
    lay.line("SAMPLE DOCUMENT", font=SANS_BOLD, size=14, align="center")
    lay.gap(8)
    lay.para(
        "This two-page document is generated for self-tests. It has a text layer on both pages."
    )
    lay.fields([("A-Number", format_a_number("123456789"), 1), ("Name", "SAMPLE, Pat", 2)])
    lay.new_page()
    lay.line("Second page", font=SANS_BOLD, size=12)
    lay.para("The end of the sample document.")
    return finish_pdf(
        lay,
        title="Sample document",
        subject="Self-test sample",
        stamp=datetime(2024, 1, 2, 3, 4, 5),
    )
