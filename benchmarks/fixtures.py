"""A large, deterministic court system for the sync benchmark, loaded in bulk.

Reference data and accounts go through the server's own code (``write_record``,
``create_user``). Cases, hearings and documents -- hundreds of thousands of rows -- are
built as real wire records (``common.wire``), placed with ``placement_of`` and encoded with
``encode_payload``, then inserted with SQLAlchemy Core executemany into their typed tables
and ``sync_record``. Versions continue the server's sequence in write order (a case, then
its hearings, then its documents), and ``server_state.version`` is raised with every chunk,
so the invariant the pull relies on holds at every commit. :func:`verify_bulk_rows` checks
on a sample that the bulk rows are exactly what ``write_record`` would have written.

With ``proceedings`` (the default) each case also carries what issue 13 added to the
record, in plausible amounts: the pleading taken at a master hearing already held, the
decision of a decided case, a motion for about one case in five, the custody history of a
detained respondent, a bond case with its bond record for about one detained case in
eight, and a notice of appeal for about one decided case in twenty. Without it the data is
exactly what it was before, so the two can be compared.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from common.adjournment import load_adjournment_codes
from common.enums import (
    AppealFee,
    AppealStatus,
    BondDetermination,
    BondOutcome,
    CaseStatus,
    CaseType,
    CompletionType,
    Custody,
    CustodyEvent,
    DecisionForm,
    DocumentStatus,
    DocumentType,
    HearingStatus,
    HearingType,
    Medium,
    MotionRuling,
    MotionStatus,
    MotionType,
    Movant,
    OtherPartyPosition,
    Party,
    Plea,
    Role,
    TranscriptStatus,
)
from common.wire import (
    AdjournmentCodeRecord,
    AllegationPlea,
    Appeal,
    BoardDecision,
    Bond,
    Case,
    ChargePlea,
    Court,
    Courtroom,
    CustodyChange,
    DecisionRecord,
    Document,
    Hearing,
    Motion,
    Pleading,
    WireRecord,
)
from sync_server.db import Base, begin_write, write_transaction
from sync_server.demo.plan import CHARGES, PEOPLE
from sync_server.demo.plan import COURTS as DEMO_COURTS
from sync_server.models import SyncRecord
from sync_server.models.records import folded_respondent_name
from sync_server.models.types import utcnow
from sync_server.policy import BOARD_APPEAL_STATUSES, placement_of
from sync_server.services.auth import create_user
from sync_server.services.records import SessionLookups, encode_payload, write_record

NAMESPACE = uuid.UUID("0b5e1c7a-3f43-4a2e-9d0c-5be7c4f1e2a9")
PASSWORD = "bench-password-123"
TODAY = date(2026, 11, 27)
CHUNK_CASES = 2_000

# (code, name, address, city, state, time zone); the first is the judge's court.
COURTS = (
    *DEMO_COURTS,  # the demo data's three courts first, then fifteen more
    (
        "LOS",
        "Los Angeles Immigration Court",
        "606 S. Olive Street",
        "Los Angeles",
        "CA",
        "America/Los_Angeles",
    ),
    (
        "CHI",
        "Chicago Immigration Court",
        "525 W. Van Buren Street",
        "Chicago",
        "IL",
        "America/Chicago",
    ),
    ("MIA", "Miami Immigration Court", "333 S. Miami Avenue", "Miami", "FL", "America/New_York"),
    (
        "ATL",
        "Atlanta Immigration Court",
        "401 W. Peachtree Street",
        "Atlanta",
        "GA",
        "America/New_York",
    ),
    ("DAL", "Dallas Immigration Court", "1100 Commerce Street", "Dallas", "TX", "America/Chicago"),
    ("DEN", "Denver Immigration Court", "1961 Stout Street", "Denver", "CO", "America/Denver"),
    (
        "SEA",
        "Seattle Immigration Court",
        "1000 Second Avenue",
        "Seattle",
        "WA",
        "America/Los_Angeles",
    ),
    ("PHO", "Phoenix Immigration Court", "250 N. 7th Avenue", "Phoenix", "AZ", "America/Phoenix"),
    (
        "BOS",
        "Boston Immigration Court",
        "15 New Sudbury Street",
        "Boston",
        "MA",
        "America/New_York",
    ),
    ("NEW", "Newark Immigration Court", "970 Broad Street", "Newark", "NJ", "America/New_York"),
    (
        "ARL",
        "Arlington Immigration Court",
        "1901 S. Bell Street",
        "Arlington",
        "VA",
        "America/New_York",
    ),
    (
        "SND",
        "San Diego Immigration Court",
        "880 Front Street",
        "San Diego",
        "CA",
        "America/Los_Angeles",
    ),
    (
        "SLC",
        "Salt Lake City Immigration Court",
        "2975 S. Decker Lake Drive",
        "Salt Lake City",
        "UT",
        "America/Denver",
    ),
    ("ORL", "Orlando Immigration Court", "3535 Lawton Road", "Orlando", "FL", "America/New_York"),
    (
        "CLE",
        "Cleveland Immigration Court",
        "801 W. Superior Avenue",
        "Cleveland",
        "OH",
        "America/New_York",
    ),
)
ROOMS_PER_COURT = 4
BIG_COURT = 0
# Codes of resources/detention_facilities.json the custody histories use.
FACILITIES = ("MESA_VERDE", "GOLDEN_STATE_ANNEX", "ORANGE_COUNTY_NY", "ELIZABETH_CDF")
# The synced entities in the order a chunk inserts them: parents (the case) first.
ENTITIES = (
    "case",
    "hearing",
    "document",
    "pleading",
    "decision",
    "motion",
    "custody_change",
    "bond",
    "appeal",
)


def bench_id(*parts: object) -> str:
    """A stable UUID, so the same arguments make the same ids in every run."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def court_index_of_case(index: int) -> int:
    """6 % of the cases go to the judge's court, the rest round the 17 others (~5.5 % each);
    the big court's cases are spread over the whole feed, as they would be in real life."""
    return BIG_COURT if index % 50 < 3 else 1 + index % (len(COURTS) - 1)


