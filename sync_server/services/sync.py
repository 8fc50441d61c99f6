"""Pull (``changes``) and push, as docs/PROTOCOL.md gives them.

Pull reads the change feed in version order. Push applies each mutation in a savepoint of
one write transaction and stores its result there too, so a replayed push returns the
stored results and applies nothing twice, even after a crash between apply and answer.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from common.board_decisions import DECISION_TEMPLATE as BOARD_DECISION_TEMPLATE
from common.enums import OrderStatus
from common.protocol import (
    Change,
    Mutation,
    MutationOp,
    MutationResult,
    MutationStatus,
    PushRequest,
    data_problem,
)
from common.wire import ENTITY_SCHEMAS, Case, Order, Representation, WireRecord, parse_record
from sync_server.db import (
    WriteLockUpgrade,
    is_postgres,
    lock_audit_head,
    raise_committed_top,
    release_versions,
    reserve_versions,
    rewind_versions,
    version_mark,
    write_transaction,
)
from sync_server.models import AppliedMutation, SyncDeparture
from sync_server.policy import (
    Principal,
    can_read,
    can_see,
    check_write,
    feed_filter,
    placement_of,
    scope_key,
)
from sync_server.services import (
    audit,
    confidentiality,
    feed_pages,
    feed_text,
    push_batch,
    scope_delta,
)
from sync_server.services.addresses import record_accepted_change_of_address
from sync_server.services.appeals import apply_appeal
from sync_server.services.board_decisions import decide_on_vote, issue_signed_order
from sync_server.services.bond_links import link_bond_cases
from sync_server.services.change_rules import check_change
from sync_server.services.counsel import cases_read, follow_counsel_change
from sync_server.services.custody import apply_custody_change
from sync_server.services.decisions import apply_decision
from sync_server.services.notices import HearingNotices
from sync_server.services.orders import OrderIssuer
from sync_server.services.records import (
    SessionLookups,
    change_dict,
    change_json,
    load_record,
    republish_case_children,
    row_to_record,
    write_record,
)


class CursorError(ValueError):
    """The ``since`` cursor is not one this server made."""


@dataclass(frozen=True)
class Cursor:
    """Where a client is: the version it holds up to, a digest of the scope it holds, the
    courts that scope is made of (court staff and DHS: services/scope_delta.py), and,
    while it catches up after a scope change, the catch-up's position."""

    version: int
    scope: str
    courts: tuple[str, ...] | None = None
    catchup: int | None = None

    def encode(self) -> str:
        # [version, scope] as before; the courts ride in the scope's text after a "|", and
        # a catch-up's position is a third element
        token = self.scope if self.courts is None else f"{self.scope}|{','.join(self.courts)}"
        parts: list[Any] = [self.version, token]
        if self.catchup is not None:
            parts.append(self.catchup)
        raw = orjson.dumps(parts)
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text_: str) -> Cursor:
        invalid = "the cursor is not valid; start again without `since`"
        try:
            raw = base64.urlsafe_b64decode(text_ + "=" * (-len(text_) % 4))
            parts = orjson.loads(raw)
            if not isinstance(parts, list) or len(parts) not in (2, 3):
                raise CursorError(invalid)
            version, token = parts[:2]
            catchup = parts[2] if len(parts) == 3 else None
        except (ValueError, TypeError) as err:
            raise CursorError(invalid) from err
        if not isinstance(version, int) or not isinstance(token, str) or version < 0:
            raise CursorError(invalid)
        if catchup is not None and (not isinstance(catchup, int) or catchup < 0):
            raise CursorError(invalid)
        scope, bar, listed = token.partition("|")
        courts = tuple(c for c in listed.split(",") if c) if bar else None
        return cls(version, scope, courts, catchup)


def _scope_digest(principal: Principal, lookups: SessionLookups) -> str:
    return hashlib.sha256(scope_key(principal, lookups).encode()).hexdigest()[:16]


def pull(session: Session, principal: Principal, since: str | None, limit: int) -> bytes:
    """One page of changes in ``principal``'s scope after ``since``, as response JSON.

    The committed top of the version sequence is read first; every version at or below it
    is committed or never will be (feed_text.page_top), so paging up to it can't skip a
    record that commits meanwhile. An empty tail advances the cursor to that top. A top
    the pull computed above the published one (a writer that held it down ended without
    publishing) is published, without waiting, as the pull ends (db.raise_committed_top).
    """
    # the top, the newest departure and the planner settings in one round trip
    top, newest_departure, published = feed_text.page_top(session)
    body = _pull_page(session, principal, since, limit, top, newest_departure)
    if top > published:
        raise_committed_top(session, top)
    return body


