"""Zero loss: whatever the network and the crashes do, every edit people make converges.

Three real desktop installations (clerk1 at the office and on a laptop, and judge1, all
of the San Francisco court) edit the same few hearings through a fault-injecting proxy in
front of a real ``ecas-server run`` process, on each database. Hypothesis chooses what
happens and in which order: edits (the same hearing on two computers makes conflicts),
syncs, faults on the network (answers lost, cut off, delayed, requests sent twice or cut),
the server killed with SIGKILL and restarted, a desktop killed between steps (its objects
dropped, its SQLite file reopened) or in the middle of ``ecas-desktop sync`` in a process
of its own. After each run the faults stop and every desk syncs until nothing is waiting;
then (``harness.convergence_problems``):

* each person's latest edit of each hearing is on the server exactly once, unless their
  desk shows a sync issue for it; a person's edits arrive in the order they were made;
* no mutation and no edit was applied twice (the server's audit entries name the mutation);
* every desk's copy equals what a fresh pull of its user's scope gives;
* the audit chain verifies.

The default run is short and repeatable (derandomized). The soak runs many more rounds
with fresh randomness: ``ECAS_SOAK_EXAMPLES=1000 scripts/soak.sh`` (or ``make soak``).
``ECAS_CONVERGENCE_FAULTS=drop_answer,duplicate`` limits which faults the network makes.
"""

from __future__ import annotations

import itertools
import os
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import orjson
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)

from common.enums import Visibility
from common.wire import Annotation, Hearing
from desktop.api_client import ApiError
from desktop.clerk_actions import reschedule
from desktop.sync_engine import SyncReport
from tests.conftest import LiveServer, court_id, user_id
from tests.convergence.fault_proxy import Fault, FaultProxy
from tests.convergence.harness import (
    Desk,
    Edit,
    Inspector,
    Outcome,
    ServerLedger,
    canonical,
    convergence_problems,
)

pytestmark = pytest.mark.slow

PUSH = "/api/v1/sync/push"
DESKS = (
    ("clerk1-office", "clerk1"),
    ("clerk1-laptop", "clerk1"),
    ("judge1", "judge1"),
    ("judge1-chambers", "judge1"),  # the same judge on a second computer: notes conflict
)
JUDGE_DESKS = st.sampled_from([name for name, user in DESKS if user.startswith("judge")])
CLERK_DESKS = st.sampled_from([name for name, user in DESKS if user.startswith("clerk")])
NOTE_ACTIONS = st.sampled_from(["new", "edit", "delete"])
HEARINGS = 2  # few, so that the desks keep meeting on the same records
SHOWN = ("starts_at", "duration_minutes", "outcome")
FIRST_SLOT = datetime(2027, 6, 1, 8, tzinfo=UTC)
_EDIT_NUMBERS = itertools.count(1)  # unique across runs, so each edit's data is unique


def _allowed_faults() -> list[Fault]:
    """The faults the network may make (all but PASS unless ECAS_CONVERGENCE_FAULTS names
    some, comma-separated)."""
    named = os.environ.get("ECAS_CONVERGENCE_FAULTS", "").strip()
    every: list[Fault] = [f for f in Fault if f is not Fault.PASS]
    if not named:
        return every
    chosen = [Fault(name.strip()) for name in named.split(",") if name.strip()]
    return [f for f in every if f in chosen]


FAULTS = _allowed_faults()
# Network weather, drawn by the machine: the share of requests each fault hits.
PROFILES: dict[str, dict[Fault, float]] = {
    "calm": {},
    "lossy": {Fault.DROP_ANSWER: 0.3, Fault.TRUNCATE_ANSWER: 0.1, Fault.CUT_REQUEST: 0.1},
    "stormy": {f: 0.1 for f in Fault if f is not Fault.PASS},
    "echoing": {Fault.DUPLICATE: 0.5, Fault.DELAY: 0.2},
}
PROFILES = {
    name: {f: rate for f, rate in rates.items() if f in FAULTS} for name, rates in PROFILES.items()
}
WEATHERS = st.sampled_from(sorted(PROFILES))
SEEDS = st.integers(0, 2**32 - 1)
AS_THE_NETWORK_GOES = "as the network goes"
PUSH_FATES = [AS_THE_NETWORK_GOES] + [str(f) for f in FAULTS]
DESK_NAMES = st.sampled_from([name for name, _ in DESKS])
DURATIONS = st.sampled_from([30, 45, 60, 90])
LAST_EDITED = -1  # instead of a hearing's number: the record this desk edited last
HEARING_CHOICES = st.sampled_from([LAST_EDITED, *range(HEARINGS)])
BETWEEN_STEPS = "between steps"
# How a desk crashes: its process between steps, or `ecas-desktop sync` SIGKILLed after so
# many seconds (None: it finishes).
DESK_CRASHES: list[float | str | None] = [BETWEEN_STEPS, None, 0.4, 0.6, 0.9]
SOAK = os.environ.get("ECAS_SOAK_EXAMPLES")
# Server kills and `ecas-desktop sync` processes per run: each costs a second or two, so
# the short default run makes one of each at most, the soak a few.
MAX_KILLS = 3 if SOAK else 1
MAX_PROCESSES = 3 if SOAK else 1


