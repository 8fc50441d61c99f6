"""Annotation kinds on the wire (issue 18 item 9): the server takes exactly the kinds of
``common.annotations.AnnotationKind`` and refuses any other, naming the field and the
kinds it accepts; the rest of the push goes through."""

from __future__ import annotations

import pytest
from flask import Flask

from common.annotations import AnnotationKind
from tests.conftest import Api, mutation
from tests.server.sync_helpers import (
    SFR,
    TokenBook,
    annotation_data,
    applied,
    document_data,
    first_case,
    stored,
)


@pytest.mark.parametrize("kind", ["stamp", "Highlight", ""])
def test_an_unknown_kind_is_refused_naming_the_kinds_accepted(
    api: Api, tokens: TokenBook, seeded_app: Flask, kind: str
) -> None:
    document = document_data(seeded_app, first_case(seeded_app, SFR))
    applied(api, tokens["clerk1"], "document", document)
    odd = {**annotation_data(document, "clerk1"), "kind": kind}
    fine = annotation_data(document, "clerk1")

    refused, ok = api.push(
        tokens["clerk1"], mutation("annotation", odd), mutation("annotation", fine)
    )

    assert refused["status"] == "rejected", refused
    assert refused["error"].startswith("invalid data — kind:"), refused["error"]
    assert "'highlight'" in refused["error"] and "'redact'" in refused["error"]
    assert stored(seeded_app, "annotation", odd["id"]) is None
    assert ok["status"] == "applied"


def test_every_kind_the_client_draws_is_taken(
    api: Api, tokens: TokenBook, seeded_app: Flask
) -> None:
    document = document_data(seeded_app, first_case(seeded_app, SFR))
    applied(api, tokens["clerk1"], "document", document)
    for kind in AnnotationKind:
        note = {**annotation_data(document, "clerk1"), "kind": kind.value}
        applied(api, tokens["clerk1"], "annotation", note)
        found = stored(seeded_app, "annotation", note["id"])
        assert found is not None and found[0]["kind"] == kind.value
