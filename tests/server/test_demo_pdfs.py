"""The demo PDF generators: valid, deterministic, with (or, for scans, without) a text layer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pymupdf
import pytest

from sync_server.demo.pdfs import (
    CourtInfo,
    Respondent,
    brief,
    evidence_packet,
    hearing_notice,
    i589_application,
    notice_to_appear,
    sample_pdf_bytes,
)

RESP = Respondent(
    first_name="Elena",
    last_name="Marquetti",
    a_number="123456789",
    nationality="Examplestan",
    language="Spanish",
    date_of_birth=date(1990, 4, 17),
    address="1200 Sample Street, Apt 4, Houston, TX 77002",
)
COURT = CourtInfo(
    name="Houston Immigration Court",
    address="600 Example Boulevard, Suite 900",
    city="Houston, TX",
)
A_NUMBER = "A123-456-789"


def _nta(seed: int = 7) -> bytes:
    return notice_to_appear(
        RESP, COURT, served_on=date(2023, 5, 2), charges=["212(a)(6)(A)(i)"], seed=seed
    )


def _hearing(seed: int = 7) -> bytes:
    return hearing_notice(
        RESP,
        COURT,
        hearing_at=datetime(2024, 3, 5, 9, 30),
        hearing_type="master",
        courtroom="7",
        judge="Theodora Quill",
        seed=seed,
    )


def _i589(seed: int = 7) -> bytes:
    return i589_application(RESP, seed=seed)


def _evidence(seed: int = 7) -> bytes:
    return evidence_packet(RESP, seed=seed, pages=10, scanned_pages=3)


def _brief(seed: int = 7) -> bytes:
    return brief(RESP, title="Brief in support of asylum", seed=seed, pages=5)


def _sample(seed: int = 7) -> bytes:
    return sample_pdf_bytes()


GENERATORS: dict[str, Callable[[int], bytes]] = {
    "nta": _nta,
    "hearing": _hearing,
    "i589": _i589,
    "evidence": _evidence,
    "brief": _brief,
    "sample": _sample,
}


def _open(data: bytes) -> pymupdf.Document:
    doc = pymupdf.open(stream=data, filetype="pdf")
    assert not doc.is_repaired
    assert not doc.needs_pass
    return doc


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_deterministic(name: str) -> None:
    make = GENERATORS[name]
    assert make(3) == make(3)


@pytest.mark.parametrize("name", ["nta", "hearing", "i589", "evidence", "brief"])
def test_seed_changes_content(name: str) -> None:
    make = GENERATORS[name]
    assert make(1) != make(2)


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_no_javascript_or_embedded_files(name: str) -> None:
    doc = _open(GENERATORS[name](5))
    assert doc.embfile_count() == 0
    for xref in range(1, doc.xref_length()):
        source = doc.xref_object(xref, compressed=True)
        for key in ("/JavaScript", "/JS", "/OpenAction", "/AA", "/EmbeddedFile", "/Launch"):
            assert key not in source, (xref, key)


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_metadata_is_fixed(name: str) -> None:
    meta = _open(GENERATORS[name](5)).metadata
    assert meta is not None
    assert meta["creationDate"].startswith("D:")
    assert meta["creationDate"] == meta["modDate"]


@pytest.mark.parametrize("name", ["nta", "hearing", "i589"])
def test_formatted_a_number_on_first_page(name: str) -> None:
    doc = _open(GENERATORS[name](5))
    assert A_NUMBER in doc[0].get_text()


def test_notice_to_appear_structure() -> None:
    doc = _open(_nta())
    assert doc.page_count == 3
    texts = [page.get_text() for page in doc]
    for number, text in enumerate(texts, start=1):
        assert "U.S. Department of Homeland Security" in text
        assert f"Page {number} of 3" in text
    assert "NOTICE TO APPEAR" in texts[0]
    assert "212(a)(6)(A)(i)" in texts[0]
    assert "TO BE SET" in texts[0]
    assert "NOTICE TO RESPONDENT" in texts[1]
    assert "CERTIFICATE OF SERVICE" in texts[2]


def test_notice_to_appear_charges_pick_the_class() -> None:
    data = notice_to_appear(
        RESP, COURT, served_on=date(2023, 5, 2), charges=["INA 237(a)(1)(B)"], seed=1
    )
    text = _open(data)[0].get_text()
    assert "237(a)(1)(B)" in text
    assert "nonimmigrant" in text


def test_hearing_notice_structure() -> None:
    doc = _open(_hearing())
    assert doc.page_count == 2
    first = doc[0].get_text()
    assert "Executive Office for Immigration Review" in first
    assert "MASTER hearing" in first
    assert "March 5, 2024 at 9:30 AM" in first
    assert "Theodora Quill" in first
    assert "Page 2 of 2" in doc[1].get_text()


@pytest.mark.parametrize("seed", range(8))
def test_i589_has_8_to_12_pages_with_all_parts(seed: int) -> None:
    doc = _open(_i589(seed))
    assert 8 <= doc.page_count <= 12
    text = "".join(page.get_text() for page in doc)
    for part in ("Part A.I.", "Part A.II.", "Part A.III.", "Part B.", "Part C.", "Part D."):
        assert part in text
    assert all(page.get_text().strip() for page in doc)


@pytest.mark.parametrize(("pages", "scanned"), [(10, 3), (1, 0), (4, 4), (6, 0), (40, 25)])
def test_evidence_packet_pages_and_scans(pages: int, scanned: int) -> None:
    doc = _open(evidence_packet(RESP, seed=2, pages=pages, scanned_pages=scanned))
    assert doc.page_count == pages
    image_only = [page for page in doc if not page.get_text().strip()]
    assert len(image_only) == scanned
    for page in image_only:
        assert len(page.get_images()) == 1
        assert page.get_text("words") == []
    if scanned < pages:
        assert "INDEX OF EXHIBITS" in doc[0].get_text()


def test_evidence_packet_rejects_bad_counts() -> None:
    with pytest.raises(ValueError, match="scanned_pages"):
        evidence_packet(RESP, seed=1, pages=2, scanned_pages=3)
    with pytest.raises(ValueError, match="pages"):
        evidence_packet(RESP, seed=1, pages=0, scanned_pages=0)


@pytest.mark.parametrize("pages", [1, 2, 5, 13])
def test_brief_has_exactly_the_pages_asked_for(pages: int) -> None:
    doc = _open(brief(RESP, title="Brief in support of asylum", seed=4, pages=pages))
    assert doc.page_count == pages
    assert "CONCLUSION" in doc[pages - 1].get_text()
    assert A_NUMBER in doc[0].get_text()


def test_sample_has_two_text_pages() -> None:
    doc = _open(sample_pdf_bytes())
    assert doc.page_count == 2
    assert all(page.get_text().strip() for page in doc)


def test_text_layer_keeps_non_ascii_latin_names() -> None:
    resp = Respondent("José", "Núñez", "12345678", "Perú", "Español", date(1980, 1, 1), "x")
    data = notice_to_appear(resp, COURT, served_on=date(2023, 1, 1), charges=[], seed=1)
    text = _open(data)[0].get_text()
    assert "NÚÑEZ, José" in text
    assert "A012-345-678" in text
