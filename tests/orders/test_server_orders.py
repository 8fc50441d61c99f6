"""Signing and issuing through ``push``, on both databases: only the case's judge signs,
a signed order never changes, issuing makes one eROP document and the service records,
and the parties of record see them."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from common.enums import OrderStatus, Role
from common.order_pdf import pdf_text
from common.orders import signing_refusal
from tests.conftest import Api, mutation, user_id
from tests.orders.helpers import complete_order, records_by_entity, represented_case, signed


def _scope(api: Api, username: str) -> tuple[str, dict[str, dict[str, dict[str, Any]]]]:
    token = api.login(username)
    changes, _ = api.pull_all(token)
    return token, records_by_entity(changes)


def _username(records: dict[str, Any], uid: str) -> str:
    return str(records["user_profile"][uid]["username"])


def _order_mutation(order: Any, base_version: int | None = None) -> dict[str, Any]:
    return mutation("order", order.model_dump(mode="json"), base_version=base_version)


def _judge_of_a_represented_case(api: Api) -> str:
    _, court = _scope(api, "clerk1")
    judges = sorted({c["judge_id"] for c in court["case"].values() if c["judge_id"]})
    # The same choice as ``represented_case``: counsel who signs in with the password alone.
    judge_id = next(j for j in judges if represented_case(court, j)[1] is not None)
    return str(court["user_profile"][judge_id]["username"])


@pytest.fixture
def judge_case(api: Api) -> tuple[str, str, dict[str, Any], dict[str, Any] | None, Any]:
    """A judge's token and id, one of their cases with counsel of record, their scope."""
    username = _judge_of_a_represented_case(api)
    token, records = _scope(api, username)
    judge = user_id(username)
    case, rep = represented_case(records, judge)
    return token, judge, case, rep, records


def test_the_judge_signs_and_the_order_is_issued_once(api: Api, judge_case: Any) -> None:
    token, judge, case, rep, records = judge_case
    draft = complete_order(records, case, judge)
    [made] = api.push(token, _order_mutation(draft))
    assert made["status"] == "applied", made
    sign_mutation = _order_mutation(signed(draft, judge), base_version=made["version"])
    [answer] = api.push(token, sign_mutation)
    assert answer["status"] == "applied", answer
    [again] = api.push(token, sign_mutation)  # a replay (lost answer): nothing issued twice
    assert again == answer

    _, after = _scope(api, _username(records, judge))
    order = after["order"][draft.id]
    assert order["status"] == "issued" and order["_version"] > answer["version"]
    document = after["document"][order["document_id"]]
    assert document["doc_type"] == "order" and document["status"] == "accepted"
    assert document["filer_party"] == "court"
    issued_docs = [d for d in after["document"].values() if d["id"] == order["document_id"]]
    assert len(issued_docs) == 1
    served = [s for s in after["service_record"].values() if s["document_id"] == document["id"]]
    parties = sorted(s["party"] for s in served)
    assert parties == (["dhs", "practitioner"] if rep else ["dhs", "respondent"])
    if rep:
        [to_counsel] = [s for s in served if s["party"] == "practitioner"]
        assert to_counsel["recipient_id"] == rep["practitioner_id"]

    body = api.client.get(f"/api/v1/blobs/{document['sha256']}", headers=api.headers(token))
    assert body.status_code == 200
    pdf = body.data
    assert hashlib.sha256(pdf).hexdigest() == document["sha256"] and len(pdf) == document["size"]
    text = pdf_text(pdf)
    digits = case["a_number"]
    assert f"A{digits[:3]}-{digits[3:6]}-{digits[6:]}" in text
    assert case["respondent_last_name"].upper() in text
    assert "withholding of removal under INA § 241(b)(3) is\nGRANTED" in text.replace(
        "is GRANTED", "is\nGRANTED"
    )
    assert "REMOVED from the United States to" in text
    assert "Electronically signed by" in text and "Immigration Judge" in text
    assert "Page 1 of" in text
    # The certificate of service prints whom the service records say were served.
    flat = " ".join(text.split())
    assert "CERTIFICATE OF SERVICE" in flat and "when the order is issued" not in flat
    assert "To: Department of Homeland Security" in flat
    for record in served:
        if record["party"] == "practitioner":
            name = after["user_profile"][record["recipient_id"]]["display_name"]
            assert f"To: Counsel for the respondent, {name}" in flat
        if record["party"] == "respondent":
            assert "To: Respondent" in flat