def cases_at_big_court(cases: int) -> int:
    return sum(1 for i in range(cases) if court_index_of_case(i) == BIG_COURT)


@dataclass(frozen=True)
class BenchWorld:
    """What the benchmark needs to know about the data it loaded."""

    cases: int
    hearings: int
    documents: int
    big_court_id: str
    judge_username: str
    clerk_username: str
    password: str
    first_bulk_version: int
    last_version: int
    big_court_counts: dict[str, int] = field(default_factory=dict)
    sample: list[WireRecord] = field(default_factory=list)


class MemoryLookups:
    """:class:`sync_server.policy.Lookups` answered from the generator's own memory."""

    def __init__(self) -> None:
        self.case_courts: dict[str, str] = {}
        self.case_judges: dict[str, str | None] = {}

    def case_court(self, case_id: str) -> str | None:
        return self.case_courts.get(case_id)

    def case_judge(self, case_id: str) -> str | None:
        return self.case_judges.get(case_id)

    def document_case(self, document_id: str) -> str | None:
        return None  # no annotations are generated

    def practitioner_case_ids(self, user_id: str) -> Collection[str]:
        return ()

    def board_case_ids(self) -> Collection[str]:
        return ()  # placement never asks; the benchmark reads as a judge, not the Board

    def board_decisions(self, case_id: str) -> Collection[BoardDecision]:
        return ()  # no Board decisions are generated

    def filing_at_board(self, filing_id: str) -> bool:
        return False  # no filings are reviewed

    def respondent_case_ids(self, user_id: str) -> Collection[str]:
        return ()  # no respondent reads

    def case_represented(self, case_id: str) -> bool:
        return False

    def case_flags(self, case_id: str) -> Collection[str]:
        return ()  # no case is marked confidential


# --- the plan of one case ------------------------------------------------------------------


