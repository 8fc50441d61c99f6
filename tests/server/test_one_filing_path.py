"""One path for every filing: an EOIR-28 (and every other filing a party makes) pushed
through the sync API meets the portal's rules and is refused in the portal's words, and an
appearance still waiting for review shows its filer nothing of the case but what they typed.

The same registered attorney files through both doors: the portal's form (signed in with
the password and an authenticator code) and ``POST /api/v1/sync/push`` with API tokens.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from flask import Flask

from common.anumber import format_a_number
from common.enums import FilingKind
from common.forms_eoir import validate_appearance
from sync_server.demo.plan import demo_id
from sync_server.models import CaseRow
from tests.conftest import Api, user_id
from tests.portal.portal_flows import appearance_form
from tests.portal.portal_helpers import (
    PASSWORD,
    Account,
    Browser,
    register_and_approve,
    sign_in_enrolling,
    user_row,
)
from tests.server.sync_helpers import (
    HOU,
    NYB,
    SFR,
    TokenBook,
    applied,
    case_data,
    document_data,
    new_id,
    push_one,
    representation_data,
    stored,
)

ATTORNEY1_CASE = demo_id("case", 12)  # SFR; attorney1's EOIR-28 there is accepted
NO_MATCH = (
    "No case with this A-number and respondent's last name is before the court. Check both "
    "against the notice to appear."
)
SERVICE_DAY = "2026-11-02"  # a past date, today or earlier at every court


@dataclass
class Filer:
    """A registered attorney, signed in to the portal and holding API tokens."""

    account: Account
    browser: Browser
    token: str
    eoir_id: str


@pytest.fixture(scope="module")
def filer(seeded_app: Flask) -> Filer:
    account = register_and_approve(seeded_app)
    browser = sign_in_enrolling(seeded_app, account)
    token = Api(seeded_app.test_client()).login(
        account.username, PASSWORD, otp=account.recovery_codes[0]
    )
    eoir_id = str(user_row(seeded_app, account.username).eoir_id)
    return Filer(account, browser, token, eoir_id)


def _case(api: Api, tokens: TokenBook, court: str = SFR) -> dict[str, Any]:
    """A fresh case with a respondent's name of its own (first name Ana)."""
    data = case_data(court, judge={SFR: "judge1", NYB: "judge3", HOU: "judge5"}[court])
    data["respondent_last_name"] = f"Quispe{random.randrange(10**6):06d}"
    applied(api, tokens[{SFR: "clerk1", NYB: "clerk3", HOU: "clerk4"}[court]], "case", data)
    return data


def _typed(case: dict[str, Any], eoir_id: str, **overrides: str) -> dict[str, str]:
    """The portal's EOIR-28 form for ``case`` as a browser posts it."""
    row = CaseRow(
        a_number=case["a_number"],
        respondent_first_name=case["respondent_first_name"],
        respondent_last_name=case["respondent_last_name"],
    )
    return appearance_form(row, eoir_id, service_date=SERVICE_DAY) | overrides


def _eoir28(
    case: dict[str, Any], filer_id: str, typed: dict[str, str], court: str | None = None
) -> dict[str, Any]:
    """The same form as a filing an API client pushes (what the portal stores)."""
    form, errors = validate_appearance(FilingKind.EOIR_28, typed, date(2026, 11, 27))
    assert form is not None, errors
    return {
        "id": new_id(),
        "case_id": case["id"],
        "court_id": court or case["court_id"],
        "filer_id": filer_id,
        "kind": "eoir_28",
        "status": "pending",
        "submitted_at": "2026-11-27T15:00:00Z",
        "form": form.as_filing_form(),
    }


def _portal_refusal(filer: Filer, typed: dict[str, str]) -> str:
    filer.browser.get("/portal/appearance/eoir-28")
    response = filer.browser.post("/portal/appearance/eoir-28", typed)
    assert response.status_code == 422, filer.browser.last
    return html.unescape(filer.browser.last)


def _refused(result: dict[str, Any], *words: str) -> str:
    assert result["status"] == "rejected", result
    for word in words:
        assert word in result["error"], result
    return str(result["error"])


