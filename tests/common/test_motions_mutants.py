"""The rules of common/motions.py asserted exactly, so that mutation testing (mutmut, see
docs/TESTING.md) finds each of them checked: the catalogue of motion types, rulings and
exceptions (resources/motion_types.json, each entry with its source), the response due
(ICPM 3.1(b), 5.12: 10 days; before the Board, BIA PM 5.2: 13 days), the time and number
limits of motions to reopen and reconsider (8 CFR 1003.23(b)(1): one each, 90 and 30 days
from the final order; (b)(4)(ii): in absentia, 180 days, or any time for lack of notice or
custody; before the Board 8 CFR 1003.2(b)(2), (c)(2)), the checks on a motion record and
its ruling, the motion order's fields, and whether a motion is before the Board."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

import common.motions as motions
from common.court_closures import Closure, ClosureKind, CourtCalendar
from common.deadlines import DETAINED_CAVEAT, Decision
from common.enums import (
    AppealFee,
    AppealStatus,
    BoardDecisionStatus,
    BoardOutcome,
    MotionRuling,
    MotionStatus,
    MotionType,
    Movant,
    OtherPartyPosition,
    Party,
)
from common.motions import (
    LIMITED,
    MotionLimit,
    age_in_days,
    before_board,
    board_decision_of,
    board_member_refusal,
    catalogue,
    check_motion,
    load_catalogue,
    motion_limits,
    motions_of,
    order_fields,
    order_template_for,
    response_due,
    ruling_refusal,
)
from common.resources import DataFileError, resource_path
from common.wire import Appeal, BoardDecision, Motion

FINAL = date(2026, 6, 1)  # a Monday: the final order
CASE = str(uuid.uuid5(uuid.NAMESPACE_URL, "motions-mutants/case"))
JUDGE = str(uuid.uuid5(uuid.NAMESPACE_URL, "motions-mutants/judge"))
ORDER = str(uuid.uuid5(uuid.NAMESPACE_URL, "motions-mutants/order"))
COURT_CITE = "8 CFR 1003.23(b)(1)"
BOARD_CITE = "8 CFR 1003.2(b)(2), (c)(2)"
# The exceptions of resources/motion_types.json, in the file's order, by label.
CHANGED = "Asylum based on changed country conditions"
JOINT = "Joint motion of the parties"
DHS = "Motion by DHS (fraud in the original proceeding or a crime)"
TOLLING = "Equitable tolling (e.g. ineffective assistance of counsel)"
SUA_SPONTE = "Reopened on the judge's own motion"
NO_NOTICE = "Lack of notice of the hearing (in absentia: any time)"
CUSTODY = "Respondent was in federal or state custody (in absentia: any time)"


def _id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"motions-mutants/{name}"))


def _motion(kind: MotionType, filed_on: date, name: str = "m", **changes: object) -> Motion:
    return Motion.model_validate(
        {
            "id": _id(name),
            "case_id": CASE,
            "motion_type": kind,
            "movant": Movant.RESPONDENT,
            "filed_on": filed_on,
            "filer_id": CASE,
            **changes,
        }
    )


def _stamped(motion: Motion, ruling: MotionRuling, **changes: object) -> Motion:
    return motion.model_copy(
        update={
            "status": catalogue().ruling_status(ruling),
            "ruling": ruling,
            "ruled_on": motion.filed_on,
            "ruled_by": JUDGE,
            "order_id": ORDER,
            **changes,
        }
    )


# --- the catalogue ------------------------------------------------------------------------


def test_labels_read_from_the_catalogue_and_an_unknown_value_reads_as_itself() -> None:
    cat = catalogue()
    assert cat.type_label("reopen") == "Motion to reopen"
    assert cat.type_label("stay_of_removal") == "Motion for a stay of removal"
    assert cat.type_label("no_such_type") == "no_such_type"
    assert cat.ruling_label("untimely") == "Denied as untimely"
    assert cat.ruling_label("granted_unopposed") == "Granted — DHS does not oppose"
    assert cat.ruling_label("no_such_ruling") == "no_such_ruling"


def test_each_stamp_gives_its_status() -> None:
    # "Denied as untimely" is a denial (8 CFR 1003.23(b)(1)); unopposed is a grant (ICPM 5.12).
    assert {r: catalogue().ruling_status(r) for r in MotionRuling} == {
        MotionRuling.GRANTED: MotionStatus.GRANTED,
        MotionRuling.GRANTED_UNOPPOSED: MotionStatus.GRANTED,
        MotionRuling.DENIED: MotionStatus.DENIED,
        MotionRuling.UNTIMELY: MotionStatus.DENIED,
        MotionRuling.MOOT: MotionStatus.MOOT,
    }


def test_each_type_is_filed_in_its_forums_in_the_catalogue_order() -> None:
    cat = catalogue()
    assert cat.forums("reopen") == ("court", "board")
    assert cat.forums("stay_of_removal") == ("board",)
    assert cat.forums("continuance") == ("court",)
    assert cat.forums("no_such_type") == ()
    assert [t.value for t in cat.types_for(False)] == [
        "continuance",
        "change_of_venue",
        "reopen",
        "reconsider",
        "recalendar",
        "terminate",
        "withdraw_as_counsel",
        "appear_remotely",
        "subpoena",
        "other",
    ]
    assert [t.value for t in cat.types_for(True)] == [
        "reopen",
        "reconsider",
        "other",
        "stay_of_removal",
        "remand",
        "extension",
    ]
    assert {MotionType.REOPEN, MotionType.RECONSIDER} == LIMITED


def test_an_entry_cites_each_source_as_document_and_section() -> None:
    cat = catalogue()
    assert cat.types["reconsider"].sources == (
        "8 CFR 1003.23(b)(1), (b)(2)",
        "INA 240(c)(6)",
        "Immigration Court Practice Manual Chapter 5.8 (Motions to Reconsider); "
        "assumption: subsection number not re-read",
        "8 CFR 1003.2(b)(2) (before the Board: one motion to reconsider, within 30 days of "
        "the Board's decision)",
        "BIA Practice Manual Chapter 5.7 (Motions to Reconsider); assumption: subsection "
        "number not re-read",
    )
    assert cat.exceptions["lack_of_notice"].label == NO_NOTICE
    assert cat.exceptions["lack_of_notice"].extra["in_absentia_only"] is True
    assert cat.types["reopen"].extra["limit_rule"] == "motion_to_reopen"


def _shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource_path("motion_types.json").read_text("utf-8"))
    return data


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "motion_types.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_copy_of_the_shipped_file_loads_as_the_shipped_catalogue(tmp_path: Path) -> None:
    loaded = load_catalogue(_write(tmp_path, _shipped()))
    assert loaded == load_catalogue() == catalogue()
    assert catalogue() is catalogue()  # read once


def test_a_source_without_a_section_is_cited_by_its_document_alone(tmp_path: Path) -> None:
    data = _shipped()
    data["rulings"][0]["source"] = [{"document": "8 CFR 1003.23(a)", "read_on": "2026-12-06"}]
    assert load_catalogue(_write(tmp_path, data)).rulings["granted"].sources == (
        "8 CFR 1003.23(a)",
    )


def _edited(name: str) -> tuple[dict[str, Any], str]:
    """The shipped file with one fault, and the words (after the path) that name it."""
    data = _shipped()
    if name == "entry not an object":
        data["types"][0] = "continuance"
        return data, ": every entry must be a JSON object"
    if name == "source not an object":
        data["types"][2]["source"][0] = "8 CFR 1003.23"
        return data, ", reopen: each source needs document and read_on"
    if name == "source without document":
        data["types"][2]["source"][1]["document"] = ""
        return data, ", reopen: each source needs document and read_on"
    if name == "source not read":
        del data["rulings"][4]["source"][0]["read_on"]
        return data, ", moot: each source needs document and read_on"
    if name == "no source list":
        del data["exceptions"][0]["source"]
        return data, ", lack_of_notice: missing field 'source'"
    if name == "no label":
        del data["exceptions"][1]["label"]
        return data, ", in_custody: missing field 'label'"
    if name == "no value":
        del data["types"][1]["value"]
        return data, ": missing field 'value'"
    if name == "no exceptions":
        del data["exceptions"]
        return data, ": missing field 'exceptions'"
    if name == "no types":
        del data["types"]
        return data, ": missing field 'types'"
    if name == "no rulings":
        data["rulings"] = {"granted": "granted"}
        return data, ": field 'rulings' must be list, not dict"
    if name == "a type missing":
        data["types"] = [t for t in data["types"] if t["value"] != "subpoena"]
        return data, ": the types must be exactly the MotionType values"
    if name == "a ruling missing":
        data["rulings"] = [r for r in data["rulings"] if r["value"] != "moot"]
        return data, ": the rulings must be exactly the MotionRuling values"
    if name == "forums not a list":
        data["types"][3]["forums"] = "court"
        return data, ", reconsider: forums must list 'court' and/or 'board'"
    if name == "forums empty":
        data["types"][3]["forums"] = []
        return data, ", reconsider: forums must list 'court' and/or 'board'"
    if name == "forums missing":
        del data["types"][0]["forums"]
        return data, ", continuance: forums must list 'court' and/or 'board'"
    assert name == "an unknown forum"
    data["types"][3]["forums"] = ["court", "circuit"]
    return data, ", reconsider: forums must list 'court' and/or 'board'"


@pytest.mark.parametrize(
    "fault",
    [
        "entry not an object",
        "source not an object",
        "source without document",
        "source not read",
        "no source list",
        "no label",
        "no value",
        "no exceptions",
        "no types",
        "no rulings",
        "a type missing",
        "a ruling missing",
        "forums not a list",
        "forums empty",
        "forums missing",
        "an unknown forum",
    ],
)
def test_a_wrong_catalogue_is_refused_naming_what_is_wrong(tmp_path: Path, fault: str) -> None:
    data, words = _edited(fault)
    path = _write(tmp_path, data)
    with pytest.raises(DataFileError) as raised:
        load_catalogue(path)
    assert str(raised.value) == f"{path}{words}"


def test_a_ruling_without_a_status_is_refused(tmp_path: Path) -> None:
    data = _shipped()
    del data["rulings"][2]["status"]
    with pytest.raises(ValueError, match="'None' is not a valid MotionStatus"):
        load_catalogue(_write(tmp_path, data))
    data["rulings"][2]["status"] = "decided"
    with pytest.raises(ValueError, match="'decided' is not a valid MotionStatus"):
        load_catalogue(_write(tmp_path, data))


# --- the response and the age ---------------------------------------------------------------


def test_the_response_names_the_motion_and_the_day_received() -> None:
    # ICPM 3.1(b): 10 days; received Wed 11 Nov 2026 -> Sat 21 Nov -> Mon 23 Nov.
    due = response_due(_motion(MotionType.CONTINUANCE, date(2026, 11, 11)))
    assert due.rule_id == "response_to_filing"
    assert due.title == "Response to the motion to continue received Wed 11 Nov 2026"
    assert due.anchor == date(2026, 11, 11)
    assert (due.unadjusted, due.due) == (date(2026, 11, 21), date(2026, 11, 23))
    assert due.caveat is None
    other = response_due(_motion(MotionType.OTHER, date(2026, 11, 11), description="x"))
    assert other.title == "Response to the other motion received Wed 11 Nov 2026"


def test_before_the_board_the_response_is_due_in_13_days() -> None:
    # BIA PM 5.2 (assumption in the rule file): 13 days; Wed 11 Nov 2026 -> Tue 24 Nov.
    motion = _motion(MotionType.REOPEN, date(2026, 11, 11), before_board=True)
    due = response_due(motion)
    assert due.rule_id == "board_response_to_motion"
    assert due.due == date(2026, 11, 24)
    assert due.title == "Response to the motion to reopen received Wed 11 Nov 2026"


def test_a_detained_case_s_response_is_set_by_the_judge() -> None:
    # response_to_filing: "when_detained": "set_by_judge" (ICPM 3.1(b)(2)).
    motion = _motion(MotionType.CONTINUANCE, date(2026, 11, 11))
    assert response_due(motion, detained=True).caveat == DETAINED_CAVEAT
    assert response_due(motion, detained=False).caveat is None


def test_the_response_moves_off_a_day_the_court_was_closed() -> None:
    closed = Closure(
        id="sfr-flood",
        courts=frozenset({"SFR"}),
        kind=ClosureKind.EMERGENCY_CLOSURE,
        closed_from=date(2026, 11, 23),
        closed_to=date(2026, 11, 23),
        reason="flooding",
        announcement="EOIR announcement",
    )
    calendar = CourtCalendar("SFR", (closed,), "test")
    due = response_due(_motion(MotionType.CONTINUANCE, date(2026, 11, 11)), calendar=calendar)
    assert due.due == date(2026, 11, 24)
    assert due.moved[-1] == "Mon 23 Nov 2026 is a day the court was closed (flooding)"


def test_a_motion_s_age_counts_days_since_receipt_and_never_below_zero() -> None:
    motion = _motion(MotionType.CONTINUANCE, date(2026, 11, 2))
    assert age_in_days(motion, date(2026, 11, 2)) == 0
    assert age_in_days(motion, date(2026, 11, 3)) == 1
    assert age_in_days(motion, date(2026, 11, 12)) == 10
    assert age_in_days(motion, date(2026, 11, 1)) == 0  # a clock behind the filing


# --- time and number limits ----------------------------------------------------------------


@pytest.mark.parametrize("kind", [t for t in MotionType if t not in LIMITED])
def test_only_reopening_and_reconsidering_have_limits(kind: MotionType) -> None:
    motion = _motion(kind, date(2026, 7, 2), description="x")
    assert motion_limits(motion, Decision(FINAL)) is None


def test_without_a_final_order_the_limits_say_so_and_offer_the_exceptions() -> None:
    court = motion_limits(_motion(MotionType.REOPEN, date(2026, 7, 2)), None)
    assert court is not None and court.motion_type is MotionType.REOPEN
    assert (court.deadline, court.timely, court.earlier, court.barred) == (None, True, 0, False)
    assert court.lines == (
        "Motion to reopen: no final order of this case is recorded, so the limits of "
        "8 CFR 1003.23(b)(1) do not run yet.",
    )
    assert [e.value for e in court.exceptions] == [
        "changed_country_conditions",
        "joint_motion",
        "dhs_motion",
        "equitable_tolling",
        "sua_sponte",
    ]
    board = motion_limits(_motion(MotionType.RECONSIDER, date(2026, 7, 2), before_board=True), None)
    assert board is not None
    assert board.lines == (
        "Motion to reconsider: no final order of this case is recorded, so the limits of "
        "8 CFR 1003.2(b)(2), (c)(2) do not run yet.",
    )
    assert [e.value for e in board.exceptions] == ["equitable_tolling", "sua_sponte"]


def test_a_timely_first_motion_to_reopen_reads_as_the_rule_says() -> None:
    # 8 CFR 1003.23(b)(1): 90 days from Mon 1 Jun 2026 is Sun 30 Aug -> Mon 31 Aug.
    motion = _motion(MotionType.REOPEN, date(2026, 8, 31))
    limit = motion_limits(motion, Decision(FINAL))
    assert limit is not None and limit.deadline is not None
    assert limit.motion_type is MotionType.REOPEN
    assert limit.deadline.rule_id == "motion_to_reopen"
    assert (limit.deadline.due, limit.timely, limit.earlier) == (date(2026, 8, 31), True, 0)
    assert limit.lines == (
        "Motion to reopen: due Mon 31 Aug 2026, 90 days from the order of Mon 1 Jun 2026 "
        "(8 CFR 1003.23(b)(1); INA 240(c)(7)(C)(i); ICPM Chapter 5.7).",
        "Received Mon 31 Aug 2026: within the time limit.",
        "One such motion is allowed (8 CFR 1003.23(b)(1)): this is the first.",
        f"Exceptions the judge may apply: {CHANGED}; {JOINT}; {DHS}; {TOLLING}; {SUA_SPONTE}.",
    )


def test_a_motion_received_the_day_after_the_last_is_past_the_limit() -> None:
    limit = motion_limits(_motion(MotionType.REOPEN, date(2026, 9, 1)), Decision(FINAL))
    assert limit is not None and not limit.timely and limit.barred
    assert limit.lines[1] == "Received Tue 1 Sep 2026: PAST the time limit."


def test_a_motion_to_reconsider_runs_30_days_and_takes_two_exceptions() -> None:
    # 8 CFR 1003.23(b)(1): 30 days from Mon 1 Jun 2026 is Wed 1 Jul.
    limit = motion_limits(_motion(MotionType.RECONSIDER, date(2026, 7, 1)), Decision(FINAL))
    assert limit is not None and limit.deadline is not None
    assert limit.deadline.due == date(2026, 7, 1) and limit.timely
    assert limit.lines[0] == (
        "Motion to reconsider: due Wed 1 Jul 2026, 30 days from the order of Mon 1 Jun 2026 "
        "(8 CFR 1003.23(b)(1); INA 240(c)(6)(B); ICPM Chapter 5.8)."
    )
    assert limit.lines[-1] == f"Exceptions the judge may apply: {TOLLING}; {SUA_SPONTE}."


def test_an_in_absentia_order_gives_180_days_and_the_notice_and_custody_exceptions() -> None:
    # 8 CFR 1003.23(b)(4)(ii): 180 days from Mon 1 Jun 2026 is Sat 28 Nov -> Mon 30 Nov.
    motion = _motion(MotionType.REOPEN, date(2026, 11, 30))
    limit = motion_limits(motion, Decision(FINAL, in_absentia=True))
    assert limit is not None and limit.deadline is not None
    assert limit.deadline.rule_id == "motion_to_rescind_in_absentia"
    assert limit.timely and limit.deadline.due == date(2026, 11, 30)
    assert limit.lines == (
        "Motion to reopen and rescind the in-absentia order (exceptional circumstances): "
        "due Mon 30 Nov 2026, 180 days from the order of Mon 1 Jun 2026 "
        "(INA 240(b)(5)(C); 8 CFR 1003.23(b)(4)(ii)).",
        "Received Mon 30 Nov 2026: within the time limit.",
        "One such motion is allowed (8 CFR 1003.23(b)(1)): this is the first.",
        "Entered in absentia: 180 days for exceptional circumstances; at any time for lack "
        "of notice or custody (8 CFR 1003.23(b)(4)(ii)).",
        f"Exceptions the judge may apply: {NO_NOTICE}; {CUSTODY}; {CHANGED}; {JOINT}; {DHS}; "
        f"{TOLLING}; {SUA_SPONTE}.",
    )


def test_reconsidering_an_in_absentia_order_keeps_the_30_days() -> None:
    limit = motion_limits(
        _motion(MotionType.RECONSIDER, date(2026, 7, 2)), Decision(FINAL, in_absentia=True)
    )
    assert limit is not None and limit.deadline is not None
    assert limit.deadline.rule_id == "motion_to_reconsider" and not limit.timely
    assert len(limit.lines) == 4 and not limit.lines[3].startswith("Entered in absentia")
    assert [e.value for e in limit.exceptions] == ["equitable_tolling", "sua_sponte"]


def test_before_the_board_its_own_limits_run_from_its_decision() -> None:
    # 8 CFR 1003.2(c)(2): 90 days; (b)(2): 30 days. The in-absentia rules are the judge's.
    decided = Decision(date(2026, 6, 1), in_absentia=True)
    reopen = _motion(MotionType.REOPEN, date(2026, 8, 31), before_board=True)
    limit = motion_limits(reopen, decided)
    assert limit is not None and limit.deadline is not None
    assert limit.deadline.rule_id == "board_motion_to_reopen"
    assert limit.deadline.due == date(2026, 8, 31) and limit.timely
    assert limit.lines == (
        "Motion to reopen before the Board: due Mon 31 Aug 2026, 90 days from the order of "
        "Mon 1 Jun 2026 (8 CFR 1003.2(c)(2); BIA Practice Manual Chapter 5.6 (assumption: "
        "not read in this session)).",
        "Received Mon 31 Aug 2026: within the time limit.",
        "One such motion is allowed (8 CFR 1003.2(b)(2), (c)(2)): this is the first.",
        f"Exceptions the Board may apply: {CHANGED}; {JOINT}; {DHS}; {TOLLING}; {SUA_SPONTE}.",
    )
    reconsider = _motion(MotionType.RECONSIDER, date(2026, 7, 2), before_board=True)
    late = motion_limits(reconsider, decided)
    assert late is not None and late.deadline is not None
    assert late.deadline.rule_id == "board_motion_to_reconsider"
    assert late.deadline.due == date(2026, 7, 1) and late.barred


def test_the_limit_moves_off_a_day_the_court_was_closed() -> None:
    closed = Closure(
        id="sfr-power",
        courts=frozenset({"SFR"}),
        kind=ClosureKind.EMERGENCY_CLOSURE,
        closed_from=date(2026, 8, 31),
        closed_to=date(2026, 8, 31),
        reason="power outage",
        announcement="EOIR announcement",
    )
    calendar = CourtCalendar("SFR", (closed,), "test")
    motion = _motion(MotionType.REOPEN, date(2026, 9, 1))
    limit = motion_limits(motion, Decision(FINAL), calendar=calendar)
    assert limit is not None and limit.deadline is not None
    assert limit.deadline.due == date(2026, 9, 1) and limit.timely


def test_only_the_same_type_before_the_same_forum_after_the_same_order_counts() -> None:
    # 8 CFR 1003.23(b)(1): one motion to reopen, one to reconsider, after the final order.
    motion = _motion(MotionType.REOPEN, date(2026, 7, 10), "this")
    not_counted = [
        motion,  # itself
        _motion(MotionType.RECONSIDER, date(2026, 6, 10), "reconsider"),
        _motion(MotionType.REOPEN, date(2026, 6, 10), "withdrawn", status=MotionStatus.WITHDRAWN),
        _motion(MotionType.REOPEN, date(2026, 6, 10), "board", before_board=True),
        _motion(MotionType.REOPEN, date(2026, 5, 29), "before the order"),
        _motion(MotionType.REOPEN, date(2026, 7, 11), "later"),
    ]
    limit = motion_limits(motion, Decision(FINAL), not_counted)
    assert limit is not None and limit.earlier == 0 and not limit.barred
    assert limit.lines[2] == "One such motion is allowed (8 CFR 1003.23(b)(1)): this is the first."
    counted = [
        _motion(MotionType.REOPEN, FINAL, "on the order's day", status=MotionStatus.DENIED),
        _motion(MotionType.REOPEN, date(2026, 6, 10), "pending"),
    ]
    limit = motion_limits(motion, Decision(FINAL), [*not_counted, *counted])
    assert limit is not None and limit.earlier == 2 and limit.timely and limit.barred
    assert limit.lines[2] == (
        "One such motion is allowed (8 CFR 1003.23(b)(1)): 2 was filed before this one."
    )


def test_of_two_motions_received_the_same_day_the_first_by_id_is_the_one_allowed() -> None:
    day = date(2026, 7, 10)
    a = _motion(MotionType.REOPEN, day, "a")
    b = _motion(MotionType.REOPEN, day, "b")
    first, second = sorted((a, b), key=lambda m: m.id)
    one = motion_limits(first, Decision(FINAL), [a, b])
    two = motion_limits(second, Decision(FINAL), [a, b])
    assert one is not None and two is not None
    assert (one.earlier, two.earlier) == (0, 1)
    assert two.lines[2].endswith("1 was filed before this one.")


def test_before_the_board_only_the_board_s_earlier_motions_count() -> None:
    motion = _motion(MotionType.RECONSIDER, date(2026, 6, 20), "this", before_board=True)
    court = _motion(MotionType.RECONSIDER, date(2026, 6, 5), "court")
    board = _motion(MotionType.RECONSIDER, date(2026, 6, 5), "board", before_board=True)
    limit = motion_limits(motion, Decision(FINAL), [court])
    assert limit is not None and limit.earlier == 0
    limit = motion_limits(motion, Decision(FINAL), [court, board])
    assert limit is not None and limit.earlier == 1


def _limit(timely: bool, earlier: int) -> MotionLimit:
    return MotionLimit(MotionType.REOPEN, None, timely, earlier, (), ())


def test_a_motion_is_barred_past_its_time_or_beyond_the_one_allowed() -> None:
    assert not _limit(True, 0).barred
    assert _limit(False, 0).barred
    assert _limit(True, 1).barred
    assert _limit(False, 1).barred


# --- the checks on a motion record -----------------------------------------------------------


def test_an_other_motion_says_what_it_asks() -> None:
    day = date(2026, 11, 2)
    assert check_motion(None, _motion(MotionType.OTHER, day)) == "say what the motion asks"
    blank = _motion(MotionType.OTHER, day, description="   ")
    assert check_motion(None, blank) == "say what the motion asks"
    asked = _motion(MotionType.OTHER, day, description="leave to file late")
    assert check_motion(None, asked) is None


def test_a_motion_is_filed_in_a_forum_that_hears_it() -> None:
    day = date(2026, 11, 2)
    stay = _motion(MotionType.STAY_OF_REMOVAL, day)
    assert check_motion(None, stay) == "a motion for a stay of removal is filed before the Board"
    continuance = _motion(MotionType.CONTINUANCE, day, before_board=True)
    assert check_motion(None, continuance) == (
        "a motion to continue is filed before the immigration court"
    )
    assert check_motion(None, stay.model_copy(update={"before_board": True})) is None


def test_only_a_stay_of_removal_is_an_emergency() -> None:
    # BIA PM 6.4: an emergency stay request, removal imminent.
    day = date(2026, 11, 2)
    reopen = _motion(MotionType.REOPEN, day, before_board=True, emergency=True)
    assert check_motion(None, reopen) == (
        "only a motion for a stay of removal is an emergency request"
    )
    stay = _motion(MotionType.STAY_OF_REMOVAL, day, before_board=True, emergency=True)
    assert check_motion(None, stay) is None


@pytest.mark.parametrize("status", [MotionStatus.GRANTED, MotionStatus.DENIED, MotionStatus.MOOT])
def test_a_new_motion_is_pending_or_already_withdrawn(status: MotionStatus) -> None:
    motion = _motion(MotionType.CONTINUANCE, date(2026, 11, 2), status=status)
    assert check_motion(None, motion) == "a new motion is pending until the judge rules"


RULING_VALUES: dict[str, object] = {
    "ruling": MotionRuling.DENIED,
    "ruling_reason": "no good cause shown",
    "ruled_on": date(2026, 11, 3),
    "ruled_by": JUDGE,
    "order_id": ORDER,
    "limit_exception": "equitable_tolling",
}


@pytest.mark.parametrize("field", list(RULING_VALUES))
@pytest.mark.parametrize("status", [MotionStatus.PENDING, MotionStatus.WITHDRAWN])
def test_a_new_motion_carries_no_ruling(field: str, status: MotionStatus) -> None:
    motion = _motion(MotionType.REOPEN, date(2026, 11, 2), status=status)
    assert check_motion(None, motion) is None
    ruled = motion.model_copy(update={field: RULING_VALUES[field]})
    assert check_motion(None, ruled) == "a new motion carries no ruling"


@pytest.mark.parametrize("field", list(RULING_VALUES))
def test_a_pending_or_withdrawn_motion_carries_no_ruling(field: str) -> None:
    motion = _motion(MotionType.REOPEN, date(2026, 11, 2))
    ruled = motion.model_copy(update={field: RULING_VALUES[field]})
    assert check_motion(motion, ruled) == "a ruling sets the motion's status"
    withdrawn = ruled.model_copy(update={"status": MotionStatus.WITHDRAWN})
    assert check_motion(motion, withdrawn) == "a withdrawn motion carries no ruling"


def test_a_pending_motion_is_withdrawn_or_answered_without_a_ruling() -> None:
    motion = _motion(MotionType.REOPEN, date(2026, 11, 2))
    answered = motion.model_copy(
        update={"other_party_position": OtherPartyPosition.DOES_NOT_OPPOSE}
    )
    assert check_motion(motion, answered) is None
    withdrawn = motion.model_copy(update={"status": MotionStatus.WITHDRAWN})
    assert check_motion(motion, withdrawn) is None


FIXED_CHANGES: dict[str, object] = {
    "case_id": _id("another case"),
    "motion_type": MotionType.RECONSIDER,
    "movant": Movant.DHS,
    "filed_on": date(2026, 11, 3),
    "filer_id": _id("another filer"),
    "filing_id": _id("a filing"),
    "before_board": True,
}


@pytest.mark.parametrize("field", list(FIXED_CHANGES))
def test_a_motion_s_facts_never_change(field: str) -> None:
    motion = _motion(MotionType.REOPEN, date(2026, 11, 2))
    changed = motion.model_copy(update={field: FIXED_CHANGES[field]})
    words = field.replace("_", " ")
    assert check_motion(motion, changed) == (
        f"a motion's {words} can't be changed; file a new motion"
    )


def test_an_emergency_is_a_fact_of_the_motion_too() -> None:
    stay = _motion(MotionType.STAY_OF_REMOVAL, date(2026, 11, 2), before_board=True)
    urgent = stay.model_copy(update={"emergency": True})
    assert check_motion(stay, urgent) == (
        "a motion's emergency can't be changed; file a new motion"
    )


def test_a_motion_no_longer_pending_is_kept_as_it_is() -> None:
    motion = _motion(MotionType.TERMINATE, date(2026, 11, 2))
    denied = _stamped(motion, MotionRuling.DENIED)
    assert check_motion(denied, denied) is None  # sent again unchanged
    changed = denied.model_copy(update={"ruling_reason": "changed"})
    assert check_motion(denied, changed) == (
        "the motion was already ruled on (denied); a new order changes it"
    )
    withdrawn = motion.model_copy(update={"status": MotionStatus.WITHDRAWN})
    assert check_motion(withdrawn, withdrawn) is None
    assert check_motion(withdrawn, denied) == (
        "the motion was withdrawn by the movant, so there is nothing to rule on"
    )


def test_ruling_refusal_names_the_state_of_the_motion() -> None:
    motion = _motion(MotionType.TERMINATE, date(2026, 11, 2))
    assert ruling_refusal(motion) is None
    assert ruling_refusal(_stamped(motion, MotionRuling.MOOT)) == (
        "the motion was already ruled on (moot); a new order changes it"
    )
    assert ruling_refusal(_stamped(motion, MotionRuling.GRANTED)) == (
        "the motion was already ruled on (granted); a new order changes it"
    )


def test_a_ruling_names_its_stamp_and_sets_the_status_it_gives() -> None:
    motion = _motion(MotionType.TERMINATE, date(2026, 11, 2))
    unnamed = _stamped(motion, MotionRuling.DENIED).model_copy(update={"ruling": None})
    assert check_motion(motion, unnamed) == (
        "a ruling names its stamp (granted, denied, untimely, moot)"
    )
    wrong = _stamped(motion, MotionRuling.UNTIMELY, status=MotionStatus.MOOT)
    assert check_motion(motion, wrong) == "a motion stamped untimely is denied, not moot"


@pytest.mark.parametrize("missing", ["ruled_on", "ruled_by", "order_id"])
def test_a_ruling_has_its_date_its_judge_and_its_order(missing: str) -> None:
    motion = _motion(MotionType.REOPEN, date(2026, 11, 2))
    assert check_motion(motion, _stamped(motion, MotionRuling.DENIED)) is None
    ruled = _stamped(motion, MotionRuling.DENIED, **{missing: None})
    assert check_motion(motion, ruled) == (
        "a ruling needs its date, its judge and the signed order that issues it"
    )
    board = motion.model_copy(update={"before_board": True})
    ruled = _stamped(board, MotionRuling.DENIED, **{missing: None})
    assert check_motion(board, ruled) == (
        "a ruling needs its date, its Board member and the signed order that issues it"
    )


def test_a_motion_is_ruled_on_no_earlier_than_the_day_it_was_received() -> None:
    motion = _motion(MotionType.TERMINATE, date(2026, 11, 2))
    early = _stamped(motion, MotionRuling.DENIED, ruled_on=date(2026, 11, 1))
    assert check_motion(motion, early) == (
        "a motion can't be ruled on before the court received it"
    )
    assert check_motion(motion, _stamped(motion, MotionRuling.DENIED)) is None  # same day


@pytest.mark.parametrize("movant", [Movant.DHS, Movant.JOINT])
def test_only_the_respondent_s_motion_is_granted_as_unopposed(movant: Movant) -> None:
    motion = _motion(MotionType.TERMINATE, date(2026, 11, 2), movant=movant)
    assert check_motion(motion, _stamped(motion, MotionRuling.GRANTED_UNOPPOSED)) == (
        "only the respondent's motion is granted as unopposed by DHS"
    )
    assert check_motion(motion, _stamped(motion, MotionRuling.GRANTED)) is None


@pytest.mark.parametrize(
    ("position", "refusal"),
    [
        (OtherPartyPosition.OPPOSES, "DHS opposes this motion: it can't be granted as unopposed"),
        (OtherPartyPosition.DOES_NOT_OPPOSE, None),
        (OtherPartyPosition.UNKNOWN, None),  # not answered in time (ICPM 5.12)
    ],
)
def test_a_motion_dhs_opposes_is_not_granted_as_unopposed(
    position: OtherPartyPosition, refusal: str | None
) -> None:
    motion = _motion(MotionType.TERMINATE, date(2026, 11, 2), other_party_position=position)
    assert check_motion(motion, _stamped(motion, MotionRuling.GRANTED_UNOPPOSED)) == refusal


def test_an_exception_to_the_limits_is_one_the_motion_takes() -> None:
    terminate = _motion(MotionType.TERMINATE, date(2026, 11, 2))
    assert check_motion(
        terminate, _stamped(terminate, MotionRuling.GRANTED, limit_exception="sua_sponte")
    ) == ("only a motion to reopen or reconsider takes an exception to the limits")
    reconsider = _motion(MotionType.RECONSIDER, date(2026, 11, 2))
    unknown = _stamped(reconsider, MotionRuling.GRANTED, limit_exception="good_faith")
    assert check_motion(reconsider, unknown) == (
        "'good_faith' is not an exception to the limits of this motion"
    )
    wrong = _stamped(reconsider, MotionRuling.GRANTED, limit_exception="joint_motion")
    assert check_motion(reconsider, wrong) == (
        "'joint_motion' is not an exception to the limits of this motion"
    )
    tolled = _stamped(reconsider, MotionRuling.GRANTED, limit_exception="equitable_tolling")
    assert check_motion(reconsider, tolled) is None


def test_lack_of_notice_excuses_only_an_order_entered_in_absentia() -> None:
    # 8 CFR 1003.23(b)(4)(ii): at any time, for lack of notice, an in-absentia order only.
    motion = _motion(MotionType.REOPEN, date(2026, 12, 10))
    granted = _stamped(motion, MotionRuling.GRANTED, limit_exception="lack_of_notice")
    regular = motion_limits(motion, Decision(FINAL))
    assert check_motion(motion, granted, limits=regular) == (
        f"'{NO_NOTICE}' applies only to an order entered in absentia"
    )
    absentia = motion_limits(motion, Decision(FINAL, in_absentia=True))
    assert check_motion(motion, granted, limits=absentia) is None
    assert check_motion(motion, granted) is None  # no limits known: not checked


def test_a_grant_past_a_limit_names_the_exception_or_is_refused() -> None:
    late = _motion(MotionType.RECONSIDER, date(2026, 7, 2), "late")
    limit = motion_limits(late, Decision(FINAL))
    assert limit is not None and not limit.timely
    refusal = (
        "the motion is past its time limit (8 CFR 1003.23(b)(1)): name the exception that "
        "applies, or deny it"
    )
    assert check_motion(late, _stamped(late, MotionRuling.GRANTED), limits=limit) == refusal
    unopposed = _stamped(late, MotionRuling.GRANTED_UNOPPOSED)
    assert check_motion(late, unopposed, limits=limit) == refusal
    assert check_motion(late, _stamped(late, MotionRuling.DENIED), limits=limit) is None
    assert check_motion(late, _stamped(late, MotionRuling.GRANTED)) is None  # no limits known
    first = _motion(MotionType.REOPEN, date(2026, 6, 10), "first", status=MotionStatus.DENIED)
    second = _motion(MotionType.REOPEN, date(2026, 7, 10), "second")
    again = motion_limits(second, Decision(FINAL), [first])
    assert again is not None and again.timely and again.barred
    assert check_motion(second, _stamped(second, MotionRuling.GRANTED), limits=again) == (
        "the motion is beyond the one motion allowed (8 CFR 1003.23(b)(1)): name the "
        "exception that applies, or deny it"
    )
    fine = motion_limits(first.model_copy(update={"status": MotionStatus.PENDING}), Decision(FINAL))
    assert fine is not None and not fine.barred
    pending = first.model_copy(update={"status": MotionStatus.PENDING})
    assert check_motion(pending, _stamped(pending, MotionRuling.GRANTED), limits=fine) is None


def test_before_the_board_a_late_grant_cites_the_board_s_limits() -> None:
    late = _motion(MotionType.RECONSIDER, date(2026, 7, 2), before_board=True)
    limit = motion_limits(late, Decision(FINAL))
    assert limit is not None and limit.barred
    assert check_motion(late, _stamped(late, MotionRuling.GRANTED), limits=limit) == (
        "the motion is past its time limit (8 CFR 1003.2(b)(2), (c)(2)): name the exception "
        "that applies, or deny it"
    )


# --- the motion order -----------------------------------------------------------------------


def test_the_order_s_fields_name_the_motion_the_movant_and_the_ruling() -> None:
    motion = _motion(MotionType.REOPEN, date(2026, 11, 2), description="not an other motion")
    assert order_fields(motion, MotionRuling.DENIED) == {
        "motion": "reopen",
        "movant": "respondent",
        "ruling": "denied",
    }
    assert order_fields(
        motion, MotionRuling.GRANTED, "  good cause shown  ", limit_exception="sua_sponte"
    ) == {
        "motion": "reopen",
        "movant": "respondent",
        "ruling": "granted",
        "reason": "good cause shown",
        "limit_exception": "sua_sponte",
    }
    assert "reason" not in order_fields(motion, MotionRuling.DENIED, "   ")
    assert "limit_exception" not in order_fields(motion, MotionRuling.DENIED, limit_exception="")


def test_an_other_motion_s_order_says_what_it_asked() -> None:
    asked = _motion(MotionType.OTHER, date(2026, 11, 2), description="  leave to file late ")
    assert order_fields(asked, MotionRuling.MOOT)["other_motion"] == "leave to file late"
    unsaid = _motion(MotionType.OTHER, date(2026, 11, 2), movant=Movant.DHS)
    assert order_fields(unsaid, MotionRuling.MOOT) == {
        "motion": "other",
        "movant": "dhs",
        "ruling": "moot",
        "other_motion": "",
    }


def test_the_order_takes_the_extra_fields_that_have_a_value() -> None:
    venue = _motion(MotionType.CHANGE_OF_VENUE, date(2026, 11, 2))
    fields = order_fields(
        venue,
        MotionRuling.GRANTED,
        extra={"new_court": "Los Angeles Immigration Court", "next_hearing": None, "code": ""},
    )
    assert fields == {
        "motion": "change_of_venue",
        "movant": "respondent",
        "ruling": "granted",
        "new_court": "Los Angeles Immigration Court",
    }


def test_a_case_s_motions_are_its_live_ones_in_order() -> None:
    a = _motion(MotionType.CONTINUANCE, date(2026, 11, 2), "a")
    b = _motion(MotionType.TERMINATE, date(2026, 11, 3), "b")
    elsewhere = _motion(MotionType.TERMINATE, date(2026, 11, 3), "c", case_id=_id("other"))
    records = [
        b.model_dump(mode="json"),
        a.model_dump(mode="json"),
        {**a.model_dump(mode="json"), "id": _id("gone"), "deleted": True},
        elsewhere.model_dump(mode="json"),
    ]
    assert motions_of(records, CASE) == [b, a]
    assert motions_of(records, _id("nobody")) == []


def test_the_board_s_motions_are_ruled_on_by_its_own_order() -> None:
    motion = _motion(MotionType.REOPEN, date(2026, 11, 2))
    assert order_template_for(motion) == "motion_order"
    assert order_template_for(motion.model_copy(update={"before_board": True})) == (
        "board_motion_order"
    )


# --- before the Board -------------------------------------------------------------------------


def _appeal(name: str, status: AppealStatus, docketed_on: date | None = None) -> Appeal:
    return Appeal(
        id=_id(f"appeal/{name}"),
        case_id=CASE,
        filer_id=CASE,
        appellant=Party.RESPONDENT,
        status=status,
        decision_date=date(2026, 6, 1),
        reasons="The judge erred.",
        fee=AppealFee.PAID,
        received_at=datetime(2026, 6, 10, 17, tzinfo=UTC),
        docketed_on=docketed_on,
    )


def _board(
    name: str,
    status: BoardDecisionStatus = BoardDecisionStatus.ISSUED,
    issued_on: date | None = None,
    outcome: BoardOutcome | None = None,
    members: tuple[str, ...] = ("member-a",),
) -> BoardDecision:
    return BoardDecision(
        id=_id(f"board/{name}"),
        appeal_id=_id("appeal/one"),
        case_id=CASE,
        member_ids=[_id(m) for m in members],
        author_id=_id(members[0]),
        assigned_by=JUDGE,
        assigned_on=date(2026, 7, 1),
        status=status,
        outcome=outcome,
        issued_on=issued_on,
    )


@pytest.mark.parametrize("status", [AppealStatus.FILED, AppealStatus.REJECTED])
def test_an_appeal_not_docketed_does_not_put_the_case_before_the_board(
    status: AppealStatus,
) -> None:
    assert before_board([]) is False
    assert before_board([_appeal("one", status)]) is False


@pytest.mark.parametrize("status", [AppealStatus.DOCKETED, AppealStatus.DECIDED])
def test_a_docketed_appeal_puts_the_case_before_the_board(status: AppealStatus) -> None:
    appeal = _appeal("one", status, date(2026, 7, 1))
    assert before_board([appeal]) is True
    assert before_board([appeal], [_board("open", BoardDecisionStatus.ASSIGNED)]) is True
    dismissed = _board("dismissed", issued_on=date(2026, 9, 1), outcome=BoardOutcome.DISMISSED)
    assert before_board([appeal], [dismissed]) is True


def test_a_remand_returns_the_case_to_the_judge_until_a_new_appeal_is_docketed() -> None:
    remand = _board("remand", issued_on=date(2026, 9, 1), outcome=BoardOutcome.REMANDED)
    first = _appeal("one", AppealStatus.DECIDED, date(2026, 7, 1))
    assert before_board([first], [remand]) is False
    same_day = _appeal("two", AppealStatus.DOCKETED, date(2026, 9, 1))
    assert before_board([first, same_day], [remand]) is False
    undocketed = _appeal("three", AppealStatus.DOCKETED, None)
    assert before_board([first, undocketed], [remand]) is False
    later = _appeal("four", AppealStatus.DOCKETED, date(2026, 9, 2))
    assert before_board([first, later], [remand]) is True


def test_the_board_s_latest_issued_decision_decides_where_the_case_is() -> None:
    appeal = _appeal("one", AppealStatus.DECIDED, date(2026, 7, 1))
    remand = _board("remand", issued_on=date(2026, 9, 1), outcome=BoardOutcome.REMANDED)
    earlier = _board("earlier", issued_on=date(2026, 8, 1), outcome=BoardOutcome.DISMISSED)
    later = _board("later", issued_on=date(2026, 10, 1), outcome=BoardOutcome.DISMISSED)
    assert before_board([appeal], [remand, earlier]) is False
    assert before_board([appeal], [later, remand]) is True
    # Issued without a day (not a state the server makes): not counted as issued.
    no_day = _board("no day", issued_on=None, outcome=BoardOutcome.DISMISSED)
    assert before_board([appeal], [remand, no_day]) is False
    drafted = _board("drafted", BoardDecisionStatus.DRAFTED, date(2026, 10, 1))
    assert before_board([appeal], [remand, drafted]) is False


def test_of_two_board_decisions_issued_the_same_day_the_later_id_is_the_latest() -> None:
    appeal = _appeal("one", AppealStatus.DECIDED, date(2026, 7, 1))
    day = date(2026, 9, 1)
    x = _board("x", issued_on=day, outcome=BoardOutcome.REMANDED)
    y = _board("y", issued_on=day, outcome=BoardOutcome.DISMISSED)
    last = max((x, y), key=lambda d: d.id)
    expected = last.outcome is not BoardOutcome.REMANDED
    assert before_board([appeal], [x, y]) is expected
    assert before_board([appeal], [y, x]) is expected


def test_the_board_s_latest_issued_decision_anchors_its_limits() -> None:
    # 8 CFR 1003.2(b)(2), (c)(2): counted from the Board's decision.
    assert board_decision_of([]) is None
    assert board_decision_of([_board("open", BoardDecisionStatus.ASSIGNED)]) is None
    decided = [
        _board("later", issued_on=date(2026, 10, 1), outcome=BoardOutcome.DISMISSED),
        _board("earlier", issued_on=date(2026, 8, 1), outcome=BoardOutcome.DISMISSED),
        _board("drafted", BoardDecisionStatus.DRAFTED, date(2026, 11, 1)),
    ]
    assert board_decision_of(decided) == Decision(decided_on=date(2026, 10, 1))


def test_the_assigned_member_or_panel_rules_on_an_undecided_appeal_s_motions() -> None:
    motion = _motion(MotionType.STAY_OF_REMOVAL, date(2026, 11, 2), before_board=True)
    refusal = "only the Board member or panel assigned to the appeal rules on its motions"
    panel = _board("panel", BoardDecisionStatus.ASSIGNED, members=("m1", "m2", "m3"))
    assert board_member_refusal(motion, _id("m2"), [panel]) is None
    assert board_member_refusal(motion, _id("m4"), [panel]) == refusal
    issued = _board("issued", issued_on=date(2026, 9, 1), outcome=BoardOutcome.DISMISSED)
    assert board_member_refusal(motion, _id("m4"), [issued]) is None
    assert board_member_refusal(motion, _id("m4"), []) is None
    drafted = _board("drafted", BoardDecisionStatus.DRAFTED, members=("m4",))
    assert board_member_refusal(motion, _id("m4"), [panel, drafted, issued]) is None
    assert board_member_refusal(motion, _id("m5"), [panel, drafted, issued]) == refusal


def test_an_exception_that_names_no_motion_applies_to_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A catalogue whose "sua_sponte" lists no "applies_to": offered for no motion, and
    # refused when a ruling names it.
    data = _shipped()
    for entry in data["exceptions"]:
        if entry["value"] == "sua_sponte":
            del entry["applies_to"]
    edited = load_catalogue(_write(tmp_path, data))
    monkeypatch.setattr(motions, "catalogue", lambda: edited)
    motion = _motion(MotionType.RECONSIDER, date(2026, 7, 2))
    limit = motion_limits(motion, Decision(FINAL))
    assert limit is not None
    assert [e.value for e in limit.exceptions] == ["equitable_tolling"]
    ruled = _stamped(motion, MotionRuling.GRANTED, limit_exception="sua_sponte")
    assert check_motion(motion, ruled, limits=limit) == (
        "'sua_sponte' is not an exception to the limits of this motion"
    )


def test_the_board_s_latest_decision_is_the_latest_by_day_whatever_its_id() -> None:
    appeal = _appeal("one", AppealStatus.DECIDED, date(2026, 7, 1))
    remand = _board("remand", issued_on=date(2026, 9, 1), outcome=BoardOutcome.REMANDED)
    later = _board("a2", issued_on=date(2026, 10, 1), outcome=BoardOutcome.DISMISSED)
    assert later.id < remand.id  # the day decides, not the id
    assert before_board([appeal], [remand, later]) is True
    assert board_decision_of([remand, later]) == Decision(decided_on=date(2026, 10, 1))


def test_of_one_or_three_board_decisions_the_last_issued_anchors_the_limits() -> None:
    one = _board("b1", issued_on=date(2026, 8, 1), outcome=BoardOutcome.DISMISSED)
    assert board_decision_of([one]) == Decision(decided_on=date(2026, 8, 1))
    two = _board("b2", issued_on=date(2026, 9, 1), outcome=BoardOutcome.REMANDED)
    three = _board("b3", issued_on=date(2026, 10, 1), outcome=BoardOutcome.DISMISSED)
    assert board_decision_of([three, one, two]) == Decision(decided_on=date(2026, 10, 1))
