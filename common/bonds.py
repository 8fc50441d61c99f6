"""Bond proceedings: what a custody redetermination must say, and what follows from it.

A bond case is a proceeding of its own, with its own record (8 CFR 1003.19(d); ICPM 9.3);
each redetermination is a ``bond`` record (:class:`common.wire.Bond`). DHS sets a bond or
holds the respondent without one; the respondent asks the immigration judge to redetermine
it; the judge leaves it unchanged, lowers or raises it, releases the respondent on
recognizance, or finds no jurisdiction (an arriving alien, 8 CFR 1003.19(h)(2)(i)). Either
party may appeal to the Board within 30 days (8 CFR 1003.19(f), 1003.38(b)). Where DHS had
held the respondent without bond or set $10,000 or more and the judge authorized release,
DHS may stay the release by filing Form EOIR-43 within one business day (8 CFR
1003.19(i)(2), 1003.6(c)); the stay lapses unless DHS appeals within 10 business days, and
90 days after the appeal unless the Board acts (``resources/deadline_rules.json`` says which
parts of this were read in the primary text and which are assumed). A later request is
considered only on a showing that circumstances changed materially since the prior
redetermination (8 CFR 1003.19(e)).

Pure Python over wire records, so the server (``change_rules``) and the desktop (the case
file) give the same answers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from common.court_closures import CourtCalendar, board_calendar
from common.court_time import format_date
from common.deadlines import Deadline, compute_deadline
from common.enums import BondDetermination, BondOutcome, Party
from common.wire import Bond

# 8 CFR 1003.19(i)(2): the automatic stay is open to DHS only where it held the respondent
# without bond or set a bond of this much or more.
AUTOMATIC_STAY_THRESHOLD = 10_000

# Outcomes by which the judge authorizes a release DHS had not allowed on those terms.
RELEASING = frozenset({BondOutcome.LOWERED, BondOutcome.RECOGNIZANCE})
_SETS_AMOUNT = frozenset({BondOutcome.LOWERED, BondOutcome.RAISED})

OUTCOME_WORDS = {
    BondOutcome.NO_CHANGE: "No change",
    BondOutcome.LOWERED: "Bond lowered",
    BondOutcome.RAISED: "Bond raised",
    BondOutcome.RECOGNIZANCE: "Released on recognizance",
    BondOutcome.NO_JURISDICTION: "No jurisdiction",
    BondOutcome.WITHDRAWN: "Request withdrawn",
}
# Outcomes that redetermine nothing: no jurisdiction (8 CFR 1003.19(h)(2)(i)) and a request
# the respondent withdrew. Neither is a "prior bond redetermination" (8 CFR 1003.19(e)) nor
# has anything for the Board to review.
NOT_REDETERMINED = frozenset({BondOutcome.NO_JURISDICTION, BondOutcome.WITHDRAWN})

CHANGED_CIRCUMSTANCES = (
    "a later bond redetermination is considered only on a showing that the respondent's "
    "circumstances have changed materially since the prior redetermination (8 CFR "
    "1003.19(e)); state the change"
)


def dollars(amount: int | None) -> str:
    """``$12,500``; None reads "no bond"."""
    return "no bond" if amount is None else f"${amount:,}"


def dhs_amount_in_effect(bond: Bond) -> int | None:
    """DHS's bond (None: held without bond)."""
    return bond.dhs_amount if bond.dhs_determination is BondDetermination.AMOUNT else None


def amount_before(bond: Bond, prior: Bond | None) -> int | None:
    """The bond in effect when ``bond`` was asked for: the prior redetermination's result,
    else DHS's (None: held without bond)."""
    if prior is not None and prior.outcome is not None:
        return amount_after(prior, None)
    return dhs_amount_in_effect(bond)


def amount_after(bond: Bond, prior: Bond | None) -> int | None:
    """The bond once ``bond`` was decided (0: released on recognizance; None: no bond)."""
    match bond.outcome:
        case BondOutcome.LOWERED | BondOutcome.RAISED:
            return bond.amount
        case BondOutcome.RECOGNIZANCE:
            return 0
    return amount_before(bond, prior)


