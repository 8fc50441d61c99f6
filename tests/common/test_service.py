"""Who is served and where, as common/service.py decides it (the rules and their sources:
resources/service_rules.json)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from common import service
from common.enums import Custody, Party
from common.forms_eoir import ServiceMethod
from common.resources import DataFileError, resource_path
from common.service import (
    Proceeding,
    address_lines,
    address_of_record,
    certificate_of_service,
    history,
    parties_to_serve_from,
    proceeding_for,
    service_rules,
)
from common.wire import Address, Case, Court, Representation, UserProfile

CASE_ID = str(uuid.uuid4())
COURT = Court(
    id=str(uuid.uuid4()),
    code="SFR",
    name="San Francisco Immigration Court",
    address="630 Sansome Street",
    city="San Francisco",
    state="CA",
    timezone="America/Los_Angeles",
)


def _case(custody: Custody = Custody.NEVER_DETAINED) -> Case:
    return Case(
        id=CASE_ID,
        a_number="200000001",
        court_id=COURT.id,
        case_type="removal",
        status="pending",
        custody=custody,
        respondent_first_name="Ana",
        respondent_last_name="Reyes",
        nationality="Peru",
        language="Spanish",
        opened_on=date(2026, 9, 1),
    )


def _address(kind: str, effective: date, recorded: int = 0, **extra: Any) -> Address:
    return Address(
        id=str(uuid.uuid4()),
        case_id=CASE_ID,
        kind=kind,
        street=extra.pop("street", f"{recorded + 1} Elm Street"),
        city="Oakland",
        state="CA",
        zip="94607",
        effective_on=effective,
        recorded_at=datetime(2026, 9, 1, 18, recorded, tzinfo=UTC),
        **extra,
    )


def _counsel(practitioner: str, form: str, scope: str) -> Representation:
    return Representation(
        id=str(uuid.uuid4()),
        case_id=CASE_ID,
        practitioner_id=practitioner,
        form=form,
        scope=scope,
        status="accepted",
    )


def test_the_address_of_record_is_the_latest_in_effect_on_the_day_of_service() -> None:
    nta = _address("nta", date(2026, 9, 1))
    moved = _address("eoir_33", date(2026, 11, 20), recorded=1)
    assert (
        address_of_record([moved, nta], custody=Custody.NEVER_DETAINED, on=date(2026, 11, 19))
        == nta
    )
    assert (
        address_of_record([nta, moved], custody=Custody.NEVER_DETAINED, on=date(2026, 11, 20))
        == moved
    )
    # Two entries in effect the same day: the one the court recorded last.
    again = _address("eoir_33", date(2026, 11, 20), recorded=2)
    assert address_of_record([again, moved, nta], custody=Custody.NEVER_DETAINED) == again


def test_a_facility_is_the_address_only_while_the_respondent_is_detained() -> None:
    home = _address("nta", date(2026, 9, 1))
    facility = _address(
        "custodial", date(2026, 10, 1), recorded=1, in_care_of="the custodial officer, X"
    )
    assert address_of_record([home, facility], custody=Custody.DETAINED) == facility
    assert address_of_record([home, facility], custody=Custody.RELEASED) == home
    assert address_lines(facility)[0] == "in care of the custodial officer, X"


def test_counsel_is_served_in_the_proceedings_the_eoir_28_covers() -> None:
    ids = {name: str(uuid.uuid4()) for name in ("custody", "main", "board")}
    custody_only = _counsel(ids["custody"], "eoir_28", "custody_and_bond_only")
    all_but = _counsel(ids["main"], "eoir_28", "all_except_custody_and_bond")
    board = _counsel(ids["board"], "eoir_27", "all_proceedings")
    users = {
        i: UserProfile(id=i, username=name, display_name=name, role="attorney")
        for name, i in ids.items()
    }
    home = _address("nta", date(2026, 9, 1))

    def served(proceeding: Proceeding) -> set[str]:
        parties = parties_to_serve_from(
            _case(), COURT, [custody_only, all_but, board], users, [home], proceeding=proceeding
        )
        return {p.recipient_id or p.party.value for p in parties}

    assert served(Proceeding.MAIN) == {ids["main"], "dhs"}
    assert served(Proceeding.CUSTODY_AND_BOND) == {ids["custody"], "dhs"}


def test_a_pro_se_respondent_without_an_address_is_named_but_not_mailed() -> None:
    [respondent, dhs] = parties_to_serve_from(
        _case(), COURT, [], {}, [], proceeding=Proceeding.MAIN
    )
    assert respondent.party is Party.RESPONDENT and respondent.unreachable
    assert "no address of record" in respondent.describe()
    assert dhs.party is Party.DHS and dhs.method is ServiceMethod.ELECTRONIC
    assert "San Francisco" in dhs.name


def test_a_detained_respondent_without_a_known_facility_is_in_care_of_the_custodial_officer() -> (
    None
):
    [respondent, _] = parties_to_serve_from(
        _case(Custody.DETAINED),
        COURT,
        [],
        {},
        [_address("nta", date(2026, 9, 1))],  # a home address: not where he is held
        proceeding=Proceeding.CUSTODY_AND_BOND,
    )
    assert respondent.in_care_of == "the custodial officer" and respondent.unreachable


def test_the_envelope_lines_of_a_home_abroad_and_a_facility() -> None:
    home = _address("nta", date(2026, 9, 1), street="12 Elm Street", unit="Apt 4")
    assert address_lines(home) == ("12 Elm Street", "Apt 4", "Oakland, CA 94607")
    abroad = Address(
        id=str(uuid.uuid4()),
        case_id=CASE_ID,
        kind="eoir_33",
        street="Calle 5 de Mayo 10",
        city="Lima",
        country="Peru",
        effective_on=date(2026, 9, 1),
        recorded_at=datetime(2026, 9, 1, 18, 0, tzinfo=UTC),
    )
    assert address_lines(abroad) == ("Calle 5 de Mayo 10", "Lima", "PERU")
    # A facility with no custodian recorded is still mailed in care of its officer; a home
    # address is never "in care of" anyone.
    facility = _address("custodial", date(2026, 10, 1), street="1 Detention Way")
    assert address_lines(facility) == (
        "in care of the custodial officer",
        "1 Detention Way",
        "Oakland, CA 94607",
    )


def test_each_party_is_described_in_one_line_for_the_certificate() -> None:
    home = _address("nta", date(2026, 9, 1), street="12 Elm Street")
    [respondent, dhs] = parties_to_serve_from(
        _case(), COURT, [], {}, [home], proceeding=Proceeding.MAIN
    )
    assert respondent.describe() == (
        "Respondent: Ana Reyes — first-class mail — 12 Elm Street; Oakland, CA 94607"
    )
    assert dhs.describe() == (
        "Department of Homeland Security: DHS — ICE Office of the Principal Legal Advisor, "
        "San Francisco — electronic service (ECAS)"
    )


def test_counsel_are_served_once_each_in_a_stable_order() -> None:
    # The certificate lists counsel by user id (the same order on every desk and the
    # server), each once however many EOIR-28s they filed.
    first, second, unknown = (
        "11111111-0000-4000-8000-000000000000",
        "22222222-0000-4000-8000-000000000000",
        "33333333-0000-4000-8000-000000000000",
    )
    users = {
        first: UserProfile(id=first, username="kim", display_name="Kim Lee", role="attorney"),
        second: UserProfile(id=second, username="ray", display_name="Ray Diaz", role="attorney"),
    }
    appearances = [
        _counsel(unknown, "eoir_28", "all_proceedings"),
        _counsel(second, "eoir_28", "all_proceedings"),
        _counsel(first, "eoir_28", "all_proceedings"),
        _counsel(second, "eoir_28", "all_except_custody_and_bond"),  # a second EOIR-28
    ]
    parties = parties_to_serve_from(
        _case(), COURT, appearances, users, [], proceeding=Proceeding.MAIN
    )
    assert [(p.party, p.recipient_id, p.name) for p in parties] == [
        (Party.PRACTITIONER, first, "Kim Lee"),
        (Party.PRACTITIONER, second, "Ray Diaz"),
        (Party.PRACTITIONER, unknown, "Practitioner of record"),
        (Party.DHS, None, "DHS — ICE Office of the Principal Legal Advisor, San Francisco"),
    ]
    assert parties[0].describe() == (
        "Counsel for the respondent: Kim Lee — electronic service (ECAS)"
    )


def test_the_respondent_is_mailed_at_the_address_of_record_on_the_day_of_service() -> None:
    nta = _address("nta", date(2026, 9, 1))
    moved = _address("eoir_33", date(2026, 11, 20), recorded=1)

    def mailed_to(on: date) -> tuple[str | None, tuple[str, ...], str | None]:
        [respondent, _] = parties_to_serve_from(
            _case(Custody.RELEASED), COURT, [], {}, [nta, moved], proceeding=Proceeding.MAIN, on=on
        )
        return respondent.address_id, respondent.address, respondent.in_care_of

    # An order served the day before the EOIR-33 takes effect goes to the old address.
    assert mailed_to(date(2026, 11, 19)) == (nta.id, address_lines(nta), None)
    assert mailed_to(date(2026, 11, 20)) == (moved.id, address_lines(moved), None)


def test_a_detained_respondent_is_served_in_care_of_the_facility_s_custodian() -> None:
    facility = _address(
        "custodial", date(2026, 10, 1), in_care_of="the custodial officer, Mesa Verde"
    )
    [respondent, _] = parties_to_serve_from(
        _case(Custody.DETAINED), COURT, [], {}, [facility], proceeding=Proceeding.MAIN
    )
    assert respondent.in_care_of == "the custodial officer, Mesa Verde"
    assert respondent.address_id == facility.id


def test_dhs_is_named_without_a_city_when_the_court_is_unknown() -> None:
    [_, dhs] = parties_to_serve_from(_case(), None, [], {}, [], proceeding=Proceeding.MAIN)
    assert dhs.name == "DHS — ICE Office of the Principal Legal Advisor"


def test_the_address_history_is_shown_latest_first() -> None:
    nta = _address("nta", date(2026, 9, 1))
    moved = _address("eoir_33", date(2026, 11, 20), recorded=1)
    corrected = _address("eoir_33", date(2026, 11, 20), recorded=2)  # same day, later
    assert history([nta, corrected, moved]) == [corrected, moved, nta]


def test_the_certificate_names_the_court_staff_and_the_day() -> None:
    parties = parties_to_serve_from(_case(), COURT, [], {}, [], proceeding=Proceeding.MAIN)
    certificate = certificate_of_service(
        parties, court_name=COURT.name, served_on=date(2026, 12, 7)
    )
    assert certificate.served_by == "Court staff, San Francisco Immigration Court"
    assert certificate.served_on == date(2026, 12, 7)
    assert certificate.parties == tuple(parties)


@pytest.mark.parametrize(
    ("template", "case_type", "expected"),
    [
        ("bond_order", "removal", Proceeding.CUSTODY_AND_BOND),
        ("removal_decision", "removal", Proceeding.MAIN),
        ("motion_order", "bond", Proceeding.CUSTODY_AND_BOND),
        ("motion_order", "asylum_only", Proceeding.MAIN),
    ],
)
def test_the_proceeding_an_order_acts_in(
    template: str, case_type: str, expected: Proceeding
) -> None:
    assert proceeding_for(template, case_type) is expected


def test_every_service_rule_cites_its_source() -> None:
    rules = service_rules()
    assert {r.id for r in rules} >= {"counsel_by_form", "counsel_by_scope", "pro_se_by_mail"}
    for rule in rules:
        for citation in rule.citations:
            assert citation["document"] and citation["section"]
            assert citation["read_on"] == "2026-12-06"


def test_a_rules_file_with_a_wording_that_is_not_text_names_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = json.loads(resource_path(service.RULES_FILE).read_text(encoding="utf-8"))
    rules["wording"]["methods"]["mail"] = 7
    broken = tmp_path / "service_rules.json"
    broken.write_text(json.dumps(rules), encoding="utf-8")
    monkeypatch.setattr(service, "resource_path", lambda _name: broken)
    service.service_wording.cache_clear()
    try:
        with pytest.raises(DataFileError) as raised:
            service.service_wording()
    finally:
        service.service_wording.cache_clear()
    assert str(raised.value) == f"{broken} wording.methods: every value must be text"