def test_a_clerk_prepares_orders_but_never_signs(api: Api, judge_case: Any) -> None:
    _, judge, case, _, records = judge_case
    clerk = api.login("clerk1")
    draft = complete_order(records, case, judge)
    [made] = api.push(clerk, _order_mutation(draft))
    assert made["status"] == "applied", made  # a delegate of the case's judge drafts
    [refused] = api.push(
        clerk, _order_mutation(signed(draft, user_id("clerk1")), base_version=made["version"])
    )
    assert refused["status"] == "rejected"
    # The server answers with the one signing rule the desktop also asks (common.orders).
    assert refused["error"] == signing_refusal(user_id("clerk1"), Role.CLERK, judge, judge)
    [also] = api.push(clerk, _order_mutation(signed(draft, judge), base_version=made["version"]))
    assert also["status"] == "rejected"
    assert "staff may prepare it, never sign" in also["error"]

    elsewhere = next(
        u["id"]
        for u in api_users(api, clerk)
        if u["role"] == "judge" and u["court_id"] != case["court_id"]
    )
    [wrong] = api.push(clerk, _order_mutation(complete_order(records, case, elsewhere)))
    assert wrong["status"] == "rejected"
    assert "judge of the case's court" in wrong["error"]


def api_users(api: Api, token: str) -> list[dict[str, Any]]:
    """Every user profile (EOIR staff see all courts)."""
    everyone = api.login("eoir1")
    return list(records_by_entity(api.pull_all(everyone)[0])["user_profile"].values())


def test_another_judge_can_not_sign_the_case_order(api: Api, judge_case: Any) -> None:
    _, judge, case, _, records = judge_case
    other = next(
        u
        for u in records["user_profile"].values()
        if u["role"] == "judge" and u["id"] != judge and u["court_id"] == case["court_id"]
    )
    token = api.login(other["username"])
    mine = complete_order(records, case, other["id"])
    [refused] = api.push(token, _order_mutation(signed(mine, other["id"])))
    assert refused["status"] == "rejected"
    assert refused["error"] == signing_refusal(other["id"], Role.JUDGE, other["id"], judge)
    assert "this case is before another judge" in refused["error"]

    theirs = complete_order(records, case, judge)
    [refused] = api.push(token, _order_mutation(signed(theirs, other["id"])))
    assert refused["status"] == "rejected"
    assert "their own orders" in refused["error"]


def test_a_signed_order_can_not_be_changed_through_push(api: Api, judge_case: Any) -> None:
    token, judge, case, _, records = judge_case
    order = signed(complete_order(records, case, judge), judge)
    [answer] = api.push(token, _order_mutation(order))
    assert answer["status"] == "applied", answer
    _, after = _scope(api, _username(records, judge))
    current = after["order"][order.id]
    version = current.pop("_version")
    edited = {**current, "body": "A quiet rewrite of the signed text."}
    [refused] = api.push(token, mutation("order", edited, base_version=version))
    assert refused["status"] == "rejected" and "immutable" in refused["error"]
    [gone] = api.push(
        token, mutation("order", {}, op="delete", base_version=version, record_id=order.id)
    )
    assert gone["status"] == "rejected" and "immutable" in gone["error"]
    unchanged, _ = api.pull_all(token)
    latest = records_by_entity(unchanged)["order"][order.id]
    assert latest["body"] == order.body and latest["_version"] == version


