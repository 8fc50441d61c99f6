"""The field diff and record descriptions behind the conflicts view, without Qt."""

from __future__ import annotations

from typing import Any

from desktop.conflicts import (
    FieldChange,
    describe_record,
    display_value,
    field_diff,
    format_value,
    issue_row,
)
from desktop.local_schema import SyncIssue

COURT = "c0000000-0000-4000-8000-000000000001"
CASE = "c0000000-0000-4000-8000-000000000002"
HEARING = "c0000000-0000-4000-8000-000000000003"
JUDGE = "c0000000-0000-4000-8000-000000000004"


class FakeStore:
    """A dict of records standing in for the local store."""

    def __init__(self, *records: tuple[str, dict[str, Any]]) -> None:
        self.records = {(entity, data["id"]): data for entity, data in records}

    def get(self, entity: str, record_id: str) -> dict[str, Any] | None:
        return self.records.get((entity, record_id))


def _store() -> FakeStore:
    return FakeStore(
        ("court", {"id": COURT, "name": "San Francisco", "timezone": "America/Los_Angeles"}),
        (
            "case",
            {
                "id": CASE,
                "court_id": COURT,
                "a_number": "012345678",
                "respondent_last_name": "Núñez",
                "respondent_first_name": "José",
            },
        ),
        (
            "hearing",
            {
                "id": HEARING,
                "case_id": CASE,
                "starts_at": "2026-12-01T17:00:00Z",
                "duration_minutes": 30,
            },
        ),
        ("user_profile", {"id": JUDGE, "display_name": "IJ Alvarez"}),
    )


def test_diff_lists_every_field_and_marks_the_changed_ones() -> None:
    mine = {"id": "x", "duration_minutes": 90, "status": "scheduled", "note": "mine only"}
    theirs = {"id": "x", "duration_minutes": 45, "status": "scheduled", "outcome": None}
    diff = field_diff(mine, theirs)
    assert [c.field for c in diff] == ["duration_minutes", "status", "outcome", "note"]
    assert [c.field for c in diff if c.changed] == ["duration_minutes", "note"]
    assert diff[0] == FieldChange("duration_minutes", 90, 45)
    assert diff[0].label == "Duration minutes"
    assert diff[2].changed is False  # absent on one side and None on the other: the same


def test_diff_of_identical_records_has_no_changes() -> None:
    record = {"id": "x", "charges": ["212(a)(6)(A)(i)"], "form": {"scope": "all"}}
    assert not any(c.changed for c in field_diff(record, dict(record)))
    assert field_diff({}, {}) == []


def test_a_hearing_is_named_after_its_respondent_and_local_time() -> None:
    store = _store()
    assert describe_record(store, "hearing", HEARING) == (
        "Hearing of NÚÑEZ, José on Tue 1 Dec 2026 09:00 PST"
    )
    assert describe_record(store, "case", CASE) == "Case of NÚÑEZ, José (A012-345-678)"


def test_unknown_records_fall_back_to_entity_and_id() -> None:
    store = _store()
    assert describe_record(store, "hearing", "deadbeef-0000") == "Hearing deadbeef"
    assert describe_record(store, "gizmo", "abcdef12-99") == "gizmo abcdef12"
    # A refused creation is gone from the store: the user's version names it.
    gone = {"id": "d", "case_id": CASE, "title": "Brief"}
    assert describe_record(store, "document", "d", gone) == "Document “Brief” in NÚÑEZ, José"


def test_values_read_as_a_person_expects() -> None:
    store = _store()
    assert format_value(None) == "—" and format_value(True) == "Yes"
    assert format_value(["212(a)(6)", "237(a)(2)"]) == "212(a)(6)\n237(a)(2)"
    assert format_value("all_proceedings") == "All proceedings"
    assert display_value(store, "judge_id", JUDGE) == "IJ Alvarez"
    assert display_value(store, "case_id", CASE) == "Case of NÚÑEZ, José (A012-345-678)"
    assert display_value(store, "a_number", "012345678") == "A012-345-678"
    assert display_value(store, "judge_id", "not-known") == "not-known"


def test_issue_row_of_a_conflict_shows_times_in_the_courts_zone() -> None:
    store = _store()
    mine = {
        "id": HEARING,
        "case_id": CASE,
        "starts_at": "2026-12-02T17:00:00Z",
        "duration_minutes": 30,
    }
    theirs = dict(mine, starts_at="2026-12-01T17:00:00Z")
    issue = SyncIssue(
        1,
        "conflict",
        "hearing",
        HEARING,
        mine,
        {"entity": "hearing", "id": HEARING, "version": 7, "deleted": False, "data": theirs},
        None,
    )
    row = issue_row(store, issue)
    changed = [n for n, c in enumerate(row.changes) if c.changed]
    assert [row.changes[n].field for n in changed] == ["starts_at"]
    assert (row.mine_text[changed[0]], row.theirs_text[changed[0]]) == (
        "Wed 2 Dec 2026 09:00 PST",
        "Tue 1 Dec 2026 09:00 PST",
    )
    assert row.error == "Changed on the server meanwhile"


def test_issue_row_of_a_refusal_compares_with_the_rolled_back_record() -> None:
    store = _store()
    mine = dict(store.records[("hearing", HEARING)], duration_minutes=200)
    issue = SyncIssue(2, "rejected", "hearing", HEARING, mine, None, "only a clerk may")
    row = issue_row(store, issue)
    assert row.theirs == store.get("hearing", HEARING)
    assert [c.field for c in row.changes if c.changed] == ["duration_minutes"]
    assert row.error == "only a clerk may"


def test_a_conflicted_delete_reads_as_a_delete_beside_the_servers_version() -> None:
    from desktop.conflicts import YOU_DELETED_IT, issue_row

    server = {
        "entity": "annotation",
        "id": "a-1",
        "version": 7,
        "deleted": False,
        "data": {"id": "a-1", "comment": "see page 4"},
    }
    issue = SyncIssue(
        1,
        "conflict",
        "annotation",
        "a-1",
        {"id": "a-1", "comment": "old"},
        server,
        "the record changed on the server since you read it",
        "delete",
    )

    row = issue_row(FakeStore(), issue)

    assert row.mine_text == (YOU_DELETED_IT,)
    assert row.theirs_text == ("see page 4",)
