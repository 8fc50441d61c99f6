"""The portal's case page shows the counsel history to the parties of record: who appeared
for the respondent, from when to when, and who withdrew or was substituted with whose
leave. Former counsel no longer reads the page at all (answered as not found)."""

from __future__ import annotations

import html

from flask import Flask

from tests.conftest import Api, mutation, user_id
from tests.portal.portal_flows import sf_today
from tests.portal.portal_helpers import register_and_approve, sign_in_enrolling
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    applied,
    case_data,
    new_id,
    representation_data,
    stored,
    version_of,
)


def _ended(app: Flask, appearance_id: str, **change: object) -> tuple[dict[str, object], int]:
    found = stored(app, "representation", appearance_id)
    assert found is not None
    return found[0] | {"ended_on": sf_today(), "leave_by": user_id("judge1")} | change, found[1]


def test_counsel_of_record_reads_who_withdrew_and_was_substituted_former_counsel_does_not(
    seeded_app: Flask, api: Api
) -> None:
    tokens = TokenBook(api)
    clerk, judge = tokens["clerk1"], tokens["judge1"]
    first = register_and_approve(seeded_app)
    first_browser = sign_in_enrolling(seeded_app, first)
    second = register_and_approve(seeded_app)
    second_browser = sign_in_enrolling(seeded_app, second)
    case = case_data(SFR, judge="judge1")
    applied(api, clerk, "case", case)
    page = f"/portal/cases/{case['id']}"

    # Attorney Okafor (attorney2) appears and withdraws with the judge's leave.
    okafor = representation_data(case["id"], "attorney2", status="accepted")
    okafor["accepted_on"] = "2026-10-05"
    applied(api, clerk, "representation", okafor)
    withdrawn, version = _ended(seeded_app, okafor["id"], status="withdrawn")
    [answer] = api.push(judge, mutation("representation", withdrawn, base_version=version))
    assert answer["status"] == "applied", answer

    # The first registered attorney appears; the history shows Okafor's withdrawal.
    mine = representation_data(case["id"], "attorney1", status="accepted")
    mine["practitioner_id"] = first.user_id
    applied(api, clerk, "representation", mine)
    assert first_browser.get(page).status_code == 200
    text = html.unescape(first_browser.last)
    assert 'id="counsel"' in text
    assert "Attorney Sam Okafor" in text
    assert "Withdrew with the leave of Immigration Judge Alvarez" in text
    assert "Counsel of record" in text
    assert second_browser.get(page).status_code == 404  # not a party of record

    # The second attorney substitutes for the first, with the court's leave.
    incoming = representation_data(case["id"], "attorney1", status="pending")
    incoming["practitioner_id"] = second.user_id
    applied(api, clerk, "representation", incoming)
    group = new_id()
    accepted = mutation(
        "representation",
        incoming | {"status": "accepted", "accepted_on": sf_today()},
        base_version=version_of(seeded_app, "representation", incoming["id"]),
    ) | {"group": group}
    prior, prior_version = _ended(
        seeded_app, mine["id"], status="substituted", successor_id=incoming["id"]
    )
    ended = mutation("representation", prior, base_version=prior_version) | {"group": group}
    answers = api.push(clerk, accepted, ended)
    assert [a["status"] for a in answers] == ["applied", "applied"], answers

    assert second_browser.get(page).status_code == 200
    text = html.unescape(second_browser.last)
    history = text[text.index('id="counsel"') : text.index('id="hearings"')]
    rows = history.split("<tr>")[2:]  # after the header row
    assert len(rows) == 3  # oldest first: Okafor, the first attorney, the second
    assert "Attorney Sam Okafor" in rows[0] and "Withdrew" in rows[0]
    assert "Substituted by" in rows[1] and "Immigration Judge Alvarez" in rows[1]
    assert "Counsel of record" in rows[2] and "—" in rows[2]  # no end date
    assert first_browser.get(page).status_code == 404  # former counsel: not found