class CaseFactory:
    """Builds case ``index`` with its hearings and documents as validated wire records."""

    def __init__(self, judge_ids: list[str], *, proceedings: bool = True) -> None:
        self.judge_ids = judge_ids
        self.court_ids = [bench_id("court", c[0]) for c in COURTS]
        self.proceedings = proceedings

    def records(self, index: int) -> list[WireRecord]:
        rng = random.Random(index)  # per case, so any case can be rebuilt alone
        court = court_index_of_case(index)
        court_id = self.court_ids[court]
        nationality, language, firsts, lasts = rng.choice(PEOPLE)
        opened = TODAY - timedelta(days=rng.randint(30, 900))
        custody = rng.choices(list(Custody), weights=(2, 3, 5))[0]
        case = Case(
            id=bench_id("case", index),
            a_number=f"{200000000 + index:09d}",
            court_id=court_id,
            judge_id=self.judge_ids[court],
            case_type=CaseType.REMOVAL if index % 11 else CaseType.ASYLUM_ONLY,
            status=CaseStatus.PENDING if index % 17 else CaseStatus.DECIDED,
            custody=custody,
            respondent_first_name=rng.choice(firsts),
            respondent_last_name=rng.choice(lasts),
            nationality=nationality,
            language=language,
            date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randint(0, 40 * 365)),
            charges=rng.sample(CHARGES, k=rng.randint(1, 2)),
            nta_served_on=opened - timedelta(days=rng.randint(5, 60)),
            opened_on=opened,
        )
        decided = case.status is CaseStatus.DECIDED
        if self.proceedings and decided:
            case = case.model_copy(update={"decided_on": TODAY - timedelta(days=index % 25)})
        out: list[WireRecord] = [case]
        hearings = [
            self._hearing(rng, case, index, number, court)
            for number in range(1 + index % 2)  # 1.5 hearings a case
        ]
        out += hearings
        for number in range(2 + index % 3):  # 3 documents a case
            out.append(self._document(rng, case, index, number))
        if self.proceedings:
            out += self._proceedings(rng, case, index, hearings)
        return out

    def _proceedings(
        self, rng: random.Random, case: Case, index: int, hearings: list[Hearing]
    ) -> list[WireRecord]:
        """The records of issue 13 for one case (a separate generator, so the records of
        the case before them stay as they were)."""
        rng = random.Random(f"proceedings/{index}")
        judge = case.judge_id or self.judge_ids[0]
        master = hearings[0]
        decided = case.status is CaseStatus.DECIDED
        out: list[WireRecord] = []
        if decided or master.status is HearingStatus.COMPLETED:
            out.append(self._pleading(rng, case, index, master, judge))
        if decided:
            decision = self._decision(rng, case, index, hearings[-1], judge)
            out.append(decision)
            if index % 20 == 0:  # ~1 decided case in 20 is appealed
                out.append(self._appeal(rng, case, index, decision))
        if index % 5 == 2:  # ~1 case in 5 has a motion
            out.append(self._motion(rng, case, index, judge))
        if case.custody is not Custody.NEVER_DETAINED:
            out += self._custody_history(rng, case, index)
        if case.custody is Custody.DETAINED and index % 8 == 3:  # ~1 detained in 8
            out += self._bond_case(rng, case, index, judge)
        return out

    def _pleading(
        self, rng: random.Random, case: Case, index: int, master: Hearing, judge: str
    ) -> Pleading:
        contested = rng.random() < 0.3
        allegations = (
            "You are not a citizen or national of the United States",
            f"You are a native of {case.nationality} and a citizen of {case.nationality}",
            "You arrived in the United States at or near an unknown place",
            "You were not then admitted or paroled after inspection by an Immigration Officer",
        )
        pleaded_on = min(master.starts_at.date(), TODAY)
        return Pleading(
            id=bench_id("pleading", index),
            case_id=case.id,
            hearing_id=master.id,
            judge_id=judge,
            pleaded_on=pleaded_on,
            allegations=[
                AllegationPlea(
                    number=n,
                    text=text_,
                    plea=Plea.DENIED if contested and n == 3 else Plea.ADMITTED,
                )
                for n, text_ in enumerate(allegations, start=1)
            ],
            charges=[
                ChargePlea(charge=c, plea=Plea.DENIED if contested else Plea.ADMITTED)
                for c in case.charges
            ],
            designated_country=None if index % 9 == 0 else case.nationality,
            designation_declined=index % 9 == 0,
            relief_sought=rng.choice(
                (["asylum", "withholding", "cat_withholding"], ["voluntary_departure"], [])
            ),
            recorded_at=datetime.combine(pleaded_on, time(22, 0), tzinfo=UTC),
        )

    def _decision(
        self, rng: random.Random, case: Case, index: int, hearing: Hearing, judge: str
    ) -> DecisionRecord:
        completion = rng.choices(
            (
                CompletionType.REMOVAL_ORDERED,
                CompletionType.RELIEF_GRANTED,
                CompletionType.VOLUNTARY_DEPARTURE,
                CompletionType.TERMINATED,
            ),
            weights=(5, 2, 2, 1),
        )[0]
        decided_on = case.decided_on or TODAY
        removal = completion in (CompletionType.REMOVAL_ORDERED, CompletionType.VOLUNTARY_DEPARTURE)
        granted = {
            CompletionType.RELIEF_GRANTED: ["asylum"],
            CompletionType.VOLUNTARY_DEPARTURE: ["voluntary_departure"],
        }.get(completion, [])
        return DecisionRecord(
            id=bench_id("decision", index),
            case_id=case.id,
            hearing_id=hearing.id,
            judge_id=judge,
            form=DecisionForm.ORAL if index % 4 else DecisionForm.WRITTEN,
            decided_on=decided_on,
            served_on=None if index % 4 else decided_on,
            completion=completion,
            relief_granted=granted,
            removal_country=case.nationality if removal else None,
            respondent_present=True,
            appeal_reserved_by=[Party.RESPONDENT] if removal else [],
            appeal_waived_by=[] if removal else [Party.RESPONDENT],
            recorded_at=datetime.combine(decided_on, time(23, 0), tzinfo=UTC),
        )

    def _appeal(
        self, rng: random.Random, case: Case, index: int, decision: DecisionRecord
    ) -> Appeal:
        received = datetime.combine(
            decision.decided_on + timedelta(days=rng.randint(5, 29)), time(17, 0), tzinfo=UTC
        )
        docketed = index % 40 == 0
        return Appeal(
            id=bench_id("appeal", index),
            case_id=case.id,
            filer_id=bench_id("user", "practitioner", index),
            appellant=Party.RESPONDENT,
            status=AppealStatus.DOCKETED if docketed else AppealStatus.FILED,
            decision_date=decision.decided_on,
            reasons=(
                "The immigration judge erred in finding that the respondent did not establish "
                "a nexus to a protected ground, and in the adverse credibility finding, which "
                "rests on minor inconsistencies that do not go to the heart of the claim."
            ),
            separate_brief=True,
            detained=case.custody is Custody.DETAINED,
            fee=AppealFee.PAID,
            fee_receipt=f"EOIR{100000 + index}",
            proof_of_service=True,
            signed_by_name="Counsel for the respondent",
            received_at=received,
            reviewed_at=received + timedelta(days=3) if docketed else None,
            docketed_on=received.date() + timedelta(days=3) if docketed else None,
            transcript_status=TranscriptStatus.ORDERED
            if docketed
            else TranscriptStatus.NOT_ORDERED,
        )

    def _motion(self, rng: random.Random, case: Case, index: int, judge: str) -> Motion:
        kind = rng.choices(
            (MotionType.CONTINUANCE, MotionType.CHANGE_OF_VENUE, MotionType.APPEAR_REMOTELY),
            weights=(6, 1, 2),
        )[0]
        filed_on = case.opened_on + timedelta(days=rng.randint(10, 60))
        ruled = rng.random() < 0.7
        return Motion(
            id=bench_id("motion", index),
            case_id=case.id,
            motion_type=kind,
            movant=Movant.RESPONDENT if index % 3 else Movant.DHS,
            filed_on=filed_on,
            filer_id=bench_id("user", "clerk", COURTS[court_index_of_case(index)][0]),
            other_party_position=OtherPartyPosition.DOES_NOT_OPPOSE,
            status=MotionStatus.GRANTED if ruled else MotionStatus.PENDING,
            ruling=MotionRuling.GRANTED_UNOPPOSED if ruled else None,
            ruled_on=filed_on + timedelta(days=7) if ruled else None,
            ruled_by=judge if ruled else None,
        )

    def _custody_history(self, rng: random.Random, case: Case, index: int) -> list[WireRecord]:
        """Detained at a facility; a transfer for some; released for a released respondent."""
        day = case.opened_on - timedelta(days=rng.randint(1, 20))
        facility = rng.choice(FACILITIES)
        entries: list[tuple[CustodyEvent, str | None, date]] = [
            (CustodyEvent.DETAINED, facility, day)
        ]
        if index % 4 == 1:
            day += timedelta(days=rng.randint(3, 40))
            entries.append((CustodyEvent.TRANSFERRED, rng.choice(FACILITIES), day))
        if case.custody is Custody.RELEASED:
            day += timedelta(days=rng.randint(5, 60))
            entries.append((CustodyEvent.RELEASED, None, day))
        return [
            CustodyChange(
                id=bench_id("custody_change", index, n),
                case_id=case.id,
                event=event,
                facility_code=code,
                effective_on=on,
                recorded_at=datetime.combine(on, time(18, 0), tzinfo=UTC),
            )
            for n, (event, code, on) in enumerate(entries)
        ]

    def _bond_case(
        self, rng: random.Random, case: Case, index: int, judge: str
    ) -> list[WireRecord]:
        """A bond case of its own (8 CFR 1003.19(d)) linked to the removal case, and its
        redetermination, decided for most."""
        bond_case = case.model_copy(
            update={
                "id": bench_id("bond-case", index),
                "a_number": case.a_number,
                "case_type": CaseType.BOND,
                "status": CaseStatus.PENDING,
                "charges": [],
                "nta_served_on": None,
                "decided_on": None,
                "removal_case_id": case.id,
            }
        )
        requested = case.opened_on + timedelta(days=rng.randint(1, 10))
        decided = index % 16 != 11
        return [
            bond_case,
            Bond(
                id=bench_id("bond", index),
                case_id=bond_case.id,
                dhs_determination=BondDetermination.AMOUNT,
                dhs_amount=rng.choice((10_000, 15_000, 25_000)),
                requested_on=requested,
                requested_by=Party.PRACTITIONER,
                requested_amount=rng.choice((1_500, 3_000, 5_000)),
                outcome=BondOutcome.LOWERED if decided else None,
                amount=rng.choice((5_000, 7_500)) if decided else None,
                decided_on=requested + timedelta(days=7) if decided else None,
                judge_id=judge if decided else None,
            ),
        ]

    def _hearing(
        self, rng: random.Random, case: Case, index: int, number: int, court: int
    ) -> Hearing:
        day = TODAY + timedelta(days=rng.randint(-60, 90))
        kind = HearingType.INDIVIDUAL if number == 1 else HearingType.MASTER
        starts = datetime.combine(
            day, time(14 + rng.randint(0, 7), rng.choice((0, 30))), tzinfo=UTC
        )
        return Hearing(
            id=bench_id("hearing", index, number),
            case_id=case.id,
            courtroom_id=bench_id("courtroom", COURTS[court][0], rng.randint(1, ROOMS_PER_COURT)),
            judge_id=case.judge_id,
            hearing_type=kind,
            medium=Medium.VIDEO if case.custody is Custody.DETAINED else Medium.IN_PERSON,
            starts_at=starts,
            duration_minutes=180 if kind is HearingType.INDIVIDUAL else 30,
            status=HearingStatus.COMPLETED if day < TODAY else HearingStatus.SCHEDULED,
            interpreter_language=case.language,
        )

    def _document(self, rng: random.Random, case: Case, index: int, number: int) -> Document:
        kinds = (
            (DocumentType.NOTICE_TO_APPEAR, "Notice to Appear", Party.DHS),
            (DocumentType.HEARING_NOTICE, "Notice of master hearing", Party.COURT),
            (DocumentType.APPLICATION_I589, "Form I-589, Application for Asylum", Party.RESPONDENT),
            (DocumentType.EVIDENCE, "Evidence packet (Exhibits A-F)", Party.RESPONDENT),
        )
        doc_type, title, party = kinds[number]
        pages = rng.randint(2, 40)
        return Document(
            id=bench_id("document", index, number),
            case_id=case.id,
            doc_type=doc_type,
            title=title,
            filer_party=party,
            filed_on=case.opened_on + timedelta(days=number * 20),
            pages=pages,
            sha256=hashlib.sha256(f"bench/{index}/{number}".encode()).hexdigest(),
            size=pages * 41_000 + rng.randint(0, 40_000),
            status=DocumentStatus.PENDING
            if index % 20 == 0 and number == 3
            else DocumentStatus.ACCEPTED,
        )


