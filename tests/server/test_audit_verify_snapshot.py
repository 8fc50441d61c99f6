"""Verifying the audit chain of a live server: entries appended meanwhile are no tampering.

``audit.verify_chain`` reads every entry, then the chain's head. A batch committed between
the two reads (the refusal log's, a push's) used to make the head run past the entries read,
reported as "the newest entries were removed". The check now reads both in one snapshot.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from sync_server.db import audit_transaction
from sync_server.models import ServerState
from sync_server.services import audit


def test_entries_appended_while_the_chain_is_read_are_not_reported_as_removed(
    fresh_app: Flask,
) -> None:
    services = fresh_app.extensions["ecas"]
    with audit_transaction(services.factory) as session:
        audit.append_many(session, [audit.NewEntry(None, "test.before", None, None, {})])
    appended: list[int] = []
    with services.factory() as session:

        @event.listens_for(session, "do_orm_execute")
        def _append_meanwhile(state: Any) -> None:
            # When the head is about to be read, another writer commits one more entry.
            if (
                state.is_select
                and ServerState in {m.class_ for m in state.all_mappers}
                and not appended
            ):
                with audit_transaction(services.factory) as other:
                    appended.append(
                        audit.append_many(
                            other, [audit.NewEntry(None, "test.meanwhile", None, None, {})]
                        )
                    )

        report = audit.verify_chain(session)
    assert appended == [1], "the head was never read"
    assert report.ok, report
    with Session(services.engine) as later:
        assert audit.verify_chain(later).ok  # and the entry appended meanwhile chains on
