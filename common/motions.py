"""Motions before the immigration court: the catalogue of motion types, rulings and the
exceptions to the limits on reopening (``resources/motion_types.json``, each with its
source), the response a motion awaits, the time and number limits of motions to reopen and
reconsider, and the checks on a motion record that server and desktop both make.

* A motion is received on a court-local day (``filed_on``); the other party answers within
  the rule ``response_to_filing`` of ``resources/deadline_rules.json`` (10 days: ICPM
  3.1(b), 5.12), computed here, never stored.
* A motion to reopen is due within 90 days of the final order, one to reconsider within
  30, and a party files one of each (8 CFR 1003.23(b)(1)); a motion to reopen an order
  entered in absentia within 180 days for exceptional circumstances, or at any time for
  lack of notice or custody (8 CFR 1003.23(b)(4)(ii)). The limits are shown to the judge
  with the exceptions the judge may apply; a grant past a limit names its exception.
* A ruling is a stamp (granted, granted as unopposed, denied, untimely, moot) issued as a
  signed motion order (``resources/order_templates/motion_order.json``); a motion that is
  no longer pending (withdrawn, or ruled on) is not ruled on again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from common.court_closures import CourtCalendar
from common.court_time import table_date
from common.deadlines import Deadline, Decision, compute_deadline, default_rules
from common.enums import MotionRuling, MotionStatus, MotionType, Movant, OtherPartyPosition
from common.resources import DataFileError, read_data_file, require, resource_path
from common.wire import Motion

CATALOGUE_FILE = "motion_types.json"
RESPONSE_RULE = "response_to_filing"
LIMITED = frozenset({MotionType.REOPEN, MotionType.RECONSIDER})


@dataclass(frozen=True, slots=True)
class Cited:
    """One entry of the catalogue: its wire value, how people read it, its sources."""

    value: str
    label: str
    sources: tuple[str, ...]
    extra: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Catalogue:
    types: Mapping[str, Cited]
    rulings: Mapping[str, Cited]
    exceptions: Mapping[str, Cited]

    def type_label(self, value: str) -> str:
        entry = self.types.get(value)
        return entry.label if entry else value

    def ruling_label(self, value: str) -> str:
        entry = self.rulings.get(value)
        return entry.label if entry else value

    def ruling_status(self, ruling: MotionRuling) -> MotionStatus:
        """The motion's status once ``ruling`` is stamped on it."""
        return MotionStatus(str(self.rulings[ruling.value].extra["status"]))


def _cited(raw: object, where: str) -> Cited:
    if not isinstance(raw, dict):
        raise DataFileError(f"{where}: every entry must be a JSON object")
    value = require(raw, "value", str, where=where)
    sources = []
    for s in require(raw, "source", list, where=f"{where}, {value}"):
        if not isinstance(s, dict) or not s.get("document") or not s.get("read_on"):
            raise DataFileError(f"{where}, {value}: each source needs document and read_on")
        sources.append(f"{s['document']} {s.get('section', '')}".strip())
    label = require(raw, "label", str, where=f"{where}, {value}")
    return Cited(value, label, tuple(sources), raw)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read and check a catalogue file (default: the shipped one); a wrong file raises
    :class:`~common.resources.DataFileError` naming what is wrong."""
    path = path or resource_path(CATALOGUE_FILE)
    data = read_data_file(path)
    where = str(path)
    types = {
        c.value: c for c in (_cited(r, where) for r in require(data, "types", list, where=where))
    }
    rulings = {
        c.value: c for c in (_cited(r, where) for r in require(data, "rulings", list, where=where))
    }
    exceptions = {
        c.value: c
        for c in (_cited(r, where) for r in require(data, "exceptions", list, where=where))
    }
    if set(types) != {t.value for t in MotionType}:
        raise DataFileError(f"{where}: the types must be exactly the MotionType values")
    if set(rulings) != {r.value for r in MotionRuling}:
        raise DataFileError(f"{where}: the rulings must be exactly the MotionRuling values")
    for r in rulings.values():
        MotionStatus(str(r.extra.get("status")))
    return Catalogue(types, rulings, exceptions)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The shipped catalogue (read once)."""
    return load_catalogue()


# --- the response and the age ---------------------------------------------------------------


def response_due(
    motion: Motion, *, calendar: CourtCalendar | None = None, detained: bool = False
) -> Deadline:
    """The last day for the other party's response, counted from the day the court
    received the motion (rule ``response_to_filing``)."""
    label = catalogue().type_label(motion.motion_type.value)
    return compute_deadline(
        RESPONSE_RULE,
        motion.filed_on,
        calendar=calendar,
        detained=detained,
        title=f"Response to the {label[:1].lower()}{label[1:]} received "
        f"{table_date(motion.filed_on)}",
    )


