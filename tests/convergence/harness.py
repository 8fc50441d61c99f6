"""Real desktop clients, the server's own records of what it applied, and the checks that
say whether everything people typed converged: the convergence suite's harness.

A :class:`Desk` is one installation of the desktop client: one user's local SQLite copy on
one computer with its sync engine and API client, exactly as the application builds them.
Crashing a desk drops those objects without closing anything, as a killed process would,
and the next use reopens the same file. :class:`ServerLedger` reads what the server wrote
(audit entries, each naming the mutation that caused it) straight from its database.
:func:`convergence_problems` compares the two after the network has calmed down.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

from common.wire import ENTITY_SCHEMAS, WireRecord
from desktop.api_client import ApiClient, ApiError, Session
from desktop.local_store import LocalStore
from desktop.paths import store_path
from desktop.store_crypto import StoreKeys, subkey
from desktop.sync_engine import SyncEngine, SyncReport
from sync_server.db import make_engine, make_session_factory
from sync_server.models import AuditEntry
from sync_server.services.audit import verify_chain
from tests.conftest import DEMO_PASSWORD, REPO

RecordKey = tuple[str, str]  # (entity, id)


def canonical(data: dict[str, Any] | None) -> bytes:
    """One spelling of a record's data, for comparing what two sides hold."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


@dataclass(frozen=True)
class Edit:
    """One change a person made, and the record as they saw it right after saving."""

    number: int
    desk: str
    entity: str
    record_id: str
    data: dict[str, Any]
    what: str  # in words, for the failure report
    # A delete: ``data`` is the record as the person last saw it, and what is owed to the
    # server is its absence.
    deleted: bool = False

    @property
    def key(self) -> RecordKey:
        return (self.entity, self.record_id)


