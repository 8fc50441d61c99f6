"""Service on the right people, on both databases, through the real push and portal.

Who an issued order is served on follows the appearance: its form (an EOIR-28 is an
appearance before the immigration court, an EOIR-27 before the Board: 8 CFR 1003.17(a),
1292.4(a)) and its scope (all proceedings; custody and bond only; all except custody and
bond: 8 CFR 1003.17(a) as amended by 80 FR 59499). A respondent without counsel in the
proceeding is served by first-class mail at the most recent address of record (8 CFR
1003.37(a)), which a change of address on Form EOIR-33 replaces once accepted (8 CFR
1003.15(d)(2)); a detained one in care of the custodial officer. DHS always.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import select

from common.bonds import decided_by_order
from common.enums import BondDetermination, OrderStatus, Party
from common.order_pdf import pdf_text
from common.orders import new_draft, template_for
from common.wire import Bond
from sync_server.models import (
    AddressRow,
    CaseRow,
    DocumentRow,
    FilingRow,
    OrderRow,
    RepresentationRow,
    ServiceRecordRow,
)
from sync_server.services.orders import facts_from_db
from sync_server.services.records import row_to_record
from tests.conftest import Api, mutation, user_id
from tests.orders.helpers import COMPLETE_FIELDS, SIGNED_AT, TODAY
from tests.pdf_factory import valid_pdf
from tests.portal.portal_flows import appearance_form, clerk_accepts
from tests.portal.portal_helpers import (
    Browser,
    register_and_approve,
    sign_in_enrolling,
    user_row,
)
from tests.portal.test_dhs_portal import file_nta, nta_form
from tests.server.sync_helpers import SFR, applied, case_data, new_id, representation_data

JUDGE = "judge1"  # a judge of SFR
REMOVAL = "removal_decision"  # acts in the main proceedings
BOND = "bond_order"  # acts in the custody and bond proceedings


def _case(api: Api, *, address: bool = True, **overrides: Any) -> dict[str, Any]:
    """A new pending case at SFR before ``JUDGE``, made by the clerk, who also records the
    address the (paper) notice to appear gives, unless ``address`` is False."""
    case = case_data(SFR, judge=JUDGE) | overrides
    clerk = api.login("clerk1")
    applied(api, clerk, "case", case)
    if address:
        nta = {
            "id": new_id(),
            "case_id": case["id"],
            "kind": "nta",
            "street": "12 Elm Street",
            "city": "Daly City",
            "state": "CA",
            "zip": "94014",
            "effective_on": "2026-10-01",
            "recorded_at": "2026-10-01T18:00:00Z",
        }
        applied(api, clerk, "address", nta)
    return case


def _appearance(api: Api, case_id: str, practitioner: str, *, form: str, scope: str) -> None:
    """An appearance the clerk accepted (as the filing review does)."""
    record = representation_data(case_id, practitioner, status="accepted")
    applied(api, api.login("clerk1"), "representation", record | {"form": form, "scope": scope})


def _issue(api: Api, app: Flask, case_id: str, template: str) -> list[dict[str, Any]]:
    """The judge drafts and signs ``template`` in the case; returns the service records of
    the issued order (what the parties see served on them)."""
    with app.extensions["ecas"].factory() as session:
        facts = facts_from_db(session, case_id)
    draft = new_draft(template_for(template), facts, user_id(JUDGE), TODAY)
    draft = draft.model_copy(update={"fields": dict(COMPLETE_FIELDS[template])})
    token = api.login(JUDGE)
    [made] = api.push(token, mutation("order", draft.model_dump(mode="json")))
    assert made["status"] == "applied", made
    signed = draft.model_copy(
        update={
            "status": OrderStatus.SIGNED,
            "signed_at": SIGNED_AT,
            "signed_by": user_id(JUDGE),
        }
    )
    changes = [mutation("order", signed.model_dump(mode="json"), base_version=made["version"])]
    if template == BOND:
        # The judge decides by signing: the decision goes into the bond request the clerk
        # docketed, in the same group as the signed order (common.bonds).
        request, version = _docketed_bond_request(api, case_id)
        decision = decided_by_order(request, signed.fields, user_id(JUDGE))
        group = new_id()
        changes = [
            {**mutation("bond", decision.model_dump(mode="json"), base_version=version)}
            | {"group": group},
            changes[0] | {"group": group},
        ]
    answers = api.push(token, *changes)
    assert all(a["status"] == "applied" for a in answers), answers
    with app.extensions["ecas"].factory() as session:
        rows = session.scalars(
            select(ServiceRecordRow).where(ServiceRecordRow.case_id == case_id)
        ).all()
        order = session.get(OrderRow, draft.id)
        assert order is not None and order.status == "issued"
        return [
            {
                "party": r.party,
                "recipient_id": r.recipient_id,
                "method": r.method,
                "address_id": r.address_id,
            }
            for r in rows
            if r.document_id == order.document_id
        ]


def _docketed_bond_request(api: Api, case_id: str) -> tuple[Bond, int]:
    """The clerk dockets the request the bond order (COMPLETE_FIELDS) decides: DHS set
    $15,000, the respondent asked on November 20 for $3,000."""
    request = Bond(
        id=new_id(),
        case_id=case_id,
        dhs_determination=BondDetermination.AMOUNT,
        dhs_amount=15_000,
        requested_on=date(2026, 11, 20),
        requested_by=Party.RESPONDENT,
        requested_amount=3_000,
    )
    version = applied(api, api.login("clerk1"), "bond", request.model_dump(mode="json"))
    return request, version


def _certificate(api: Api, app: Flask, case_id: str) -> str:
    """The certificate of service of the case's latest issued order, read from its PDF."""
    with app.extensions["ecas"].factory() as session:
        document = session.scalars(
            select(DocumentRow)
            .where(DocumentRow.case_id == case_id, DocumentRow.doc_type == "order")
            .order_by(DocumentRow.version.desc())
            .limit(1)
        ).one()
        sha256 = document.sha256
    got = api.client.get(f"/api/v1/blobs/{sha256}", headers=api.headers(api.login(JUDGE)))
    assert got.status_code == 200
    text = pdf_text(got.data)
    assert "CERTIFICATE OF SERVICE" in text
    # NFKC undoes the ligatures the PDF's text carries ("staﬀ" -> "staff").
    served = unicodedata.normalize("NFKC", text.split("CERTIFICATE OF SERVICE", 1)[1])
    return " ".join(served.split())


