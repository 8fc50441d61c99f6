"""The evidence packet: an exhibit index, declarations, country conditions and scans.

A scanned page is the paper original laid out like any page, rendered to a skewed, noisy
grayscale image and put on its own page with no text layer.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import pymupdf

from common.anumber import format_a_number
from common.court_time import MONTHS
from sync_server.demo.pdfs.drawing import (
    PAGE_H,
    PAGE_W,
    RIGHT,
    SERIF,
    SERIF_BOLD,
    SERIF_ITALIC,
    Circle,
    Rect,
    Text,
)
from sync_server.demo.pdfs.layout import Layout, LayoutFull, Style, finish_pdf, render_document
from sync_server.demo.pdfs.parties import Respondent, caption
from sync_server.demo.pdfs.text import (
    GROUPS,
    OFFICERS,
    TOWNS,
    WITNESSES,
    long_date,
    narrative,
    office_stamp,
    seed_day,
    seeded_rng,
)

SCAN_DPI = 100
SCAN_JPEG_QUALITY = 50


@dataclass(frozen=True)
class _Exhibit:
    letter: str
    title: str
    kind: str  # "declaration" | "witness" | "country" | "scan"
    pages: int


_SCAN_KINDS = {
    "Birth certificate with certified translation": "CIVIL REGISTRY OFFICE",
    "Letter of support from community church": "PARISH OF SAINT ANSELM",
    "Police summons (translation attached)": "MUNICIPAL POLICE - DISTRICT STATION",
    "Medical clinic record": "REGIONAL HEALTH CENTRE",
    "Membership letter": "THE RURAL TEACHERS' UNION",
    "Newspaper article (translation attached)": "THE VALLEY HERALD",
}


def _scan_text(kind: str, resp: Respondent, rng: random.Random) -> list[str]:
    """Body paragraphs of a scanned original, written in the third person."""
    name, year = resp.display_name, rng.randrange(2012, 2020)
    texts = {
        "Birth": [
            f"Certificate No. {rng.randrange(10**5, 10**6)}. Registered name: {name}.",
            f"Date of birth: {long_date(resp.date_of_birth)}. Place of birth: "
            f"{rng.choice(TOWNS)}, {resp.nationality}.",
            "Entered in the register of births by the civil registrar on the declaration of "
            "the child's mother, in the presence of two witnesses.",
        ],
        "Letter": [
            "To whom it may concern:",
            f"{name} has been a faithful member of our congregation since {year} and has "
            "helped with our food programme and youth choir.",
            f"We know that {name} received threats because of community work, and that "
            "strangers came to the church asking where the family lived.",
            "We respectfully ask the court to give this letter full consideration.",
        ],
        "Police": [
            f"SUMMONS. {name} is ordered to present at this station on "
            f"{long_date(date(year, rng.randrange(1, 13), rng.randrange(1, 29)))} at 08:00 hours.",
            "The person summoned is to answer questions about activities with "
            f"{rng.choice(GROUPS)}.",
            "Failure to present will result in an order for detention.",
        ],
        "Medical": [
            f"Patient: {name}. Seen in the emergency room in {rng.choice(MONTHS)} {year}.",
            "Findings: bruising across the back and upper arms; a cut above the left eye closed "
            "with four stitches; pain on breathing. Patient states injuries were caused by a "
            "beating.",
            "Treatment: wound care, analgesics, rest for ten days. Follow-up advised.",
        ],
        "Membership": [
            f"This letter confirms that {name} has been an active member of our organisation "
            f"since {year}, serving as local secretary.",
            "Members of our organisation have been threatened and detained in recent years.",
        ],
        "Newspaper": [
            "ACTIVISTS REPORT THREATS AFTER TOWN MEETING",
            f"Several members of {rng.choice(GROUPS)} said this week that armed men visited "
            "their homes after a public meeting about local land rights.",
            "Police declined to comment. Residents said complaints are rarely investigated.",
        ],
    }
    return next(v for k, v in texts.items() if kind.startswith(k))


def _scan_specks(lay: Layout, rng: random.Random) -> None:
    """Paper tone, the scanner lid's shadow and dust."""
    lay.ops.insert(0, Rect(0, 0, PAGE_W, PAGE_H, stroke=None, fill=0.96))
    lay.ops.append(Rect(0, 0, 7, PAGE_H, stroke=None, fill=0.45))
    for _ in range(60):
        x, y = rng.uniform(0, PAGE_W), rng.uniform(0, PAGE_H)
        lay.ops.append(Circle(x, y, rng.uniform(0.3, 1.2), 0, None, rng.uniform(0.2, 0.7)))


def _split(total: int, rng: random.Random, most: int) -> list[int]:
    """Split ``total`` pages into exhibits of 1..``most`` pages."""
    sizes: list[int] = []
    while total > 0:
        size = min(total, rng.randint(1, most))
        sizes.append(size)
        total -= size
    return sizes