# --- rows ----------------------------------------------------------------------------------


def typed_row(record: WireRecord, version: int, now: datetime) -> dict[str, Any]:
    """The typed-table row ``write_record`` makes of ``record``."""
    row = {**record.model_dump(), "version": version, "deleted": False, "updated_at": now}
    if isinstance(record, Case):  # the portal's search key, as the ORM's listener sets it
        row["respondent_name_folded"] = folded_respondent_name(
            record.respondent_last_name, record.respondent_first_name
        )
    return row


def feed_row(
    record: WireRecord, version: int, lookups: MemoryLookups, board_cases: Collection[str] = ()
) -> dict[str, Any]:
    """The ``sync_record`` row ``write_record`` publishes for ``record`` (``board_cases``:
    the cases with an appeal before the Board, whose rows carry the ``at_board`` mark)."""
    placement = placement_of(record, lookups)
    return {
        "at_board": placement.case_id is not None and placement.case_id in board_cases,
        "entity": record.entity,
        "record_id": record.id,
        "version": version,
        "deleted": False,
        "court_id": placement.court_id,
        "case_id": placement.case_id,
        "owner_id": placement.owner_id,
        "audience": placement.audience.value,
        "payload": encode_payload(record),
    }


# --- loading -------------------------------------------------------------------------------