def _pull_page(
    session: Session,
    principal: Principal,
    since: str | None,
    limit: int,
    top: int,
    newest_departure: int,
) -> bytes:
    lookups = SessionLookups(session)
    scope = _scope_digest(principal, lookups)
    courts = scope_delta.scope_courts(principal)
    start, reset = 0, False
    if since:
        cursor = Cursor.decode(since)
        if cursor.version > top:  # forged, or from before this server was restored
            raise CursorError("the cursor is ahead of this server; start again without `since`")
        if cursor.scope == scope and cursor.catchup is None:
            start = cursor.version
        elif cursor.catchup is not None and cursor.scope != scope:
            reset = True  # changed again during a catch-up (rare): start again
        else:  # the scope changed since the cursor: send what entered and what left
            change = scope_delta.delta(session, principal, lookups, cursor.version, cursor.courts)
            if change is None:
                reset = True
            else:
                return _catch_up(session, principal, change, cursor, scope, courts, top, limit)
    # One index-ordered branch per key of the scope, merged by version (feed_pages).
    # Nothing was committed since the cursor (a no-op sync, the usual one): there is no
    # version in (start, top], so neither the page nor the departures are read.
    changes: list[tuple[int, str]] = []  # (version, the change's JSON text)
    if start < top:
        query = feed_pages.page_statement(principal, per_case=feed_pages.per_case(session))
        params = feed_pages.page_params(start, top, limit)
        changes = feed_text.page_changes(session, query, params)
    has_more = len(changes) > limit
    changes = changes[:limit]
    end = changes[-1][0] if has_more else max(top, start)
    if end > start and newest_departure > start:  # rare: only then are departures read
        changes += [
            (
                d.version,
                change_json(
                    d.entity,
                    d.record_id,
                    d.version,
                    True,
                    orjson.dumps({"id": d.record_id}).decode(),
                ),
            )
            for d in _departures(session, principal, start, end)
        ]
        changes.sort(key=lambda pair: pair[0])
    body = ",".join(text_ for _, text_ in changes)
    mark = Cursor(end, scope, None if courts is None else tuple(courts))
    tail = orjson.dumps({"cursor": mark.encode(), "has_more": has_more, "reset": reset}).decode()
    return f'{{"changes":[{body}],{tail[1:]}'.encode()


def _catch_up(
    session: Session,
    principal: Principal,
    change: scope_delta.Delta,
    cursor: Cursor,
    scope: str,
    courts: list[str] | None,
    top: int,
    limit: int,
) -> bytes:
    """A page of the catch-up after a scope change (services/scope_delta.py): the rows
    that entered the scope up to the cursor's version, tombstones for those that left;
    once done, the ordinary pages go on from the cursor's version."""
    pairs, resume = scope_delta.catch_up_rows(
        session, principal, change, cursor.version, cursor.catchup or 0, top, limit
    )
    texts = [
        change_json(
            r.entity, r.record_id, r.version, True, orjson.dumps({"id": r.record_id}).decode()
        )
        if gone
        else feed_text.change_text(r.entity, r.record_id, r.version, r.deleted, r.payload)
        for r, gone in pairs
    ]
    if resume is None:
        mark = Cursor(cursor.version, scope, None if courts is None else tuple(courts))
        has_more = cursor.version < top
    else:  # the catch-up goes on: it still needs the courts the client held
        mark = Cursor(cursor.version, scope, cursor.courts, resume)
        has_more = True
    tail = orjson.dumps({"cursor": mark.encode(), "has_more": has_more, "reset": False}).decode()
    return f'{{"changes":[{",".join(texts)}],{tail[1:]}'.encode()


def _departures(
    session: Session,
    principal: Principal,
    start: int,
    end: int,
) -> list[SyncDeparture]:
    """Records that left ``principal``'s view in (start, end]: sent as tombstones. They are
    few, so a page may carry them beyond ``limit``; a reader who still sees the record
    receives it again at its newer version."""
    return list(
        session.scalars(
            select(SyncDeparture)
            .where(
                SyncDeparture.version > start,
                SyncDeparture.version <= end,
                feed_filter(principal, SyncDeparture),
            )
            .order_by(SyncDeparture.version)
        )
    )