def test_an_eoir28_pushed_through_sync_with_a_wrong_a_number_is_refused_like_the_portals(
    seeded_app: Flask, api: Api, tokens: TokenBook, filer: Filer
) -> None:
    case = _case(api, tokens)
    other = f"{int(case['a_number']) + 1:09d}"
    typed = _typed(case, filer.eoir_id, a_number=format_a_number(other))

    assert NO_MATCH in _portal_refusal(filer, typed)
    pushed = _eoir28(case, filer.account.user_id, typed)
    _refused(push_one(api, filer.token, "filing", pushed), "No case matches.", NO_MATCH)
    assert stored(seeded_app, "filing", pushed["id"]) is None

    # The right A-number with another respondent's name: the same words, so a filing is no
    # way to learn whose A-number it is.
    wrong_name = _typed(case, filer.eoir_id, respondent_last_name="Somebodyelse")
    assert NO_MATCH in _portal_refusal(filer, wrong_name)
    pushed = _eoir28(case, filer.account.user_id, wrong_name)
    _refused(push_one(api, filer.token, "filing", pushed), NO_MATCH)


def test_an_eoir28_pushed_with_another_practitioners_eoir_id_is_refused_like_the_portals(
    api: Api, tokens: TokenBook, filer: Filer
) -> None:
    case = _case(api, tokens)
    typed = _typed(case, "EOIR-A1001")  # attorney1's

    assert "This is not the EOIR ID of your account." in _portal_refusal(filer, typed)
    pushed = _eoir28(case, filer.account.user_id, typed)
    _refused(push_one(api, filer.token, "filing", pushed), "Check your EOIR ID.")


def test_an_eoir28_pushed_in_a_court_the_filer_named_wrongly_or_for_another_courts_case_is_refused(
    api: Api, tokens: TokenBook, filer: Filer
) -> None:
    sfr_case, hou_case = _case(api, tokens), _case(api, tokens, HOU)
    typed = _typed(sfr_case, filer.eoir_id)

    # The form's case is at SFR; the filing says NYB.
    misdirected = _eoir28(sfr_case, filer.account.user_id, typed, court=NYB)
    _refused(push_one(api, filer.token, "filing", misdirected), "another court")
    # The form's A-number and name, filed in a Houston case whose id the filer learned.
    elsewhere = _eoir28(sfr_case, filer.account.user_id, typed) | {
        "case_id": hou_case["id"],
        "court_id": HOU,
    }
    _refused(push_one(api, filer.token, "filing", elsewhere), NO_MATCH)
    # The form itself as the portal checks it: a box left unticked.
    unsigned = _eoir28(sfr_case, filer.account.user_id, typed)
    unsigned["form"] = unsigned["form"] | {"declaration": False}
    _refused(push_one(api, filer.token, "filing", unsigned), "declaration")
    # DHS does not enter appearances at all.
    dhs = _eoir28(sfr_case, user_id("dhs1"), _typed(sfr_case, "EOIR-A1001"))
    _refused(push_one(api, tokens["dhs1"], "filing", dhs), "don't file a 'eoir_28'")


def test_an_eoir28_the_portal_would_accept_is_accepted_from_sync_once(
    seeded_app: Flask, api: Api, tokens: TokenBook, filer: Filer
) -> None:
    case = _case(api, tokens)
    typed = _typed(case, filer.eoir_id)
    pushed = _eoir28(case, filer.account.user_id, typed)
    assert push_one(api, filer.token, "filing", pushed)["status"] == "applied"

    # A second form while the first waits is refused, by either door.
    again = _eoir28(case, filer.account.user_id, typed)
    _refused(push_one(api, filer.token, "filing", again), "already filed this form")
    assert "Your earlier form for this case still waits for review." in _portal_refusal(
        filer, typed
    )


def test_a_pending_appearance_does_not_reveal_the_respondents_name(
    seeded_app: Flask, api: Api, tokens: TokenBook, filer: Filer
) -> None:
    case = _case(api, tokens)
    last = case["respondent_last_name"].upper()
    # Right A-number and last name (the match), a first name of the filer's own guess.
    typed = _typed(case, filer.eoir_id, respondent_first_name="Guessed")
    pushed = _eoir28(case, filer.account.user_id, typed)
    assert push_one(api, filer.token, "filing", pushed)["status"] == "applied"

    filer.browser.get("/portal/filings")
    page = html.unescape(filer.browser.last)
    assert f"{last}, Guessed" in page  # what they typed
    assert f"{last}, Ana" not in page
    # The feed carries their own filing as they sent it, and nothing of the case.
    changes, _ = Api(seeded_app.test_client()).pull_all(filer.token)
    of_case = [c for c in changes if case["id"] in (c["id"], c["data"].get("case_id"))]
    assert [(c["entity"], c["id"]) for c in of_case] == [("filing", pushed["id"])]
    assert of_case[0]["data"]["form"]["respondent_first_name"] == "Guessed"
    # A refused change of the case answers without the server's copy.
    change = {**case, "respondent_first_name": "X"}
    refused = push_one(api, filer.token, "case", change, base_version=1)
    assert refused["status"] == "rejected", refused
    assert not (refused.get("current") or {}).get("data"), refused
    assert case["respondent_last_name"] not in str(refused)
    assert case["a_number"] not in str(refused)

    # Once the clerk accepts the appearance, the case is the filer's to read.
    appearance = representation_data(case["id"], "attorney1", status="accepted") | {
        "practitioner_id": filer.account.user_id
    }
    applied(api, tokens["clerk1"], "representation", appearance)
    filer.browser.get("/portal/filings")
    assert f"{last}, Ana" in html.unescape(filer.browser.last)


