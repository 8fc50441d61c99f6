"""A respondent's custody: the detention facilities (reference data) and the custody
history (``custody_change`` records) the case's ``custody`` follows.

One answer for the whole system: the server checks a pushed change with
:func:`check_custody_change` and derives the case's custody and the facility's address from
it (:func:`custody_after`, :func:`facility_address`); the desktop's docket shows the
facility and the custody of the latest entry (:func:`current_custody`), so a change made
offline shows at once. Pure Python over wire records; the facilities and their source are
in ``resources/detention_facilities.json``.

The rules, in short:

- Detained names a facility and opens a stay in custody; transferred moves a detained
  respondent to another facility; released ends the stay.
- The history is kept in order: an entry takes effect no earlier than the latest one, and
  is never edited (a correction is a new entry).
- While detained, the address of record is the facility, in care of its custodial officer
  (``common.service.address_of_record``; the wording in ``resources/service_rules.json``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from common.citations import Citation, parse_citation
from common.court_time import format_date
from common.enums import AddressKind, Custody, CustodyEvent
from common.resources import DataFileError, read_data_file, require, resource_path
from common.service import service_wording
from common.wire import Address, CustodyChange

FACILITIES_FILE = "detention_facilities.json"
_NAMESPACE = uuid.UUID("5d0c6a7e-2f41-4b8e-b0f3-9a3e1c7d2b64")


@dataclass(frozen=True, slots=True)
class Facility:
    code: str  # the project's stable key
    name: str
    street: str
    city: str
    state: str
    zip: str
    field_office: str
    url: str  # the facility's page in ICE's Detention Facility Locator
    active: bool = True

    @property
    def place(self) -> str:
        """Where it is, in a line: "Conroe, TX"."""
        return f"{self.city}, {self.state}"


@dataclass(frozen=True)
class FacilityList:
    version: str
    source: Citation
    facilities: dict[str, Facility]  # by code, in the file's order

    def active(self) -> list[Facility]:
        return [f for f in self.facilities.values() if f.active]

    def get(self, code: str | None) -> Facility | None:
        return self.facilities.get(code) if code else None

    def name_of(self, code: str | None) -> str:
        """The facility's name; an unknown code as itself (a newer list named it)."""
        facility = self.get(code)
        return facility.name if facility else (code or "")


@lru_cache(maxsize=1)
def load_facilities() -> FacilityList:
    """The facility list of ``resources/detention_facilities.json`` (read once)."""
    path = resource_path(FACILITIES_FILE)
    data = read_data_file(path)
    where = str(path)
    entries = require(data, "facilities", list, where=where)
    facilities: dict[str, Facility] = {}
    for number, raw in enumerate(entries):
        at = f"{where}, facility {number}"
        if not isinstance(raw, dict):
            raise DataFileError(f"{at}: must be an object")
        code = require(raw, "code", str, where=at)
        if code in facilities:
            raise DataFileError(f"{at}: code {code!r} is listed twice")
        facilities[code] = Facility(
            code=code,
            name=require(raw, "name", str, where=at),
            street=require(raw, "street", str, where=at),
            city=require(raw, "city", str, where=at),
            state=require(raw, "state", str, where=at),
            zip=require(raw, "zip", str, where=at),
            field_office=require(raw, "field_office", str, where=at),
            url=require(raw, "url", str, where=at),
            active=bool(raw.get("active", True)),
        )
    return FacilityList(
        version=require(data, "version", str, where=where),
        source=parse_citation(data.get("source"), where),
        facilities=facilities,
    )


def history(changes: Iterable[CustodyChange]) -> list[CustodyChange]:
    """The custody history in the order it happened (effective date, then recording)."""
    return sorted(changes, key=lambda c: (c.effective_on, c.recorded_at, c.id))


def latest(changes: Iterable[CustodyChange]) -> CustodyChange | None:
    ordered = history(changes)
    return ordered[-1] if ordered else None


def custody_after(change: CustodyChange) -> Custody:
    """The case's custody once ``change`` holds."""
    return Custody.RELEASED if change.event is CustodyEvent.RELEASED else Custody.DETAINED