# --- push --------------------------------------------------------------------------------


def _rejected(m: Mutation, reason: str) -> MutationResult:
    return MutationResult(mutation_id=m.mutation_id, status=MutationStatus.REJECTED, error=reason)


def _validation_message(err: ValidationError) -> str:
    parts = [f"{'.'.join(str(p) for p in e['loc']) or 'data'}: {e['msg']}" for e in err.errors()]
    return "invalid data — " + "; ".join(parts[:10])


class _Pusher:
    def __init__(self, session: Session, principal: Principal, issuer: OrderIssuer) -> None:
        self.session = session
        self.principal = principal
        self.lookups = SessionLookups(session)
        self.issuer = issuer
        self.notices = HearingNotices(issuer.store, issuer.staging)
        # Set by :meth:`apply` when it refused a change of a record the pusher reads: the
        # answer then carries what the server holds, read once the refused write and what
        # it wrote beside it (a notice, an address) are rolled back (_apply_in_savepoint).
        self.answer_with_current = False

    def refused_with_current(self, m: Mutation, reason: str) -> MutationResult:
        """``m`` refused with ``reason``, carrying the server's record when the pusher may
        see it (so the client can show what the server holds)."""
        refused = _rejected(m, reason)
        if m.entity not in ENTITY_SCHEMAS:
            return refused
        row = load_record(self.session, m.entity, m.id)
        if row is None:
            return refused
        old = row_to_record(m.entity, row)
        if can_see(self.principal, placement_of(old, self.lookups), self.lookups):
            current = change_dict(self.session, m.entity, m.id)
            if current is not None:
                refused.current = Change.model_validate(current)
                refused.version = current["version"]
        return refused

    def apply(self, m: Mutation) -> MutationResult:
        if m.entity not in ENTITY_SCHEMAS:
            return _rejected(m, f"unknown entity {m.entity!r}")
        problem = data_problem(m.data)  # too deep or too large: refused before it is read
        if problem:
            return _rejected(m, problem)
        row = load_record(self.session, m.entity, m.id)
        old = row_to_record(m.entity, row) if row is not None else None
        if old is not None and not can_read(self.principal, old, self.lookups):
            # Answered with a bare tombstone (the id the pusher sent, nothing else): a copy
            # that still holds the record (its case moved away while this edit waited, a
            # flag closed it to its filer) drops it instead of showing it forever.
            refused = _rejected(m, "no such record in your scope")
            refused.current = Change(entity=m.entity, id=m.id, version=0, deleted=True, data={})
            return refused
        if row is None and m.op is MutationOp.DELETE:
            return _rejected(m, "no such record to delete")
        if row is None and m.base_version:
            return _rejected(m, "the record does not exist on the server")
        if isinstance(old, Order) and old.status is not OrderStatus.DRAFT:
            # Whatever version the pusher read, a signed order can't change: a conflict
            # would offer a choice that does not exist.
            return _rejected(m, "a signed order is immutable; issue a correcting order instead")
        if row is not None and m.base_version != row.version:
            return self._conflict(m, "the record changed on the server since you read it")
        if row is not None and row.deleted:
            return self._conflict(m, "the record was deleted on the server")
        result = self._delete(m, old) if m.op is MutationOp.DELETE else self._upsert(m, old)
        # The pusher may see this record: the answer says what the server holds, so the
        # client shows that instead of a copy that may have aged while the change waited.
        self.answer_with_current = result.status is MutationStatus.REJECTED and row is not None
        return result

    def with_current(self, m: Mutation, result: MutationResult) -> MutationResult:
        """``result`` carrying the server's record of ``m`` as it is now."""
        current = change_dict(self.session, m.entity, m.id)
        if current is not None:
            result.current = Change.model_validate(current)
            result.version = current["version"]
        return result

    def _conflict(self, m: Mutation, reason: str) -> MutationResult:
        current = change_dict(self.session, m.entity, m.id)
        return MutationResult(
            mutation_id=m.mutation_id,
            status=MutationStatus.CONFLICT,
            version=current["version"] if current else None,
            current=Change.model_validate(current) if current else None,
            error=reason,
        )

    def _upsert(self, m: Mutation, old: WireRecord | None) -> MutationResult:
        if m.data is None:
            return _rejected(m, "an upsert needs `data`")
        data = dict(m.data)
        if data.setdefault("id", m.id) != m.id:
            return _rejected(m, "data.id differs from the mutation's id")
        try:
            new = parse_record(m.entity, data)
        except ValidationError as err:
            return _rejected(m, _validation_message(err))
        reason = check_write(self.principal, m.entity, old, new, self.lookups)
        reason = reason or check_change(self.session, self.principal.id, old, new)
        if reason:
            return _rejected(m, reason)
        read_before = cases_read(old or new, self.lookups)  # counsel's cases, if an appearance
        version = write_record(self.session, new, lookups=self.lookups)
        if read_before is not None and isinstance(new, Representation):
            # Counsel who lost a case gets a tombstone for each of its records.
            follow_counsel_change(self.session, new.practitioner_id, read_before, self.lookups)
        if isinstance(new, Case) and isinstance(old, Case) and old.court_id != new.court_id:
            republish_case_children(self.session, old, new, self.lookups, self.principal)
        self._audit(m, version, "record.create" if old is None else "record.update", new, old)
        # A notice to appear links the respondent's bond cases to the removal case it opens.
        link_bond_cases(self.session, old, new, self.lookups, actor_id=self.principal.id)
        # A scheduling change serves its notice of hearing in this same savepoint.
        refused = self.notices.issue_for(
            self.session, old, new, version, self.lookups, self.principal.id
        )
        if refused:
            return _rejected(m, refused)
        if isinstance(new, Order) and new.status is OrderStatus.SIGNED:
            # Signing issues the order in this same savepoint: the document, the service
            # on the parties and the issued order commit with the signature or not at all.
            try:
                if new.template == BOARD_DECISION_TEMPLATE:  # and the Board's decision with it
                    issue_signed_order(
                        self.session, self.issuer, new, self.lookups, actor_id=self.principal.id
                    )
                else:
                    self.issuer.issue(self.session, new, self.lookups)
            except (LookupError, ValueError, RuntimeError, OSError) as err:
                return _rejected(m, f"the order could not be issued: {err}")
        try:  # the panel vote that makes a majority issues the Board's decision, once
            decide_on_vote(
                self.session, self.issuer, old, new, self.lookups, actor_id=self.principal.id
            )
        except (LookupError, ValueError, RuntimeError, OSError) as err:
            return _rejected(m, f"the decision could not be issued: {err}")
        try:  # an accepted EOIR-33 joins the address history in this same savepoint
            record_accepted_change_of_address(
                self.session, old, new, self.lookups, actor_id=self.principal.id
            )
        except ValueError as err:
            return _rejected(m, f"the change of address could not be recorded: {err}")
        # A custody change moves the case's custody and the address of record with it.
        apply_custody_change(self.session, old, new, self.lookups, actor_id=self.principal.id)
        # A decision moves the case's status (decided, closed, pending at a new court).
        apply_decision(self.session, old, new, self.lookups, actor_id=self.principal.id)
        # A docketed appeal puts the case on appeal (the Board then reads its record).
        apply_appeal(self.session, old, new, self.lookups, actor_id=self.principal.id)
        # A flag set or cleared is audited by name; an I-589 marks itself and its case.
        confidentiality.after_write(
            self.session, old, new, self.lookups, actor_id=self.principal.id
        )
        return MutationResult(
            mutation_id=m.mutation_id, status=MutationStatus.APPLIED, version=version
        )

    def _delete(self, m: Mutation, old: WireRecord | None) -> MutationResult:
        assert old is not None
        reason = check_write(self.principal, m.entity, old, None, self.lookups)
        if reason:
            return _rejected(m, reason)
        version = write_record(self.session, old, deleted=True, lookups=self.lookups)
        self._audit(m, version, "record.delete", old)
        return MutationResult(
            mutation_id=m.mutation_id, status=MutationStatus.APPLIED, version=version
        )

    def _audit(
        self,
        m: Mutation,
        version: int,
        action: str,
        record: WireRecord,
        old: WireRecord | None = None,
    ) -> None:
        data = record.model_dump(mode="json")
        detail: dict[str, Any] = {"version": version, "mutation_id": m.mutation_id, "data": data}
        if m.group is not None:
            detail["group"] = m.group
        if old is not None:
            before = old.model_dump(mode="json")
            detail["changed"] = sorted(k for k in data if before.get(k) != data[k])
        audit.append(
            self.session,
            actor_id=self.principal.id,
            action=action,
            entity=m.entity,
            record_id=m.id,
            detail=detail,
        )


