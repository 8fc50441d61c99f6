"""The review queue pairs an appearance filing with the filer's appearance of the same
form: an EOIR-27 (before the Board) accepted beside an accepted EOIR-28 (before the
immigration court) is another appearance, so the practitioner stays counsel of record
before the court (8 CFR 1003.17(a), 1292.4(a))."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from common.enums import FilingKind
from common.wire import Filing, Representation
from desktop.filing_queue import build_filing_rows

CASE, COURT, FILER = (str(uuid.uuid4()) for _ in range(3))


def _filing(kind: FilingKind) -> dict[str, object]:
    return Filing(
        id=str(uuid.uuid4()),
        case_id=CASE,
        court_id=COURT,
        filer_id=FILER,
        kind=kind,
        submitted_at=datetime(2026, 12, 1, 17, tzinfo=UTC),
        form={"scope": "all_proceedings"},
    ).model_dump(mode="json")


def test_an_eoir_27_under_review_does_not_take_the_place_of_the_filers_eoir_28() -> None:
    court_appearance = Representation(
        id=str(uuid.uuid4()),
        case_id=CASE,
        practitioner_id=FILER,
        form=FilingKind.EOIR_28,
        scope="all_proceedings",
        status="accepted",
    ).model_dump(mode="json")
    rows = build_filing_rows(
        [_filing(FilingKind.EOIR_27), _filing(FilingKind.EOIR_28)],
        [],
        [],
        [],
        [],
        representations=[court_appearance],
    )
    by_kind = {row.filing.kind: row.representation for row in rows}
    assert by_kind[FilingKind.EOIR_27] is None  # accepting it makes a new appearance
    assert by_kind[FilingKind.EOIR_28] is not None
    assert by_kind[FilingKind.EOIR_28].id == court_appearance["id"]
