"""The clerk's entry of an address the court received on paper: a change of address (Form
EOIR-33) handed in at the window or mailed, a notice to appear filed on paper, or the
detention facility where DHS holds the respondent. Plain Python (no Qt): the dialog calls
:func:`new_address` and saves what it returns through the outbox; the server checks it
again (only a clerk of the case's court, never an edit of an earlier entry).

Changes of address filed through the portal are not entered here: accepting the filing
in the review queue records them (on the server, once).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from common.enums import AddressKind
from common.service import service_wording
from common.wire import Address

KIND_LABELS = {
    AddressKind.EOIR_33: "Change of address (EOIR-33) received on paper",
    AddressKind.CUSTODIAL: "Detention facility (respondent detained)",
    AddressKind.NTA: "Address on a notice to appear filed on paper",
}
_STATE = re.compile(r"[A-Za-z]{2}")
_ZIP = re.compile(r"\d{5}(-\d{4})?")


class AddressRefused(ValueError):
    """What is wrong, by field (the dialog shows each beside its field)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class AddressForm:
    kind: AddressKind
    street: str
    unit: str
    city: str
    state: str
    zip: str
    facility: str
    effective_on: date


def new_address(case_id: str, form: AddressForm, *, today: date, now: datetime) -> Address:
    """A new entry of the case's address history from the clerk's ``form``; ``today`` is
    the court's date (an address can't take effect later than today: it is reported after
    the move, 8 CFR 1003.15(d)(2)). :class:`AddressRefused` names every field at fault."""
    errors: dict[str, str] = {}
    street, city = form.street.strip(), form.city.strip()
    state, zip_code = form.state.strip().upper(), form.zip.strip()
    facility = form.facility.strip()
    if not street:
        errors["street"] = "Give the street address."
    if not city:
        errors["city"] = "Give the city."
    if not _STATE.fullmatch(state):
        errors["state"] = "Two letters, e.g. CA."
    if not _ZIP.fullmatch(zip_code):
        errors["zip"] = "Five digits, or five and four (12345-6789)."
    if form.kind is AddressKind.CUSTODIAL and not facility:
        errors["facility"] = "Name the detention facility; mail goes to its custodial officer."
    if form.effective_on > today:
        errors["effective_on"] = "Record a move once it has happened, not in advance."
    if errors:
        raise AddressRefused(errors)
    in_care_of = None
    if form.kind is AddressKind.CUSTODIAL:
        in_care_of = service_wording().facility_custodian.format(facility=facility)
    return Address(
        id=str(uuid.uuid4()),
        case_id=case_id,
        kind=form.kind,
        street=street[:200],
        unit=form.unit.strip()[:200],
        city=city[:200],
        state=state,
        zip=zip_code,
        in_care_of=in_care_of,
        effective_on=form.effective_on,
        recorded_at=now,
    )
