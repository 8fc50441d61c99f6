"""A pro se respondent's case with a mailed notice, for the respondent access tests (Flask
test client and Chromium alike): the case and its address pushed as the clerk would, a
hearing set, and the case access code read off the copy of the notice mailed to the
respondent (the court's mailed copy in the blob store)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from flask import Flask

from common.anumber import format_a_number
from common.hearing_notices import pdf_text
from sync_server.demo.plan import demo_id
from sync_server.models import Blob
from sync_server.models.respondents import CaseAccessCode
from tests.conftest import mutation
from tests.portal.portal_flows import SyncApi
from tests.server.sync_helpers import SFR, case_data, hearing_data, new_id

CODE = re.compile(r"Case access code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})")
BIRTH = "1991-05-17"


@dataclass
class MailedCase:
    case_id: str
    a_number: str  # nine digits
    last_name: str
    hearing: dict[str, Any]

    @property
    def a_number_shown(self) -> str:
        return format_a_number(self.a_number)


def address(case_id: str, street: str = "12 Elm Street") -> dict[str, Any]:
    return {
        "id": new_id(),
        "case_id": case_id,
        "kind": "nta",
        "street": street,
        "unit": "Apt 3",
        "city": "Oakland",
        "state": "CA",
        "zip": "94607",
        "effective_on": "2026-10-01",
        "recorded_at": "2026-10-01T16:00:00Z",
    }


def a_hearing(case_id: str, starts_at: str) -> dict[str, Any]:
    return {
        **hearing_data(case_id),
        "starts_at": starts_at,
        "courtroom_id": demo_id("courtroom", "SFR", 1),
    }


def mailed_case(
    api: SyncApi, clerk_token: str, starts_at: str = "2027-03-04T17:00:00Z"
) -> MailedCase:
    """A San Francisco case of a respondent without counsel, with a hearing set (so a
    notice is mailed to the respondent)."""
    last = f"Guamán{random.randrange(10**6):06d}"
    case = {
        **case_data(SFR, judge="judge1"),
        "respondent_first_name": "Luis",
        "respondent_last_name": last,
        "date_of_birth": BIRTH,
    }
    hearing = a_hearing(case["id"], starts_at)
    results = api.push(
        clerk_token,
        mutation("case", case),
        mutation("address", address(case["id"])),
        mutation("hearing", hearing),
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    return MailedCase(case["id"], case["a_number"], last, hearing)


def mailed_copy(app: Flask, case_id: str) -> bytes:
    """The copy of the latest notice mailed to the respondent (the court's copy)."""
    core = app.extensions["ecas"]
    with core.factory() as session:
        row = session.get(CaseAccessCode, case_id)
        assert row is not None and row.mailed_copy_sha256, "no mailed copy with a code"
        sha256 = row.mailed_copy_sha256
    blob = session_blob_size(app, sha256)
    return b"".join(core.blobs.read(sha256, 0, blob))


def session_blob_size(app: Flask, sha256: str) -> int:
    with app.extensions["ecas"].factory() as session:
        blob = session.get(Blob, sha256)
        assert blob is not None
        return int(blob.size)


def access_code(app: Flask, case_id: str) -> str:
    """The code as the respondent reads it on the mailed notice."""
    found = CODE.search(" ".join(pdf_text(mailed_copy(app, case_id)).split()))
    assert found, "the mailed copy prints no access code"
    return found.group(1)