def test_a_change_of_address_pushed_for_a_move_not_yet_made_is_refused_like_the_portals(
    api: Api, tokens: TokenBook
) -> None:
    ahead = "2099-01-04"  # a move not yet made at any court
    filing: dict[str, Any] = {
        "id": new_id(),
        "case_id": ATTORNEY1_CASE,
        "court_id": SFR,
        "filer_id": user_id("attorney1"),
        "kind": "change_of_address",
        "status": "pending",
        "submitted_at": "2026-11-27T15:00:00Z",
        "form": {
            "street": "1 Elm St",
            "city": "Oakland",
            "state": "CA",
            "zip": "94607",
            "effective_on": ahead,
        },
    }
    _refused(
        push_one(api, tokens["attorney1"], "filing", filing),
        "File the change once you have moved (not in advance).",
    )
    _refused(
        push_one(api, tokens["attorney1"], "filing", filing | {"form": {"street": "1 Elm St"}}),
        "city",
    )
    on_time = filing | {"id": new_id(), "form": filing["form"] | {"effective_on": SERVICE_DAY}}
    assert push_one(api, tokens["attorney1"], "filing", on_time)["status"] == "applied"


def test_a_party_cannot_push_a_document_as_the_court_or_of_the_courts_kinds(
    seeded_app: Flask, api: Api, tokens: TokenBook
) -> None:
    document = document_data(seeded_app, ATTORNEY1_CASE, filer="attorney1", status="pending")
    as_court = document | {"filer_party": "court"}
    _refused(push_one(api, tokens["attorney1"], "document", as_court), "You file as practitioner")
    an_order = document | {"id": new_id(), "doc_type": "order", "title": "ORDER"}
    _refused(
        push_one(api, tokens["attorney1"], "document", an_order), "A party does not file a order"
    )
    # Nor slipped into another filer's filing, which the clerk would accept with it.
    theirs = {
        "id": new_id(),
        "case_id": ATTORNEY1_CASE,
        "court_id": SFR,
        "filer_id": user_id("dhs1"),
        "kind": "document",
        "status": "pending",
        "submitted_at": "2026-11-27T15:00:00Z",
    }
    applied(api, tokens["dhs1"], "filing", theirs)
    joined = document | {"id": new_id(), "filing_id": theirs["id"]}
    _refused(push_one(api, tokens["attorney1"], "document", joined), "your own pending filing")
    assert push_one(api, tokens["attorney1"], "document", document)["status"] == "applied"


def test_counsel_cannot_push_a_notice_to_appear_and_dhs_cannot_open_a_second_case(
    api: Api, tokens: TokenBook
) -> None:
    nta_filing = {
        "id": new_id(),
        "case_id": ATTORNEY1_CASE,
        "court_id": SFR,
        "filer_id": user_id("attorney1"),
        "kind": "notice_to_appear",
        "status": "pending",
        "submitted_at": "2026-11-27T15:00:00Z",
    }
    _refused(
        push_one(api, tokens["attorney1"], "filing", nta_filing), "don't file a 'notice_to_appear'"
    )

    digits = f"{random.randrange(10**8, 10**9)}"
    first = case_data(SFR) | {"a_number": digits, "status": "opened"}
    applied(api, tokens["dhs1"], "case", first)
    second = case_data(NYB) | {"a_number": digits, "status": "opened"}
    # The portal's words for the same notice (tests/portal/test_intake_rules.py).
    _refused(push_one(api, tokens["dhs1"], "case", second), "already open at one of your courts")