def decision_problem(bond: Bond, prior: Bond | None) -> str | None:
    """Why ``bond``'s decision does not hold together, or None (also when undecided)."""
    decided = (bond.outcome, bond.decided_on, bond.judge_id)
    if all(v is None for v in decided):
        return "a bond is set only by the judge's decision" if bond.amount is not None else None
    if any(v is None for v in decided):
        return "a bond decision needs its outcome, the judge and the court's date of decision"
    assert bond.outcome is not None and bond.decided_on is not None
    if bond.decided_on < bond.requested_on:
        return "the bond was decided before it was asked for"
    if bond.outcome in _SETS_AMOUNT:
        if not bond.amount:
            return f"{OUTCOME_WORDS[bond.outcome].lower()}: give the new bond amount"
        before = amount_before(bond, prior)
        if bond.outcome is BondOutcome.LOWERED and before is not None and bond.amount >= before:
            return f"a lowered bond must be less than the {dollars(before)} in effect"
        if bond.outcome is BondOutcome.RAISED and (before is None or bond.amount <= before):
            if before is None:
                return "there is no bond to raise: DHS holds the respondent without bond"
            return f"a raised bond must be more than the {dollars(before)} in effect"
    elif bond.amount is not None:
        return f"{OUTCOME_WORDS[bond.outcome].lower()} sets no new amount"
    return None


def request_problem(bond: Bond) -> str | None:
    """Why ``bond``'s own facts (DHS's determination, who asked) don't hold together."""
    if bond.dhs_determination is BondDetermination.AMOUNT and not bond.dhs_amount:
        return "DHS set a bond: give its amount"
    if bond.dhs_determination is BondDetermination.NO_BOND and bond.dhs_amount is not None:
        return "DHS held the respondent without bond: no amount goes with that"
    if bond.requested_by not in (Party.RESPONDENT, Party.PRACTITIONER):
        return "a bond redetermination is asked for by the respondent or their counsel"
    if (bond.requested_by is Party.PRACTITIONER) != (bond.requester_id is not None):
        return "name the counsel who asked (and only when counsel asked)"
    return None


def later_request_problem(bond: Bond, others: Iterable[Bond]) -> str | None:
    """A request made after an earlier redetermination of the same proceeding was decided
    must name it (``prior_bond_id``, the latest) and state the material change of
    circumstances (8 CFR 1003.19(e)). A finding of no jurisdiction or a withdrawn request
    redetermined nothing, so it is not a prior redetermination (an assumption: 1003.19(e)
    speaks of "the prior bond redetermination")."""
    earlier = [
        b
        for b in others
        if b.id != bond.id
        and b.outcome is not None
        and b.outcome not in NOT_REDETERMINED
        and b.decided_on is not None
        and b.decided_on <= bond.requested_on
    ]
    if not earlier:
        return None
    latest = max(earlier, key=lambda b: (b.decided_on or date.min, b.id))
    if not bond.changed_circumstances.strip():
        return CHANGED_CIRCUMSTANCES
    if bond.prior_bond_id != latest.id:
        return (
            "a later request names the prior redetermination it asks to change: the one "
            f"decided {format_date(latest.decided_on or date.min)}"
        )
    return None


def stay_notice_deadline(decided_on: date, calendar: CourtCalendar) -> Deadline:
    """The last day for DHS's EOIR-43: one business day of the immigration court."""
    return compute_deadline("bond_stay_notice", decided_on, calendar=calendar)