def _reference_records() -> list[WireRecord]:
    records: list[WireRecord] = []
    for code, name, address, city, state, zone in COURTS:
        court_id = bench_id("court", code)
        records.append(
            Court(
                id=court_id,
                code=code,
                name=name,
                address=address,
                city=city,
                state=state,
                timezone=zone,
            )
        )
        records += [
            Courtroom(
                id=bench_id("courtroom", code, room),
                court_id=court_id,
                name=f"Courtroom {room}",
                video_capable=room % 2 == 0,
            )
            for room in range(1, ROOMS_PER_COURT + 1)
        ]
    records += [
        AdjournmentCodeRecord(
            id=bench_id("adjournment", c.code),
            code=c.code,
            description=c.description,
            clock_effect=c.clock_effect,
        )
        for c in load_adjournment_codes().values()
    ]
    return records


def _load_reference_and_users(factory: sessionmaker[Session]) -> tuple[list[str], int]:
    """Courts, courtrooms, adjournment codes and accounts, through the server's code.
    Returns the judge id of every court and the version reached."""
    judge_ids = [bench_id("user", "judge", c[0]) for c in COURTS]
    big = COURTS[BIG_COURT][0]
    with write_transaction(factory) as session:
        lookups = SessionLookups(session)
        for record in _reference_records():
            write_record(session, record, lookups=lookups)
        for (code, *_), judge_id in zip(COURTS, judge_ids, strict=True):
            create_user(
                session,
                username=f"judge-{code.lower()}",
                password=PASSWORD,
                role=Role.JUDGE,
                display_name=f"Immigration Judge {code}",
                court_id=bench_id("court", code),
                user_id=judge_id,
            )
        create_user(
            session,
            username=f"clerk-{big.lower()}",
            password=PASSWORD,
            role=Role.CLERK,
            display_name=f"Clerk {big}",
            court_id=bench_id("court", big),
            user_id=bench_id("user", "clerk", big),
        )
    # read once committed: on PostgreSQL the committed top is raised at the commit (db.py)
    with factory() as session:
        version = int(
            session.execute(text("SELECT version FROM server_state WHERE id = 1")).scalar_one()
        )
    return judge_ids, version


