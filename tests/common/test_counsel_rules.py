"""Counsel of record and how it changes (common/counsel.py), against
resources/representation_rules.json: counsel of record withdraws only with the judge's leave
(ICPM 4.4(d), 8 CFR 1003.17(b)), new counsel substitutes with its own Form EOIR-28 accepted
with the grant (Policy Manual Part II 5.4(a)(1), ICPM 4.4(b)), and an appearance that ended
is kept as it ended: counsel who returns files a new EOIR-28."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from common.citations import Citation
from common.counsel import (
    ENDED,
    check_representation_change,
    counsel_of_record,
    representation_rules,
    substitute,
    withdraw,
    withdrawing_counsel,
)
from common.enums import (
    AppearanceScope,
    FilingKind,
    MotionStatus,
    MotionType,
    Movant,
    RepresentationStatus,
)
from common.wire import Motion, Representation


def rid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"counsel-rules/{name}"))


CASE, OTHER_CASE = rid("case"), rid("other-case")
ATTORNEY, NEW_ATTORNEY, SECOND_ATTORNEY = rid("attorney"), rid("new-attorney"), rid("second")
JUDGE, CLERK = rid("judge"), rid("clerk")
ACCEPTED_ON = date(2026, 2, 2)
LEAVE_ON = date(2026, 4, 6)
S = RepresentationStatus


def appearance(
    name: str = "appearance",
    *,
    practitioner: str = ATTORNEY,
    status: RepresentationStatus = S.ACCEPTED,
    case: str = CASE,
    accepted_on: date | None = ACCEPTED_ON,
) -> Representation:
    return Representation(
        id=rid(name),
        case_id=case,
        practitioner_id=practitioner,
        form=FilingKind.EOIR_28,
        scope=AppearanceScope.ALL_PROCEEDINGS,
        status=status,
        accepted_on=accepted_on if status is S.ACCEPTED else None,
    )


def motion(
    *,
    motion_type: MotionType = MotionType.WITHDRAW_AS_COUNSEL,
    status: MotionStatus = MotionStatus.GRANTED,
    filer: str = ATTORNEY,
    movant: Movant = Movant.RESPONDENT,
    case: str = CASE,
    ruled_by: str | None = JUDGE,
    ruled_on: date | None = LEAVE_ON,
) -> Motion:
    return Motion(
        id=rid("motion"),
        case_id=case,
        motion_type=motion_type,
        movant=movant,
        filed_on=date(2026, 3, 30),
        filer_id=filer,
        status=status,
        ruled_by=ruled_by if status is not MotionStatus.PENDING else None,
        ruled_on=ruled_on if status is not MotionStatus.PENDING else None,
    )


# --- the rules file ---------------------------------------------------------------------


def test_each_rule_names_its_source() -> None:
    rules = representation_rules()
    assert list(rules) == [
        "withdrawal_needs_leave",
        "substitution_with_new_eoir_28",
        "service_after_a_change",
        "family",
    ]
    withdrawal = rules["withdrawal_needs_leave"]
    assert withdrawal.id == "withdrawal_needs_leave"
    assert withdrawal.summary.startswith(
        "Counsel of record withdraws only with the immigration judge's leave"
    )
    assert withdrawal.citations[1] == Citation(
        document="8 CFR",
        section="1003.17(b)",
        read_on=date(2026, 12, 6),
        says=(
            "assumption: the regulation's text was not read here; the Practice Manual cites "
            "it as the authority for leave of the court"
        ),
    )
    assert rules["service_after_a_change"].cited == "8 CFR 1292.5(a); 8 CFR 1003.37(a)"


# --- withdrawal with the judge's leave ----------------------------------------------------


def test_a_withdrawal_granted_ends_the_appearance_with_the_leave() -> None:
    before = appearance()
    after = withdraw(before, judge_id=JUDGE, on=LEAVE_ON, motion_id=rid("motion"))
    assert after == before.model_copy(
        update={
            "status": S.WITHDRAWN,
            "ended_on": LEAVE_ON,
            "leave_by": JUDGE,
            "motion_id": rid("motion"),
        }
    )
    assert check_representation_change(before, after, motion=motion()) is None
    assert (
        check_representation_change(before, withdraw(before, judge_id=JUDGE, on=LEAVE_ON)) is None
    )


def test_a_withdrawal_needs_the_date_and_the_judge_of_the_leave() -> None:
    before = appearance()
    refusal = (
        "a withdrawal or substitution needs the date of the court's leave and the judge who "
        "granted it (8 CFR 1003.17(b))"
    )
    no_judge = before.model_copy(update={"status": S.WITHDRAWN, "ended_on": LEAVE_ON})
    no_date = before.model_copy(update={"status": S.WITHDRAWN, "leave_by": JUDGE})
    assert check_representation_change(before, no_judge) == refusal
    assert check_representation_change(before, no_date) == refusal


def test_only_counsel_of_record_withdraws() -> None:
    pending = appearance(status=S.PENDING)
    ended = withdraw(pending, judge_id=JUDGE, on=LEAVE_ON)
    refusal = "only counsel of record (an accepted appearance) withdraws or is substituted"
    assert check_representation_change(pending, ended) == refusal
    assert check_representation_change(None, ended) == refusal


def test_an_appearance_that_ended_is_kept_as_it_ended() -> None:
    ended = withdraw(appearance(), judge_id=JUDGE, on=LEAVE_ON)
    back = ended.model_copy(update={"status": S.ACCEPTED, "ended_on": None, "leave_by": None})
    assert check_representation_change(ended, back) == (
        "an appearance that ended is kept as it ended; counsel who returns files a new Form EOIR-28"
    )
    assert check_representation_change(ended, ended) is None


def test_a_withdrawal_names_the_granted_motion_to_withdraw() -> None:
    before = appearance()
    after = withdraw(before, judge_id=JUDGE, on=LEAVE_ON, motion_id=rid("motion"))
    assert check_representation_change(before, after, motion=None) == (
        "the motion the appearance names is not on record"
    )
    assert (
        check_representation_change(before, after, motion=motion(status=MotionStatus.PENDING))
        == "an appearance ends on a motion only once the judge granted it"
    )
    assert (
        check_representation_change(
            before, after, motion=motion(motion_type=MotionType.CONTINUANCE)
        )
        == "a withdrawal names the granted motion to withdraw as counsel"
    )
    assert (
        check_representation_change(before, after, motion=motion(ruled_on=date(2026, 4, 7)))
        == "the leave is the motion's grant: the same judge and the same day"
    )


# --- substitution ---------------------------------------------------------------------------


def test_a_substitution_accepts_the_new_eoir_28_and_ends_the_prior_appearance() -> None:
    prior = appearance()
    offered = appearance("new", practitioner=NEW_ATTORNEY, status=S.PENDING)
    accepted, ended = substitute(prior, offered, judge_id=JUDGE, on=LEAVE_ON)
    assert accepted == offered.model_copy(update={"status": S.ACCEPTED, "accepted_on": LEAVE_ON})
    assert ended == prior.model_copy(
        update={
            "status": S.SUBSTITUTED,
            "ended_on": LEAVE_ON,
            "leave_by": JUDGE,
            "motion_id": None,
            "successor_id": offered.id,
        }
    )
    assert check_representation_change(prior, ended, successor=accepted) is None


def test_a_substitution_names_new_counsel_s_accepted_appearance() -> None:
    prior = appearance()
    offered = appearance("new", practitioner=NEW_ATTORNEY, status=S.PENDING)
    accepted, ended = substitute(prior, offered, judge_id=JUDGE, on=LEAVE_ON)
    assert check_representation_change(prior, ended, successor=None) == (
        "the new counsel's appearance is not on record"
    )
    assert check_representation_change(prior, ended, successor=offered) == (
        "the new counsel's appearance must be accepted with the substitution"
    )
    unnamed = ended.model_copy(update={"successor_id": None})
    assert check_representation_change(prior, unnamed, successor=accepted) == (
        "a substitution names the new counsel's appearance (Form EOIR-28)"
    )


# --- counsel of record and the motion to withdraw -----------------------------------------


def test_counsel_of_record_are_the_accepted_appearances() -> None:
    accepted = appearance()
    pending = appearance("pending", practitioner=NEW_ATTORNEY, status=S.PENDING)
    assert counsel_of_record([pending, accepted]) == [accepted]
    assert {S.WITHDRAWN, S.SUBSTITUTED} == ENDED


def test_a_granted_motion_to_withdraw_ends_the_movant_counsel_s_appearance() -> None:
    own = appearance()
    other = appearance("second", practitioner=SECOND_ATTORNEY)
    assert withdrawing_counsel(motion(filer=ATTORNEY), [other, own]) == own
    # Entered by the clerk from paper: the respondent's one counsel of record.
    assert withdrawing_counsel(motion(filer=CLERK), [own]) == own
    # Several counsel, or DHS's own counsel: none can be named.
    assert withdrawing_counsel(motion(filer=CLERK), [own, other]) is None
    assert withdrawing_counsel(motion(filer=CLERK, movant=Movant.DHS), [own]) is None


@pytest.mark.parametrize("status", [S.PENDING, S.ACCEPTED, S.REJECTED])
def test_an_appearance_not_ended_records_no_end(status: RepresentationStatus) -> None:
    before = appearance(status=S.PENDING)
    after = appearance(status=status).model_copy(update={"leave_by": JUDGE})
    assert check_representation_change(before, after) == (
        "only a withdrawn or substituted appearance records how it ended"
    )


# --- what the first mutation run showed unchecked ------------------------------------------


def test_an_appearance_is_accepted_with_no_end_recorded() -> None:
    offered = appearance(status=S.PENDING)
    assert check_representation_change(offered, appearance()) is None
    assert check_representation_change(None, offered) is None


def test_an_appearance_stays_in_its_case_and_with_its_practitioner() -> None:
    refusal = "an appearance stays in its case and with its practitioner"
    before = appearance(status=S.PENDING)
    assert check_representation_change(before, appearance(case=OTHER_CASE)) == refusal
    assert check_representation_change(before, appearance(practitioner=NEW_ATTORNEY)) == refusal


def test_the_leave_comes_on_or_after_the_day_the_appearance_was_accepted() -> None:
    before = appearance()
    assert check_representation_change(
        before, withdraw(before, judge_id=JUDGE, on=date(2026, 2, 1))
    ) == ("the appearance can't end before it was accepted")
    # Accepted and withdrawn with leave on the same day (a hearing's oral motion).
    assert (
        check_representation_change(before, withdraw(before, judge_id=JUDGE, on=ACCEPTED_ON))
        is None
    )
    # An appearance recorded as accepted without its day still withdraws with leave.
    undated = appearance(accepted_on=None)
    assert (
        check_representation_change(undated, withdraw(undated, judge_id=JUDGE, on=LEAVE_ON)) is None
    )


def test_a_withdrawal_names_no_successor() -> None:
    before = appearance()
    named = withdraw(before, judge_id=JUDGE, on=LEAVE_ON).model_copy(
        update={"successor_id": rid("new")}
    )
    assert check_representation_change(before, named) == (
        "a withdrawal names no successor; record a substitution instead"
    )


def test_the_motion_granting_leave_is_in_the_appearance_s_case() -> None:
    before = appearance()
    after = withdraw(before, judge_id=JUDGE, on=LEAVE_ON, motion_id=rid("motion"))
    assert check_representation_change(before, after, motion=motion(case=OTHER_CASE)) == (
        "the motion the appearance names is in another case"
    )
    assert (
        check_representation_change(before, after, motion=motion(ruled_by=rid("another-judge")))
        == "the leave is the motion's grant: the same judge and the same day"
    )


def test_new_counsel_is_another_practitioner_in_the_same_case() -> None:
    prior = appearance()
    elsewhere = appearance("new", practitioner=NEW_ATTORNEY, case=OTHER_CASE)
    themselves = appearance("again", practitioner=ATTORNEY)
    _, ended = substitute(prior, elsewhere, judge_id=JUDGE, on=LEAVE_ON)
    assert check_representation_change(prior, ended, successor=elsewhere) == (
        "the new counsel's appearance is in another case"
    )
    _, ended = substitute(prior, themselves, judge_id=JUDGE, on=LEAVE_ON)
    assert check_representation_change(prior, ended, successor=themselves) == (
        "counsel can't be substituted by themselves"
    )


def test_a_substitution_granted_on_a_motion_names_it() -> None:
    prior = appearance()
    offered = appearance("new", practitioner=NEW_ATTORNEY, status=S.PENDING)
    # No motion type of its own: new counsel's motion for substitution is an "other" motion.
    grant = motion(motion_type=MotionType.OTHER, filer=NEW_ATTORNEY)
    accepted, ended = substitute(prior, offered, judge_id=JUDGE, on=LEAVE_ON, motion_id=grant.id)
    assert ended.motion_id == grant.id
    assert ended.successor_id == accepted.id
    assert check_representation_change(prior, ended, successor=accepted, motion=grant) is None