def test_an_incomplete_order_is_refused_with_what_to_fix(api: Api, judge_case: Any) -> None:
    token, judge, case, _, records = judge_case
    order = complete_order(records, case, judge)
    fields = {**order.fields, "disposition": "terminated", "termination_reason": "moot"}
    fields.pop("removability")
    bad = signed(order.model_copy(update={"fields": fields}), judge)
    [refused] = api.push(token, _order_mutation(bad))
    assert refused["status"] == "rejected"
    assert "not ready to sign" in refused["error"]
    assert "removability: Removability is required" in refused["error"]
    assert "must also order removal" in refused["error"]
    _, after = _scope(api, _username(records, judge))
    assert order.id not in after.get("order", {})  # nothing kept of a refused signature


def test_the_client_can_not_issue_or_claim_a_document(api: Api, judge_case: Any) -> None:
    token, judge, case, _, records = judge_case
    order = signed(complete_order(records, case, judge), judge)
    issued = order.model_copy(update={"status": OrderStatus.ISSUED})
    [refused] = api.push(token, _order_mutation(issued))
    assert refused["status"] == "rejected" and "issued by the server" in refused["error"]


def test_a_correction_is_a_new_order(api: Api, judge_case: Any) -> None:
    token, judge, case, _, records = judge_case
    first = signed(complete_order(records, case, judge), judge)
    [done] = api.push(token, _order_mutation(first))
    assert done["status"] == "applied"
    fix = complete_order(records, case, judge).model_copy(
        update={"corrects_order_id": first.id, "body": "Corrected: the country of removal."}
    )
    [fixed] = api.push(token, _order_mutation(signed(fix, judge)))
    assert fixed["status"] == "applied", fixed
    _, after = _scope(api, _username(records, judge))
    assert after["order"][fix.id]["corrects_order_id"] == first.id
    assert after["order"][first.id]["status"] == after["order"][fix.id]["status"] == "issued"
    assert after["order"][first.id]["document_id"] != after["order"][fix.id]["document_id"]


def test_parties_of_record_see_the_issued_order_not_drafts(api: Api, judge_case: Any) -> None:
    token, judge, case, rep, records = judge_case
    assert rep is not None
    draft = complete_order(records, case, judge)
    [made] = api.push(token, _order_mutation(draft))
    issued = signed(complete_order(records, case, judge), judge)
    [done] = api.push(token, _order_mutation(issued))
    assert made["status"] == done["status"] == "applied"
    attorney = next(
        u["username"] for u in records["user_profile"].values() if u["id"] == rep["practitioner_id"]
    )
    for party in (attorney, "dhs1"):
        party_token, seen = _scope(api, party)
        assert draft.id not in seen.get("order", {}), party
        order = seen["order"][issued.id]
        document = seen["document"][order["document_id"]]
        assert any(s["document_id"] == document["id"] for s in seen["service_record"].values()), (
            party
        )
        got = api.client.get(
            f"/api/v1/blobs/{document['sha256']}", headers=api.headers(party_token)
        )
        assert got.status_code == 200, party


def test_an_order_of_an_unknown_template_is_refused_and_nothing_is_kept(
    api: Api, judge_case: Any
) -> None:
    token, judge, case, _, records = judge_case
    order = complete_order(records, case, judge).model_copy(
        update={"template": "banishment", "template_version": "1999"}
    )
    [refused] = api.push(token, _order_mutation(order))
    assert refused["status"] == "rejected"
    assert "no order template 'banishment' version '1999'" in refused["error"]
    junk = {**order.model_dump(mode="json"), "template": "removal_decision", "fields": []}
    [invalid] = api.push(token, mutation("order", junk))
    assert invalid["status"] == "rejected" and invalid["error"].startswith("invalid data")
    _, after = _scope(api, _username(records, judge))
    assert order.id not in after.get("order", {})
