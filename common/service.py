"""Who the court serves with what it issues, how, and at what address.

One answer for the whole system: the server's order issuer and notices of hearing make
their service records from :func:`parties_to_serve`, the desktop's preview and signing
summary show the same list, and the certificate of service prints it
(:class:`CertificateOfService`). Pure Python over wire records; the rules and their
sources are in ``resources/service_rules.json``.

The rules, in short:

- Counsel of record is a practitioner with an accepted **EOIR-28** (immigration court).
  An EOIR-27 is an appearance before the Board and is never served an immigration
  judge's order or notice.
- The EOIR-28's **scope** decides the proceedings counsel is served in: all proceedings;
  custody and bond only; all except custody and bond.
- With no counsel covering the proceeding, the **respondent** is served by first-class
  mail at the address of record, or in care of the custodial officer at the facility
  while detained.
- **DHS** is always served.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Any

from common.enums import (
    AddressKind,
    AppearanceScope,
    CaseType,
    Custody,
    FilingKind,
    Party,
    RepresentationStatus,
)
from common.forms_eoir import ServiceMethod
from common.resources import DataFileError, read_data_file, require, resource_path
from common.wire import Address, Case, Court, Representation, UserProfile

RULES_FILE = "service_rules.json"


class Proceeding(StrEnum):
    """The proceedings before the immigration court an act belongs to, as an EOIR-28's
    scope divides them (8 CFR 1003.17(a))."""

    CUSTODY_AND_BOND = "custody_and_bond"  # custody redeterminations (8 CFR 1003.19)
    MAIN = "main"  # all the others: removal, asylum-only, withholding-only, ...


# Order templates that decide custody and bond; every other template acts in the case's
# main proceedings unless the case itself is a bond case.
CUSTODY_TEMPLATES = frozenset({"bond_order"})


def proceeding_for(template_key: str, case_type: str) -> Proceeding:
    """The proceeding an order of ``template_key`` in a case of ``case_type`` acts in."""
    if template_key in CUSTODY_TEMPLATES or case_type == CaseType.BOND.value:
        return Proceeding.CUSTODY_AND_BOND
    return Proceeding.MAIN


_SCOPE_COVERS: dict[AppearanceScope, frozenset[Proceeding]] = {
    AppearanceScope.ALL_PROCEEDINGS: frozenset(Proceeding),
    AppearanceScope.CUSTODY_AND_BOND_ONLY: frozenset({Proceeding.CUSTODY_AND_BOND}),
    AppearanceScope.ALL_EXCEPT_CUSTODY_AND_BOND: frozenset({Proceeding.MAIN}),
}


def covers(appearance: Representation, proceeding: Proceeding) -> bool:
    """Is ``appearance`` counsel of record in ``proceeding`` before the immigration court:
    an accepted EOIR-28 whose scope includes it."""
    return appearance.status is RepresentationStatus.ACCEPTED and form_and_scope_cover(
        appearance.form, appearance.scope, proceeding
    )


def form_and_scope_cover(form: FilingKind, scope: AppearanceScope, proceeding: Proceeding) -> bool:
    """Does an accepted appearance on ``form`` with ``scope`` cover ``proceeding`` before
    the immigration court (an EOIR-28 whose scope includes it)? For callers holding an
    appearance's form and scope rather than the record (an order naming counsel)."""
    return form is FilingKind.EOIR_28 and proceeding in _SCOPE_COVERS[scope]


def address_of_record(
    addresses: Iterable[Address], *, custody: Custody, on: date | None = None
) -> Address | None:
    """The address the court serves the respondent at on ``on`` (a court-local date;
    None: the latest known): the latest entry in effect by then (8 CFR 1003.37(a): "the
    most recent address"). While detained, only a facility counts; otherwise a facility is
    no address of record, since the respondent is no longer there. Entries in effect on
    the same day: the one recorded last wins."""
    detained = custody is Custody.DETAINED
    usable = [
        a
        for a in addresses
        if (a.kind is AddressKind.CUSTODIAL) == detained and (on is None or a.effective_on <= on)
    ]
    if not usable:
        return None
    return max(usable, key=lambda a: (a.effective_on, a.recorded_at, a.id))


