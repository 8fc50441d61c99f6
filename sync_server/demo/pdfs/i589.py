"""The asylum application (I-589 style): parts A to F and Supplement B sheets, 8-12 pages."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from common.anumber import format_a_number
from sync_server.demo.pdfs.drawing import MONO, SANS, SANS_BOLD
from sync_server.demo.pdfs.layout import Layout, LayoutFull, Style, finish_pdf
from sync_server.demo.pdfs.parties import Respondent
from sync_server.demo.pdfs.text import (
    ATTORNEYS,
    GROUPS,
    ORGS,
    PORTS,
    TOWNS,
    narrative,
    office_stamp,
    seed_day,
    seeded_rng,
    short_date,
)

I589_HEADER = (
    "Department of Homeland Security - U.S. Citizenship and Immigration Services",
    "U.S. Department of Justice - Executive Office for Immigration Review",
)


def _yes_no(lay: Layout, question: str, yes: bool) -> None:
    lay.para(question, size=9.5, after=2)
    lay.checkbox_row([("No", not yes), ("Yes", yes), ("", False), ("", False)])


def _i589_title(lay: Layout) -> None:
    lay.line(
        "APPLICATION FOR ASYLUM AND FOR WITHHOLDING OF REMOVAL",
        font=SANS_BOLD,
        size=13,
        align="center",
    )
    lay.line(
        "Type or print in black ink. Attach additional sheets as Supplement A or B where needed.",
        size=8.5,
        align="center",
    )
    lay.gap(6)


def _i589_part_a1(lay: Layout, resp: Respondent, rng: random.Random) -> None:
    _i589_title(lay)
    lay.heading("Part A.I.  Information About You", band=True)
    lay.fields(
        [
            ("1. Alien Registration Number (A-Number)", format_a_number(resp.a_number), 1.3),
            ("2. U.S. Social Security No. (if any)", "None", 1),
            ("3. USCIS Online Account No. (if any)", "None", 1),
        ]
    )
    lay.fields(
        [
            ("4. Complete last name", resp.last_name.upper(), 1),
            ("5. First name", resp.first_name, 1),
            ("6. Middle name", rng.choice(["", "Maria", "Jose", "Amadou", "Lin"]), 1),
        ]
    )
    lay.fields([("7. Other names used (include maiden name and aliases)", "None", 1)])
    phone = f"(555) {rng.randrange(200, 999)}-{rng.randrange(10000):04d}"
    lay.fields(
        [
            ("8. Residence in the U.S. (where you physically reside)", resp.address, 3),
            ("Telephone", phone, 1),
        ]
    )
    lay.fields([("9. Mailing address in the U.S. (if different from above)", "Same as above", 1)])
    male = rng.random() < 0.55
    lay.line("10. Gender:", size=9)
    lay.checkbox_row([("Male", male), ("Female", not male)])
    married = rng.random() < 0.5
    lay.line("11. Marital status:", size=9)
    lay.checkbox_row(
        [("Single", not married), ("Married", married), ("Divorced", False), ("Widowed", False)]
    )
    birth_town = rng.choice(TOWNS)
    lay.fields(
        [
            ("12. Date of birth (mm/dd/yyyy)", short_date(resp.date_of_birth), 1),
            ("13. City and country of birth", f"{birth_town}, {resp.nationality}", 2),
        ]
    )
    lay.fields(
        [
            ("14. Present nationality", resp.nationality, 1),
            ("15. Nationality at birth", resp.nationality, 1),
            (
                "16. Race, ethnic or tribal group",
                rng.choice(["Mestizo", "Akan", "Han", "Quechua", "Tigrinya"]),
                1,
            ),
            (
                "17. Religion",
                rng.choice(["Catholic", "Evangelical", "Muslim", "None", "Orthodox"]),
                1,
            ),
        ]
    )
    lay.line("18. Check the box that applies:", size=9)
    lay.checkbox("a. I have never been in immigration court proceedings.", False)
    lay.checkbox("b. I am now in immigration court proceedings.", True)
    lay.checkbox(
        "c. I am not now in immigration court proceedings, but I have been in the past.", False
    )


def _i589_entries(lay: Layout, resp: Respondent, rng: random.Random) -> None:
    last = date(2018, 1, 1) + timedelta(days=rng.randrange(1800))
    lay.fields(
        [
            ("19a. When did you last leave your country? (mmm/dd/yyyy)", short_date(last), 1),
            ("19b. Current I-94 number, if any", "None", 1),
        ]
    )
    lay.para(
        "19c. List each entry into the United States, beginning with your most recent entry:",
        size=9,
        after=2,
    )
    rows = [
        [short_date(last + timedelta(days=rng.randrange(5, 60))), rng.choice(PORTS), "EWI", "N/A"]
    ]
    lay.table(["Date", "Place", "Status", "Date status expires"], rows)
    lay.fields(
        [
            ("20. Country that issued your last passport", resp.nationality, 1.4),
            ("Passport number", f"{rng.choice('KPGX')}{rng.randrange(10**7):07d}", 1),
            ("Expiration date", short_date(last + timedelta(days=2000)), 1),
        ]
    )
    fluent = rng.random() < 0.25
    lay.fields(
        [
            ("21. Native language (include dialect)", resp.language, 1.4),
            ("22. Fluent in English?", "Yes" if fluent else "No", 1),
            (
                "23. Other languages spoken fluently",
                rng.choice(["None", "Spanish", "French", "English"]),
                1,
            ),
        ]
    )


def _i589_part_a2(lay: Layout, resp: Respondent, rng: random.Random) -> None:
    lay.new_page()
    lay.heading("Part A.II.  Information About Your Spouse and Children", band=True)
    married = rng.random() < 0.5
    lay.checkbox("Your spouse:  I am not married. (Skip to Your Children below.)", not married)
    if married:
        spouse = rng.choice(["Ana", "Fatou", "Mei", "Rosa", "Yohannes", "Carlos"])
        lay.fields(
            [
                ("1. Alien Registration Number (if any)", "None", 1),
                ("2. Passport/ID card number", f"{rng.randrange(10**8):08d}", 1),
                (
                    "3. Date of birth",
                    short_date(resp.date_of_birth + timedelta(days=rng.randrange(-2000, 2000))),
                    1,
                ),
            ]
        )
        lay.fields(
            [
                ("4. Complete last name", resp.last_name.upper(), 1),
                ("5. First name", spouse, 1),
                ("6. Middle name", "", 1),
            ]
        )
        lay.fields(
            [
                (
                    "7. Date of marriage",
                    short_date(date(2010, 1, 1) + timedelta(days=rng.randrange(3000))),
                    1,
                ),
                ("8. Place of marriage", f"{rng.choice(TOWNS)}, {resp.nationality}", 2),
            ]
        )
        lay.fields(
            [
                (
                    "9. Is this person in the U.S.?",
                    rng.choice(["No - remains in country", "Yes"]),
                    1,
                ),
                ("10. Included in this application?", "No", 1),
            ]
        )
    lay.gap(10)
    children = rng.randrange(0, 4)
    lay.checkbox("Your children:  I do not have any children. (Skip to Part A.III.)", children == 0)
    lay.fields([("Total number of children", str(children), 1), ("", "", 3)])
    if children:
        rows = [
            [
                rng.choice(["Luis", "Amina", "Wei", "Sofia", "Kofi"]),
                resp.last_name.upper(),
                short_date(date(2008, 1, 1) + timedelta(days=rng.randrange(5000))),
                resp.nationality,
                "No",
            ]
            for _ in range(children)
        ]
        lay.table(["First name", "Last name", "Date of birth", "Nationality", "In the U.S.?"], rows)


def _i589_part_a3(lay: Layout, resp: Respondent, rng: random.Random) -> None:
    lay.new_page()
    lay.heading("Part A.III.  Information About Your Background", band=True)
    country = resp.nationality
    lay.para("1. Your last address outside the United States:", size=9, after=2)
    lay.table(
        ["Street and number", "City/Town", "Province/State", "Country"],
        [
            [
                f"{rng.randrange(1, 300)} Calle Central",
                rng.choice(TOWNS),
                "Northern Province",
                country,
            ]
        ],
    )
    lay.para("2. Your residences during the past five years, most recent first:", size=9, after=2)
    lay.table(
        ["Street and number", "City/Town", "From (mo/yr)", "To (mo/yr)"],
        [
            [
                f"{rng.randrange(1, 300)} Market Road",
                rng.choice(TOWNS),
                f"0{rng.randrange(1, 10)}/{2012 + i}",
                f"0{rng.randrange(1, 10)}/{2015 + i}",
            ]
            for i in range(2)
        ],
    )
    lay.para("3. Your education, beginning with the most recent school attended:", size=9, after=2)
    lay.table(
        ["Name of school", "Type of school", "Location", "Attended (years)"],
        [
            ["Escuela Secundaria No. 4", "Secondary", rng.choice(TOWNS), "2001-2006"],
            ["Primary School of the Hills", "Primary", rng.choice(TOWNS), "1995-2001"],
        ],
    )
    lay.para("4. Your employment during the past five years, most recent first:", size=9, after=2)
    lay.table(
        ["Name and address of employer", "Your occupation", "From (mo/yr)", "To (mo/yr)"],
        [
            [
                rng.choice(["Family farm", "Town market stall", "Delta Bus Company"]),
                rng.choice(["Farmer", "Vendor", "Driver", "Teacher"]),
                "01/2014",
                "06/2019",
            ]
        ],
    )
    lay.para("5. Your parents and siblings (mark deceased where applicable):", size=9, after=2)
    rows = [
        [
            rel,
            rng.choice(["Rosa", "Jean", "Abebe", "Hui", "Miguel"]) + " " + resp.last_name,
            f"{rng.choice(TOWNS)}, {country}",
            rng.choice(["Same as birth", "Deceased", "Unknown"]),
        ]
        for rel in ("Mother", "Father", "Sibling", "Sibling")
    ]
    lay.table(
        ["Relationship", "Full name", "City/Town and country of birth", "Current location"], rows
    )


_GROUNDS = (
    "Race",
    "Religion",
    "Nationality",
    "Political opinion",
    "Particular social group",
    "Torture Convention",
)


def _i589_part_b(lay: Layout, narr: Iterator[str], rng: random.Random) -> None:
    lay.new_page()
    lay.heading("Part B.  Information About Your Application", band=True)
    lay.para(
        "1. Why are you applying for asylum or withholding of removal? Check every ground that "
        "applies:",
        size=9.5,
        after=2,
    )
    picks = set(rng.sample(range(5), rng.randrange(1, 3))) | {5}
    lay.checkbox_row([(g, i in picks) for i, g in enumerate(_GROUNDS[:3])])
    lay.checkbox_row([(g, i + 3 in picks) for i, g in enumerate(_GROUNDS[3:])])
    _yes_no(
        lay,
        "A. Have you, your family or people close to you been harmed, mistreated or "
        "threatened in the past? If so, describe what happened, when, who was responsible "
        "and why you think it happened.",
        True,
    )
    lay.box([next(narr)], size=9, font=MONO)
    _yes_no(
        lay,
        "B. Do you fear that you will be harmed or mistreated if you go back? If so, describe "
        "the harm, who would cause it and why.",
        True,
    )
    lay.box([next(narr)], size=9, font=MONO)
    _yes_no(
        lay,
        "2. Have you or anyone in your family been accused, arrested, detained, questioned, "
        "convicted or imprisoned in a country other than the United States?",
        rng.random() < 0.4,
    )
    _yes_no(
        lay,
        "3.A. Have you or your family been members of, or connected to, any organisation or "
        "group in your home country (a party, union, student, religious or ethnic group)?",
        True,
    )
    lay.box(
        [
            f"I was an active member of {rng.choice(GROUPS)} from {rng.randrange(2008, 2016)} "
            "until I left."
        ],
        size=9,
        font=MONO,
    )
    _yes_no(
        lay,
        "4. Do you fear torture in your home country or in any other country you could be sent to?",
        True,
    )
    lay.box([next(narr)], size=9, font=MONO)


_PART_C = (
    "1. Has anyone in your immediate family (you, your spouse, children, parents or "
    "siblings) ever asked the U.S. Government for refugee status, asylum or withholding?",
    "2.A. After leaving the country you fear, did you or your family pass through or live in "
    "another country before you came to the United States?",
    "2.B. Do you or a family member in this application hold, or have you ever applied for, "
    "lawful status in a third country?",
    "3. Have you or a family member in this application ever taken part in harming anyone "
    "because of that person's race, religion, nationality, social group or political opinion?",
    "4. Have you gone back to the country you fear since you first left it?",
    "5. Is this application being filed more than one year after you last arrived in the "
    "United States? If so, give the reasons.",
    "6. Have you or a family member in this application ever been arrested, charged or "
    "convicted for a crime in the United States?",
)


def _i589_part_c(lay: Layout, rng: random.Random) -> None:
    lay.new_page()
    lay.heading("Part C.  Additional Information About Your Application", band=True)
    for i, question in enumerate(_PART_C):
        _yes_no(lay, question, i == 1 or (i == 4 and rng.random() < 0.3))
        if i == 1:
            lay.box(
                [
                    f"I passed through two countries by bus over about {rng.randrange(2, 6)} "
                    "weeks and did not ask for protection there."
                ],
                size=9,
                font=MONO,
            )


def _i589_part_d(lay: Layout, resp: Respondent, rng: random.Random, signed: date) -> None:
    lay.new_page()
    lay.heading("Part D.  Your Signature", band=True)
    lay.para(
        "I declare under penalty of perjury that the information in this application and in "
        "the evidence I am submitting with it is true and correct to the best of my knowledge. "
        "I understand that knowingly making a false statement, or filing an application found "
        "to be frivolous, can bar me permanently from benefits under the immigration laws.",
        size=9.5,
    )
    lay.signature("Signature of applicant (the person in Part A.I.)", resp.display_name, rng=rng)
    lay.fields(
        [
            ("Date (mm/dd/yyyy)", short_date(signed), 1),
            ("Name in native alphabet", resp.display_name, 2),
        ]
    )
    lay.gap(6)
    lay.checkbox_row([("Family member assisted me", False), ("Someone else assisted me", True)])
    lay.heading("Part E.  Declaration of Person Preparing Form, if Other Than Applicant", band=True)
    attorney = rng.choice(ATTORNEYS)
    lay.para(
        "I declare that I prepared this application at the request of the person named in "
        f"Part D, that it is based on all information of which I have knowledge, and that it "
        f"was read to the applicant in {resp.language}, the language the applicant speaks best.",
        size=9.5,
    )
    lay.signature("Signature of preparer", attorney, rng=rng)
    lay.fields(
        [
            ("Preparer's organisation", rng.choice(ORGS), 2),
            ("EOIR ID", f"{rng.choice('ABCDEFGHJK')}{rng.randrange(10**6):06d}", 1),
        ]
    )
    lay.heading("Part F.  To Be Completed at Asylum Interview or Hearing", band=True)
    lay.para(
        "Sworn or affirmed before the officer below: the applicant confirmed knowing what "
        "this application and its supplements say, and that any corrections were made by the "
        "applicant or at the applicant's request.",
        size=9.5,
    )
    lay.fields([("Signature of applicant", "", 2), ("Date", "", 1)])
    lay.fields([("Signature of asylum officer or immigration judge", "", 2), ("Date", "", 1)])


def _i589_supplement(lay: Layout, resp: Respondent, narr: Iterator[str], target: int) -> None:
    """Supplement B continuation sheets, filled up to exactly ``target`` pages in all."""
    if len(lay.pages) >= target:
        return
    lay.limit = target
    try:
        lay.new_page()
        lay.heading("Supplement B, Form I-589 - Additional Information About Your Claim", band=True)
        lay.fields(
            [
                ("A-Number", format_a_number(resp.a_number), 1),
                ("Applicant's name", resp.full_name, 2),
                ("Part / Question", "Part B, Question 1.A", 1),
            ]
        )
        lay.gap(6)
        while True:
            lay.para(next(narr), font=MONO, size=9.5, leading=1.45, after=8)
    except LayoutFull:
        pass
    finally:
        lay.limit = None


def i589_application(resp: Respondent, *, seed: int) -> bytes:
    """An asylum application (I-589 style), 8-12 pages, parts A to F filled in."""
    rng = seeded_rng("i589", seed, resp.a_number)
    signed = seed_day(seed, rng)
    narr = narrative(rng)
    lay = Layout(Style(I589_HEADER, "Form I-589 (demo)", header_font=SANS))
    _i589_part_a1(lay, resp, rng)
    _i589_entries(lay, resp, rng)
    _i589_part_a2(lay, resp, rng)
    _i589_part_a3(lay, resp, rng)
    _i589_part_b(lay, narr, rng)
    _i589_part_c(lay, rng)
    _i589_part_d(lay, resp, rng, signed)
    _i589_supplement(lay, resp, narr, max(8, rng.randint(8, 12)))
    title = f"Form I-589 - {resp.full_name} - {format_a_number(resp.a_number)}"
    stamp = office_stamp(signed, rng)
    return finish_pdf(
        lay, title=title, subject="Application for Asylum and Withholding of Removal", stamp=stamp
    )
