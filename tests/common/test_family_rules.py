"""Family cases (common/family.py), against resources/representation_rules.json "family":
the cases of immediate family members heard together under a lead case, each rider with its
own record (Matter of Taerghodsi, 16 I&N Dec. 260 (BIA 1977); BIA Practice Manual 4.10(a));
one level only, at the same immigration court."""

from __future__ import annotations

import uuid
from typing import Any

from common.family import Family, check_family_link, family_of, riders_of


def rid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"family-rules/{name}"))


SAN_FRANCISCO, HOUSTON = rid("court/SFR"), rid("court/HOU")
MOTHER, SON, DAUGHTER, NEIGHBOUR = rid("mother"), rid("son"), rid("daughter"), rid("neighbour")


def case(
    case_id: str, first: str, last: str, *, lead: str | None = None, court: str = SAN_FRANCISCO
) -> dict[str, Any]:
    return {
        "id": case_id,
        "court_id": court,
        "lead_case_id": lead,
        "respondent_first_name": first,
        "respondent_last_name": last,
    }


MOTHER_CASE = case(MOTHER, "Ana", "Reyes")
SON_CASE = case(SON, "Luis", "Reyes", lead=MOTHER)
DAUGHTER_CASE = case(DAUGHTER, "Carla", "Reyes", lead=MOTHER)
NEIGHBOUR_CASE = case(NEIGHBOUR, "Omar", "Haddad")
DOCKET = [SON_CASE, NEIGHBOUR_CASE, MOTHER_CASE, DAUGHTER_CASE]


def test_a_rider_names_a_lead_at_its_court() -> None:
    assert (
        check_family_link(SON, SAN_FRANCISCO, MOTHER_CASE, lead_case_id=MOTHER, has_riders=False)
        is None
    )
    assert check_family_link(SON, SAN_FRANCISCO, None, lead_case_id=None, has_riders=True) is None


def test_a_family_has_one_lead_one_level_deep_at_one_court() -> None:
    assert (
        check_family_link(MOTHER, SAN_FRANCISCO, MOTHER_CASE, lead_case_id=MOTHER, has_riders=False)
        == "a case can't be its own lead"
    )
    assert (
        check_family_link(SON, SAN_FRANCISCO, None, lead_case_id=MOTHER, has_riders=False)
        == "the lead case is not on record"
    )
    assert (
        check_family_link(SON, HOUSTON, MOTHER_CASE, lead_case_id=MOTHER, has_riders=False)
        == "a family's cases are at the same court; change the venue first"
    )
    assert (
        check_family_link(NEIGHBOUR, SAN_FRANCISCO, SON_CASE, lead_case_id=SON, has_riders=False)
        == "the lead is itself a rider: name its family's lead case instead"
    )
    assert (
        check_family_link(
            MOTHER, SAN_FRANCISCO, NEIGHBOUR_CASE, lead_case_id=NEIGHBOUR, has_riders=True
        )
        == "this case leads riders, so it can't be a rider: a family has one lead"
    )


def test_the_family_of_a_lead_or_a_rider_is_the_lead_and_its_riders_by_name() -> None:
    family = Family(MOTHER, (DAUGHTER, SON))  # Reyes, Carla before Reyes, Luis
    assert family_of(MOTHER, DOCKET) == family
    assert family_of(SON, DOCKET) == family
    assert family.case_ids == (MOTHER, DAUGHTER, SON)
    assert family_of(NEIGHBOUR, DOCKET) is None
    assert family_of(rid("unknown"), DOCKET) is None


def test_the_riders_of_a_lead() -> None:
    assert riders_of(MOTHER, DOCKET) == [SON, DAUGHTER]
    assert riders_of(NEIGHBOUR, DOCKET) == []


def test_riders_are_ordered_by_last_name_then_first_name() -> None:
    # A family's members need not share a surname: the father's case leads, his wife and
    # stepson ride; Alvarez, Zoe comes before Zamora, Andres although Andres comes before Zoe.
    father = case(rid("father"), "Jorge", "Mendez")
    wife = case(rid("wife"), "Zoe", "Alvarez", lead=rid("father"))
    stepson = case(rid("stepson"), "Andres", "Zamora", lead=rid("father"))
    assert family_of(rid("father"), [stepson, father, wife]) == Family(
        rid("father"), (rid("wife"), rid("stepson"))
    )
