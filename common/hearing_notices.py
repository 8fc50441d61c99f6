# mypy: disable-error-code="no-untyped-call"
"""Notices of hearing: which scheduling change issues one, what it says, and its PDF.

Setting a hearing, resetting it (a new date, time, place, medium or kind of hearing),
adjourning it and cancelling it each give the parties written notice (8 CFR 1003.18(b);
INA 239(a)(1)(G), 239(a)(2)). The server issues the notice when the clerk's change reaches
it (``sync_server/services/notices.py``); this module is pure: given the facts, it decides
the kind of notice, assembles its text from ``resources/notice_templates/hearing_notice.json``
(every paragraph carries its source there) and renders the PDF, deterministically (the same
notice gives the same bytes).

A notice is the court's calendar act, not an order: it has no signature block and never
says "ORDER". Dates and times are the court's (``common.court_time``), with the zone's
abbreviation beside every time.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import pymupdf

from common import pdf_tags
from common.anumber import format_a_number
from common.court_time import court_zone, format_date, format_datetime, local_date, pdf_date
from common.enums import CaseType, HearingStatus, HearingType, Medium
from common.resources import DataFileError, read_data_file, require, resources_dir
from common.service import CertificateOfService, Proceeding
from common.wire import Hearing

TEMPLATE_FILE = Path("notice_templates") / "hearing_notice.json"


class NoticeKind(StrEnum):
    """The scheduling change a notice reports."""

    SCHEDULED = "scheduled"
    RESCHEDULED = "rescheduled"
    ADJOURNED = "adjourned"
    CANCELLED = "cancelled"


# What the parties must know to appear: a change to any of these resets the hearing. The
# judge, the length and the interpreter are not part of the setting a notice gives notice of.
SETTING_FIELDS = ("starts_at", "courtroom_id", "medium", "hearing_type")


def notice_kind(old: Hearing | None, new: Hearing) -> NoticeKind | None:
    """The notice that the change from ``old`` (None: a new record) to ``new`` issues, or
    None when the change gives nobody anything to act on (a hearing recorded as held, an
    outcome typed in, a judge reassigned)."""
    if new.status is HearingStatus.SCHEDULED:
        if old is None:
            return NoticeKind.SCHEDULED
        if old.status is not HearingStatus.SCHEDULED:
            return NoticeKind.RESCHEDULED  # set again after it was adjourned or cancelled
        if any(getattr(old, name) != getattr(new, name) for name in SETTING_FIELDS):
            return NoticeKind.RESCHEDULED
        return None
    if old is None:
        # A hearing entered already adjourned or cancelled records the past; the notice
        # that matters (of the next hearing) comes with that hearing.
        return None
    if new.status is HearingStatus.ADJOURNED and old.status is not HearingStatus.ADJOURNED:
        return NoticeKind.ADJOURNED
    if new.status is HearingStatus.CANCELLED and old.status is not HearingStatus.CANCELLED:
        return NoticeKind.CANCELLED
    return None


def service_proceeding(case_type: str, hearing_type: str) -> Proceeding:
    """The proceeding a hearing's notice is served in, as an EOIR-28's scope divides
    them: a bond hearing, or any hearing of a bond case, is custody and bond (counsel
    whose appearance covers only that is served its notice, and only they)."""
    if hearing_type == HearingType.BOND.value or case_type == CaseType.BOND.value:
        return Proceeding.CUSTODY_AND_BOND
    return Proceeding.MAIN


# --- the wording, as data ------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """Where a paragraph's content comes from, and when that text was read."""

    document: str
    section: str
    read_on: str


@dataclass(frozen=True)
class Advisal:
    """One paragraph of the notice's advisals, for the proceedings in ``applies_to``."""

    key: str
    heading: str
    text: str
    applies_to: tuple[str, ...]
    sources: tuple[Citation, ...]
    assumption: str | None = None