def age_in_days(motion: Motion, today: date) -> int:
    """Days since the court received the motion (0 on the day), on the court's ``today``."""
    return max(0, (today - motion.filed_on).days)


# --- time and number limits ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MotionLimit:
    """The limits on a motion to reopen or reconsider, as the ruling dialog shows them."""

    motion_type: MotionType
    deadline: Deadline | None  # None: no final order is known, or no time limit applies
    timely: bool
    earlier: int  # earlier motions of the same type after the same final order
    exceptions: tuple[Cited, ...]  # those the judge may apply to this motion
    lines: tuple[str, ...]  # what the dialog says, with the rule's citation

    @property
    def barred(self) -> bool:
        """Past the time limit or beyond the one motion allowed."""
        return not self.timely or self.earlier > 0


def motion_limits(
    motion: Motion,
    decision: Decision | None,
    others: Iterable[Motion] = (),
    *,
    calendar: CourtCalendar | None = None,
) -> MotionLimit | None:
    """The time and number limits of ``motion`` (None for motions without them), counted
    from the final order of ``decision`` (8 CFR 1003.23(b)(1), (b)(4)(ii)); ``others`` are
    the case's other motions (withdrawn ones do not count against the one allowed)."""
    if motion.motion_type not in LIMITED:
        return None
    cat = catalogue()
    in_absentia = bool(decision and decision.in_absentia)
    offered = tuple(
        e
        for e in cat.exceptions.values()
        if motion.motion_type.value in e.extra.get("applies_to", ())
        and (in_absentia or not e.extra.get("in_absentia_only"))
    )
    label = cat.type_label(motion.motion_type.value)
    if decision is None:
        return MotionLimit(
            motion.motion_type,
            None,
            True,
            0,
            offered,
            (
                f"{label}: no final order of this case is recorded, so the limits of "
                "8 CFR 1003.23(b)(1) do not run yet.",
            ),
        )
    extra = cat.types[motion.motion_type.value].extra
    rule_id = str(extra["limit_rule"])
    if in_absentia and motion.motion_type is MotionType.REOPEN:
        rule_id = str(extra["in_absentia_rule"])
    rules = default_rules()
    rule = rules.rule(rule_id)
    deadline = compute_deadline(rule_id, decision.decided_on, rules=rules, calendar=calendar)
    timely = motion.filed_on <= deadline.due
    earlier = sum(
        1
        for o in others
        if o.id != motion.id
        and o.motion_type is motion.motion_type
        and o.status is not MotionStatus.WITHDRAWN
        and o.filed_on >= decision.decided_on
        and (o.filed_on, o.id) < (motion.filed_on, motion.id)
    )
    lines = [
        f"{rule.title}: due {table_date(deadline.due)}, {rule.days} days from the order of "
        f"{table_date(decision.decided_on)} ({deadline.citation}).",
        f"Received {table_date(motion.filed_on)}: "
        + ("within the time limit." if timely else "PAST the time limit."),
        "One such motion is allowed (8 CFR 1003.23(b)(1)): "
        + ("this is the first." if not earlier else f"{earlier} was filed before this one."),
    ]
    if in_absentia and motion.motion_type is MotionType.REOPEN:
        lines.append(
            "Entered in absentia: 180 days for exceptional circumstances; at any time for "
            "lack of notice or custody (8 CFR 1003.23(b)(4)(ii))."
        )
    if offered:
        lines.append("Exceptions the judge may apply: " + "; ".join(e.label for e in offered) + ".")
    return MotionLimit(motion.motion_type, deadline, timely, earlier, offered, tuple(lines))


# --- the checks on a motion record -----------------------------------------------------------

_FIXED = ("case_id", "motion_type", "movant", "filed_on", "filer_id", "filing_id")
_RULING_FIELDS = ("ruling", "ruling_reason", "ruled_on", "ruled_by", "order_id", "limit_exception")


def ruling_refusal(motion: Motion) -> str | None:
    """Why ``motion`` can't be ruled on now (None: it can)."""
    if motion.status is MotionStatus.WITHDRAWN:
        return "the motion was withdrawn by the movant, so there is nothing to rule on"
    if motion.status is not MotionStatus.PENDING:
        return f"the motion was already ruled on ({motion.status.value}); a new order changes it"
    return None