def push(
    factory: sessionmaker[Session],
    principal: Principal,
    request: PushRequest,
    issuer: OrderIssuer,
) -> list[MutationResult]:
    """Apply ``request``'s mutations in order, each at most once; returns their results in
    the request's order. Mutations sharing a ``group`` are applied together or not at all
    (the group takes the place of its first member). ``issuer`` issues each order in the
    push that arrives signed."""
    courts: list[str] | None = None
    if PUSH_BATCHED and is_postgres(factory.kw.get("bind")):
        # Read before any lock: the courts the push's changes stay in, if they stay in
        # some (push_batch.courts_of); checked again once their locks are held.
        with factory() as session:
            courts = push_batch.courts_of(session, request.mutations)
    if courts is not None:
        try:
            return _push(factory, principal, request, issuer, courts)
        except WriteLockUpgrade:  # a hearing changed court meanwhile: run alone
            pass
    return _push(factory, principal, request, issuer, None)


def _push(
    factory: sessionmaker[Session],
    principal: Principal,
    request: PushRequest,
    issuer: OrderIssuer,
    courts: list[str] | None,
) -> list[MutationResult]:
    """:func:`push` under the server-wide write lock (``courts`` None) or under the locks
    of ``courts``, which must still be all the push touches once they are held."""
    results: dict[int, MutationResult] = {}
    stored: list[AppliedMutation] = []
    with write_transaction(factory, courts) as session:
        if courts is not None:
            now = push_batch.courts_of(session, request.mutations)
            if now is None or not set(now) <= set(courts):
                raise WriteLockUpgrade
        pusher = _Pusher(session, principal, issuer)
        held: list[Any] = []
        if PUSH_BATCHED:
            # Looked up once for the batch: the records, their feed entries, their parents,
            # their cases' courts; versions taken in one statement; audit entries and
            # stored answers written together at the end (push_batch, audit.hold_entries).
            held = push_batch.prefetch(session, pusher.lookups, request.mutations)
            audit.hold_entries(session)
        # The stored answers of the push's mutation ids, in one query for the batch; each
        # answer stored below joins them, so an id repeated later in the push is a replay.
        seen = {
            row.mutation_id: row
            for row in session.scalars(
                select(AppliedMutation).where(
                    AppliedMutation.mutation_id.in_({m.mutation_id for m in request.mutations})
                )
            )
        }
        if PUSH_BATCHED:
            new = sum(1 for m in request.mutations if m.mutation_id not in seen)
            reserve_versions(session, VERSIONS_PER_MUTATION * new)
        for unit in _units(request.mutations):
            fresh: list[tuple[int, Mutation]] = []
            for index, m in unit:
                replayed = _replayed(session, pusher, m, seen.get(m.mutation_id))
                if replayed is None:
                    fresh.append((index, m))
                else:
                    results[index] = replayed
            if len(fresh) == 1 and fresh[0][1].group is None:
                index, m = fresh[0]
                results[index] = _apply_in_savepoint(session, pusher, m)
            elif fresh:
                results.update(_apply_group(session, pusher, fresh))
            for index, m in fresh:
                seen[m.mutation_id] = _store_result(
                    session, pusher, m, results[index], request.client_id
                )
                stored.append(seen[m.mutation_id])
                if not PUSH_BATCHED:
                    session.add(stored.pop())
        release_versions(session)
        if courts is not None:
            # Pushes of other courts run meanwhile: the stored answers are written first,
            # then the audit chain's head (and the committed top, db._PUBLISH) is locked
            # for the short rest of the transaction.
            session.add_all(stored)
            session.flush()
            lock_audit_head(session)
        audit.write_held(session)
        session.add_all(stored)
        del held
    return [results[index] for index in range(len(request.mutations))]