@dataclass(frozen=True)
class NoticeTemplate:
    key: str
    version: str
    read_on: str
    agency: tuple[str, ...]
    court_prefix: str
    captions: Mapping[str, str]
    bond_caption: str
    titles: Mapping[NoticeKind, tuple[str, str]]  # (heading on the page, eROP title)
    hearing_types: Mapping[str, str]
    proceeding_hearings: Mapping[str, str]
    openings: Mapping[NoticeKind, str]
    next_known: str
    next_unknown: str
    media: Mapping[str, tuple[str, str]]  # medium -> (label, what to do)
    interpreter: str
    advisals_heading: str
    advisals: tuple[Advisal, ...]
    service_heading: str
    service_text: str
    # The paragraph on the respondent's mailed copy giving the case access code.
    access_heading: str = "YOUR CASE ACCESS CODE"
    access_text: str = "Case access code: {code}. Portal: {portal}."
    # The PDF's /Lang (BCP 47): the language the wording is written in.
    language: str = "en-US"

    def proceeding(self, case_type: str, hearing_type: str) -> str:
        """The proceedings a hearing belongs to: its case's type, except that a bond
        hearing is a bond proceeding whatever case it is held in (8 CFR 1003.19(d))."""
        if hearing_type == HearingType.BOND.value:
            return self.bond_caption
        return case_type

    def hearing_label(self, proceeding: str, hearing_type: str) -> str:
        """What the hearing is called: the proceeding's own kind of hearing where it has
        one (a credible fear review), else the calendar type's."""
        return self.proceeding_hearings.get(proceeding) or self.hearing_types[hearing_type]

    def caption(self, proceeding: str) -> str:
        return self.captions[proceeding]

    def advisals_for(self, proceeding: str) -> list[Advisal]:
        return [a for a in self.advisals if proceeding in a.applies_to]


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_ALLOWED = {
    "opening": {"hearing_type", "previous_when", "adjournment_reason"},
    "interpreter": {"language"},
    "service": {"served_on", "served_by"},
    "access": {"code", "portal"},
}


def _text(record: Mapping[str, object], key: str, where: str, allowed: set[str]) -> str:
    value = require(record, key, str, where=where)
    stray = sorted(set(_PLACEHOLDER.findall(value)) - allowed)
    if stray:
        raise DataFileError(f"{where}: unknown merge fields {stray} in {key!r}")
    if not value.strip():
        raise DataFileError(f"{where}: {key!r} must not be empty")
    return value


def _sources(record: Mapping[str, object], where: str, read_on: str) -> tuple[Citation, ...]:
    raw = require(record, "source", list, where=where)
    if not raw:
        raise DataFileError(f"{where}: every paragraph names its source")
    out = []
    for index, item in enumerate(raw):
        spot = f"{where} source {index}"
        if not isinstance(item, dict):
            raise DataFileError(f"{spot}: must be an object with document and section")
        out.append(
            Citation(
                document=require(item, "document", str, where=spot),
                section=require(item, "section", str, where=spot),
                read_on=str(item.get("read_on", read_on)),
            )
        )
    return tuple(out)


def _object(record: Mapping[str, object], key: str, where: str) -> dict[str, Any]:
    value: dict[str, Any] = require(record, key, dict, where=where)
    return value