class World:
    """What the machine drives: the server process, the proxy in front of it, a folder."""

    def __init__(self, server: LiveServer, proxy: FaultProxy, folder: Path) -> None:
        self.server = server
        self.proxy = proxy
        self.folder = folder
        self.ledger = ServerLedger(server.env["ECAS_DATABASE_URL"])
        self.inspector = Inspector(server.url)
        self.keyring: dict[str, str] = {}  # each desk's refresh token, kept between runs
        self.runs = itertools.count(1)
        self.hearing_ids = self._shared_hearings()
        self.document = self._a_document()

    def _a_document(self) -> dict[str, Any]:
        """A document of the court the judge annotates (the first by id, every run)."""
        view = self.inspector.pull("judge1")
        key = min(k for k in view if k[0] == "document")
        return dict(orjson.loads(view[key]))

    def _shared_hearings(self) -> list[str]:
        """Hearings of the court that every desk's user sees, the same ones every run."""
        views = [self.inspector.pull(username) for _, username in DESKS]
        shared = set.intersection(*({i for e, i in view if e == "hearing"} for view in views))
        # judge1 records outcomes only of the hearings before judge1 (the hearing's judge,
        # else the case's: policy.hearing_judge).
        judge1 = views[[u for _, u in DESKS].index("judge1")]
        cases: dict[str, dict[str, Any]] = {
            i: orjson.loads(v) for (e, i), v in judge1.items() if e == "case"
        }

        def presiding(hearing_id: str) -> Any:
            h = orjson.loads(judge1[("hearing", hearing_id)])
            return h.get("judge_id") or cases.get(h["case_id"], {}).get("judge_id")

        ids = sorted(i for i in shared if presiding(i) == user_id("judge1"))
        assert len(ids) >= HEARINGS, f"the seed gives the desks {len(ids)} shared hearings"
        return ids[:HEARINGS]


