"""A respondent's custody history (common/custody.py) against its sources: the facilities
as ICE's Detention Facility Locator lists them (resources/detention_facilities.json), the
history kept in order and never edited (a correction is a new entry), a detention naming a
facility, a transfer only while detained and to another facility, a release only of a
detained respondent, and the facility as the address of record in care of its custodial
officer while detained (resources/service_rules.json "facility_custodian")."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from common.citations import Citation
from common.custody import (
    CurrentCustody,
    Facility,
    FacilityList,
    check_custody_change,
    current_custody,
    custody_after,
    describe,
    facility_address,
    facility_address_id,
    history,
    latest,
    load_facilities,
)
from common.enums import AddressKind, Custody, CustodyEvent
from common.wire import Address, CustodyChange

CASE = str(uuid.uuid5(uuid.NAMESPACE_URL, "custody-rules/case"))
NOTICE = str(uuid.uuid5(uuid.NAMESPACE_URL, "custody-rules/i-830"))
RECORDED = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


def change(
    event: CustodyEvent,
    facility: str | None,
    on: date,
    *,
    name: str = "",
    recorded_at: datetime = RECORDED,
) -> CustodyChange:
    return CustodyChange(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"custody-rules/{event}/{facility}/{on}/{name}")),
        case_id=CASE,
        event=event,
        facility_code=facility,
        effective_on=on,
        source_document_id=NOTICE,
        recorded_at=recorded_at,
    )


D, T, R = CustodyEvent.DETAINED, CustodyEvent.TRANSFERRED, CustodyEvent.RELEASED
MARCH_2, MARCH_9, MARCH_16 = date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)


# --- the facility list ------------------------------------------------------------------


def test_the_facility_list_is_ice_s_locator_pages_in_the_file_s_order() -> None:
    facilities = load_facilities()
    assert facilities.version == "2026-12-06"
    assert facilities.source == Citation(
        document="U.S. Immigration and Customs Enforcement, Detention Facility Locator",
        section="https://www.ice.gov/detention-facilities",
        read_on=date(2026, 12, 6),
    )
    assert list(facilities.facilities) == [
        "MESA_VERDE",
        "GOLDEN_STATE_ANNEX",
        "ORANGE_COUNTY_NY",
        "ELIZABETH_CDF",
        "DELANEY_HALL",
        "MONTGOMERY_PC",
        "JOE_CORLEY_PC",
        "HOUSTON_CDF",
    ]
    assert facilities.get("MONTGOMERY_PC") == Facility(
        code="MONTGOMERY_PC",
        name="Montgomery Processing Center",
        street="806 Hilbig Road",
        city="Conroe",
        state="TX",
        zip="77301",
        field_office="Houston",
        url="https://www.ice.gov/detain/detention-facilities/montgomery-processing-center",
        active=True,
    )
    assert facilities.get("MONTGOMERY_PC").place == "Conroe, TX"  # type: ignore[union-attr]
    assert [f.code for f in facilities.active()] == list(facilities.facilities)


def test_an_unknown_code_is_no_facility_but_is_still_named() -> None:
    facilities = load_facilities()
    assert facilities.get("CLOSED_IN_2019") is None
    assert facilities.get(None) is None
    assert facilities.get("") is None
    assert facilities.name_of("CLOSED_IN_2019") == "CLOSED_IN_2019"
    assert facilities.name_of(None) == ""
    assert facilities.name_of("ELIZABETH_CDF") == "Elizabeth Contract Detention Facility"


# --- the history and where the respondent is now -----------------------------------------


def test_the_history_is_in_the_order_it_took_effect_then_as_recorded() -> None:
    later_recorded = change(T, "GOLDEN_STATE_ANNEX", MARCH_9, recorded_at=RECORDED.replace(hour=18))
    first = change(D, "MESA_VERDE", MARCH_2)
    same_day = change(R, None, MARCH_9)
    assert history([later_recorded, same_day, first]) == [first, same_day, later_recorded]
    assert latest([later_recorded, same_day, first]) == later_recorded
    assert latest([]) is None


def test_the_custody_a_change_leaves() -> None:
    assert custody_after(change(D, "MESA_VERDE", MARCH_2)) is Custody.DETAINED
    assert custody_after(change(T, "GOLDEN_STATE_ANNEX", MARCH_2)) is Custody.DETAINED
    assert custody_after(change(R, None, MARCH_2)) is Custody.RELEASED


def test_current_custody_follows_the_latest_entry() -> None:
    detained = change(D, "MESA_VERDE", MARCH_2)
    moved = change(T, "GOLDEN_STATE_ANNEX", MARCH_9)
    released = change(R, None, MARCH_16)
    assert current_custody(Custody.NEVER_DETAINED, []) == CurrentCustody(
        Custody.NEVER_DETAINED, None, None
    )
    assert current_custody(Custody.RELEASED, [moved, detained]) == CurrentCustody(
        Custody.DETAINED, "GOLDEN_STATE_ANNEX", MARCH_9
    )
    assert current_custody(Custody.DETAINED, [released, moved, detained]) == CurrentCustody(
        Custody.RELEASED, None, MARCH_16
    )


# --- what may follow what ------------------------------------------------------------------


def test_a_detention_and_a_transfer_name_a_facility_on_the_list_and_a_release_none() -> None:
    assert check_custody_change(Custody.NEVER_DETAINED, [], change(D, None, MARCH_2)) == (
        "a respondent detained must be at a named detention facility"
    )
    assert check_custody_change(Custody.DETAINED, [], change(T, None, MARCH_2)) == (
        "a respondent transferred must be at a named detention facility"
    )
    assert check_custody_change(Custody.DETAINED, [], change(R, "MESA_VERDE", MARCH_2)) == (
        "a release names no facility"
    )
    assert check_custody_change(Custody.NEVER_DETAINED, [], change(D, "NOWHERE", MARCH_2)) == (
        "'NOWHERE' is not a detention facility on the court's list"
    )


def test_a_detention_transfer_and_release_in_turn_are_accepted() -> None:
    detained = change(D, "MESA_VERDE", MARCH_2)
    moved = change(T, "GOLDEN_STATE_ANNEX", MARCH_9)
    released = change(R, None, MARCH_16)
    assert check_custody_change(Custody.NEVER_DETAINED, [], detained) is None
    assert check_custody_change(Custody.NEVER_DETAINED, [detained], moved) is None
    assert check_custody_change(Custody.NEVER_DETAINED, [detained, moved], released) is None


def test_the_history_is_kept_in_order() -> None:
    moved = change(T, "GOLDEN_STATE_ANNEX", MARCH_9)
    assert check_custody_change(
        Custody.DETAINED, [change(D, "MESA_VERDE", MARCH_9)], change(R, None, MARCH_2)
    ) == (
        "the custody history is kept in order: this change can take effect no earlier than "
        "the latest one (March 9, 2026)"
    )
    # The same entry pushed again is checked against the others, not against itself.
    assert (
        check_custody_change(
            Custody.NEVER_DETAINED, [change(D, "MESA_VERDE", MARCH_2), moved], moved
        )
        is None
    )


def test_a_detained_respondent_is_transferred_not_detained_again() -> None:
    assert (
        check_custody_change(
            Custody.NEVER_DETAINED,
            [change(D, "MESA_VERDE", MARCH_2)],
            change(D, "HOUSTON_CDF", MARCH_9),
        )
        == "the respondent is already detained at Mesa Verde ICE Processing Center; "
        "record a transfer instead"
    )
    # A case opened detained names its facility with a first "detained" entry.
    assert check_custody_change(Custody.DETAINED, [], change(D, "HOUSTON_CDF", MARCH_2)) is None


def test_only_a_detained_respondent_is_transferred_elsewhere_or_released() -> None:
    assert (
        check_custody_change(Custody.NEVER_DETAINED, [], change(T, "HOUSTON_CDF", MARCH_2))
        == "only a detained respondent is transferred; record the detention instead"
    )
    assert (
        check_custody_change(
            Custody.NEVER_DETAINED,
            [change(D, "HOUSTON_CDF", MARCH_2)],
            change(T, "HOUSTON_CDF", MARCH_9),
        )
        == "the respondent is already held at Houston Contract Detention Facility"
    )
    assert check_custody_change(Custody.RELEASED, [], change(R, None, MARCH_2)) == (
        "the respondent is not detained, so can't be released"
    )


# --- the address of record and the entry in words ------------------------------------------


def test_while_detained_the_address_of_record_is_the_facility_in_care_of_its_officer() -> None:
    moved = change(T, "MONTGOMERY_PC", MARCH_9)
    at = datetime(2026, 3, 9, 20, 0, tzinfo=UTC)
    address = facility_address(moved, at)
    assert address == Address(
        id=facility_address_id(moved.id),
        case_id=CASE,
        kind=AddressKind.CUSTODIAL,
        street="806 Hilbig Road",
        city="Conroe",
        state="TX",
        zip="77301",
        in_care_of="the custodial officer, Montgomery Processing Center",
        effective_on=MARCH_9,
        source_document_id=NOTICE,
        recorded_at=at,
    )
    assert facility_address(change(R, None, MARCH_16), at) is None


def test_one_change_makes_one_address_entry() -> None:
    first = change(D, "MESA_VERDE", MARCH_2)
    second = change(T, "GOLDEN_STATE_ANNEX", MARCH_9)
    assert facility_address_id(first.id) == facility_address_id(first.id)
    assert facility_address_id(first.id) != facility_address_id(second.id)
    assert uuid.UUID(facility_address_id(first.id)).version == 5


def test_each_entry_in_words() -> None:
    assert describe(change(D, "MESA_VERDE", MARCH_2)) == (
        "Detained at Mesa Verde ICE Processing Center (Bakersfield, CA) on March 2, 2026"
    )
    assert describe(change(T, "MONTGOMERY_PC", MARCH_9)) == (
        "Transferred to Montgomery Processing Center (Conroe, TX) on March 9, 2026"
    )
    assert describe(change(R, None, MARCH_16)) == "Released on March 16, 2026"


# --- what the first mutation run showed unchecked ------------------------------------------


def test_changes_on_the_same_day_are_in_order() -> None:
    # Detained in the morning and released on bond the same day: no earlier than the latest.
    detained = change(D, "MESA_VERDE", MARCH_2)
    assert (
        check_custody_change(Custody.NEVER_DETAINED, [detained], change(R, None, MARCH_2)) is None
    )


def test_a_case_opened_detained_is_released_before_any_entry() -> None:
    assert check_custody_change(Custody.DETAINED, [], change(R, None, MARCH_2)) is None
    assert check_custody_change(Custody.DETAINED, [], change(T, "HOUSTON_CDF", MARCH_2)) is None


def test_a_released_respondent_is_held_nowhere() -> None:
    # Even a release record naming where they were held (one the check would refuse today).
    released = change(R, "MESA_VERDE", MARCH_9)
    assert current_custody(Custody.DETAINED, [change(D, "MESA_VERDE", MARCH_2), released]) == (
        CurrentCustody(Custody.RELEASED, None, MARCH_9)
    )


def test_a_facility_not_on_the_court_s_list_is_named_by_its_code_and_makes_no_address() -> None:
    # A newer list named it (a record synced from a court whose list is ahead of this one).
    held = change(D, "ADELANTO_ICE", MARCH_2)
    assert describe(held) == "Detained at ADELANTO_ICE on March 2, 2026"
    assert facility_address(held, RECORDED) is None


def test_a_court_s_own_list_is_used_when_given() -> None:
    adelanto = Facility(
        code="ADELANTO_ICE",
        name="Adelanto ICE Processing Center",
        street="10400 Rancho Road",
        city="Adelanto",
        state="CA",
        zip="92301",
        field_office="Los Angeles",
        url="https://www.ice.gov/detain/detention-facilities/adelanto-ice-processing-center",
    )
    court_list = FacilityList("2027-01-04", load_facilities().source, {adelanto.code: adelanto})
    held = change(D, "ADELANTO_ICE", MARCH_2)
    assert check_custody_change(Custody.NEVER_DETAINED, [], held, court_list) is None
    assert describe(held, court_list) == (
        "Detained at Adelanto ICE Processing Center (Adelanto, CA) on March 2, 2026"
    )
    address = facility_address(held, RECORDED, court_list)
    assert address is not None
    assert (address.street, address.in_care_of) == (
        "10400 Rancho Road",
        "the custodial officer, Adelanto ICE Processing Center",
    )