def parse_notice_template(data: Mapping[str, object], where: str = "notice") -> NoticeTemplate:
    """The notice's wording from its JSON object; anything missing, a proceeding without a
    caption, a kind without a title or opening, a paragraph without a source or an unknown
    merge field raises :class:`DataFileError` naming it."""
    read_on = require(data, "read_on", str, where=where)
    captions_raw = _object(data, "captions", where)
    captions = {}
    for case_type in CaseType:
        spot = f"{where} caption {case_type.value}"
        entry = captions_raw.get(case_type.value)
        if not isinstance(entry, dict):
            raise DataFileError(f"{spot}: missing (every case type needs its caption)")
        _sources(entry, spot, read_on)
        captions[case_type.value] = _text(entry, "text", spot, set())
    bond_caption = require(data, "bond_hearing_caption", str, where=where)
    if bond_caption not in captions:
        raise DataFileError(f"{where}: bond_hearing_caption names no caption")
    titles_raw = _object(data, "titles", where)
    openings_raw = _object(data, "openings", where)
    _sources(titles_raw, f"{where} titles", read_on)
    titles, openings = {}, {}
    for kind in NoticeKind:
        spot = f"{where} {kind.value}"
        title = titles_raw.get(kind.value)
        opening = openings_raw.get(kind.value)
        if not isinstance(title, dict) or not isinstance(opening, dict):
            raise DataFileError(f"{spot}: every kind of notice needs a title and an opening")
        titles[kind] = (
            _text(title, "text", spot, set()),
            _text(title, "document_title", spot, set()),
        )
        _sources(opening, f"{spot} opening", read_on)
        openings[kind] = _text(opening, "text", f"{spot} opening", _ALLOWED["opening"])
    kinds_raw = _object(data, "hearing_types", where)
    hearing_types = {}
    for hearing_type in HearingType:
        label = kinds_raw.get(hearing_type.value)
        if not isinstance(label, str):
            raise DataFileError(f"{where}: hearing type {hearing_type.value!r} has no label")
        hearing_types[hearing_type.value] = label
    proceeding_hearings = {
        str(k): str(v)
        for k, v in _object(data, "proceeding_hearing_labels", where).items()
        if k in captions
    }
    media_raw = _object(data, "media", where)
    media = {}
    for medium in Medium:
        spot = f"{where} medium {medium.value}"
        entry = media_raw.get(medium.value)
        if not isinstance(entry, dict):
            raise DataFileError(f"{spot}: missing")
        _sources(entry, spot, read_on)
        media[medium.value] = (
            _text(entry, "label", spot, set()),
            _text(entry, "text", spot, set()),
        )
    next_raw = _object(data, "next_hearing", where)
    _sources(next_raw, f"{where} next_hearing", read_on)
    interpreter_raw = _object(data, "interpreter", where)
    _sources(interpreter_raw, f"{where} interpreter", read_on)
    advisals = []
    for index, raw in enumerate(require(data, "advisals", list, where=where)):
        spot = f"{where} advisal {index}"
        if not isinstance(raw, dict):
            raise DataFileError(f"{spot}: must be an object")
        applies = tuple(str(p) for p in require(raw, "applies_to", list, where=spot))
        unknown = sorted(set(applies) - set(captions))
        if unknown or not applies:
            raise DataFileError(f"{spot}: applies_to names unknown proceedings {unknown}")
        assumption = raw.get("assumption")
        advisals.append(
            Advisal(
                key=require(raw, "key", str, where=spot),
                heading=_text(raw, "heading", spot, set()),
                text=_text(raw, "text", spot, set()),
                applies_to=applies,
                sources=_sources(raw, spot, read_on),
                assumption=str(assumption) if assumption else None,
            )
        )
    service_raw = _object(data, "service", where)
    _sources(service_raw, f"{where} service", read_on)
    access_raw = _object(data, "respondent_access", where)
    _sources(access_raw, f"{where} respondent_access", read_on)
    return NoticeTemplate(
        key=require(data, "key", str, where=where),
        version=require(data, "version", str, where=where),
        read_on=read_on,
        agency=tuple(str(line) for line in require(data, "agency", list, where=where)),
        court_prefix=require(data, "court_prefix", str, where=where),
        captions=captions,
        bond_caption=bond_caption,
        titles=titles,
        hearing_types=hearing_types,
        proceeding_hearings=proceeding_hearings,
        openings=openings,
        next_known=_text(next_raw, "known", f"{where} next_hearing", set()),
        next_unknown=_text(next_raw, "unknown", f"{where} next_hearing", set()),
        media=media,
        interpreter=_text(interpreter_raw, "text", f"{where} interpreter", _ALLOWED["interpreter"]),
        advisals_heading=require(data, "advisals_heading", str, where=where),
        advisals=tuple(advisals),
        service_heading=_text(service_raw, "heading", f"{where} service", set()),
        service_text=_text(service_raw, "text", f"{where} service", _ALLOWED["service"]),
        access_heading=_text(access_raw, "heading", f"{where} respondent_access", set()),
        access_text=_text(access_raw, "text", f"{where} respondent_access", _ALLOWED["access"]),
        language=str(data.get("language") or "en-US"),
    )


@lru_cache(maxsize=4)
def _load(path: Path) -> NoticeTemplate:
    return parse_notice_template(read_data_file(path), path.name)


def notice_template() -> NoticeTemplate:
    """The notice wording in force (read once per process)."""
    return _load(resources_dir() / TEMPLATE_FILE)


# --- one notice ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """A hearing as a notice gives it."""

    starts_at: datetime  # aware (UTC from storage); shown in the court's time
    hearing_type: str
    medium: str
    courtroom: str | None = None
    judge: str | None = None
    interpreter_language: str | None = None