def stay_problem(old: Bond | None, new: Bond, calendar: CourtCalendar) -> str | None:
    """Why the EOIR-43 (``stay_filed_on``) or DHS's notice of appeal recorded on ``new``
    can't stand, or None. ``calendar`` is the immigration court's."""
    old_stay = old.stay_filed_on if old else None
    old_appeal = old.dhs_appeal_filed_on if old else None
    if old_stay is not None and new.stay_filed_on != old_stay:
        return "an EOIR-43 once filed is part of the record and is not changed"
    if old_appeal is not None and new.dhs_appeal_filed_on != old_appeal:
        return "DHS's notice of appeal once recorded is not changed"
    if new.stay_filed_on is None and new.dhs_appeal_filed_on is None:
        return None
    if new.outcome is None or new.decided_on is None:
        return "there is no bond decision yet to stay or appeal"
    if new.dhs_appeal_filed_on is not None and new.dhs_appeal_filed_on < new.decided_on:
        return "the appeal can't be filed before the decision"
    if new.stay_filed_on is None or new.stay_filed_on == old_stay:
        return None
    if new.outcome not in RELEASING:
        return (
            "the automatic stay stays a release the judge authorized (a lower bond or "
            "recognizance); this decision authorized none (8 CFR 1003.19(i)(2))"
        )
    dhs = dhs_amount_in_effect(new)
    if dhs is not None and dhs < AUTOMATIC_STAY_THRESHOLD:
        return (
            f"the automatic stay is open to DHS only where it held the respondent without "
            f"bond or set a bond of {dollars(AUTOMATIC_STAY_THRESHOLD)} or more; it set "
            f"{dollars(dhs)} (8 CFR 1003.19(i)(2)); DHS may ask the Board for a discretionary "
            "stay instead (8 CFR 1003.19(i)(1))"
        )
    if new.stay_filed_on < new.decided_on:
        return "the EOIR-43 can't be filed before the decision it appeals"
    due = stay_notice_deadline(new.decided_on, calendar)
    if new.stay_filed_on > due.due:
        return (
            f"the EOIR-43 was due by {format_date(due.due)}, one business day after the "
            f"order of {format_date(new.decided_on)} ({due.citation}); filed "
            f"{format_date(new.stay_filed_on)}, it does not stay the release"
        )
    return None


def check_bond(
    old: Bond | None,
    new: Bond,
    *,
    prior: Bond | None,
    others: Iterable[Bond],
    calendar: CourtCalendar,
) -> str | None:
    """Why ``new`` is not a valid next state of ``old`` (None: a new request), or None.
    ``prior`` is the record ``new.prior_bond_id`` names; ``others`` the case's other bond
    records; ``calendar`` the immigration court's."""
    if old is not None and old.outcome is not None:
        decided = ("outcome", "amount", "decided_on", "judge_id")
        if any(getattr(old, f) != getattr(new, f) for f in decided):
            return (
                "the bond decision is made and is part of the record; a new request is a "
                "new redetermination (8 CFR 1003.19(e)), and the decision is appealed to the "
                "Board"
            )
        request = ("requested_on", "requested_by", "requester_id", "requested_amount")
        if any(getattr(old, f) != getattr(new, f) for f in request):
            return "the request was decided; it is not changed afterwards"
    if prior is not None and prior.case_id != new.case_id:
        return "the prior redetermination belongs to another bond proceeding"
    if prior is not None and prior.id == new.id:
        return "a redetermination can't follow itself"
    reason = request_problem(new) or decision_problem(new, prior)
    if reason:
        return reason
    if old is None:
        reason = later_request_problem(new, others)
        if reason:
            return reason
    return stay_problem(old, new, calendar)


def appeal_deadline(bond: Bond, board: CourtCalendar | None = None) -> Deadline | None:
    """The last day for the Board to receive an appeal of ``bond``'s decision (either
    party), or None while undecided or when the request was withdrawn (nothing to appeal)."""
    if bond.decided_on is None or bond.outcome is BondOutcome.WITHDRAWN:
        return None
    return compute_deadline("bond_appeal", bond.decided_on, calendar=board or board_calendar())


@dataclass(frozen=True)
class StayState:
    """The automatic stay of a release, as of a day: whether it holds and what ends it."""

    in_effect: bool
    text: str
    citation: str
    until: date | None = None  # the last day it can hold without what ``text`` says


def stay_state(bond: Bond, today: date, calendar: CourtCalendar) -> StayState | None:
    """The automatic stay on ``today`` (the court's date), or None when no EOIR-43 was
    filed. ``calendar`` is the immigration court's (business days)."""
    if bond.stay_filed_on is None or bond.decided_on is None:
        return None
    filed = f"EOIR-43 filed {format_date(bond.stay_filed_on)}"
    appeal_by = compute_deadline("bond_stay_appeal", bond.decided_on, calendar=calendar)
    if bond.dhs_appeal_filed_on is None or bond.dhs_appeal_filed_on > appeal_by.due:
        if today <= appeal_by.due:
            return StayState(
                True,
                f"Release stayed ({filed}); the stay lapses unless DHS appeals to the Board "
                f"by {format_date(appeal_by.due)}",
                appeal_by.citation,
                appeal_by.due,
            )
        return StayState(
            False,
            f"Stay lapsed: DHS did not appeal by {format_date(appeal_by.due)}; the release "
            "ordered takes effect",
            appeal_by.citation,
            appeal_by.due,
        )
    lapse = compute_deadline("bond_stay_lapse", bond.dhs_appeal_filed_on, calendar=calendar)
    appealed = f"DHS appealed {format_date(bond.dhs_appeal_filed_on)}"
    if today < lapse.due:
        return StayState(
            True,
            f"Release stayed pending the Board's decision ({filed}; {appealed}); the stay "
            f"lapses on {format_date(lapse.due)} unless the Board has acted or extended it",
            lapse.citation,
            lapse.due,
        )
    return StayState(
        False,
        f"Stay lapsed on {format_date(lapse.due)}, 90 days after DHS's appeal, unless the "
        "Board acted or extended it",
        lapse.citation,
        lapse.due,
    )