# A push's old path, one statement at a time (benchmarks/bench_push_courts.py compares).
PUSH_BATCHED = True
# Versions a push reserves a mutation: its record's and one more (a departure, a notice);
# consequences beyond take theirs one at a time.
VERSIONS_PER_MUTATION = 2


def _units(mutations: list[Mutation]) -> list[list[tuple[int, Mutation]]]:
    """The push in application order: each ungrouped mutation alone, each group as one unit
    at the place of its first member."""
    units: list[list[tuple[int, Mutation]]] = []
    groups: dict[str, list[tuple[int, Mutation]]] = {}
    for index, m in enumerate(mutations):
        if m.group is None:
            units.append([(index, m)])
        elif m.group in groups:
            groups[m.group].append((index, m))
        else:
            groups[m.group] = [(index, m)]
            units.append(groups[m.group])
    return units


def _replayed(
    session: Session, pusher: _Pusher, m: Mutation, stored: AppliedMutation | None
) -> MutationResult | None:
    """The stored answer when ``m``'s id was seen before; None for a new mutation.

    A mutation id names exactly one payload: a replay carrying other content is refused and
    audited, never answered "applied" for data the server did not apply."""
    if stored is None:
        return None
    if stored.user_id != pusher.principal.id:
        return _rejected(m, "this mutation id was already used")
    if stored.digest is not None and stored.digest != m.digest():
        audit.append(
            session,
            actor_id=pusher.principal.id,
            action="sync.mutation_reused",
            entity=m.entity,
            record_id=m.id,
            detail={"mutation_id": m.mutation_id, "stored_digest": stored.digest},
        )
        return _rejected(m, REUSED_WITH_OTHER_CONTENT)
    return MutationResult.model_validate(stored.result)


