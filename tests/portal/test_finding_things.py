"""Finding things (issue 17 item 6): search and matching ignore case and accents, and the
portal's case list pages with its count and filters by court, status and next hearing.

"Guaman" finds GUAMÁN, "Muller" finds MÜLLER; an EOIR-28 naming "Jose Guaman" is matched
to the case of JOSÉ GUAMÁN while a name that truly differs is still refused; DHS with more
than 200 cases sees "Cases 1-200 of N" (an en dash on the page) and the next page."""

from __future__ import annotations

import importlib.util
import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from flask import Flask
from sqlalchemy import create_engine, inspect, select

import sync_server.migrations
from common.anumber import format_a_number
from common.court_time import court_today
from common.folding import fold, same_name
from sync_server.models import CaseRow, FilingRow, UserRow
from sync_server.services.portal_cases import CASE_LIST_LIMIT
from tests.conftest import Api, mutation, seeded_server_app
from tests.portal.portal_flows import appearance_form
from tests.portal.portal_helpers import (
    Account,
    Browser,
    register_and_approve,
    sign_in_enrolling,
    user_row,
)
from tests.portal.test_portal_accessibility import check
from tests.server.sync_helpers import NYB, SFR, case_data, hearing_data

DASH = "\u2013"  # an en dash, as the page has it


@pytest.fixture(scope="module")
def app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with seeded_server_app(backend, tmp_path_factory.mktemp(f"find-{backend}"), cases=3) as app:
        yield app


def _push(app: Flask, *records: tuple[str, dict[str, Any]], clerk: str = "clerk1") -> None:
    """A clerk of the records' court (clerk1 San Francisco, clerk3 New York) writes them
    through the sync push, a hundred at a time."""
    api = Api(app.test_client())
    token = api.login(clerk)
    listed = list(records)
    for start in range(0, len(listed), 100):
        results = api.push(token, *(mutation(e, d) for e, d in listed[start : start + 100]))
        assert all(r["status"] == "applied" for r in results), str(
            [r for r in results if r["status"] != "applied"]
        )


def _case(court: str, first: str, last: str, **more: Any) -> dict[str, Any]:
    return case_data(court) | {"respondent_first_name": first, "respondent_last_name": last} | more


def _dhs_at(app: Flask, *courts: str) -> Browser:
    """A DHS attorney signed in to the portal, assigned to ``courts``."""
    account: Account = register_and_approve(app, kind="dhs")
    with app.extensions["ecas"].factory() as session, session.begin():
        row = session.get(UserRow, account.user_id)
        assert row is not None
        row.assigned_court_ids = list(courts)
    return sign_in_enrolling(app, account)


def _respondents(page: str) -> list[str]:
    return re.findall(r'data-label="Respondent">([^<]*)</td>', page)


def test_folding_drops_case_and_accents_and_spells_marked_letters_without_decomposition() -> None:
    assert fold("GUAMÁN") == fold("guamán") == fold("Guaman") == "guaman"
    assert fold("MÜLLER") == "muller"
    assert fold("Straße") == "strasse"
    assert fold("ØSTERGÅRD") == "ostergard"
    assert fold("Łukasz Wałęsa") == "lukasz walesa"
    assert same_name(" de la  Cruz ", "DE LA CRUZ")
    assert not same_name("Guaman", "Guzman")


def test_dhs_search_finds_a_name_whatever_its_accents_and_case(app: Flask) -> None:
    a_number_tail = f"{random.randrange(10**6):06d}"
    guaman = _case(SFR, "José", "GUAMÁN", a_number=f"47{a_number_tail}0")
    muller = _case(SFR, "Jörg", "MÜLLER")
    guzman = _case(SFR, "José", "GUZMÁN")
    _push(app, ("case", guaman), ("case", muller), ("case", guzman))
    dhs = _dhs_at(app, SFR)

    for term in ("Guaman", "guamán", "GUAMAN", "jose guaman", "Guamán, José"):
        assert dhs.get(f"/portal/cases?q={term}").status_code == 200
        found = _respondents(dhs.last)
        assert "GUAMÁN, José" in found, term
        assert "GUZMÁN, José" not in found, term
    dhs.get("/portal/cases?q=Muller")
    assert _respondents(dhs.last) == ["MÜLLER, Jörg"]
    # The A-number is searched as before (any spelling of it).
    dhs.get(f"/portal/cases?q={format_a_number(guaman['a_number'])}")
    assert "GUAMÁN, José" in _respondents(dhs.last)
    dhs.get("/portal/cases?q=Gu%25man")  # a LIKE wildcard typed is a character searched
    assert _respondents(dhs.last) == []
    assert "No case matches" in dhs.last


def _counsel_form(app: Flask, case_id: str, eoir_id: str, **names: str) -> dict[str, str]:
    with app.extensions["ecas"].factory() as session:
        row = session.get(CaseRow, case_id)
        assert row is not None
        session.expunge(row)
    return appearance_form(row, eoir_id, **names)


