"""Reading and tampering with a test server's audit chain, shared by the audit tests: the
newest entry, the entries after one, the chain's verdict, and the raw SQL someone with
database access could run behind the server's back (an entry's detail edited, a middle
entry deleted, the newest entries cut off)."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Flask
from sqlalchemy import JSON, bindparam, func, select, text

from sync_server.models import AuditEntry
from sync_server.services import audit
from sync_server.services.audit_anchors import Anchor


def max_seq(app: Flask) -> int:
    with app.extensions["ecas"].factory() as session:
        return int(session.scalar(select(func.coalesce(func.max(AuditEntry.seq), 0))) or 0)


def entries_after(app: Flask, seq: int) -> list[AuditEntry]:
    with app.extensions["ecas"].factory() as session:
        return list(
            session.scalars(select(AuditEntry).where(AuditEntry.seq > seq).order_by(AuditEntry.seq))
        )


def verify(app: Flask, anchors: Sequence[Anchor] = ()) -> audit.ChainReport:
    with app.extensions["ecas"].factory() as session:
        return audit.verify_chain(session, anchors)


def raw_sql(app: Flask, statement: str, **params: object) -> None:
    """Raw SQL behind the server's back, as someone with database access could run it."""
    query = text(statement)
    if "detail" in params:
        query = query.bindparams(bindparam("detail", type_=JSON))
    with app.extensions["ecas"].engine.begin() as conn:
        conn.execute(query, params)


def edit_detail(app: Flask, seq: int) -> None:
    raw_sql(
        app,
        "UPDATE audit_entry SET detail = :detail WHERE seq = :seq",
        detail={"note": "nothing happened here"},
        seq=seq,
    )


def delete_entry(app: Flask, seq: int) -> None:
    raw_sql(app, "DELETE FROM audit_entry WHERE seq = :seq", seq=seq)


def cut_from(app: Flask, seq: int) -> None:
    """The newest entries, from ``seq`` on, deleted (the head left as it was)."""
    raw_sql(app, "DELETE FROM audit_entry WHERE seq >= :seq", seq=seq)


def assert_broken_at(report: audit.ChainReport, seq: int, saying: str) -> None:
    assert not report.ok
    assert report.first_broken_seq == seq, report
    assert report.reason is not None and saying in report.reason, report.reason