class ConvergenceMachine(RuleBasedStateMachine):
    """One run: fresh desks, steps chosen by hypothesis, the checks in ``teardown``."""

    world: ClassVar[World]

    def __init__(self) -> None:
        super().__init__()
        world = self.world
        self.run = next(world.runs)
        self.started = time.monotonic()
        self.story: list[str] = []  # what happened, for the failure report
        self.edits: list[Edit] = []
        self.withdrawn: set[bytes] = set()
        self.notes: list[str] = []  # the judge's notes made in this run, oldest first
        self.kills = 0  # server kills in this run
        self.processes = 0  # ecas-desktop sync processes in this run
        self.audit_start = world.ledger.last_seq()
        folder = world.folder / f"run-{self.run}"
        self.desks = {
            name: Desk(name, user, folder, world.proxy.url, world.keyring) for name, user in DESKS
        }
        world.proxy.calm()
        for desk in self.desks.values():  # each starts with a full copy, as after sign-in
            self._sync_until_settled(desk)

    # -- what people do ---------------------------------------------------------------------

    @rule(desk=DESK_NAMES, hearing=HEARING_CHOICES, duration=DURATIONS)
    def edit(self, desk: str, hearing: int, duration: int) -> None:
        """``desk``'s user edits hearing number ``hearing``, or (``LAST_EDITED``) again the
        record they edited last: a slip corrected at once, or a second thought."""
        if hearing == LAST_EDITED:
            mine = [e for e in self.edits if e.desk == desk and e.entity == "hearing"]
            record_id = mine[-1].record_id if mine else self.world.hearing_ids[0]
        else:
            record_id = self.world.hearing_ids[hearing]
        self._edit(desk, record_id, duration)

    @rule(
        desk=DESK_NAMES,
        hearing=HEARING_CHOICES,
        duration=DURATIONS,
        push=st.sampled_from(PUSH_FATES),
    )
    def edit_then_sync(self, desk: str, hearing: int, duration: int, push: str) -> None:
        """An edit, and the background sync the desktop starts right after it."""
        self.edit(desk, hearing, duration)
        self.sync(desk, push)

    def _edit(self, desk: str, record_id: str, duration: int) -> None:
        """A clerk reschedules the hearing (a new slot each time); a judge records an
        outcome. Both are changes the access policy allows them."""
        person = self.desks[desk]
        current = person.store.get("hearing", record_id)
        assert current is not None, f"{desk} has no copy of hearing {record_id}"
        number = next(_EDIT_NUMBERS)
        label = f"hearing {self.world.hearing_ids.index(record_id)}"
        before = Hearing.model_validate(current)
        if person.username.startswith("judge"):
            what = f"{desk} records outcome 'Ruling {number}' on {label}"
            changed = before.model_copy(update={"outcome": f"Ruling {number}"})
        else:
            slot = FIRST_SLOT + timedelta(minutes=number)
            what = f"{desk} moves {label} to {slot:%Y-%m-%d %H:%M} ({duration} min)"
            changed = reschedule(before, slot).model_copy(update={"duration_minutes": duration})
        seen = person.save(changed)
        self.edits.append(Edit(number, desk, "hearing", record_id, seen, what))
        self._tell(f"edit #{number}: {what}")

    @rule(desk=CLERK_DESKS, duration=DURATIONS)
    def move_both(self, desk: str, duration: int) -> None:
        """A clerk moves both hearings in one action: they travel as one group, applied
        together or refused together."""
        person = self.desks[desk]
        moved = []
        for offset, record_id in enumerate(self.world.hearing_ids):
            current = person.store.get("hearing", record_id)
            assert current is not None, f"{desk} has no copy of hearing {record_id}"
            slot = FIRST_SLOT + timedelta(minutes=next(_EDIT_NUMBERS), days=offset)
            moved.append(
                reschedule(Hearing.model_validate(current), slot).model_copy(
                    update={"duration_minutes": duration}
                )
            )
        for hearing, seen in zip(moved, person.save_together(moved), strict=True):
            number = next(_EDIT_NUMBERS)
            label = f"hearing {self.world.hearing_ids.index(hearing.id)}"
            what = f"{desk} moves {label} with the other one, to {hearing.starts_at:%H:%M}"
            self.edits.append(Edit(number, desk, "hearing", hearing.id, seen, what))
            self._tell(f"edit #{number}: {what}")

    @rule(desk=JUDGE_DESKS, action=NOTE_ACTIONS)
    def note(self, desk: str, action: str) -> None:
        """The judge writes a private note on the document, changes the newest one this
        computer shows, or deletes it."""
        person = self.desks[desk]
        number = next(_EDIT_NUMBERS)
        deleted = False
        mine = sorted(
            (n for n in person.store.all("annotation") if n["id"] in self.notes),
            key=lambda n: self.notes.index(n["id"]),
        )
        if action == "new" or not mine:
            document = self.world.document
            note = Annotation(
                id=str(uuid.uuid4()),
                document_id=document["id"],
                document_sha256=document["sha256"],
                author_id=_judge_id(person),
                visibility=Visibility.PRIVATE,
                kind="note",
                page=0,
                geometry={"rect": [72, 72, 96, 96]},
                comment=f"Note {number}",
                created_at=datetime.now(UTC),
            )
            self.notes.append(note.id)
            seen, what = person.save(note), f"{desk} writes note {number}"
        elif action == "edit":
            note = Annotation.model_validate(mine[-1])
            seen = person.save(note.model_copy(update={"comment": f"Changed {number}"}))
            what = f"{desk} changes note {note.id[:8]} to 'Changed {number}'"
        else:
            seen, deleted = person.delete("annotation", mine[-1]["id"]), True
            what = f"{desk} deletes note {mine[-1]['id'][:8]}"
        record_id = str(seen["id"])
        self.edits.append(Edit(number, desk, "annotation", record_id, seen, what, deleted=deleted))
        self._tell(f"edit #{number}: {what}")

    @rule(desk=DESK_NAMES, push=st.sampled_from(PUSH_FATES))
    def sync(self, desk: str, push: str) -> None:
        """The desk syncs; its push meets ``push`` (a fault of the network), or whatever
        the network's weather gives it."""
        proxy = self.world.proxy
        if push != AS_THE_NETWORK_GOES:
            proxy.script(Fault(push), path_prefix=PUSH)
        said = _said(self.desks[desk].sync())
        proxy.unscript()  # nothing to push: the fault was not used
        fate = "" if push == AS_THE_NETWORK_GOES else f" (its push meets {push})"
        self._tell(f"sync {desk}{fate}: {said}")

    @rule(desk=DESK_NAMES, keep_mine=st.booleans())
    def resolve_issue(self, desk: str, keep_mine: bool) -> None:
        """The person opens Conflicts and decides the oldest issue."""
        person = self.desks[desk]
        issues = person.store.issues()
        if not issues:
            return
        issue = issues[0]
        if keep_mine:
            person.store.resolve_keep_mine(issue.id)
            seen = person.store.get(issue.entity, issue.record_id)
            if seen is not None:  # sending their version again is a new edit of theirs
                number = next(_EDIT_NUMBERS)
                what = f"{desk} keeps their version of {issue.entity} {issue.record_id}"
                self.edits.append(Edit(number, desk, issue.entity, issue.record_id, seen, what))
                self._tell(f"edit #{number}: {what}")
        else:
            person.store.resolve_take_theirs(issue.id)
            if issue.local_data is not None:
                self.withdrawn.add(canonical(issue.local_data))
            self._tell(f"{desk} takes the server's version of {issue.record_id}")

    # -- what the machines and the network do -----------------------------------------------

    @initialize(weather=WEATHERS, seed=SEEDS)
    def network_at_start(self, weather: str, seed: int) -> None:
        """The weather the run starts in (most runs start with faults)."""
        self.network(weather, seed)

    @rule(weather=WEATHERS, seed=SEEDS)
    def network(self, weather: str, seed: int) -> None:
        """The network's weather changes: from now on each request meets random faults
        at this profile's rates (none when calm)."""
        if PROFILES[weather]:
            self.world.proxy.randomize(seed, PROFILES[weather])
        else:
            self.world.proxy.calm()
        self._tell(f"the network turns {weather} (seed {seed})")

    @precondition(lambda self: self.world.server.process is not None)
    @precondition(lambda self: self.kills < MAX_KILLS)  # a restart costs a second or two
    @rule()
    def kill_server(self) -> None:
        self.kills += 1
        self.world.server.kill()
        self._tell("the server is killed (SIGKILL)")

    @precondition(lambda self: self.world.server.process is None)
    @rule()
    def start_server(self) -> None:
        self.world.server.start()
        self._tell("the server is started again")

    @rule(desk=DESK_NAMES, how=st.sampled_from(DESK_CRASHES))
    def crash_desk(self, desk: str, how: float | str | None) -> None:
        """A desktop process dies between steps (its objects dropped, its SQLite file
        reopened next time); or ``ecas-desktop sync`` runs for the desk in a process of
        its own and is SIGKILLed after ``how`` seconds (None: it finishes)."""
        person = self.desks[desk]
        if how == BETWEEN_STEPS or self.processes >= MAX_PROCESSES:
            person.crash()
            self._tell(f"{desk}'s desktop process dies; its file is reopened next time")
            return
        self.processes += 1  # a process costs about a second: a few per run
        kill_after = how if isinstance(how, float) else None
        code = person.sync_in_process(kill_after)
        self._tell(f"ecas-desktop sync for {desk} (SIGKILL after {kill_after} s): exit {code}")

    # -- the checks -------------------------------------------------------------------------

    def teardown(self) -> None:
        try:
            problems = convergence_problems(self._settle())
            if os.environ.get("ECAS_CONVERGENCE_VERBOSE"):
                print(self._report(problems))
            assert not problems, self._report(problems)
        finally:
            self.world.proxy.calm()
            if self.world.server.process is None:
                self.world.server.start()
            for desk in self.desks.values():
                desk.close()

    def _settle(self) -> Outcome:
        """Faults off, the server up, every desk synced until nothing waits, twice over
        (so each pulls what the others pushed); then gather what the checks look at."""
        world = self.world
        world.proxy.calm()
        if world.server.process is None:
            world.server.start()
        for _ in range(2):
            for desk in self.desks.values():
                self._sync_until_settled(desk)
        self._tell("the network calmed down and every desk synced twice")
        return Outcome(
            edits=self.edits,
            withdrawn=self.withdrawn,
            issues={
                name: [
                    ((i.entity, i.record_id), canonical(i.local_data)) for i in desk.store.issues()
                ]
                for name, desk in self.desks.items()
            },
            pending={name: desk.store.pending_count() for name, desk in self.desks.items()},
            copies={name: desk.copy() for name, desk in self.desks.items()},
            pulls={name: world.inspector.pull(desk.username) for name, desk in self.desks.items()},
            applied=world.ledger.applied(self.audit_start),
            chain_problem=world.ledger.chain_problem(),
            shown_fields=SHOWN,
        )

    def _sync_until_settled(self, desk: Desk) -> None:
        """Sync with the network calm until the outbox is empty (a few tries: a sync may
        first have to sign in again after a refresh token was lost)."""
        for _ in range(4):
            said = desk.sync()
            if isinstance(said, SyncReport) and desk.store.pending_count() == 0:
                return
        raise AssertionError(
            f"{desk.name} could not settle with the network calm: {_said(said)}\n"
            + "\n".join(self.story)
        )

    def _tell(self, line: str) -> None:
        self.story.append(f"{time.monotonic() - self.started:6.2f}s  {line}")

    def _report(self, problems: list[str]) -> str:
        verdict = "did not converge" if problems else "converged"
        return (
            f"run {self.run} {verdict}:\n  - "
            + "\n  - ".join(problems)
            + "\nwhat happened:\n  "
            + "\n  ".join(self.story)
        )