def _packet_plan(pages: int, scanned: int, rng: random.Random) -> list[_Exhibit]:
    """Exhibits in page order: index, declarations, country conditions, then scans."""
    body = pages - scanned - 1  # text pages after the index page
    decl = (body + 1) // 2 if body > 0 else 0
    witness = 1 if body - decl >= 2 else 0
    country = max(body - decl - witness, 0)
    parts = [
        ("Declaration of the respondent", "declaration", decl),
        (f"Declaration of {rng.choice(WITNESSES)}", "witness", witness),
        ("Country conditions excerpts (synthetic)", "country", country),
    ]
    most = max(3, -(-scanned // 30))
    parts += [(rng.choice(list(_SCAN_KINDS)), "scan", size) for size in _split(scanned, rng, most)]
    letters = (chr(ord("A") + i % 26) * (1 + i // 26) for i in range(len(parts)))
    return [
        _Exhibit(letter, title, kind, n)
        for (title, kind, n), letter in zip(parts, letters, strict=False)
        if n > 0
    ]


def _packet_index(lay: Layout, resp: Respondent, plan: Sequence[_Exhibit]) -> None:
    lay.limit = 1
    caption(
        lay,
        resp,
        "UNITED STATES IMMIGRATION COURT",
        "Respondent's exhibits in support of application",
    )
    lay.line("INDEX OF EXHIBITS", font=SERIF_BOLD, size=11, align="center")
    lay.gap(4)
    rows, page = [], 2
    for ex in plan:
        rows.append(
            [
                f"Exhibit {ex.letter}",
                ex.title,
                f"{page}-{page + ex.pages - 1}" if ex.pages > 1 else str(page),
            ]
        )
        page += ex.pages
    with contextlib.suppress(LayoutFull):
        lay.table(["Tab", "Description", "Pages"], rows, weights=(1, 5, 1), font=SERIF)
    lay.limit = None


_COUNTRY = (
    "Observers reported that security forces in rural provinces detained activists without "
    "warrants and held some of them for days without access to a lawyer or their families.",
    "Armed groups controlled parts of several cities, collected extortion payments from "
    "small businesses and punished people who refused or who reported them to the police.",
    "Journalists and community leaders described threats delivered by text message and in "
    "person, and several said that complaints to the police were passed on to the groups.",
    "The government announced programmes to protect witnesses, but civil society "
    "organisations said the programmes lacked funding and rarely reached people outside "
    "the capital.",
    "Members of minority churches reported that services were disrupted and that pastors "
    "were told to stop preaching about corruption.",
    "Prison conditions were harsh; overcrowding, poor sanitation and limited medical care "
    "were widely reported, and some detainees died in custody.",
)


def _country_paras(rng: random.Random) -> Iterator[str]:
    section = 0
    while True:
        section += 1
        yield f"Section {section}. " + " ".join(rng.sample(_COUNTRY, 3))


def _fill_exhibit(lay: Layout, ex: _Exhibit, paras: Iterator[str], closing: Sequence[str]) -> None:
    """Fill exactly ``ex.pages`` pages, with ``closing`` lines at the end of the last one."""
    lay.limit = len(lay.pages) + ex.pages
    lay.reserve = 24.0 + 14.0 * len(closing)
    lay.new_page()
    lay.line(f"EXHIBIT {ex.letter}", font=SERIF_BOLD, size=12, align="center")
    lay.line(ex.title, font=SERIF_BOLD, size=11, align="center")
    lay.gap(8)
    try:
        while True:
            lay.para(next(paras), font=SERIF, size=11, leading=1.4, after=7)
    except LayoutFull:
        pass
    lay.reserve = 0.0
    lay.gap(10)
    for text in closing:
        lay.line(text, font=SERIF_ITALIC, size=10)
    lay.limit = None


def _scan_source(ex: _Exhibit, resp: Respondent, page: int, rng: random.Random) -> Layout:
    """The paper original of one scanned page, with paper tone and specks."""
    lay = Layout(Style((), "", footer=False))
    lay.new_page()
    lay.line(_SCAN_KINDS[ex.title], font=SERIF_BOLD, size=14, align="center")
    lay.line(f"{rng.choice(TOWNS)} - {resp.nationality}", font=SERIF, size=11, align="center")
    lay.rule(1.5)
    suffix = f" (page {page} of {ex.pages})" if ex.pages > 1 else ""
    lay.line(ex.title.split(" (")[0] + suffix, font=SERIF_BOLD, size=12, align="center")
    lay.gap(12)
    for text in _scan_text(ex.title, resp, rng):
        lay.para(text, font=SERIF, size=12, leading=1.5, after=9)
    lay.ops.append(Circle(RIGHT - 90, lay.y + 50, 38, 2.0, 0.35))
    lay.ops.append(Circle(RIGHT - 90, lay.y + 50, 30, 0.8, 0.35))
    lay.ops.append(Text(RIGHT - 107, lay.y + 54, "SEALED", SERIF_BOLD, 10, 0.35))
    lay.signature("Authorised signature", rng.choice(OFFICERS), rng=rng)
    _scan_specks(lay, rng)
    return lay


def _speckle(pix: pymupdf.Pixmap, rng: random.Random) -> pymupdf.Pixmap:
    """Salt-and-pepper sensor noise on a grayscale pixmap."""
    samples = bytearray(pix.samples)
    size = len(samples)
    rand = rng.random
    for _ in range(size // 1500):
        samples[int(rand() * size)] = 40 + int(rand() * 160)
    return pymupdf.Pixmap(pymupdf.csGRAY, pix.width, pix.height, bytes(samples), False)  # type: ignore[no-untyped-call]


def _encode(pix: pymupdf.Pixmap) -> bytes:
    try:
        return bytes(pix.tobytes("jpeg", jpg_quality=SCAN_JPEG_QUALITY))  # type: ignore[no-untyped-call]
    except (ValueError, RuntimeError):  # builds without a JPEG encoder
        return bytes(pix.tobytes("png"))  # type: ignore[no-untyped-call]


def _scan_image(ex: _Exhibit, resp: Respondent, page: int, rng: random.Random) -> bytes:
    """Render a page of paper at scanner resolution, slightly skewed, grayscale, noisy."""
    doc = render_document(_scan_source(ex, resp, page, rng))
    zoom = SCAN_DPI / 72
    matrix = pymupdf.Matrix(zoom, zoom).prerotate(rng.choice((-1, 1)) * rng.uniform(0.4, 1.3))  # type: ignore[no-untyped-call]
    pix = doc[0].get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY, alpha=False)
    doc.close()  # type: ignore[no-untyped-call]
    return _encode(_speckle(pix, rng))


def _declaration_paras(resp: Respondent, rng: random.Random) -> Iterator[str]:
    yield (
        f"I, {resp.display_name}, declare that I am the respondent in these proceedings, "
        f"that I was born on {long_date(resp.date_of_birth)} in {resp.nationality}, and that "
        f"this statement was read back to me in {resp.language}."
    )
    for number, text in enumerate(narrative(rng), start=1):
        yield f"{number}. {text}"


def _witness_paras(resp: Respondent, rng: random.Random) -> Iterator[str]:
    yield (
        f"I have known {resp.display_name} for many years. We lived in the same town and I saw "
        "much of what is described below with my own eyes."
    )
    for text in narrative(rng):
        yield text.replace(" my ", " their ").replace("I ", "the respondent ")


def evidence_packet(resp: Respondent, *, seed: int, pages: int, scanned_pages: int) -> bytes:
    """An exhibit index, declarations and country conditions, ``scanned_pages`` of them scans.

    The packet has exactly ``pages`` pages; the scanned ones are images with no text layer.
    """
    if pages < 1 or not 0 <= scanned_pages <= pages:
        raise ValueError("need pages >= 1 and 0 <= scanned_pages <= pages")
    rng = seeded_rng("evidence", seed, resp.a_number, pages, scanned_pages)
    lay = Layout(Style((), f"Respondent's evidence - {format_a_number(resp.a_number)}"))
    plan = _packet_plan(pages, scanned_pages, rng)
    if scanned_pages < pages:
        _packet_index(lay, resp, plan)
    _packet_body(lay, resp, plan, rng)
    title = f"Evidence - {resp.full_name} - {format_a_number(resp.a_number)}"
    stamp = office_stamp(seed_day(seed, rng), rng)
    return finish_pdf(lay, title=title, subject="Respondent's evidence packet", stamp=stamp)


def _packet_body(
    lay: Layout, resp: Respondent, plan: Sequence[_Exhibit], rng: random.Random
) -> None:
    sign = [
        f"Signed under penalty of perjury on {long_date(seed_day(1, rng))}.",
        "____________________________",
    ]
    for ex in plan:
        if ex.kind == "scan":
            for page in range(1, ex.pages + 1):
                lay.add_image_page(_scan_image(ex, resp, page, rng))
        elif ex.kind == "declaration":
            _fill_exhibit(lay, ex, _declaration_paras(resp, rng), sign)
        elif ex.kind == "witness":
            _fill_exhibit(lay, ex, _witness_paras(resp, rng), sign)
        else:
            closing = [
                "These excerpts are invented for a demonstration system; they describe no real "
                "country."
            ]
            _fill_exhibit(lay, ex, _country_paras(rng), closing)