def _served(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["recipient_id"] or r["party"]: r for r in records}


def test_custody_only_counsel_is_served_a_bond_order_but_not_a_removal_order(
    api: Api, seeded_app: Flask
) -> None:
    case = _case(api)
    _appearance(api, case["id"], "attorney1", form="eoir_28", scope="custody_and_bond_only")
    attorney = user_id("attorney1")

    removal = _served(_issue(api, seeded_app, case["id"], REMOVAL))
    assert attorney not in removal
    # Without counsel in the removal proceedings the respondent is served, by mail.
    assert removal["respondent"]["method"] == "mail" and "dhs" in removal

    # The bond order is issued in the bond case linked to it (8 CFR 1003.19(d)).
    bond = _served(_issue(api, seeded_app, _bond_case_of(api, case)["id"], BOND))
    assert bond[attorney]["method"] == "electronic"
    assert "respondent" not in bond and "dhs" in bond


def test_counsel_for_all_but_custody_is_served_a_removal_order_but_not_a_bond_order(
    api: Api, seeded_app: Flask
) -> None:
    case = _case(api)
    _appearance(api, case["id"], "attorney2", form="eoir_28", scope="all_except_custody_and_bond")
    attorney = user_id("attorney2")

    assert attorney in _served(_issue(api, seeded_app, case["id"], REMOVAL))
    bond = _served(_issue(api, seeded_app, _bond_case_of(api, case)["id"], BOND))
    assert attorney not in bond and "respondent" in bond