# --- the bond order and the bond record ----------------------------------------------------
#
# The custody order (``resources/order_templates/bond_order.json``) states one
# redetermination: the case's latest bond record. Its fields use the record's words (the
# DHS determination ``amount``/``no_bond``; the decision is the record's outcome), so a
# draft starts from the record (:func:`order_fields`) and a signed order agrees with it
# (:func:`order_problems`). The judge decides by signing: an undecided request takes the
# decision the order states (:func:`decided_by_order`), saved with the signed order as one
# group, so the order and the record can't tell two stories.

BOND_ORDER = "bond_order"
_ORDER_FACTS = ("dhs_determination", "dhs_amount", "requested_on", "requested_amount")
_ORDER_DECISION = ("decision", "amount", "custody_decision_date")


def latest_bond(bonds: Iterable[Bond]) -> Bond | None:
    """The redetermination a bond order decides: the last request received (on one day,
    an undecided request after a decided one)."""
    return max(bonds, key=lambda b: (b.requested_on, b.outcome is None, b.id), default=None)


def bond_for_order(
    bonds: Iterable[Bond], fields: Mapping[str, Any], *, correction: bool
) -> Bond | None:
    """The bond record an order with ``fields`` states: a new order, the case's latest
    (:func:`latest_bond`); a correction, the decided redetermination of the corrected
    order's date of decision (a later request may have come since; a correction does not
    decide it)."""
    if not correction:
        return latest_bond(bonds)
    day = _day_of(fields.get("custody_decision_date"))
    return latest_bond(b for b in bonds if b.outcome is not None and b.decided_on == day)


def order_fields(bond: Bond) -> dict[str, str]:
    """The bond order's fields as ``bond`` states them: DHS's determination, the request,
    and the decision once there is one."""
    fields = {
        "dhs_determination": bond.dhs_determination.value,
        "requested_on": bond.requested_on.isoformat(),
    }
    if bond.dhs_amount is not None:
        fields["dhs_amount"] = str(bond.dhs_amount)
    if bond.requested_amount is not None:
        fields["requested_amount"] = str(bond.requested_amount)
    if bond.outcome is not None:
        fields["decision"] = bond.outcome.value
        if bond.amount is not None:
            fields["amount"] = str(bond.amount)
    if bond.decided_on is not None:
        fields["custody_decision_date"] = bond.decided_on.isoformat()
    return fields


def _dollars_of(value: object) -> int | None:
    """A money field as whole dollars; None when empty; ValueError when not whole dollars."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("$", "").strip())
    except InvalidOperation as err:
        raise ValueError("not an amount") from err
    if not amount.is_finite() or amount != amount.to_integral_value() or amount < 0:
        raise ValueError("a bond is set in whole dollars")
    return int(amount)


def _day_of(value: object) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def decided_by_order(bond: Bond, fields: Mapping[str, Any], judge_id: str) -> Bond:
    """``bond`` with the decision the order's ``fields`` state, by ``judge_id``; a value
    the record can't hold raises ValueError with the reason."""
    try:
        outcome = BondOutcome(str(fields.get("decision")))
    except ValueError as err:
        raise ValueError("choose the decision") from err
    amount = _dollars_of(fields.get("amount")) if outcome in _SETS_AMOUNT else None
    return bond.model_copy(
        update={
            "outcome": outcome,
            "amount": amount,
            "decided_on": _day_of(fields.get("custody_decision_date")),
            "judge_id": judge_id,
        }
    )