def _chunks(cases: int) -> Iterator[range]:
    for start in range(0, cases, CHUNK_CASES):
        yield range(start, min(cases, start + CHUNK_CASES))


def load_world(
    factory: sessionmaker[Session],
    cases: int,
    progress: Callable[[int, int], None] = lambda done, total: None,
    *,
    proceedings: bool = True,
) -> BenchWorld:
    """Fill a migrated, empty database with ``cases`` cases and everything around them
    (with ``proceedings``, also the records of issue 13: see the module's docstring)."""
    judge_ids, version = _load_reference_and_users(factory)
    first = version + 1
    maker = CaseFactory(judge_ids, proceedings=proceedings)
    lookups = MemoryLookups()
    big_court_id = bench_id("court", COURTS[BIG_COURT][0])
    counts = dict.fromkeys(ENTITIES, 0)
    big_counts = dict.fromkeys(ENTITIES, 0)
    sampled = dict.fromkeys(ENTITIES, 0)
    sample: list[WireRecord] = []
    now = utcnow()
    for chunk in _chunks(cases):
        typed: dict[str, list[dict[str, Any]]] = {entity: [] for entity in ENTITIES}
        feed: list[dict[str, Any]] = []
        for index in chunk:
            records = maker.records(index)
            case = records[0]
            assert isinstance(case, Case)
            before_board = {
                r.case_id
                for r in records
                if isinstance(r, Appeal) and r.status.value in BOARD_APPEAL_STATUSES
            }
            for record in records:
                if isinstance(record, Case):  # the case, or its bond case
                    lookups.case_courts[record.id] = record.court_id
                    lookups.case_judges[record.id] = record.judge_id
                version += 1
                typed[record.entity].append(typed_row(record, version, now))
                feed.append(feed_row(record, version, lookups, before_board))
                counts[record.entity] += 1
                if case.court_id == big_court_id:
                    big_counts[record.entity] += 1
            if index % 4999 == 0 or index == cases - 1:
                sample += records
            else:  # and the first few of every entity, so each kind is checked
                sample += [r for r in records if sampled[r.entity] < 5]
            for record in records:
                sampled[record.entity] += 1
        with write_transaction(factory) as session:
            for entity in ENTITIES:  # parents first
                if typed[entity]:
                    session.execute(insert(Base.metadata.tables[entity]), typed[entity])
            session.execute(insert(Base.metadata.tables["sync_record"]), feed)
            session.execute(
                text("UPDATE server_state SET version = :v WHERE id = 1"), {"v": version}
            )
        progress(chunk.stop, cases)
    return BenchWorld(
        cases=counts["case"],
        hearings=counts["hearing"],
        documents=counts["document"],
        big_court_id=big_court_id,
        judge_username=f"judge-{COURTS[BIG_COURT][0].lower()}",
        clerk_username=f"clerk-{COURTS[BIG_COURT][0].lower()}",
        password=PASSWORD,
        first_bulk_version=first,
        last_version=version,
        big_court_counts=big_counts,
        sample=sample,
    )