@dataclass(frozen=True)
class NoticeCourt:
    name: str
    street: str
    city: str
    state: str
    timezone: str

    @property
    def address(self) -> str:
        return f"{self.street}, {self.city}, {self.state}"


@dataclass(frozen=True)
class HearingNotice:
    """Everything one notice says. ``setting`` is the hearing the notice is about (for an
    adjourned or cancelled hearing: as it was set); ``previous`` the setting a reset
    replaced; ``next`` the case's next hearing, named on an adjournment or cancellation."""

    notice_id: str
    kind: NoticeKind
    case_type: str
    a_number: str
    respondent_name: str
    court: NoticeCourt
    setting: Setting
    issued_at: datetime
    service: CertificateOfService  # who is served, how and where (common.service)
    previous: Setting | None = None
    next: Setting | None = None
    adjournment_reason: str | None = None
    # Only on the copy mailed to an unrepresented respondent: the case access code for the
    # portal (sync_server/services/access_codes.py) and where the portal is.
    access_code: str | None = None
    portal_address: str = ""


@dataclass(frozen=True)
class NoticeText:
    """A notice's content in reading order: what the PDF shows, and what tests read."""

    caption: str
    title: str
    document_title: str
    notice_date: str
    opening: tuple[str, ...]
    details: tuple[tuple[str, str], ...]  # (label, value); empty when no hearing is set
    instructions: tuple[str, ...]
    service_heading: str
    service_intro: str
    service_lines: tuple[str, ...]
    advisals_heading: str
    advisals: tuple[Advisal, ...]
    access_heading: str = ""
    access: str = ""  # the access code paragraph (the respondent's mailed copy only)


def _details(
    template: NoticeTemplate, proceeding: str, setting: Setting, court: NoticeCourt
) -> tuple[tuple[str, str], ...]:
    label, _ = template.media[setting.medium]
    place = f"{court.name}, {court.address}"
    if setting.courtroom and setting.medium == Medium.IN_PERSON.value:
        place += f" — {setting.courtroom}"
    rows = [
        ("Hearing", template.hearing_label(proceeding, setting.hearing_type).capitalize()),
        ("Date and time", format_datetime(setting.starts_at, court.timezone)),
        ("Appearance", label),
        ("Place" if setting.medium == Medium.IN_PERSON.value else "Court", place),
    ]
    if setting.judge:
        rows.append(("Presiding", setting.judge))
    if setting.interpreter_language:
        rows.append(("Interpreter", setting.interpreter_language))
    return tuple(rows)


def notice_text(notice: HearingNotice, template: NoticeTemplate | None = None) -> NoticeText:
    """The notice's content, every date and time in the court's time."""
    template = template or notice_template()
    zone = notice.court.timezone
    court_zone(zone)  # an unknown zone stops here, with what to fix, before any text
    proceeding = template.proceeding(notice.case_type, notice.setting.hearing_type)
    heading, document_title = template.titles[notice.kind]
    earlier = notice.previous or notice.setting
    values = {
        "hearing_type": template.hearing_label(proceeding, notice.setting.hearing_type),
        "previous_when": format_datetime(earlier.starts_at, zone),
        "adjournment_reason": notice.adjournment_reason or "not recorded",
    }
    opening = [template.openings[notice.kind].format_map(values)]
    shown: Setting | None = notice.setting
    if notice.kind in (NoticeKind.ADJOURNED, NoticeKind.CANCELLED):
        shown = notice.next
        opening.append(template.next_known if shown is not None else template.next_unknown)
    instructions = []
    if shown is not None:
        instructions.append(template.media[shown.medium][1])
        if shown.interpreter_language:
            instructions.append(template.interpreter.format(language=shown.interpreter_language))
    served_on = format_date(local_date(notice.issued_at, zone))
    served_by = notice.service.served_by
    return NoticeText(
        caption=template.caption(proceeding),
        title=heading,
        document_title=document_title,
        notice_date=served_on,
        opening=tuple(opening),
        details=_details(template, proceeding, shown, notice.court) if shown else (),
        instructions=tuple(instructions),
        service_heading=template.service_heading,
        service_intro=template.service_text.format(served_on=served_on, served_by=served_by),
        service_lines=tuple(party.describe() for party in notice.service.parties),
        advisals_heading=template.advisals_heading,
        advisals=tuple(template.advisals_for(proceeding)),
        access_heading=template.access_heading if notice.access_code else "",
        access=template.access_text.format(
            code=notice.access_code, portal=notice.portal_address or "the court's portal"
        )
        if notice.access_code
        else "",
    )