def order_problems(
    bond: Bond | None,
    fields: Mapping[str, Any],
    judge_id: str,
    *,
    prior: Bond | None = None,
    decided: bool = False,
    known: Collection[str] | None = None,
) -> list[tuple[str, str]]:
    """Why a bond order with ``fields``, signed by ``judge_id``, does not state the bond
    record it decides (``bond``: the case's latest, ``prior``: the one it names), as
    (field, reason) pairs; empty when it agrees. With ``decided`` the record must already
    hold the decision (the server, after the group wrote it); otherwise an undecided
    record is checked as the order would decide it. ``known``: the fields of the order's
    template version (an earlier version states less)."""
    if bond is None:
        return [
            (
                "",
                "no bond request is docketed in this bond case: the clerk dockets the "
                "request (with DHS's determination) before the judge decides it",
            )
        ]
    problems: list[tuple[str, str]] = []
    fields = _in_record_words(fields, bond, prior)
    stated = order_fields(bond)
    words = {
        "dhs_determination": "DHS's determination",
        "dhs_amount": "DHS's bond",
        "requested_on": "the day the request was received",
        "requested_amount": "the amount asked for",
        "decision": "the decision",
        "amount": "the bond amount",
        "custody_decision_date": "the date of decision",
    }
    if bond.outcome is None and decided:
        return [
            (
                "decision",
                "the bond record does not hold this decision: the decision is saved with the "
                "signed order, in the same change (sign it again from the case's bond order)",
            )
        ]
    if bond.outcome is None:
        try:
            would_be = decided_by_order(bond, fields, judge_id)
        except ValueError as err:
            field = "decision" if "decision" in str(err) else "amount"
            return [(field, str(err))]
        reason = decision_problem(would_be, prior)
        if reason:
            field = "amount" if would_be.outcome in _SETS_AMOUNT else "decision"
            if would_be.decided_on is not None and would_be.decided_on < bond.requested_on:
                field = "custody_decision_date"
            problems.append((field, reason))
        keys: tuple[str, ...] = _ORDER_FACTS
    else:
        if bond.judge_id is not None and bond.judge_id != judge_id:
            problems.append(("", "the bond record holds another judge's decision"))
        keys = _ORDER_FACTS + _ORDER_DECISION
    for key in keys:
        if known is not None and key not in known:
            continue  # an earlier version of the template did not state it
        if not _same(key, fields.get(key), stated.get(key)):
            problems.append(
                (key, f"the bond record says otherwise: {words[key]} is {_said(key, stated)}")
            )
    return problems


# The 2026-12 bond order's words (superseded/2026-12/bond_order.json), for its drafts: DHS
# "bond_set"; "denied" (the bond in effect stands) and "bond_changed" (lowered or raised,
# as the amount compares with the bond in effect).
_EARLIER_WORDS = {"bond_set": BondDetermination.AMOUNT.value, "denied": BondOutcome.NO_CHANGE.value}


def _in_record_words(fields: Mapping[str, Any], bond: Bond, prior: Bond | None) -> dict[str, Any]:
    out = dict(fields)
    for key in ("dhs_determination", "decision"):
        value = out.get(key)
        out[key] = _EARLIER_WORDS.get(str(value), value) if value is not None else None
    if out.get("decision") == "bond_changed":
        try:
            amount = _dollars_of(out.get("amount"))
        except ValueError:
            amount = None
        before = amount_before(bond, prior)
        raised = amount is not None and before is not None and amount > before
        out["decision"] = (BondOutcome.RAISED if raised else BondOutcome.LOWERED).value
    return out


def _same(key: str, value: object, recorded: str | None) -> bool:
    if key in ("dhs_amount", "requested_amount", "amount"):
        try:
            return _dollars_of(value) == (int(recorded) if recorded else None)
        except ValueError:
            return False
    if key in ("requested_on", "custody_decision_date"):
        return _day_of(value) == _day_of(recorded)
    return (str(value) if value not in (None, "") else None) == recorded


def _said(key: str, stated: Mapping[str, str]) -> str:
    value = stated.get(key)
    if value is None:
        return "not stated"
    if key in ("dhs_amount", "requested_amount", "amount"):
        return dollars(int(value))
    if key in ("requested_on", "custody_decision_date"):
        return format_date(date.fromisoformat(value))
    if key == "decision":
        return OUTCOME_WORDS[BondOutcome(value)].lower()
    return "held without bond" if value == BondDetermination.NO_BOND.value else "a bond"
