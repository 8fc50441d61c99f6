"""common.wire: record ids, digests and records as the sync protocol accepts them."""

from __future__ import annotations

import pydantic
import pytest

from common.wire import ENTITY_SCHEMAS, Annotation, Case, parse_record

ID = "6F1C2A4E-0B7D-4C59-9E0F-2A3B4C5D6E7F"
COURT = "11111111-2222-3333-4444-555555555555"


def _problem(entity: str, data: dict[str, object]) -> str:
    """The one refusal's message, as the server's answer gives it beside the field."""
    with pytest.raises(pydantic.ValidationError) as caught:
        parse_record(entity, data)
    (error,) = caught.value.errors()
    return str(error["msg"])


def test_an_id_is_read_in_lower_case() -> None:
    record = parse_record("courtroom", {"id": ID, "court_id": COURT, "name": "Room 1"})
    assert record.id == ID.lower()


@pytest.mark.parametrize(
    "bad",
    [
        "{6f1c2a4e-0b7d-4c59-9e0f-2a3b4c5d6e7f}",
        "urn:uuid:6f1c2a4e-0b7d-4c59-9e0f-2a3b4c5d6e7f",
        "6f1c2a4e0b7d4c599e0f2a3b4c5d6e7f",
        "6f1c2a4e-0b7d-4c59-9e0f-2a3b4c5d6e7",
        "6f1c2a4e-0b7d-4c59-9e0f-2a3b4c5d6e7f0",
        "\u0660f1c2a4e-0b7d-4c59-9e0f-2a3b4c5d6e7f",
    ],
)
def test_an_id_that_is_not_a_plain_uuid_is_refused(bad: str) -> None:
    problem = _problem("courtroom", {"id": bad, "court_id": COURT, "name": "Room 1"})
    assert problem == "Value error, must be a UUID: hexadecimal digits grouped 8-4-4-4-12"


def test_parse_record_picks_the_entity_s_schema() -> None:
    assert ENTITY_SCHEMAS["case"] is Case
    assert ENTITY_SCHEMAS["annotation"] is Annotation
    with pytest.raises(KeyError):
        parse_record("no_such_entity", {"id": ID})


def _document(sha256: str) -> dict[str, object]:
    return {
        "id": ID,
        "case_id": COURT,
        "doc_type": "i589_application",
        "title": "Form I-589",
        "filer_party": "respondent",
        "filed_on": "2026-12-07",
        "pages": 12,
        "sha256": sha256,
        "size": 1000,
        "status": "accepted",
    }


def test_a_digest_is_64_lowercase_hex_characters_kept_as_written() -> None:
    digest = "0123456789abcdef" * 4
    record = parse_record("document", _document(digest))
    assert record.sha256 == digest  # type: ignore[attr-defined]


@pytest.mark.parametrize("bad", ["0123456789ABCDEF" * 4, "0" * 63, "0" * 65, "g" * 64])
def test_a_digest_otherwise_is_refused(bad: str) -> None:
    assert _problem("document", _document(bad)) == (
        "Value error, must be 64 lowercase hexadecimal characters (a SHA-256 digest)"
    )