def test_eoir_27_only_counsel_is_not_served_an_immigration_judges_order_nor_reads_the_case(
    api: Api, seeded_app: Flask
) -> None:
    case = _case(api)
    _appearance(api, case["id"], "attorney2", form="eoir_27", scope="all_proceedings")

    served = _served(_issue(api, seeded_app, case["id"], REMOVAL))
    assert user_id("attorney2") not in served
    assert set(served) == {"respondent", "dhs"}
    changes, _ = api.pull_all(api.login("attorney2"))
    # Only their own appearance comes back to them; nothing of the court's case.
    seen = {c["entity"] for c in changes if case["id"] in (c["id"], c["data"].get("case_id"))}
    assert seen == {"representation"}


def _bond_case_of(api: Api, removal: dict[str, Any]) -> dict[str, Any]:
    """The respondent's bond case, linked to ``removal`` (8 CFR 1003.19(d): a record of
    its own), made by the clerk."""
    return _case(
        api,
        address=False,
        case_type="bond",
        a_number=removal["a_number"],
        custody=removal["custody"],
        removal_case_id=removal["id"],
    )


def test_counsel_appearing_in_the_removal_case_is_served_in_its_bond_case_by_scope(
    api: Api, seeded_app: Flask
) -> None:
    # Each EOIR-28 is filed in the removal case; the bond order is issued in the bond case
    # linked to it. Service follows the scope across the link, as reading does.
    for scope, attorney_name, served in (
        ("all_proceedings", "attorney1", True),
        ("custody_and_bond_only", "attorney2", True),
        ("all_except_custody_and_bond", "attorney1", False),
    ):
        removal = _case(api)
        _appearance(api, removal["id"], attorney_name, form="eoir_28", scope=scope)
        bond_case = _bond_case_of(api, removal)
        bond = _served(_issue(api, seeded_app, bond_case["id"], BOND))
        attorney = user_id(attorney_name)
        assert (attorney in bond) is served, scope
        # Without counsel in the bond proceedings the respondent is served, by mail at the
        # address the removal case's notice to appear gave.
        assert ("respondent" in bond) is not served, scope
        if not served:
            with seeded_app.extensions["ecas"].factory() as session:
                address = session.get(AddressRow, bond["respondent"]["address_id"])
            assert address is not None and address.case_id == removal["id"]


def _dhs_opens_case_with_address(app: Flask, api: Api) -> str:
    """DHS files an NTA through the portal giving the respondent's address; the clerk
    puts the case before ``JUDGE``. Returns the case id."""
    browser = sign_in_enrolling(app, register_and_approve(app, kind="dhs"))
    digits = f"4{random.randrange(10**8):08d}"
    form = nta_form(
        digits,
        served_on="2026-10-01",
        respondent_street="77 Alder Street",
        respondent_unit="Apt 3",
        respondent_city="Oakland",
        respondent_state="CA",
        respondent_zip="94607",
    )
    assert file_nta(browser, form, valid_pdf()) == 302, browser.last
    with app.extensions["ecas"].factory() as session:
        row = session.scalar(select(CaseRow).where(CaseRow.a_number == digits))
        assert row is not None
        case_id = row.id
    clerk = api.login("clerk1")
    changes, _ = api.pull_all(clerk)
    [case] = [c for c in changes if c["entity"] == "case" and c["id"] == case_id]
    assign = case["data"] | {"judge_id": user_id(JUDGE), "status": "pending"}
    [answer] = api.push(clerk, mutation("case", assign, base_version=case["version"]))
    assert answer["status"] == "applied", answer
    return case_id


def _address_of(app: Flask, address_id: str | None) -> AddressRow:
    with app.extensions["ecas"].factory() as session:
        row = session.get(AddressRow, address_id) if address_id else None
        assert row is not None, "served by mail without an address"
        session.expunge(row)
        return row