def history(addresses: Iterable[Address]) -> list[Address]:
    """The address history, latest first (as the case file and the portal show it)."""
    return sorted(addresses, key=lambda a: (a.effective_on, a.recorded_at, a.id), reverse=True)


def address_lines(address: Address) -> tuple[str, ...]:
    """The address as it goes on an envelope: care-of line, street, unit, city line,
    country when outside the United States."""
    wording = service_wording()
    lines = []
    custodian = address.in_care_of
    if address.kind is AddressKind.CUSTODIAL:
        custodian = custodian or wording.custodial_officer
    if custodian:
        lines.append(wording.in_care_of.format(custodian=custodian))
    lines.append(address.street)
    if address.unit:
        lines.append(address.unit)
    city = ", ".join(part for part in (address.city, address.state) if part)
    lines.append(f"{city} {address.zip}".strip())
    if address.country and address.country != "United States":
        lines.append(address.country.upper())
    return tuple(lines)


@dataclass(frozen=True)
class PartyToServe:
    """One party served: who, how, and (by mail) where."""

    party: Party
    name: str
    method: ServiceMethod
    recipient_id: str | None = None  # the practitioner's user id
    address_id: str | None = None  # the address history entry mailed to
    address: tuple[str, ...] = ()  # the envelope's lines (care-of first), by mail
    in_care_of: str | None = None  # detained: the custodian named on the envelope

    @property
    def unreachable(self) -> bool:
        """Service by mail with no address of record: nothing can be sent."""
        return self.method is ServiceMethod.MAIL and not self.address

    def describe(self) -> str:
        """One line for a person: "Respondent — first-class mail — 12 Elm St, …"."""
        wording = service_wording()
        where = "; ".join(self.address) if self.address else ""
        if self.unreachable:
            where = wording.no_address
        parts = [f"{wording.parties[self.party.value]}: {self.name}", wording.methods[self.method]]
        return " — ".join(p for p in (*parts, where) if p)


@dataclass(frozen=True)
class CertificateOfService:
    """What a certificate of service states: who served (court staff), on what day in the
    court's time zone, and each party with how and where. ``served_on`` is None on a
    draft (not served yet)."""

    served_by: str
    served_on: date | None
    parties: tuple[PartyToServe, ...]


def parties_to_serve_from(
    case: Case,
    court: Court | None,
    appearances: Iterable[Representation],
    users: Mapping[str, UserProfile],
    addresses: Iterable[Address],
    *,
    proceeding: Proceeding,
    on: date | None = None,
    linked_case_ids: Iterable[str] = (),
) -> list[PartyToServe]:
    """Who is served in ``case`` with an act of ``proceeding`` on the court-local date
    ``on``: counsel of record in that proceeding (each, electronically), else the
    respondent by mail at the address of record; then DHS. Deleted records must not be
    passed.

    ``linked_case_ids`` are the respondent's other proceedings joined to this case (a
    bond case and the removal case it belongs to, ``case.removal_case_id``): an appearance
    filed in either covers this case's proceeding by its scope, as it does for reading,
    and the respondent's address history is one history across them. Appearances and
    addresses of any other case are ignored."""
    wording = service_wording()
    cases = {case.id, *linked_case_ids}
    counsel = sorted(
        (a for a in appearances if a.case_id in cases and covers(a, proceeding)),
        key=lambda a: a.practitioner_id,
    )
    served: list[PartyToServe] = []
    seen: set[str] = set()
    for appearance in counsel:
        if appearance.practitioner_id in seen:
            continue
        seen.add(appearance.practitioner_id)
        user = users.get(appearance.practitioner_id)
        served.append(
            PartyToServe(
                party=Party.PRACTITIONER,
                name=user.display_name if user else "Practitioner of record",
                method=ServiceMethod.ELECTRONIC,
                recipient_id=appearance.practitioner_id,
            )
        )
    if not served:
        where = address_of_record(
            (a for a in addresses if a.case_id in cases), custody=case.custody, on=on
        )
        custodian = None
        if case.custody is Custody.DETAINED:
            custodian = where.in_care_of if where and where.in_care_of else None
            custodian = custodian or wording.custodial_officer
        served.append(
            PartyToServe(
                party=Party.RESPONDENT,
                name=f"{case.respondent_first_name} {case.respondent_last_name}",
                method=ServiceMethod.MAIL,
                address_id=where.id if where else None,
                address=address_lines(where) if where else (),
                in_care_of=custodian,
            )
        )
    city = court.city if court is not None else ""
    served.append(
        PartyToServe(
            party=Party.DHS,
            name=wording.dhs.format(city=city).rstrip(", "),
            method=ServiceMethod.ELECTRONIC,
        )
    )
    return served


