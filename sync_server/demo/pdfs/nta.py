"""The notice to appear (I-862 style): front page, advisals, certificate of service."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from common.anumber import format_a_number
from sync_server.demo.pdfs.drawing import SANS_BOLD
from sync_server.demo.pdfs.layout import Layout, Style, finish_pdf
from sync_server.demo.pdfs.parties import CourtInfo, Respondent
from sync_server.demo.pdfs.text import (
    OFFICER_TITLES,
    OFFICERS,
    PORTS,
    clock,
    long_date,
    office_stamp,
    seeded_rng,
    short_date,
)

DHS_HEADER = ("U.S. Department of Homeland Security",)

_CHARGES = {
    "212(a)(6)(A)(i)": (
        "you are present in the United States without having been admitted or paroled, or you "
        "arrived at a time or place other than one designated by the Attorney General."
    ),
    "212(a)(7)(A)(i)(I)": (
        "at the time of application for admission you did not hold a valid, unexpired "
        "immigrant visa, entry document or other valid entry document required by the Act."
    ),
    "212(a)(6)(C)(i)": (
        "you sought to procure admission or another benefit under the Act by fraud or by "
        "wilfully misrepresenting a material fact."
    ),
    "237(a)(1)(B)": (
        "after admission as a nonimmigrant you remained in the United States longer than permitted."
    ),
    "237(a)(1)(C)(i)": (
        "after admission as a nonimmigrant you failed to maintain or comply with the "
        "conditions of the status under which you were admitted."
    ),
    "237(a)(2)(A)(i)": (
        "you were convicted of a crime involving moral turpitude committed within five years "
        "after admission, for which a sentence of one year or longer may be imposed."
    ),
    "237(a)(2)(B)(i)": (
        "at any time after admission you were convicted of a violation of a law relating to a "
        "controlled substance."
    ),
}


def _section(charge: str) -> str:
    text = charge.strip()
    for prefix in ("INA", "Section", "section", "§"):
        text = text.removeprefix(prefix).strip()
    return text


def _charge_text(charge: str) -> str:
    section = _section(charge)
    reason = _CHARGES.get(section, "you are removable on the ground stated in that section.")
    return (
        f"Section {section} of the Immigration and Nationality Act (Act), as amended, in "
        f"that {reason}"
    )


def _nta_class(charges: Sequence[str]) -> int:
    """0 arriving alien, 1 present without admission, 2 admitted and removable."""
    sections = [_section(c) for c in charges]
    if any(s.startswith("237") for s in sections):
        return 2
    if any(s.startswith("212(a)(7)") for s in sections):
        return 0
    return 1


def _allegations(resp: Respondent, klass: int, entry: date, port: str) -> list[str]:
    items = [
        "You are not a citizen or national of the United States.",
        f"You are a native of {resp.nationality} and a citizen of {resp.nationality}.",
    ]
    if klass == 0:
        items.append(f"You applied for admission at {port} on {long_date(entry)}.")
        items.append(
            "You did not then possess or present a valid immigrant visa or entry document."
        )
    elif klass == 1:
        items.append(
            f"You arrived in the United States at or near {port}, on or about {long_date(entry)}."
        )
        items.append(
            "You were not then admitted or paroled after inspection by an Immigration Officer."
        )
    else:
        until = entry + timedelta(days=180)
        items.append(
            f"You were admitted to the United States at {port} on {long_date(entry)} as a "
            "nonimmigrant visitor (B-2)."
        )
        items.append(
            f"You were authorized to remain in the United States until {long_date(until)}."
        )
        items.append("You remained in the United States beyond that date without authorization.")
    return items


def _nta_front(
    lay: Layout,
    resp: Respondent,
    court: CourtInfo,
    charges: Sequence[str],
    served_on: date,
    rng: random.Random,
) -> None:
    lay.line("NOTICE TO APPEAR", font=SANS_BOLD, size=15, align="center")
    lay.gap(4)
    event = f"{rng.choice('ABCDEFGHJK')}{rng.choice('ABCDEFGHJK')}{rng.randrange(10**9):09d}"
    lay.fields(
        [
            ("Subject ID", str(rng.randrange(10**8, 10**9)), 1),
            ("FINS", str(rng.randrange(10**9, 10**10)), 1),
            ("File No.", format_a_number(resp.a_number), 1.1),
            ("Event No.", event, 1.2),
            ("DOB", short_date(resp.date_of_birth), 0.9),
        ]
    )
    lay.gap(6)
    lay.line(
        "In removal proceedings under section 240 of the Immigration and Nationality Act:", size=9.5
    )
    lay.line("In the Matter of:", font=SANS_BOLD, size=9.5)
    lay.fields([("Respondent", resp.full_name, 2), ("A-Number", format_a_number(resp.a_number), 1)])
    lay.fields(
        [
            ("currently residing at", resp.address, 3),
            ("Telephone", f"(555) {rng.randrange(200, 999)}-{rng.randrange(10000):04d}", 1),
        ]
    )
    lay.gap(6)
    klass = _nta_class(charges)
    lay.checkbox("1. You are an arriving alien.", klass == 0)
    lay.checkbox(
        "2. You are present in the United States without having been admitted or paroled.",
        klass == 1,
    )
    lay.checkbox(
        "3. You were admitted to the United States but are removable for the reasons below.",
        klass == 2,
    )
    lay.gap(4)
    entry = served_on - timedelta(days=rng.randrange(3, 900))
    lay.line("The Department of Homeland Security alleges that you:", font=SANS_BOLD, size=10)
    for i, text in enumerate(_allegations(resp, klass, entry, rng.choice(PORTS)), start=1):
        lay.numbered(f"{i}.", text, size=9.5)
    lay.gap(2)
    lay.para(
        "Based on these allegations, DHS charges that you may be removed from the United "
        "States under the following provision(s) of law:",
        font=SANS_BOLD,
        size=9.5,
    )
    for i, charge in enumerate(charges, start=1):
        lay.numbered(f"{i}.", _charge_text(charge), size=9.5)
    _nta_hearing_box(lay, court)
    officer = rng.choice(OFFICERS)
    lay.signature(
        f"Signature and title of issuing officer: {rng.choice(OFFICER_TITLES)}", officer, rng=rng
    )
    lay.line(f"Date: {long_date(served_on)}          {court.city}", size=9)


def _nta_hearing_box(lay: Layout, court: CourtInfo) -> None:
    lay.gap(4)
    lay.box(
        [
            "YOU ARE ORDERED to come before an immigration judge of the U.S. Department of "
            "Justice, at the place below, to show why you should not be removed from the "
            "United States on the charge(s) above.",
            f"Place: {court.name}, {court.address}, {court.city}",
            "Date: TO BE SET  -  Time: TO BE SET",
        ],
        size=9.5,
    )


_NTA_ADVISALS = (
    (
        "Alien Registration",
        "This copy of the Notice to Appear served on you is your record of the charges against "
        "you. Your alien registration number appears on it. Write that number on every paper "
        "you send to the immigration court.",
    ),
    (
        "Representation",
        "You may be represented in these proceedings by an attorney or another qualified "
        "representative of your choice, at no expense to the Government. A list of "
        "organisations that may help at no cost is given to you with this notice. The "
        "immigration judge can give you time to find a representative.",
    ),
    (
        "Conduct of the hearing",
        "Bring to your hearing the documents you want the judge to consider: identity papers, "
        "statements from witnesses and anything that supports an application for relief. You "
        "may present evidence and witnesses, and you may look at and object to the evidence "
        "offered against you. The hearing is recorded. Tell the court which language you "
        "speak best; an interpreter is provided at no cost.",
    ),
    (
        "Failure to appear",
        "You must tell the immigration court your full mailing address and telephone number, "
        "and tell it again in writing within five days of any change (Form EOIR-33). Notices "
        "are sent to the last address you gave. If you miss a hearing without good reason, "
        "the judge may order you removed in your absence, and some forms of relief may be "
        "barred for ten years.",
    ),
    (
        "Mandatory duty to surrender for removal",
        "If you become subject to a final order of removal, you must surrender to the "
        "Department of Homeland Security as instructed. Not doing so can make you ineligible "
        "for most discretionary relief while you remain in the United States.",
    ),
    (
        "U.S. citizenship claims",
        "If you believe that you are a citizen or national of the United States, tell the "
        "Department of Homeland Security and the immigration judge at once.",
    ),
)


def _nta_advisals(lay: Layout) -> None:
    lay.new_page()
    lay.line("NOTICE TO RESPONDENT", font=SANS_BOLD, size=13, align="center")
    lay.line("Read this page carefully. It explains what you must do.", size=9, align="center")
    lay.gap(8)
    for title, text in _NTA_ADVISALS:
        lay.heading(title, size=10, band=True)
        lay.para(text, size=9.5)
    lay.heading("Request for prompt hearing", size=10, band=True)
    lay.para(
        "I ask that my hearing take place sooner than ten days after this notice is served, "
        "and I give up my right to that ten-day period.",
        size=9.5,
    )


def _nta_service(
    lay: Layout, resp: Respondent, served_on: date, rng: random.Random, stamp: datetime
) -> None:
    lay.new_page()
    lay.line("CERTIFICATE OF SERVICE", font=SANS_BOLD, size=13, align="center")
    lay.gap(8)
    lay.para(
        f"I served this Notice to Appear on the respondent on {long_date(served_on)}, as "
        "section 239(a)(1) of the Act requires, in the manner checked below:",
        size=10,
    )
    personal = rng.random() < 0.7
    lay.checkbox("in person", personal)
    lay.checkbox("by certified mail, return receipt requested", not personal)
    lay.checkbox("by regular mail", False)
    lay.gap(4)
    lay.checkbox("A list of organisations offering free legal services was provided.", True)
    lay.checkbox("A credible fear worksheet is attached.", rng.random() < 0.3)
    lay.gap(4)
    lay.para(
        f"I told the respondent orally, in {resp.language}, when and where the hearing will be "
        "held and what follows from not attending it (section 240(b)(7) of the Act).",
        size=10,
    )
    lay.gap(10)
    lay.signature("Signature of respondent if personally served", resp.display_name, rng=rng)
    officer = rng.choice(OFFICERS)
    lay.signature(
        "Signature and title of officer", f"{officer}, {rng.choice(OFFICER_TITLES)}", rng=rng
    )
    lay.line(f"Served at {clock(stamp)} on {long_date(served_on)}", size=9)


def notice_to_appear(
    resp: Respondent, court: CourtInfo, *, served_on: date, charges: list[str], seed: int
) -> bytes:
    """A notice to appear (I-862 style): front page, advisals, certificate of service."""
    rng = seeded_rng("nta", seed, resp.a_number, served_on.isoformat(), *charges)
    stamp = office_stamp(served_on, rng)
    lay = Layout(Style(DHS_HEADER, "Form I-862 (demo)"))
    _nta_front(lay, resp, court, charges or ["212(a)(6)(A)(i)"], served_on, rng)
    _nta_advisals(lay)
    _nta_service(lay, resp, served_on, rng, stamp)
    title = f"Notice to Appear - {resp.full_name} - {format_a_number(resp.a_number)}"
    return finish_pdf(lay, title=title, subject="Notice to Appear", stamp=stamp)
