"""An asylum application filed into a case marks it (issue 17 item 2; 8 CFR 1208.6,
resources/confidentiality.json "set_by"/"automatic"): a Form I-589 pushed by the clerk
gets the asylum flag, and so does its case, at later versions the clients pull, each
audited confidential.flag_set with the reason and the law. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import Api
from tests.packages.conftest import make_case, text_pdf
from tests.server.sync_helpers import TokenBook, document_data, push_one, stored
from tests.server.test_confidential_records import _audit


@pytest.fixture(scope="module")
def book(seeded_app: Flask) -> TokenBook:
    return TokenBook(Api(seeded_app.test_client()))


def test_an_i589_filed_marks_itself_and_its_case_as_asylum_information(
    seeded_app: Flask, book: TokenBook
) -> None:
    case = make_case(seeded_app, [("Brief", text_pdf(1, "B"))])
    document = document_data(seeded_app, case.id) | {"doc_type": "i589_application"}
    result = push_one(book.api, book["clerk1"], "document", document)
    assert result["status"] == "applied", result
    doc_now = stored(seeded_app, "document", document["id"])
    case_now = stored(seeded_app, "case", case.id)
    assert doc_now is not None and case_now is not None
    assert doc_now[0]["confidentiality"] == ["asylum"]
    assert doc_now[1] > result["version"]  # a later version: the client pulls the flag
    assert case_now[0]["confidentiality"] == ["asylum"]
    for record_id in (document["id"], case.id):
        (entry,) = _audit(seeded_app, "confidential.flag_set", record_id)
        assert entry.detail["flags"] == ["asylum"]
        assert entry.detail["laws"] == ["8 CFR 1208.6"]
        assert "I-589" in entry.detail["reason"]