@dataclass(frozen=True, slots=True)
class CurrentCustody:
    custody: Custody
    facility_code: str | None  # while detained and known
    since: date | None  # the latest change's date (None: the case's custody, no history)


def current_custody(case_custody: Custody, changes: Iterable[CustodyChange]) -> CurrentCustody:
    """Where the respondent is now: the latest entry of the history, else the case's own
    custody (a case opened detained, before any change was recorded)."""
    last = latest(changes)
    if last is None:
        return CurrentCustody(case_custody, None, None)
    custody = custody_after(last)
    facility = last.facility_code if custody is Custody.DETAINED else None
    return CurrentCustody(custody, facility, last.effective_on)


def check_custody_change(
    case_custody: Custody,
    earlier: Iterable[CustodyChange],
    new: CustodyChange,
    facilities: FacilityList | None = None,
) -> str | None:
    """Why ``new`` can't follow the case's history ``earlier`` (the case's recorded
    custody when the history is empty), or None."""
    facilities = facilities or load_facilities()
    places = new.event is not CustodyEvent.RELEASED
    if places and not new.facility_code:
        return f"a respondent {new.event.value} must be at a named detention facility"
    if not places and new.facility_code:
        return "a release names no facility"
    facility = facilities.get(new.facility_code)
    if places and facility is None:
        return f"{new.facility_code!r} is not a detention facility on the court's list"
    previous = [c for c in earlier if c.id != new.id]
    last = latest(previous)
    if last is not None and new.effective_on < last.effective_on:
        return (
            "the custody history is kept in order: this change can take effect no earlier "
            f"than the latest one ({format_date(last.effective_on)})"
        )
    now = current_custody(case_custody, previous)
    detained = now.custody is Custody.DETAINED
    where = facilities.name_of(now.facility_code) if now.facility_code else "a facility"
    # A case opened detained may name its facility with a first "detained" entry.
    if new.event is CustodyEvent.DETAINED and detained and now.since is not None:
        return f"the respondent is already detained at {where}; record a transfer instead"
    if new.event is CustodyEvent.TRANSFERRED:
        if not detained:
            return "only a detained respondent is transferred; record the detention instead"
        if now.facility_code == new.facility_code:
            return f"the respondent is already held at {where}"
    if new.event is CustodyEvent.RELEASED and not detained:
        return "the respondent is not detained, so can't be released"
    return None


def facility_address_id(change_id: str) -> str:
    """The id of the address entry a custody change makes: one change, one entry."""
    return str(uuid.uuid5(_NAMESPACE, f"custody-address/{change_id}"))


def facility_address(
    change: CustodyChange, recorded_at: datetime, facilities: FacilityList | None = None
) -> Address | None:
    """The address-history entry a detention or transfer makes: the facility, in care of
    its custodial officer, from the change's date (None for a release: the address of
    record goes back to the latest address outside detention)."""
    facility = (facilities or load_facilities()).get(change.facility_code)
    if change.event is CustodyEvent.RELEASED or facility is None:
        return None
    return Address(
        id=facility_address_id(change.id),
        case_id=change.case_id,
        kind=AddressKind.CUSTODIAL,
        street=facility.street,
        city=facility.city,
        state=facility.state,
        zip=facility.zip,
        in_care_of=service_wording().facility_custodian.format(facility=facility.name),
        effective_on=change.effective_on,
        source_document_id=change.source_document_id,
        recorded_at=recorded_at,
    )


EVENT_WORDS = {
    CustodyEvent.DETAINED: "Detained",
    CustodyEvent.TRANSFERRED: "Transferred",
    CustodyEvent.RELEASED: "Released",
}


def describe(change: CustodyChange, facilities: FacilityList | None = None) -> str:
    """The entry in words: "Transferred to Montgomery Processing Center (Conroe, TX) on ..."."""
    facilities = facilities or load_facilities()
    day = format_date(change.effective_on)
    if change.event is CustodyEvent.RELEASED:
        return f"Released on {day}"
    facility = facilities.get(change.facility_code)
    where = f"{facility.name} ({facility.place})" if facility else str(change.facility_code)
    verb = "Detained at" if change.event is CustodyEvent.DETAINED else "Transferred to"
    return f"{verb} {where} on {day}"