def _said(outcome: SyncReport | ApiError) -> str:
    if isinstance(outcome, ApiError):
        return f"{outcome.kind}: {outcome}"
    return outcome.summary()


def _settings() -> settings:
    """Short and repeatable by default; the soak (ECAS_SOAK_EXAMPLES) draws fresh runs."""
    examples = SOAK or os.environ.get("ECAS_CONVERGENCE_EXAMPLES", "20")
    return settings(
        max_examples=int(examples),
        stateful_step_count=int(os.environ.get("ECAS_SOAK_STEPS", "30")),
        deadline=None,
        derandomize=not SOAK,
        database=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        # No "explain" phase: it re-runs the failing case many times, seconds each.
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    )


def test_every_edit_converges_through_faults_and_crashes(
    convergence_server: LiveServer, fault_proxy: FaultProxy, tmp_path: Path
) -> None:
    world = World(convergence_server, fault_proxy, tmp_path)
    machine = type("Convergence", (ConvergenceMachine,), {"world": world})
    try:
        run_state_machine_as_test(machine, settings=_settings())
    finally:
        world.ledger.close()


# --- the defect the machine found first, as one scripted story ----------------------------


def test_an_edit_made_while_the_answer_is_lost_reaches_the_server(
    convergence_server: LiveServer, fault_proxy: FaultProxy, tmp_path: Path
) -> None:
    """The clerk moves a hearing; the push commits but its answer is lost on the way back.
    Before the next sync the clerk moves the same hearing again. That second move must be
    what the server ends up with, and what the clerk's copy shows."""
    clerk = Desk("clerk1", "clerk1", tmp_path, fault_proxy.url)
    assert isinstance(clerk.sync(), SyncReport)
    record_id = sorted(
        h["id"] for h in clerk.store.all("hearing") if _court_of(clerk, h) == court_id("SFR")
    )[0]
    hearing = Hearing.model_validate(clerk.store.get("hearing", record_id))
    first_slot, second_slot = FIRST_SLOT, FIRST_SLOT + timedelta(days=1)

    clerk.save(reschedule(hearing, first_slot))
    fault_proxy.script(Fault.DROP_ANSWER, path_prefix=PUSH)
    lost = clerk.sync()
    assert isinstance(lost, ApiError) and lost.kind == "offline"
    assert fault_proxy.scripted_left() == 0  # the push reached the server; its answer didn't

    moved = Hearing.model_validate(clerk.store.get("hearing", record_id))
    clerk.save(reschedule(moved, second_slot))
    for _ in range(2):
        assert isinstance(clerk.sync(), SyncReport)

    on_server = Inspector(convergence_server.url).pull("clerk1")[("hearing", record_id)]
    assert Hearing.model_validate_json(on_server).starts_at == second_slot
    assert clerk.copy()[("hearing", record_id)] == on_server
    assert clerk.store.pending_count() == 0 and not clerk.store.issues()
    clerk.close()


def _judge_id(desk: Desk) -> str:
    user = next(u for u in desk.store.all("user_profile") if u["username"] == desk.username)
    return str(user["id"])


def _court_of(desk: Desk, hearing: dict[str, Any]) -> str | None:
    case = desk.store.get("case", str(hearing["case_id"]))
    return None if case is None else str(case["court_id"])