def check_motion(
    old: Motion | None, new: Motion, *, limits: MotionLimit | None = None
) -> str | None:
    """Why ``new`` is not a valid next state of ``old`` (None: a new motion), or None.

    Who may make the change is the access policy's question; this is whether it makes
    sense: a new motion is pending and unruled; the motion's facts never change; only a
    pending motion is withdrawn or ruled on; a ruling sets the status its stamp gives, its
    date, judge and order; "granted as unopposed" only on the respondent's motion that DHS
    has not opposed; a grant past a limit of 8 CFR 1003.23(b) names the exception applied.
    """
    if new.motion_type is MotionType.OTHER and not (new.description or "").strip():
        return "say what the motion asks"
    if old is None:
        # Withdrawn already: the clerk entered a paper motion and its withdrawal before
        # this computer synced (the outbox sends one new record holding both).
        if new.status not in (MotionStatus.PENDING, MotionStatus.WITHDRAWN):
            return "a new motion is pending until the judge rules"
        if any(getattr(new, f) is not None for f in _RULING_FIELDS):
            return "a new motion carries no ruling"
        return None
    for name in _FIXED:
        if getattr(old, name) != getattr(new, name):
            return f"a motion's {name.replace('_', ' ')} can't be changed; file a new motion"
    if old.status is not MotionStatus.PENDING:
        if old.model_dump(exclude={"version"}) == new.model_dump(exclude={"version"}):
            return None
        return ruling_refusal(old)
    if new.status is MotionStatus.PENDING:
        if any(getattr(new, f) is not None for f in _RULING_FIELDS):
            return "a ruling sets the motion's status"
        return None
    if new.status is MotionStatus.WITHDRAWN:
        if any(getattr(new, f) is not None for f in _RULING_FIELDS):
            return "a withdrawn motion carries no ruling"
        return None
    return _ruling_problem(new, limits)


def _ruling_problem(new: Motion, limits: MotionLimit | None) -> str | None:
    if new.ruling is None:
        return "a ruling names its stamp (granted, denied, untimely, moot)"
    expected = catalogue().ruling_status(new.ruling)
    if new.status is not expected:
        return f"a motion stamped {new.ruling.value} is {expected.value}, not {new.status.value}"
    if new.ruled_on is None or new.ruled_by is None or new.order_id is None:
        return "a ruling needs its date, its judge and the signed order that issues it"
    if new.ruled_on < new.filed_on:
        return "a motion can't be ruled on before the court received it"
    if new.ruling is MotionRuling.GRANTED_UNOPPOSED:
        if new.movant is not Movant.RESPONDENT:
            return "only the respondent's motion is granted as unopposed by DHS"
        if new.other_party_position is OtherPartyPosition.OPPOSES:
            return "DHS opposes this motion: it can't be granted as unopposed"
    exception = new.limit_exception
    if exception is not None:
        if new.motion_type not in LIMITED:
            return "only a motion to reopen or reconsider takes an exception to the limits"
        entry = catalogue().exceptions.get(exception)
        if entry is None or new.motion_type.value not in entry.extra.get("applies_to", ()):
            return f"{exception!r} is not an exception to the limits of this motion"
        if limits is not None and entry not in limits.exceptions:
            return f"{entry.label!r} applies only to an order entered in absentia"
    granted = new.status is MotionStatus.GRANTED
    if granted and limits is not None and limits.barred and exception is None:
        why = "past its time limit" if not limits.timely else "beyond the one motion allowed"
        return (
            f"the motion is {why} (8 CFR 1003.23(b)(1)): name the exception that applies, "
            "or deny it"
        )
    return None


def order_fields(
    motion: Motion,
    ruling: MotionRuling,
    reason: str = "",
    *,
    limit_exception: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The motion order's fields for stamping ``ruling`` on ``motion`` (``extra``: the
    adjournment code and next hearing of a granted continuance, a new court)."""
    fields: dict[str, Any] = {
        "motion": motion.motion_type.value,
        "movant": motion.movant.value,
        "ruling": ruling.value,
    }
    if motion.motion_type is MotionType.OTHER:
        fields["other_motion"] = (motion.description or "").strip()
    if reason.strip():
        fields["reason"] = reason.strip()
    if limit_exception:
        fields["limit_exception"] = limit_exception
    for key, value in (extra or {}).items():
        if value not in (None, ""):
            fields[key] = value
    return fields


def motions_of(records: Iterable[Mapping[str, Any]], case_id: str) -> list[Motion]:
    """The case's motions from wire dicts (deleted ones aside)."""
    return [
        Motion.model_validate(r)
        for r in records
        if r.get("case_id") == case_id and not r.get("deleted")
    ]