# --- the PDF -------------------------------------------------------------------------------

PAGE = pymupdf.paper_rect("letter")
MARGIN = 72.0
_CSS = """
* { font-family: serif; font-size: 10.5pt; line-height: 1.3; }
p { margin: 0 0 6pt 0; text-align: justify; }
.agency { text-align: center; font-weight: bold; margin: 0; }
.court { text-align: center; margin: 2pt 0 12pt 0; }
.caption { width: 100%; margin: 0 0 8pt 0; }
.caption td { vertical-align: top; padding: 2pt 4pt; width: 50%; }
.dated { text-align: right; }
h1 { font-size: 13pt; text-align: center; margin: 10pt 0 8pt 0; }
h2 { font-size: 11pt; text-align: center; margin: 12pt 0 6pt 0; }
.details { margin: 4pt 0 8pt 0; padding: 4pt 8pt; border: 1px solid black; }
.details p { margin: 0 0 2pt 0; text-align: left; }
.note { font-size: 9pt; font-style: italic; }
.service { margin-top: 10pt; }
.service p { font-size: 9.5pt; margin: 0 0 2pt 0; text-align: left; }
.advisal { margin: 0 0 6pt 0; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def notice_html(notice: HearingNotice, text: NoticeText, template: NoticeTemplate) -> str:
    """The notice as HTML for PyMuPDF's story layout."""
    court = notice.court
    parts = [f'<p class="agency">{_e(line)}</p>' for line in template.agency]
    parts += [
        f'<p class="agency">{_e(template.court_prefix)}</p>',
        f'<p class="court">{_e(court.name)}<br/>{_e(court.address)}</p>',
        '<table class="caption"><tr>',
        f"<td>In the Matter of:<br/><b>{_e(notice.respondent_name.upper())}</b>,"
        "<br/>Respondent</td>",
        f"<td>File: <b>{_e(format_a_number(notice.a_number))}</b><br/>{_e(text.caption)}</td>",
        "</tr></table>",
        f'<p class="dated">Date of this notice: {_e(text.notice_date)}</p>',
        f"<h1>{_e(text.title)}</h1>",
    ]
    parts += [f"<p>{_e(line)}</p>" for line in text.opening]
    if text.details:
        # One "Label: value" line each (a two-column table wraps the labels word by word).
        rows = "".join(f"<p><b>{_e(label)}:</b> {_e(value)}</p>" for label, value in text.details)
        parts.append(f'<div class="details">{rows}</div>')
        parts.append(
            f'<p class="note">Dates and times are the court\'s local time ({_e(court.timezone)}).'
            "</p>"
        )
    parts += [f"<p>{_e(line)}</p>" for line in text.instructions]
    lines = "".join(f"<p>{_e(line)}</p>" for line in text.service_lines)
    parts.append(
        f'<div class="service"><p><b>{_e(text.service_heading)}</b></p>'
        f"<p>{_e(text.service_intro)}</p>{lines}</div>"
    )
    parts.append(f"<h2>{_e(text.advisals_heading)}</h2>")
    parts += [f'<p class="advisal"><b>{_e(a.heading)}.</b> {_e(a.text)}</p>' for a in text.advisals]
    return "\n".join(parts)