def certificate_of_service(
    parties: Iterable[PartyToServe], *, court_name: str, served_on: date | None
) -> CertificateOfService:
    """The certificate for ``parties``, served by the court's staff on ``served_on``."""
    return CertificateOfService(
        served_by=service_wording().served_by.format(court=court_name),
        served_on=served_on,
        parties=tuple(parties),
    )


# --- the rules file -------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceWording:
    served_by: str
    dhs: str
    in_care_of: str
    custodial_officer: str
    facility_custodian: str
    no_address: str
    methods: Mapping[str, str]
    parties: Mapping[str, str]


@dataclass(frozen=True)
class ServiceRule:
    id: str
    summary: str
    citations: tuple[Mapping[str, str], ...]


def _strings(raw: Mapping[str, Any], where: str) -> dict[str, str]:
    if not all(isinstance(v, str) for v in raw.values()):
        raise DataFileError(f"{where}: every value must be text")
    return {str(k): str(v) for k, v in raw.items()}


@lru_cache(maxsize=1)
def service_wording() -> ServiceWording:
    """The wording of service lines, from the rules file."""
    path = resource_path(RULES_FILE)
    data = read_data_file(path)
    raw = require(data, "wording", dict, where=str(path))
    where = f"{path} wording"
    methods = _strings(require(raw, "methods", dict, where=where), f"{where}.methods")
    parties = _strings(require(raw, "parties", dict, where=where), f"{where}.parties")
    missing = {m.value for m in ServiceMethod} - set(methods)
    missing |= {p.value for p in (Party.RESPONDENT, Party.PRACTITIONER, Party.DHS)} - set(parties)
    if missing:
        raise DataFileError(f"{where}: no wording for {', '.join(sorted(missing))}")
    return ServiceWording(
        served_by=require(raw, "served_by", str, where=where),
        dhs=require(raw, "dhs", str, where=where),
        in_care_of=require(raw, "in_care_of", str, where=where),
        custodial_officer=require(raw, "custodial_officer", str, where=where),
        facility_custodian=require(raw, "facility_custodian", str, where=where),
        no_address=require(raw, "no_address", str, where=where),
        methods=methods,
        parties=parties,
    )


@lru_cache(maxsize=1)
def service_rules() -> tuple[ServiceRule, ...]:
    """The rules with their sources (each must cite at least one)."""
    path = resource_path(RULES_FILE)
    data = read_data_file(path)
    rules = []
    for index, raw in enumerate(require(data, "rules", list, where=str(path))):
        where = f"{path} rule {index}"
        if not isinstance(raw, dict):
            raise DataFileError(f"{where}: must be an object")
        cites = require(raw, "citation", list, where=where)
        if not cites or not all(isinstance(c, dict) and c.get("section") for c in cites):
            raise DataFileError(f"{where}: needs at least one citation with a section")
        rules.append(
            ServiceRule(
                id=require(raw, "id", str, where=where),
                summary=require(raw, "summary", str, where=where),
                citations=tuple({str(k): str(v) for k, v in c.items()} for c in cites),
            )
        )
    return tuple(rules)
