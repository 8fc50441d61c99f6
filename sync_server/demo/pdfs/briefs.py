"""A practitioner's brief of an exact page count: caption, argument, conclusion."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import date

from common.anumber import format_a_number
from sync_server.demo.pdfs.drawing import SERIF, SERIF_BOLD
from sync_server.demo.pdfs.layout import Layout, LayoutFull, Style, finish_pdf
from sync_server.demo.pdfs.parties import Respondent, caption
from sync_server.demo.pdfs.text import (
    ATTORNEYS,
    ORGS,
    long_date,
    narrative,
    office_stamp,
    seed_day,
    seeded_rng,
)

_SECTIONS = (
    "THE RESPONDENT IS CREDIBLE AND HIS OR HER ACCOUNT IS CORROBORATED",
    "THE HARM SUFFERED RISES TO THE LEVEL OF PERSECUTION",
    "THE PERSECUTION WAS ON ACCOUNT OF A PROTECTED GROUND",
    "THE GOVERNMENT IS UNABLE OR UNWILLING TO PROTECT THE RESPONDENT",
    "INTERNAL RELOCATION IS NOT REASONABLE",
    "THE RESPONDENT QUALIFIES FOR WITHHOLDING OF REMOVAL UNDER INA 241(b)(3)",
    "THE RESPONDENT QUALIFIES FOR PROTECTION UNDER THE CONVENTION AGAINST TORTURE",
    "THE APPLICATION WAS TIMELY OR AN EXCEPTION APPLIES",
)

_ARGUMENT = (
    "The respondent bears the burden of establishing eligibility under INA 208(b)(1)(B)(i), "
    "and the testimony of a credible applicant may carry that burden without corroboration. "
    "Here the testimony is detailed, internally consistent and consistent with the exhibits.",
    "The record shows repeated threats, a detention and a beating, considered together and "
    "not in isolation. Harm of this kind, inflicted over months, is persecution.",
    "The persecutors' own words show why they targeted the respondent: they named the "
    "respondent's organisation and demanded that the activities stop. At least one central "
    "reason for the harm is a protected ground.",
    "The respondent reported the attack and was turned away; the country materials in the "
    "record describe police who pass complaints to the very groups they concern.",
    "Because past persecution is established, a well-founded fear of future persecution is "
    "presumed under 8 C.F.R. 1208.13(b)(1), and the Department has not rebutted it.",
    "The respondent was found within weeks after moving to another province. Relocation "
    "is neither safe nor reasonable in light of the persecutors' reach.",
    "For the same reasons, it is more likely than not that the respondent's life or freedom "
    "would be threatened on return, and withholding of removal is mandatory.",
    "Public officials acquiesced in the harm by remaining wilfully blind to it; the "
    "respondent therefore also qualifies for deferral or withholding under 8 C.F.R. 1208.16(c).",
)


def _deck(items: Sequence[str], rng: random.Random) -> Iterator[str]:
    """Endless draws from ``items``, each used once per shuffled round."""
    while True:
        order = list(items)
        rng.shuffle(order)
        yield from order


def _quote(narr: Iterator[str], number: int) -> str:
    return f'The respondent\'s declaration states (Exh. A, para. {number}): "{next(narr)}"'


def _brief_body(resp: Respondent, rng: random.Random) -> Iterator[tuple[str, str]]:
    """Endless (kind, text) items: headings and paragraphs of an asylum brief."""
    yield "heading", "I. INTRODUCTION"
    yield (
        "para",
        (
            f"The respondent, {resp.display_name}, a native and citizen of {resp.nationality}, "
            "respectfully submits this brief in support of the applications for asylum, "
            "withholding of removal and protection under the Convention Against Torture."
        ),
    )
    yield "heading", "II. STATEMENT OF FACTS"
    narr = narrative(rng)
    for number in range(1, rng.randrange(3, 5)):
        yield "para", _quote(narr, number)
    yield "heading", "III. ARGUMENT"
    args = _deck(_ARGUMENT, rng)
    for number in range(10_000):
        letter = chr(ord("A") + number % 26) * (1 + number // 26)
        yield "heading", f"{letter}. {_SECTIONS[number % len(_SECTIONS)]}"
        for _ in range(rng.randrange(2, 4)):
            use_quote = rng.random() < 0.25
            yield "para", _quote(narr, rng.randrange(5, 40)) if use_quote else next(args)


def _brief_head(lay: Layout, resp: Respondent, title: str, rng: random.Random) -> str:
    attorney = rng.choice(ATTORNEYS)
    org = rng.choice(ORGS)
    for text in (
        attorney,
        org,
        f"{rng.randrange(10, 999)} Example Avenue, Suite {rng.randrange(100, 900)}",
        f"EOIR ID: {rng.choice('ABCDEFGHJK')}{rng.randrange(10**6):06d}",
        "Counsel for the Respondent",
    ):
        lay.line(text, font=SERIF, size=10)
    lay.gap(10)
    lay.line("UNITED STATES DEPARTMENT OF JUSTICE", font=SERIF_BOLD, size=11, align="center")
    lay.line("EXECUTIVE OFFICE FOR IMMIGRATION REVIEW", font=SERIF_BOLD, size=11, align="center")
    caption(lay, resp, "IMMIGRATION COURT", title)
    return attorney


def _brief_close(
    lay: Layout, resp: Respondent, attorney: str, rng: random.Random, filed: date
) -> None:
    lay.heading("CONCLUSION", size=11)
    lay.para(
        f"For these reasons, the court should grant {resp.display_name}'s applications.",
        font=SERIF,
        size=11,
    )
    lay.signature(f"Counsel for the respondent - {long_date(filed)}", attorney, rng=rng)
    lay.line("CERTIFICATE OF SERVICE", font=SERIF_BOLD, size=10)
    lay.line(
        f"On {long_date(filed)} I served a copy of this brief on DHS counsel electronically.",
        font=SERIF,
        size=10,
    )


def brief(resp: Respondent, *, title: str, seed: int, pages: int) -> bytes:
    """A practitioner's brief of exactly ``pages`` pages: caption, argument, conclusion."""
    if pages < 1:
        raise ValueError("pages must be >= 1")
    rng = seeded_rng("brief", seed, resp.a_number, title, pages)
    filed = seed_day(seed, rng)
    lay = Layout(Style((), f"{title} - {format_a_number(resp.a_number)}"))
    attorney = _brief_head(lay, resp, title, rng)
    lay.limit, lay.reserve = pages, 170.0
    try:
        for kind, text in _brief_body(resp, rng):
            if kind == "heading":
                lay.heading(text, size=10.5)
            else:
                lay.para(text, font=SERIF, size=11.5, leading=1.6, indent=0, after=8)
    except LayoutFull:
        pass
    lay.reserve = 0.0
    _brief_close(lay, resp, attorney, rng, filed)
    lay.limit = None
    return finish_pdf(
        lay, title=f"{title} - {resp.full_name}", subject="Brief", stamp=office_stamp(filed, rng)
    )