def render_notice(notice: HearingNotice, template: NoticeTemplate | None = None) -> bytes:
    """The notice as PDF bytes: letter pages, the A-number and "Page X of Y" on each."""
    template = template or notice_template()
    text = notice_text(notice, template)
    tagged = pdf_tags.tag_html(notice_html(notice, text, template), layout_tables=("caption",))
    raw, positions = _lay_out(tagged.html)
    with pymupdf.open(stream=raw, filetype="pdf") as doc:
        # Tagged PDF (common/pdf_tags.py): the text in reading order under a structure
        # tree; the footers drawn below are artifacts.
        for number in range(doc.page_count):
            where = positions.assign(number, PAGE.height - MARGIN)
            pdf_tags.tag_page(doc, number, where, tagged.nodes)
        pdf_tags.write_structure(doc, tagged.root, lang=template.language)
        total = doc.page_count
        a_number = format_a_number(notice.a_number)
        # One font object for every footer (``insert_text`` would load it again per page,
        # which costs more than laying out the whole notice).
        font = pymupdf.Font("tiro")
        for number, page in enumerate(doc, start=1):
            # The story's content leaves its coordinate transform in force; wrapped in
            # save/restore, the footer is drawn in the page's own coordinates.
            if not page.is_wrapped:
                page.wrap_contents()
            footer = f"{a_number}   Page {number} of {total}"
            line = pymupdf.TextWriter(page.rect)
            width = font.text_length(footer, fontsize=9)
            line.append(((PAGE.width - width) / 2, PAGE.height - 32), footer, font, 9)
            before = set(page.get_contents())
            line.write_text(page)
            added = [x for x in page.get_contents() if x not in before]
            pdf_tags.tag_page(doc, number - 1, pdf_tags.artifacts_only, {}, xrefs=added)
        stamp = pdf_date(notice.issued_at)
        doc.set_metadata(
            {
                "title": f"{text.document_title} — {a_number}",
                "author": court_author(notice.court),
                "subject": f"{template.key} {template.version}; {notice.kind.value}; "
                f"notice {notice.notice_id}",
                "creator": "ECAS",
                "producer": "ECAS (PyMuPDF)",
                "keywords": "",
                "trapped": "",
                "format": "",
                "encryption": None,
                "creationDate": stamp,
                "modDate": stamp,
            }
        )
        return bytes(doc.tobytes(garbage=1, deflate=True, no_new_id=True))


def _lay_out(html: str) -> tuple[bytes, pdf_tags.Positions]:
    """``html`` on letter pages, and where each tagged block landed."""
    story = pymupdf.Story(html=html, user_css=_CSS)
    body = pymupdf.Rect(MARGIN, MARGIN, PAGE.width - MARGIN, PAGE.height - MARGIN)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    positions = pdf_tags.Positions()
    more, page = True, 0
    while more:
        device = writer.begin_page(PAGE)
        more, _ = story.place(body)
        positions.record(story, page)
        story.draw(device)
        writer.end_page()
        page += 1
    writer.close()
    return buffer.getvalue(), positions


def mailed_copy_with_code(
    record_copy: bytes, notice: HearingNotice, template: NoticeTemplate | None = None
) -> bytes:
    """The copy mailed to the respondent: the record's copy with one more page giving the
    case access code (``notice.access_code``), headed with the notice it goes with. The
    record's copy itself never carries the code; laying out one short page instead of the
    whole notice again keeps a push of many notices quick."""
    template = template or notice_template()
    text = notice_text(notice, template)
    if not text.access:
        return record_copy
    a_number = format_a_number(notice.a_number)
    page_html = (
        f"<h1>{_e(text.access_heading)}</h1>"
        f"<p>{_e(notice.respondent_name.upper())} — {_e(a_number)}</p>"
        f"<p>{_e(text.document_title)}, {_e(text.notice_date)}</p>"
        f'<div class="details"><p>{_e(text.access)}</p></div>'
    )
    tagged = pdf_tags.tag_html(page_html, prefix="code")
    raw, positions = _lay_out(tagged.html)
    with (
        pymupdf.open(stream=record_copy, filetype="pdf") as doc,
        pymupdf.open(stream=raw, filetype="pdf") as extra,
    ):
        first = doc.page_count
        doc.insert_pdf(extra)
        # The added page joins the record copy's structure tree, after the notice.
        for number in range(first, doc.page_count):
            where = positions.assign(number - first, PAGE.height - MARGIN)
            pdf_tags.tag_page(doc, number, where, tagged.nodes)
        pdf_tags.write_structure(doc, tagged.root, lang=template.language)
        return bytes(doc.tobytes(garbage=1, deflate=True, no_new_id=True))


def court_author(court: NoticeCourt) -> str:
    return f"{court.name} (Executive Office for Immigration Review)"


# Ligatures as their letters ("fi", not U+FB01), so the text reads as it was written.
_TEXT_FLAGS = pymupdf.TEXTFLAGS_TEXT & ~pymupdf.TEXT_PRESERVE_LIGATURES


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text (for checks and tests)."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return [str(page.get_text("text", flags=_TEXT_FLAGS)) for page in doc]


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF, pages joined."""
    return "\n".join(page_texts(pdf))


def page_count(pdf: bytes) -> int:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return int(doc.page_count)
