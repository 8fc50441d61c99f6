"""Counsel of record and how it changes: withdrawal with the judge's leave, substitution by
new counsel, each kept with its history (``resources/representation_rules.json``).

An appearance (a ``representation`` record) is never deleted. It ends once, as
``withdrawn`` (the judge granted leave to withdraw) or ``substituted`` (new counsel took
over with the court's leave), with the court-local date of the leave, the judge whose leave
it was, the motion it granted (``motion_id``, once motions are records) and, for a
substitution, the new counsel's appearance. Server (``change_rules``) and client (the case
file's actions) check a change with :func:`check_representation_change` before it is saved.
Who may make it is the access policy's question, not this module's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from common.citations import Citation, parse_citation
from common.enums import MotionStatus, MotionType, Movant, RepresentationStatus
from common.resources import read_data_file, require, resource_path
from common.wire import Motion, Representation

ENDED = frozenset({RepresentationStatus.WITHDRAWN, RepresentationStatus.SUBSTITUTED})
_END_FIELDS = ("ended_on", "leave_by", "motion_id", "successor_id")


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    citations: tuple[Citation, ...]

    @property
    def cited(self) -> str:
        return "; ".join(str(c) for c in self.citations)


@cache
def representation_rules() -> dict[str, Rule]:
    """The rules of ``resources/representation_rules.json`` by id, with their sources."""
    path = resource_path("representation_rules.json")
    data = read_data_file(path)
    rules: dict[str, Rule] = {}
    for index, raw in enumerate(require(data, "rules", list, where=str(path))):
        where = f"{path}: rule {index + 1}"
        rule_id = require(raw, "id", str, where=where)
        rules[rule_id] = Rule(
            rule_id,
            require(raw, "summary", str, where=where),
            tuple(parse_citation(c, where) for c in require(raw, "citation", list, where=where)),
        )
    return rules


def check_representation_change(
    old: Representation | None,
    new: Representation,
    *,
    successor: Representation | None = None,
    motion: Motion | None = None,
) -> str | None:
    """Why ``new`` can't follow ``old`` (None: a new appearance), or None.

    ``successor`` is the record ``new.successor_id`` names, as the checker holds it (a
    substitution's new appearance, accepted in the same change, comes first); ``motion``
    the motion ``new.motion_id`` names (its grant, stamped in the same change, first)."""
    ends = {name: getattr(new, name) for name in _END_FIELDS}
    if old is not None and old.status in ENDED | {RepresentationStatus.REJECTED}:
        if old != new:
            return (
                "an appearance that ended is kept as it ended; counsel who returns files a "
                "new Form EOIR-28"
            )
        return None
    if old is not None and (old.case_id, old.practitioner_id) != (
        new.case_id,
        new.practitioner_id,
    ):
        return "an appearance stays in its case and with its practitioner"
    if new.status not in ENDED:
        if any(value is not None for value in ends.values()):
            return "only a withdrawn or substituted appearance records how it ended"
        return None
    if old is None or old.status is not RepresentationStatus.ACCEPTED:
        return "only counsel of record (an accepted appearance) withdraws or is substituted"
    if new.ended_on is None or new.leave_by is None:
        return (
            "a withdrawal or substitution needs the date of the court's leave and the judge "
            "who granted it (8 CFR 1003.17(b))"
        )
    if new.accepted_on is not None and new.ended_on < new.accepted_on:
        return "the appearance can't end before it was accepted"
    if new.motion_id is not None:
        refused = _motion_problem(new, motion)
        if refused:
            return refused
    if new.status is RepresentationStatus.WITHDRAWN:
        if new.successor_id is not None:
            return "a withdrawal names no successor; record a substitution instead"
        return None
    return _substitution_problem(new, successor)


def _motion_problem(new: Representation, motion: Motion | None) -> str | None:
    """Why the motion an ended appearance names is not the leave that ended it."""
    if motion is None or motion.id != new.motion_id:
        return "the motion the appearance names is not on record"
    if motion.case_id != new.case_id:
        return "the motion the appearance names is in another case"
    if motion.status is not MotionStatus.GRANTED:
        return "an appearance ends on a motion only once the judge granted it"
    if (
        new.status is RepresentationStatus.WITHDRAWN
        and motion.motion_type is not MotionType.WITHDRAW_AS_COUNSEL
    ):
        return "a withdrawal names the granted motion to withdraw as counsel"
    if (motion.ruled_by, motion.ruled_on) != (new.leave_by, new.ended_on):
        return "the leave is the motion's grant: the same judge and the same day"
    return None


def withdrawing_counsel(
    motion: Motion, appearances: Iterable[Representation]
) -> Representation | None:
    """The appearance a granted motion to withdraw as counsel ends: the movant counsel's,
    the accepted appearance of the practitioner who filed the motion; for a motion the
    clerk entered from paper (its filer is no practitioner of the case), the respondent's
    counsel of record when there is exactly one. None: no appearance can be named (DHS's
    own counsel has no appearance record here, or the respondent has several counsel)."""
    accepted = [a for a in counsel_of_record(appearances) if a.case_id == motion.case_id]
    own = [a for a in accepted if a.practitioner_id == motion.filer_id]
    if own:
        return own[0]
    if motion.movant is Movant.RESPONDENT and len(accepted) == 1:
        return accepted[0]
    return None


def _substitution_problem(new: Representation, successor: Representation | None) -> str | None:
    if new.successor_id is None:
        return "a substitution names the new counsel's appearance (Form EOIR-28)"
    if successor is None or successor.id != new.successor_id:
        return "the new counsel's appearance is not on record"
    if successor.case_id != new.case_id:
        return "the new counsel's appearance is in another case"
    if successor.practitioner_id == new.practitioner_id:
        return "counsel can't be substituted by themselves"
    if successor.status is not RepresentationStatus.ACCEPTED:
        return "the new counsel's appearance must be accepted with the substitution"
    return None


def withdraw(
    appearance: Representation,
    *,
    judge_id: str,
    on: date,
    motion_id: str | None = None,
) -> Representation:
    """``appearance`` as the judge's grant of leave to withdraw leaves it."""
    return appearance.model_copy(
        update={
            "status": RepresentationStatus.WITHDRAWN,
            "ended_on": on,
            "leave_by": judge_id,
            "motion_id": motion_id,
        }
    )


def substitute(
    prior: Representation,
    successor: Representation,
    *,
    judge_id: str,
    on: date,
    motion_id: str | None = None,
) -> tuple[Representation, Representation]:
    """The two records of a granted substitution, in the order they are saved: the new
    counsel's appearance accepted, then the prior one ended as substituted."""
    accepted = successor.model_copy(
        update={
            "status": RepresentationStatus.ACCEPTED,
            "accepted_on": successor.accepted_on or on,
        }
    )
    ended = prior.model_copy(
        update={
            "status": RepresentationStatus.SUBSTITUTED,
            "ended_on": on,
            "leave_by": judge_id,
            "motion_id": motion_id,
            "successor_id": successor.id,
        }
    )
    return accepted, ended


def counsel_of_record(appearances: Iterable[Representation]) -> list[Representation]:
    """The accepted appearances: who is counsel of record now."""
    return [a for a in appearances if a.status is RepresentationStatus.ACCEPTED]