def test_an_eoir_28_naming_the_respondent_without_accents_is_matched_and_another_name_refused(
    app: Flask,
) -> None:
    case = _case(SFR, "JOSÉ", "GUAMÁN")
    _push(app, ("case", case))
    account = register_and_approve(app)
    browser = sign_in_enrolling(app, account)
    eoir_id = str(user_row(app, account.username).eoir_id)
    page = "/portal/appearance/eoir-28"

    other = _counsel_form(
        app, case["id"], eoir_id, respondent_first_name="Jose", respondent_last_name="Guzman"
    )
    assert browser.post(page, other, from_page=page).status_code == 422
    assert "No case with this A-number and respondent&#39;s last name" in browser.last or (
        "No case with this A-number and respondent's last name" in browser.last
    )

    plain = _counsel_form(
        app, case["id"], eoir_id, respondent_first_name="Jose", respondent_last_name="Guaman"
    )
    assert browser.post(page, plain, from_page=page).status_code == 302, browser.last
    with app.extensions["ecas"].factory() as session:
        filed = session.scalars(
            select(FilingRow.case_id).where(FilingRow.filer_id == account.user_id)
        ).all()
    assert filed == [case["id"]]


def test_dhs_with_more_than_a_page_of_cases_sees_the_count_and_pages_and_filters(
    app: Flask,
) -> None:
    # A new court of DHS's own would need a court; instead DHS is assigned to NYB, where
    # this module's seed has few cases, and the test's cases are counted from the page.
    tag = f"Pager{random.randrange(10**6)}"
    many = [_case(NYB, "Ana", tag) for _ in range(CASE_LIST_LIMIT + 5)]
    opened = _case(NYB, "Ana", tag, status="opened")
    at_sf = _case(SFR, "Ana", tag)
    soon = court_today("America/Los_Angeles") + timedelta(days=2)
    starts = datetime.combine(soon, time(17), tzinfo=UTC).isoformat().replace("+00:00", "Z")
    heard = hearing_data(at_sf["id"]) | {"starts_at": starts}
    _push(app, *(("case", c) for c in [*many, opened]), clerk="clerk3")
    _push(app, ("case", at_sf), ("hearing", heard))
    dhs = _dhs_at(app, SFR, NYB)
    total = len(many) + 2

    assert dhs.get(f"/portal/cases?q={tag}").status_code == 200
    assert f"Cases 1{DASH}{CASE_LIST_LIMIT} of {total}" in dhs.last
    assert len(_respondents(dhs.last)) == CASE_LIST_LIMIT
    next_page = re.search(r'rel="next" href="([^"]+)"', dhs.last)
    assert next_page and 'rel="prev"' not in dhs.last
    dhs.get(next_page.group(1).replace("&amp;", "&"))
    assert f"Cases {CASE_LIST_LIMIT + 1}{DASH}{total} of {total}" in dhs.last
    assert len(_respondents(dhs.last)) == total - CASE_LIST_LIMIT
    assert 'rel="prev"' in dhs.last and 'rel="next"' not in dhs.last
    check(dhs.last)  # the page with its count, filters and page links passes the static audit

    # Filters: court, status, next hearing (each keeps the search).
    dhs.get(f"/portal/cases?q={tag}&court={SFR}")
    assert f"Cases 1{DASH}1 of 1" in dhs.last
    dhs.get(f"/portal/cases?q={tag}&status=opened")
    assert f"Cases 1{DASH}1 of 1" in dhs.last and ">Opened<" in dhs.last
    dhs.get(f"/portal/cases?q={tag}&next=7")
    assert f"Cases 1{DASH}1 of 1" in dhs.last
    dhs.get(f"/portal/cases?q={tag}&next=none")
    assert f"Cases 1{DASH}{CASE_LIST_LIMIT} of {total - 1}" in dhs.last
    dhs.get(f"/portal/cases?q={tag}&court={NYB}&status=pending&next=none")
    assert f"Cases 1{DASH}{CASE_LIST_LIMIT} of {len(many)}" in dhs.last
    # A court DHS is not assigned to shows nothing, not another court's cases.
    dhs.get(f"/portal/cases?q={tag}&court=not-a-court")
    assert _respondents(dhs.last) == [] and "with these filters" in dhs.last


def test_migration_0025_fills_the_folded_name_of_cases_already_stored(
    backend: str, tmp_path: Path
) -> None:
    # The migration itself, down and up again, over a seeded database (run alone: the
    # migrations after it are other work's and are not what this checks, except 0037's
    # index on the column, which has to go first and come back last).
    def load(name: str) -> Any:
        path = Path(sync_server.migrations.__file__).parent / f"versions/{name}.py"
        spec = importlib.util.spec_from_file_location(f"migration_{name}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    migration, court_search = load("0025_case_name_folded"), load("0037_case_court_name_search")
    with seeded_server_app(backend, tmp_path, cases=3) as app:
        # A plain engine, as alembic's own (the app's turns SQLite's foreign keys on).
        engine = create_engine(app.extensions["ecas"].engine.url)
        with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
            court_search.downgrade()
            migration.downgrade()
            assert "respondent_name_folded" not in {
                c["name"] for c in inspect(conn).get_columns("case")
            }
            migration.upgrade()
            court_search.upgrade()
        engine.dispose()
        with app.extensions["ecas"].factory() as session:
            rows = session.execute(
                select(
                    CaseRow.respondent_last_name,
                    CaseRow.respondent_first_name,
                    CaseRow.respondent_name_folded,
                )
            ).all()
        assert len(rows) >= 3
        assert all(folded == fold(f"{last} {first}") for last, first, folded in rows)
        assert any(folded != f"{last} {first}" for last, first, folded in rows)  # it folded