def _attorney_appearing(app: Flask, api: Api, case_id: str) -> Browser:
    """A practitioner whose EOIR-28 (all proceedings) the clerk accepted. (Counsel for
    custody and bond only reads the bond case alone, not this removal case.)"""
    account = register_and_approve(app)
    browser = sign_in_enrolling(app, account)
    eoir_id = str(user_row(app, account.username).eoir_id)
    with app.extensions["ecas"].factory() as session:
        row = session.get(CaseRow, case_id)
        assert row is not None
        session.expunge(row)
    page = "/portal/appearance/eoir-28"
    form = appearance_form(row, eoir_id, scope="all_proceedings")
    assert browser.post(page, form, from_page=page).status_code == 302, browser.last
    with app.extensions["ecas"].factory() as session:
        filing_id = session.scalars(
            select(FilingRow.id).where(
                FilingRow.case_id == case_id, FilingRow.filer_id == account.user_id
            )
        ).one()
    clerk_accepts(api, "clerk1", filing_id)
    return browser


def _withdraw_counsel(api: Api, app: Flask, case_id: str) -> None:
    """The judge of the case grants counsel leave to withdraw (8 CFR 1003.17(b))."""
    judge = api.login(JUDGE)
    with app.extensions["ecas"].factory() as session:
        rows = session.scalars(
            select(RepresentationRow).where(RepresentationRow.case_id == case_id)
        ).all()
        appearances = [(row_to_record("representation", r), r.version) for r in rows]
    for appearance, version in appearances:
        withdrawn = appearance.model_dump(mode="json") | {
            "status": "withdrawn",
            "ended_on": str(appearance.accepted_on or "2026-12-06"),  # type: ignore[attr-defined]
            "leave_by": user_id(JUDGE),
        }
        [answer] = api.push(judge, mutation("representation", withdrawn, base_version=version))
        assert answer["status"] == "applied", answer


def test_a_pro_se_respondent_is_served_at_the_address_of_record_then_at_an_accepted_eoir_33(
    api: Api, seeded_app: Flask
) -> None:
    case_id = _dhs_opens_case_with_address(seeded_app, api)

    [first] = [r for r in _issue(api, seeded_app, case_id, REMOVAL) if r["party"] == "respondent"]
    assert first["method"] == "mail"
    nta = _address_of(seeded_app, first["address_id"])
    assert (nta.kind, nta.street, nta.unit, nta.city) == (
        "nta",
        "77 Alder Street",
        "Apt 3",
        "Oakland",
    )
    certificate = _certificate(api, seeded_app, case_id)
    assert "Court staff, San Francisco Immigration Court" in certificate
    assert "first-class mail 77 Alder Street Apt 3 Oakland, CA 94607" in certificate

    browser = _attorney_appearing(seeded_app, api, case_id)
    path = f"/portal/cases/{case_id}/address"
    moved = {
        "street": "9 Valencia Street",
        "city": "San Francisco",
        "state": "CA",
        "zip": "94110",
        "effective_on": "2026-11-20",
    }
    assert browser.post(path, moved, from_page=path).status_code == 302
    browser.get(f"/portal/cases/{case_id}")
    assert "77 Alder Street" in browser.last  # not the address of record until accepted
    with seeded_app.extensions["ecas"].factory() as session:
        filing_id = session.scalars(
            select(FilingRow.id).where(
                FilingRow.case_id == case_id, FilingRow.kind == "change_of_address"
            )
        ).one()
    clerk_accepts(api, "clerk1", filing_id)
    browser.get(f"/portal/cases/{case_id}")
    shown = browser.last.split('id="address-of-record"')[1].split("</address>")[0]
    assert "9 Valencia Street" in shown and "San Francisco, CA 94110" in shown
    _withdraw_counsel(api, seeded_app, case_id)  # the respondent is pro se again

    [second] = [r for r in _issue(api, seeded_app, case_id, REMOVAL) if r["party"] == "respondent"]
    certificate = _certificate(api, seeded_app, case_id)
    assert "first-class mail 9 Valencia Street San Francisco, CA 94110" in certificate
    assert "Alder" not in certificate
    new = _address_of(seeded_app, second["address_id"])
    assert (new.kind, new.street, new.source_filing_id) == (
        "eoir_33",
        "9 Valencia Street",
        filing_id,
    )


