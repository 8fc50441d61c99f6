"""What signing a motion order does beyond the order itself, in words for the signing
summary: a granted motion to withdraw as counsel ends that counsel's appearance on the
grant's day, a granted continuance adjourns the case's next hearing. The same functions
(:func:`desktop.motions.ended_appearance`, :func:`desktop.motions.adjourned_hearing`) make
the records the signature saves, so the summary says what will be saved."""

from __future__ import annotations

from common.adjournment import lookup_code
from common.court_time import table_date, table_datetime
from common.enums import MotionStatus, MotionType
from common.wire import Motion
from desktop.local_store import LocalStore
from desktop.motions import Stamp, adjourned_hearing, ended_appearance
from desktop.orders import case_zone


def _name(store: LocalStore, user_id: str) -> str:
    profile = store.get("user_profile", user_id) or {}
    return str(profile.get("display_name") or "counsel of record")


def ruling_effects(store: LocalStore, stamped: Motion, stamp: Stamp) -> tuple[str, ...]:
    """One line for each record signing ``stamped``'s order changes besides the order and
    the motion (raises ``ValueError`` as :func:`ended_appearance` does)."""
    lines: list[str] = []
    ended = ended_appearance(store, stamped)
    if ended is not None and ended.ended_on is not None:
        name = _name(store, ended.practitioner_id)
        lines.append(
            f"Ends the appearance of {name} as counsel of record on "
            f"{table_date(ended.ended_on)} (withdrawn with your leave); the case leaves "
            "their view at their next sync."
        )
    granted_continuance = (
        stamped.motion_type is MotionType.CONTINUANCE and stamped.status is MotionStatus.GRANTED
    )
    code = (stamp.extra or {}).get("adjournment_code")
    hearing = adjourned_hearing(store, stamped, code)
    if hearing is not None and code:
        when = table_datetime(hearing.starts_at, case_zone(store, stamped.case_id))
        lines.append(
            f"Adjourns the hearing of {when} with code {hearing.adjournment_code} "
            f"({lookup_code(code).description}); the next hearing is the clerk's to calendar."
        )
    elif granted_continuance:
        lines.append(
            "Adjourns no hearing: no adjournment code is chosen, or the case has no "
            "scheduled hearing of yours ahead."
        )
    return tuple(lines)