class Desk:
    """One desktop installation (a user on one computer) talking to ``server_url``."""

    def __init__(
        self,
        name: str,
        username: str,
        folder: Path,
        server_url: str,
        keyring: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        # Where this installation keeps its refresh token between runs (the OS keyring in
        # the application); shared by desks of the same name, so a new run resumes the
        # session as the application does at start, without typing the password.
        self.keyring = {} if keyring is None else keyring
        self.username = username
        self.folder = folder / name
        self.server_url = server_url
        self.path = store_path(server_url, username, self.folder)
        self._store: LocalStore | None = None
        self._client: ApiClient | None = None

    # -- life cycle -------------------------------------------------------------------------

    @property
    def store(self) -> LocalStore:
        """The local copy, reopened from its file after a crash: plain until the first
        ``ecas-desktop sync`` process encrypts it (as the application's sign-in does), then
        opened with the key the password unwraps."""
        if self._store is None:
            keys = StoreKeys(self.path, self.server_url, self.username)
            data_key = keys.unlock_with_password(DEMO_PASSWORD) if keys.exists() else None
            key = None if data_key is None else subkey(data_key, "store")
            self._store = LocalStore(self.path, key)
        return self._store

    def crash(self) -> None:
        """Drop the store and the client as a killed process would: no sign-out, no
        clean-up; only the pool's file handles are released so the file can be reopened."""
        if self._store is not None:
            self._store.engine.dispose()
        if self._client is not None:
            self._client._http.close()
        self._store = None
        self._client = None

    close = crash  # between examples nothing more is owed to a desk

    # -- what the person does ---------------------------------------------------------------

    def save(self, record: WireRecord) -> dict[str, Any]:
        """Save ``record`` through the outbox; returns the record as the person now sees it."""
        self.store.save(record)
        seen = self.store.get(record.entity, record.id)
        assert seen is not None, f"{self.name}: the record just saved is not in the local copy"
        return seen

    def save_together(self, records: list[WireRecord]) -> list[dict[str, Any]]:
        """Save ``records`` as one action (one group); returns each as the person sees it."""
        self.store.save_together(records)
        return [self.store.get(r.entity, r.id) or {} for r in records]

    def delete(self, entity: str, record_id: str) -> dict[str, Any]:
        """Delete a record; returns it as the person saw it just before."""
        seen = self.store.get(entity, record_id)
        assert seen is not None, f"{self.name}: no {entity} {record_id} to delete"
        self.store.delete(entity, record_id)
        return seen

    def sync(self) -> SyncReport | ApiError:
        """One sync as the application runs it, signing in first when there is no session
        (the person types the password again after "Sign in again"). An ApiError is what
        the person is shown; anything else escaping is a defect of the client."""
        try:
            client = self._signed_in_client()
            return SyncEngine(client, self.store).sync_once()
        except ApiError as err:
            if err.kind == "auth" and self._client is not None:
                self._client.session = None  # the next sync signs in again
            return err

    def sync_in_process(self, kill_after: float | None, timeout: float = 120) -> int | None:
        """Run ``ecas-desktop sync`` for this desk in a process of its own; SIGKILL it after
        ``kill_after`` seconds if still running. Returns its exit code (-9 when killed)."""
        self.crash()  # the in-process client is not running meanwhile
        env = {**os.environ, "PYTHONPATH": str(REPO), "ECAS_PASSWORD": DEMO_PASSWORD}
        args = ["sync", "--server", self.server_url, "--username", self.username]
        process = subprocess.Popen(
            [sys.executable, "-m", "desktop", *args, "--data-dir", str(self.folder)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            return process.wait(timeout=timeout if kill_after is None else kill_after)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            return process.wait(timeout=timeout)

    def _signed_in_client(self) -> ApiClient:
        """The client with a session: resumed with the kept refresh token, or, when the
        server refuses it (lost, rotated or revoked), signed in with the password."""
        client = self._client
        if client is None:
            client = self._client = new_client(self.server_url, self.store.client_id)
            client.on_tokens = self._keep
        if client.session is None:
            kept = self.keyring.get(self.name)
            if kept:
                try:
                    client.resume(kept)
                    return client
                except ApiError as err:
                    if err.kind != "auth":
                        raise
                    self.keyring.pop(self.name, None)
            client.login(self.username, DEMO_PASSWORD)
        return client

    def _keep(self, session: Session) -> None:
        self.keyring[self.name] = session.refresh_token

    # -- what the person sees ---------------------------------------------------------------

    def copy(self) -> dict[RecordKey, bytes]:
        """Every live record of the local copy, canonically encoded."""
        return {
            (entity, str(data["id"])): canonical(data)
            for entity in ENTITY_SCHEMAS
            for data in self.store.all(entity)
        }


def new_client(url: str, client_id: str) -> ApiClient:
    """An API client for this installation. The client id is passed where the client takes
    one (it names the installation on token refreshes); older clients, which the suite is
    also run against to show what it catches, take none."""
    try:
        return ApiClient(url, client_id=client_id)
    except TypeError:
        return ApiClient(url)


class Inspector:
    """Fresh pulls straight from the server (no proxy, no local copy), one signed-in API
    client per user kept between pulls (a sign-in costs an argon2 verification)."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self._clients: dict[str, ApiClient] = {}

    def pull(self, username: str) -> dict[RecordKey, bytes]:
        """Everything ``username`` may see, from scratch, as a new installation gets it."""
        client = self._clients.get(username)
        if client is None or client.session is None:
            client = self._clients[username] = ApiClient(self.server_url)
            client.login(username, DEMO_PASSWORD)
        records: dict[RecordKey, bytes | None] = {}
        cursor: str | None = None
        while True:
            page = client.changes(cursor, 1000)
            for change in page.changes:  # in version order: the newest state wins
                key = (change.entity, change.id)
                records[key] = None if change.deleted else canonical(change.data)
            cursor = page.cursor
            if not page.has_more:
                return {key: data for key, data in records.items() if data is not None}


@dataclass(frozen=True)
class Applied:
    """One audit entry of a record change: the server applied a mutation."""

    seq: int
    entity: str
    record_id: str
    mutation_id: str | None
    data: bytes
    action: str = "record.update"  # record.create | record.update | record.delete


class ServerLedger:
    """What the server wrote, read from its database (its own connections, closed by
    :meth:`close`)."""

    def __init__(self, database_url: str) -> None:
        self.engine = make_engine(database_url)
        self.factory = make_session_factory(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def applied(self, since_seq: int = 0) -> list[Applied]:
        """Record changes the server audited after entry ``since_seq``, oldest first."""
        with self.factory() as session:
            rows = session.scalars(
                select(AuditEntry)
                .where(AuditEntry.seq > since_seq, AuditEntry.action.like("record.%"))
                .order_by(AuditEntry.seq)
            ).all()
            return [
                Applied(
                    row.seq,
                    str(row.entity),
                    str(row.record_id),
                    row.detail.get("mutation_id"),
                    canonical(row.detail.get("data")),
                    str(row.action),
                )
                for row in rows
            ]

    def last_seq(self) -> int:
        """The newest audit entry's number (0: none)."""
        with self.factory() as session:
            newest = select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)
            return int(session.scalar(newest) or 0)

    def chain_problem(self) -> str | None:
        """Why the audit chain does not verify (``ecas-server verify-audit``), or None."""
        with self.factory() as session:
            report = verify_chain(session)
        if report.ok:
            return None
        return f"the audit chain is broken at entry {report.first_broken_seq}: {report.reason}"


@dataclass
class Outcome:
    """Everything the checks look at, gathered after the network calmed down."""

    edits: list[Edit]
    withdrawn: set[bytes]  # data of edits whose issue the person closed with "take theirs"
    issues: dict[str, list[tuple[RecordKey, bytes]]]  # desk -> (record, the person's data)
    pending: dict[str, int]  # desk -> outbox entries still waiting
    copies: dict[str, dict[RecordKey, bytes]]  # desk -> its local copy
    pulls: dict[str, dict[RecordKey, bytes]]  # desk -> a fresh pull for its user
    applied: list[Applied]  # the server's record changes during the run
    chain_problem: str | None
    shown_fields: tuple[str, ...] = ()  # what a failure report shows of a record


def convergence_problems(outcome: Outcome) -> list[str]:
    """Every way the run lost, doubled or disagreed about an edit, in words."""
    problems: list[str] = []
    shown = outcome.shown_fields
    if outcome.chain_problem:
        problems.append(outcome.chain_problem)
    for desk, count in sorted(outcome.pending.items()):
        if count:
            problems.append(f"{desk} still has {count} changes waiting to be sent")

    # No mutation and no edit applied twice.
    by_mutation = Counter(a.mutation_id for a in outcome.applied if a.mutation_id)
    for mutation_id, times in sorted(by_mutation.items()):
        if times > 1:
            problems.append(f"mutation {mutation_id} was applied {times} times")
    writes = [a for a in outcome.applied if a.action != "record.delete"]
    deletes = Counter(
        (a.entity, a.record_id) for a in outcome.applied if a.action == "record.delete"
    )
    by_data = Counter((a.entity, a.record_id, a.data) for a in writes)
    position = {(a.entity, a.record_id, a.data): a.seq for a in writes}
    for edit in outcome.edits:
        times = by_data[(edit.entity, edit.record_id, canonical(edit.data))]
        if edit.deleted:
            times = deletes[edit.key]
        if times > 1:
            problems.append(f"edit #{edit.number} ({edit.what}) was applied {times} times")

    # Each person's latest edit of a record is on the server, unless they were shown why not.
    last: dict[tuple[str, RecordKey], Edit] = {}
    for edit in outcome.edits:
        last[(edit.desk, edit.key)] = edit
    server: dict[RecordKey, bytes | None] = {}
    for pull in outcome.pulls.values():
        server.update(pull)
    for (desk, key), edit in sorted(last.items(), key=lambda item: item[1].number):
        data = canonical(edit.data)
        if _covered(outcome, desk, key, data):
            continue
        if edit.deleted:
            if key in outcome.pulls[desk]:
                problems.append(
                    f"edit #{edit.number} on {desk} ({edit.what}) never reached the server "
                    f"and {desk} shows no sync issue for it: the server still holds "
                    f"{_show(outcome.pulls[desk][key], shown)}"
                )
            continue
        if by_data[(*key, data)] == 0:
            problems.append(
                f"edit #{edit.number} on {desk} ({edit.what}) never reached the server and "
                f"{desk} shows no sync issue for it: the person's copy shows "
                f"{_show(outcome.copies[desk].get(key), shown)}, the server holds "
                f"{_show(server.get(key), shown)}"
            )
            continue
        # A person's edits reach the server in the order they were made.
        for earlier in outcome.edits:
            if earlier.desk == desk and earlier.key == key and earlier.number < edit.number:
                seq = position.get((*key, canonical(earlier.data)))
                if seq is not None and seq > position[(*key, data)]:
                    problems.append(
                        f"edit #{earlier.number} on {desk} reached the server after the "
                        f"later edit #{edit.number}, overwriting it"
                    )

    # Where every person's latest edit is owed to the server, the final value is one of them.
    by_record: dict[RecordKey, list[Edit]] = defaultdict(list)
    for (_desk, key), edit in last.items():
        by_record[key].append(edit)
    for key, edits in by_record.items():
        owed = [e for e in edits if not _covered(outcome, e.desk, key, canonical(e.data))]
        expected = {None if e.deleted else canonical(e.data) for e in owed}
        if len(owed) == len(edits) and server.get(key) not in expected:
            problems.append(
                f"{key[0]} {key[1]} holds {_show(server.get(key), shown)} on the server, which "
                "is no one's latest edit: " + "; ".join(f"#{e.number} {e.what}" for e in owed)
            )

    # Every copy equals a fresh pull of its user's scope.
    for desk, copy in sorted(outcome.copies.items()):
        pull = outcome.pulls[desk]
        for key in sorted(set(copy) | set(pull)):
            if copy.get(key) != pull.get(key):
                problems.append(
                    f"{desk}'s copy of {key[0]} {key[1]} is {_show(copy.get(key), shown)} but "
                    f"the server gives {_show(pull.get(key), shown)}"
                )
    return problems


def _covered(outcome: Outcome, desk: str, key: RecordKey, data: bytes) -> bool:
    """The person was shown that this version did not go through (a sync issue they still
    see, or one they closed by taking the server's version)."""
    if data in outcome.withdrawn:
        return True
    return any(k == key and shown == data for k, shown in outcome.issues.get(desk, []))


def _show(data: bytes | None, fields: tuple[str, ...]) -> str:
    """A record in a few words: ``fields`` when given, else its JSON, shortened."""
    if data is None:
        return "nothing"
    record = orjson.loads(data)
    picked = [f"{k}={record[k]}" for k in fields if record.get(k) is not None]
    return "{" + ", ".join(picked) + "}" if picked else data.decode()[:300]