def test_a_detained_pro_se_respondent_is_served_in_care_of_the_custodial_officer(
    api: Api, seeded_app: Flask
) -> None:
    case = _case(api, address=False, custody="detained")
    facility = {
        "id": new_id(),
        "case_id": case["id"],
        "kind": "custodial",
        "street": "400 Ridge Road",
        "city": "Mesa Verde",
        "state": "CA",
        "zip": "93301",
        "in_care_of": "the custodial officer, Sierra Vista Processing Center",
        "effective_on": "2026-10-02",
        "recorded_at": "2026-10-02T18:00:00Z",
    }
    applied(api, api.login("dhs1"), "address", facility)  # DHS reports where it holds him

    bond_case = _bond_case_of(api, case)
    [respondent] = [
        r for r in _issue(api, seeded_app, bond_case["id"], BOND) if r["party"] == "respondent"
    ]
    assert respondent["method"] == "mail" and respondent["address_id"] == facility["id"]
    certificate = _certificate(api, seeded_app, bond_case["id"])
    assert (
        "first-class mail in care of the custodial officer, Sierra Vista Processing Center "
        "400 Ridge Road Mesa Verde, CA 93301"
    ) in certificate


def test_an_accepted_change_of_address_pushed_again_is_recorded_once(
    api: Api, seeded_app: Flask
) -> None:
    """The acceptance's answer was lost and the clerk's copy sends it again: the same
    mutation (a replay) records one entry."""
    case = _case(api, address=False)
    clerk = api.login("clerk1")
    # A paper EOIR-33 handed in at the window, entered by the clerk as a filing.
    filing = {
        "id": new_id(),
        "case_id": case["id"],
        "court_id": SFR,
        "filer_id": user_id("clerk1"),
        "kind": "change_of_address",
        "status": "pending",
        "submitted_at": "2026-11-24T17:00:00Z",
        "form": {
            "street": "15 Birch Street",
            "city": "San Jose",
            "state": "CA",
            "zip": "95112",
            "effective_on": "2026-11-21",
        },
    }
    version = applied(api, clerk, "filing", filing)
    accepted = filing | {
        "status": "accepted",
        "reviewed_by": user_id("clerk1"),
        "reviewed_at": "2026-11-25T17:00:00Z",
    }
    accept = mutation("filing", accepted, base_version=version)
    [first] = api.push(clerk, accept)
    assert first["status"] == "applied", first
    [again] = api.push(clerk, accept)
    assert again == first

    with seeded_app.extensions["ecas"].factory() as session:
        entries = session.scalars(select(AddressRow).where(AddressRow.case_id == case["id"])).all()
        assert [(a.kind, a.street, a.source_filing_id) for a in entries] == [
            ("eoir_33", "15 Birch Street", filing["id"])
        ]
    [respondent] = [
        r for r in _issue(api, seeded_app, case["id"], REMOVAL) if r["party"] == "respondent"
    ]
    assert respondent["address_id"] == entries[0].id


def test_an_incomplete_change_of_address_is_not_accepted(api: Api, seeded_app: Flask) -> None:
    case = _case(api)
    clerk = api.login("clerk1")
    filing = {
        "id": new_id(),
        "case_id": case["id"],
        "court_id": SFR,
        "filer_id": user_id("clerk1"),
        "kind": "change_of_address",
        "status": "pending",
        "submitted_at": "2026-11-24T17:00:00Z",
        "form": {"street": "15 Birch Street", "effective_on": "2026-11-21"},
    }
    version = applied(api, clerk, "filing", filing)
    accepted = filing | {
        "status": "accepted",
        "reviewed_by": user_id("clerk1"),
        "reviewed_at": "2026-11-25T17:00:00Z",
    }
    [refused] = api.push(clerk, mutation("filing", accepted, base_version=version))
    assert refused["status"] == "rejected"
    assert "change of address" in refused["error"] and "reject it" in refused["error"]
    assert "city" in refused["error"] and "zip" in refused["error"]