REUSED_WITH_OTHER_CONTENT = "mutation id reused with different content"


def _store_result(
    session: Session, pusher: _Pusher, m: Mutation, result: MutationResult, client_id: str
) -> AppliedMutation:
    if result.status is MutationStatus.REJECTED:
        # A refused change is audited in the push's own transaction (the write lock is
        # held already), after its savepoint rolled back: the refusal stays, the change not.
        detail: dict[str, Any] = {
            "mutation_id": m.mutation_id,
            "op": m.op.value,
            "reason": result.error or "",
            "client_id": client_id[:100],
        }
        if m.group is not None:
            detail["group"] = m.group
        audit.append(
            session,
            actor_id=pusher.principal.id,
            action="sync.mutation_refused",
            entity=m.entity[:40],
            record_id=m.id[:64],
            detail=detail,
        )
    return AppliedMutation(  # added to the session by push, with the others
        mutation_id=m.mutation_id,
        user_id=pusher.principal.id,
        client_id=client_id,
        result=result.model_dump(mode="json"),
        digest=m.digest(),
    )


def _apply_in_savepoint(session: Session, pusher: _Pusher, m: Mutation) -> MutationResult:
    """Apply ``m`` in a savepoint of its own, kept only when the answer is ``applied``."""
    savepoint = session.begin_nested()
    mark, versions = audit.held_mark(session), version_mark(session)
    pusher.answer_with_current = False
    try:
        result = pusher.apply(m)
        session.flush()
    # A broken constraint, or a value the column can't hold (sqlite3 raises OverflowError
    # for integers beyond 64 bits): this mutation is refused, the others still apply.
    except (IntegrityError, DataError, OverflowError) as err:
        cause = type(getattr(err, "orig", err)).__name__
        result = _rejected(m, f"the database refused the change ({cause})")
    if result.status is MutationStatus.APPLIED:
        savepoint.commit()
    else:
        savepoint.rollback()
        audit.drop_held_since(session, mark)
        rewind_versions(session, versions)
        pusher.lookups.forget()
        if pusher.answer_with_current:  # read after the rollback: never the refused write
            result = pusher.with_current(m, result)
    return result


def _apply_group(
    session: Session, pusher: _Pusher, members: list[tuple[int, Mutation]]
) -> dict[int, MutationResult]:
    """Apply every member or none: the first member not applied rolls the whole group
    back; it keeps its own answer and every other member is refused with that reason."""
    savepoint = session.begin_nested()
    mark, versions = audit.held_mark(session), version_mark(session)
    results: dict[int, MutationResult] = {}
    failed: tuple[Mutation, MutationResult] | None = None
    for index, m in members:
        result = _apply_in_savepoint(session, pusher, m)
        results[index] = result
        if result.status is not MutationStatus.APPLIED:
            failed = (m, result)
            break
    if failed is None:
        savepoint.commit()
        return results
    savepoint.rollback()
    audit.drop_held_since(session, mark)
    rewind_versions(session, versions)
    pusher.lookups.forget()
    culprit, answer = failed
    reason = (
        f"not applied: it belongs with the change of {culprit.entity} {culprit.id}, "
        f"which was {answer.status.value}: {answer.error}"
    )
    return {
        index: results[index] if m is culprit else pusher.refused_with_current(m, reason)
        for index, m in members
    }
