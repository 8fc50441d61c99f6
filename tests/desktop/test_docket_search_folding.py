"""The desktop docket's search ignores case and accents with the portal's own folding
(common.folding): letters Unicode does not decompose (Ø, Ł, ß) are found typed plainly."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from desktop.docket import DocketFilter, apply_filter, build_docket


def _id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"docket-folding/{name}"))


COURT: dict[str, object] = {
    "id": _id("court"),
    "name": "San Francisco Immigration Court",
    "timezone": "UTC",
}
NAMES = {
    "guaman": ("José", "GUAMÁN"),
    "ostergard": ("Søren", "ØSTERGÅRD"),
    "walesa": ("Łucja", "Wałęsa"),
    "strasse": ("Jörg", "Straße"),
    "guzman": ("José", "GUZMÁN"),
}


def _case(key: str, number: int) -> dict[str, object]:
    first, last = NAMES[key]
    return {
        "id": _id(key),
        "court_id": COURT["id"],
        "a_number": f"{number:09d}",
        "nationality": "Ecuador",
        "language": "Spanish",
        "custody": "never_detained",
        "status": "pending",
        "respondent_first_name": first,
        "respondent_last_name": last,
        "judge_id": None,
    }


def _hearing(key: str, hour: int) -> dict[str, object]:
    return {
        "id": _id(f"hearing-{key}"),
        "case_id": _id(key),
        "judge_id": None,
        "courtroom_id": None,
        "hearing_type": "master",
        "medium": "in_person",
        "status": "scheduled",
        "duration_minutes": 30,
        "starts_at": datetime(2026, 12, 8, hour, tzinfo=UTC).isoformat(),
        "interpreter_language": None,
        "adjournment_code": None,
    }


def _found(text: str) -> list[str]:
    keys = list(NAMES)
    rows = build_docket(
        [_hearing(k, 9 + i) for i, k in enumerate(keys)],
        [_case(k, 200000001 + i) for i, k in enumerate(keys)],
        [],
        [],
        [COURT],
    )
    by_case = {_id(k): k for k in keys}
    return sorted(by_case[r.case_id] for r in apply_filter(rows, DocketFilter(text=text)))


def test_the_docket_search_finds_names_typed_without_their_accents_or_capitals() -> None:
    assert _found("Guaman") == ["guaman"]
    assert _found("guamán") == ["guaman"]
    assert _found("jose guaman") == ["guaman"]
    assert _found("Ostergard") == ["ostergard"]
    assert _found("walesa") == ["walesa"]
    assert _found("strasse") == ["strasse"]
    assert _found("jose") == ["guaman", "guzman"]
    assert _found("Guzmann") == []
