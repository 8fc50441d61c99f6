"""Multi-step portal flows shared by the server-level and browser tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import requests

from common.anumber import format_a_number
from common.court_time import court_today
from common.wire import Filing, Representation
from desktop.clerk_actions import accept_filing
from sync_server.models import CaseRow
from tests.conftest import DEMO_PASSWORD, mutation, user_id


def sf_today() -> str:
    """Today at the San Francisco court (the machine's UTC date runs ahead of it each
    evening, and the server refuses a service date after the court's today)."""
    return court_today("America/Los_Angeles").isoformat()


def appearance_form(case: CaseRow, eoir_id: str, **overrides: str) -> dict[str, str]:
    form = {
        "respondent_first_name": case.respondent_first_name,
        "respondent_last_name": case.respondent_last_name,
        "a_number": format_a_number(case.a_number),
        "respondent_street": "22 Mission St",
        "respondent_city": "San Francisco",
        "respondent_state": "CA",
        "respondent_zip": "94103",
        "scope": "all_proceedings",
        "primary": "primary",
        "category": "attorney",
        "bar_jurisdiction_0": "Supreme Court of California",
        "bar_number_0": "123456",
        "not_subject_to_discipline": "yes",
        "eoir_id": eoir_id,
        "firm": "Reyes Immigration Law",
        "street": "100 Market St",
        "city": "San Francisco",
        "state": "CA",
        "zip": "94105",
        "phone": "415-555-0100",
        "email": "dana@example.org",
        "declaration": "yes",
        "respondent_consent": "yes",
        "signature": "/s/ Dana Reyes",
        "service_date": sf_today(),
        "service_method": "electronic",
        "served_party": "DHS — ICE Office of the Principal Legal Advisor",
        "served_address": "100 Montgomery St, San Francisco, CA 94104",
    }
    return form | overrides


class SyncApi(Protocol):
    def login(self, username: str, password: str = ...) -> str: ...

    def pull_all(self, token: str) -> tuple[list[dict[str, Any]], str]: ...

    def push(self, token: str, *mutations: dict[str, Any]) -> list[dict[str, Any]]: ...


def clerk_accepts(api: SyncApi, clerk: str, filing_id: str) -> None:
    """The clerk pulls the filing and accepts it as the desktop review does (sync push)."""
    token = api.login(clerk)
    changes, _ = api.pull_all(token)
    found = [c for c in changes if c["entity"] == "filing" and c["id"] == filing_id]
    assert found, "the clerk's pull does not hold the filing"
    filing = Filing.model_validate(found[-1]["data"])
    existing = [
        Representation.model_validate(c["data"])
        for c in changes
        if c["entity"] == "representation"
        and not c["deleted"]
        and c["data"]["case_id"] == filing.case_id
        and c["data"]["practitioner_id"] == filing.filer_id
    ]
    review = accept_filing(
        filing,
        [],
        user_id(clerk),
        datetime.now(UTC),
        existing[0] if existing else None,
        zone=None,  # UTC: the acceptance date is not what these flows test
    )
    mutations: list[dict[str, Any]] = [
        mutation("filing", review.filing.model_dump(mode="json"), base_version=found[-1]["version"])
    ]
    if review.representation is not None:
        mutations.append(mutation("representation", review.representation.model_dump(mode="json")))
    results = api.push(token, *mutations)
    assert all(r["status"] == "applied" for r in results), results


def clerk_rejects(api: SyncApi, clerk: str, filing_id: str, reason: str) -> None:
    token = api.login(clerk)
    changes, _ = api.pull_all(token)
    found = [c for c in changes if c["entity"] == "filing" and c["id"] == filing_id][-1]
    docs = [
        c for c in changes if c["entity"] == "document" and c["data"].get("filing_id") == filing_id
    ]
    data = found["data"] | {
        "status": "rejected",
        "reviewed_by": user_id(clerk),
        "reviewed_at": datetime.now(UTC).isoformat(),
        "rejection_reason": reason,
    }
    mutations = [mutation("filing", data, base_version=found["version"])]
    mutations += [
        mutation("document", d["data"] | {"status": "rejected"}, base_version=d["version"])
        for d in docs
    ]
    results = api.push(token, *mutations)
    assert all(r["status"] == "applied" for r in results), results


@dataclass
class HttpApi:
    """The sync API over real HTTP (a live server), with the methods of ``Api``."""

    base_url: str

    def login(self, username: str, password: str = DEMO_PASSWORD) -> str:
        response = requests.post(
            f"{self.base_url}/api/v1/auth/login",
            json={"username": username, "password": password},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def pull_all(self, token: str) -> tuple[list[dict[str, Any]], str]:
        out: list[dict[str, Any]] = []
        since: str | None = None
        while True:
            params = {"limit": "1000", **({"since": since} if since else {})}
            response = requests.get(
                f"{self.base_url}/api/v1/sync/changes",
                params=params,
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            assert response.status_code == 200, response.text
            page = response.json()
            out += page["changes"]
            since = page["cursor"]
            if not page["has_more"]:
                return out, str(since)

    def push(self, token: str, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        response = requests.post(
            f"{self.base_url}/api/v1/sync/push",
            json={"client_id": "portal-test-clerk", "mutations": list(mutations)},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return list(response.json()["results"])