# --- the bulk rows are the real thing ------------------------------------------------------


def _snapshot(session: Session, record: WireRecord) -> tuple[dict[str, Any], dict[str, Any]]:
    table = Base.metadata.tables[record.entity]
    typed = session.execute(select(table).where(table.c.id == record.id)).mappings().one()
    feed_table = SyncRecord.__table__
    feed = (
        session.execute(
            select(feed_table).where(
                feed_table.c.entity == record.entity, feed_table.c.record_id == record.id
            )
        )
        .mappings()
        .one()
    )
    skip = {"version", "updated_at"}
    return (
        {k: v for k, v in typed.items() if k not in skip},
        {k: v for k, v in feed.items() if k not in skip},
    )


def verify_bulk_rows(factory: sessionmaker[Session], sample: list[WireRecord]) -> int:
    """Rewrite each sampled record with ``write_record`` in a transaction that is rolled
    back, and assert its typed row and feed entry (payload, placement) are unchanged but
    for version and timestamp. Returns how many records were checked."""
    session = factory()
    transaction = session.begin()
    try:
        begin_write(session)
        lookups = SessionLookups(session)
        for record in sample:
            before = _snapshot(session, record)
            write_record(session, record, lookups=lookups)
            session.flush()
            after = _snapshot(session, record)
            assert before == after, (
                f"bulk {record.entity} {record.id} differs from write_record's:\n"
                f"  bulk:         {before}\n  write_record: {after}"
            )
    finally:
        transaction.rollback()
        session.close()
    return len(sample)
