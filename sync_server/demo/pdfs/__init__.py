"""Deterministic, synthetic demo PDFs for the seed-demo command.

The documents imitate the *structure* of immigration-court paperwork (a notice to appear, an
asylum application, an evidence packet, a notice of hearing, a brief) so that the viewer,
search, eROP packaging and intake have realistic material to work on. Every person, place
and event in them is fictional and every page says so in its footer; the prose is written
for this project.

The same arguments always give byte-identical output: randomness comes from
``random.Random`` seeded with the arguments, the metadata dates are derived from them and
no document ID is generated. Text pages carry a real text layer (base-14 Helvetica, Times
and Courier, not embedded); the "scanned" pages of an evidence packet are grayscale JPEG
images with no text at all, like a real scan.

PyMuPDF leaves some of its methods unannotated; calls to those carry
``type: ignore[no-untyped-call]`` so that the package passes ``mypy --strict``.

Modules: ``drawing`` (geometry, fonts, PDF operators), ``layout`` (flowing pages, page
header and footer, rendering), ``text`` (seeded randomness, dates, fictional word banks),
``parties`` (respondent, court, caption), and one module per document: ``nta``, ``i589``,
``evidence``, ``notices`` (hearing notice and the self-test sample), ``briefs``.
"""

from sync_server.demo.pdfs.briefs import brief
from sync_server.demo.pdfs.evidence import evidence_packet
from sync_server.demo.pdfs.i589 import i589_application
from sync_server.demo.pdfs.notices import hearing_notice, sample_pdf_bytes
from sync_server.demo.pdfs.nta import notice_to_appear
from sync_server.demo.pdfs.parties import CourtInfo, Respondent

__all__ = [
    "CourtInfo",
    "Respondent",
    "brief",
    "evidence_packet",
    "hearing_notice",
    "i589_application",
    "notice_to_appear",
    "sample_pdf_bytes",
]
