"""The demo data as a plan: courts, people and cases with their hearings, documents,
appearances and filings, as wire records, plus the list of PDFs to render. Deterministic:
the same arguments give the same records and ids. ``seed.py`` renders and writes it."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from common.adjournment import load_adjournment_codes
from common.appeals import BOARD_CODE, BOARD_TIMEZONE, board_facts
from common.court_time import local_date
from common.custody import facility_address
from common.enums import (
    AddressKind,
    AppealFee,
    AppearanceScope,
    BondDetermination,
    BondOutcome,
    CaseStatus,
    CaseType,
    CompletionType,
    CourtKind,
    Custody,
    CustodyEvent,
    DocumentStatus,
    DocumentType,
    FilingKind,
    FilingStatus,
    HearingStatus,
    HearingType,
    Medium,
    MotionType,
    Movant,
    OtherPartyPosition,
    Party,
    RepresentationStatus,
    Role,
)
from common.wire import (
    Address,
    AdjournmentCodeRecord,
    Appeal,
    Bond,
    Case,
    Court,
    Courtroom,
    CustodyChange,
    DecisionRecord,
    Document,
    Filing,
    Hearing,
    Motion,
    Representation,
    WireRecord,
)

NAMESPACE = uuid.UUID("6f1c2b1e-6d0e-4c4e-9a57-1d2c3e4f5a6b")

COURTS = (
    (
        "SFR",
        "San Francisco Immigration Court",
        "630 Sansome Street",
        "San Francisco",
        "CA",
        "America/Los_Angeles",
    ),
    (
        "NYB",
        "New York - Broadway Immigration Court",
        "290 Broadway",
        "New York",
        "NY",
        "America/New_York",
    ),
    (
        "HOU",
        "Houston Immigration Court",
        "600 Jefferson Street",
        "Houston",
        "TX",
        "America/Chicago",
    ),
)

# (nationality, language, first names, last names)
PEOPLE = (
    ("Guatemala", "Spanish", ("María", "José", "Ana", "Luis"), ("López", "Pérez", "Xol")),
    ("Guatemala", "K'iche'", ("Tomás", "Juana", "Diego"), ("Tzoc", "Ajanel", "Chávez")),
    ("Honduras", "Spanish", ("Carlos", "Daniela", "Jorge"), ("Martínez", "Cruz", "Reyes")),
    ("El Salvador", "Spanish", ("Rosa", "Miguel", "Karla"), ("Hernández", "Flores")),
    ("Mexico", "Spanish", ("Alejandro", "Guadalupe", "Fernanda"), ("García", "Ramírez")),
    ("Venezuela", "Spanish", ("Andrés", "Valentina", "Gabriel"), ("Rodríguez", "Suárez")),
    ("India", "Punjabi", ("Harpreet", "Gurpreet", "Manjit"), ("Singh", "Kaur", "Gill")),
    ("China", "Mandarin", ("Wei", "Li Na", "Jun"), ("Zhang", "Chen", "Liu")),
    ("Haiti", "Haitian Creole", ("Jean", "Marie", "Wislande"), ("Joseph", "Pierre")),
    ("Afghanistan", "Dari", ("Ahmad", "Farida", "Mohammad"), ("Rahimi", "Karimi")),
    ("Russia", "Russian", ("Dmitri", "Olga", "Sergei"), ("Ivanov", "Smirnova")),
    ("Mauritania", "Pulaar", ("Amadou", "Aissata", "Oumar"), ("Ba", "Sow", "Diallo")),
    ("Eritrea", "Tigrinya", ("Yonas", "Helen", "Samuel"), ("Tesfay", "Gebremedhin")),
    ("Brazil", "Portuguese", ("João", "Ana Paula", "Thiago"), ("Silva", "Souza")),
    ("Ecuador", "Spanish", ("Segundo", "Blanca", "Wilson"), ("Quishpe", "Guamán")),
    ("Colombia", "Spanish", ("Camilo", "Paola", "Andrés"), ("Gómez", "Moreno")),
    ("Cameroon", "French", ("Emmanuel", "Brigitte", "Paul"), ("Nkemelu", "Fotso")),
    ("Ukraine", "Ukrainian", ("Oleksandr", "Iryna", "Taras"), ("Shevchenko", "Kovalenko")),
)

# Made-up street addresses near each court, for the respondents' address histories (no real
# person's address); detained respondents are held at real ICE facilities near the court
# (resources/detention_facilities.json), the second one after a transfer.
STREETS = {
    "SFR": (("Oakland", "CA", "946"), ("Daly City", "CA", "940"), ("San Jose", "CA", "951")),
    "NYB": (("Bronx", "NY", "104"), ("Queens", "NY", "113"), ("Newark", "NJ", "071")),
    "HOU": (("Houston", "TX", "770"), ("Pasadena", "TX", "775"), ("Katy", "TX", "774")),
}
STREET_NAMES = ("Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Hawthorn", "Juniper")
FACILITIES = {
    "SFR": ("MESA_VERDE", "GOLDEN_STATE_ANNEX"),
    "NYB": ("ORANGE_COUNTY_NY", "ELIZABETH_CDF"),
    "HOU": ("MONTGOMERY_PC", "JOE_CORLEY_PC"),
}

CHARGES = (
    "212(a)(6)(A)(i)",
    "212(a)(7)(A)(i)(I)",
    "237(a)(1)(B)",
    "237(a)(1)(C)(i)",
    "237(a)(2)(A)(iii)",
)


# The seed writes these first (courts, their courtrooms, the Board), before the users.
FIRST_RECORDS = len(COURTS) * 5 + 1


def demo_id(*parts: object) -> str:
    """A stable UUID for a demo record, so repeated seeds make the same ids."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


@dataclass
class DemoPlan:
    """Everything the seed will write, built before any PDF is rendered."""

    records: list[WireRecord] = field(default_factory=list)
    pdf_jobs: list[tuple[str, tuple[object, ...]]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)


def _users(court_ids: list[str]) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = []
    judges = ("Alvarez", "Brennan", "Chu", "Dlamini", "Eriksen", "Farouk")
    for number, name in enumerate(judges, 1):
        people.append(
            dict(
                username=f"judge{number}",
                role=Role.JUDGE,
                court_id=court_ids[(number - 1) // 2],
                display_name=f"Immigration Judge {name}",
            )
        )
    clerks = ("Garcia", "Hughes", "Ito", "Jones")
    clerk_courts = (court_ids[0], court_ids[0], court_ids[1], court_ids[2])
    for number, (name, court) in enumerate(zip(clerks, clerk_courts, strict=True), 1):
        people.append(
            dict(
                username=f"clerk{number}",
                role=Role.CLERK,
                court_id=court,
                display_name=f"Clerk {name}",
            )
        )
    for number, court in enumerate(court_ids, 1):
        people.append(
            dict(
                username=f"admin{number}",
                role=Role.COURT_ADMIN,
                court_id=court,
                display_name=f"Court Administrator {number}",
            )
        )
    # The Board of Immigration Appeals (Falls Church): its clerk and three members, the
    # third a temporary member (8 CFR 1003.1(a)(4)).
    board = demo_id("court", BOARD_CODE)
    people.append(
        dict(
            username="board_clerk1",
            role=Role.BOARD_CLERK,
            court_id=board,
            display_name="Board Clerk Morgan Lee",
        )
    )
    for number, name in enumerate(("Nakamura", "Osei", "Petrov"), 1):
        people.append(
            dict(
                username=f"board_member{number}",
                role=Role.BOARD_MEMBER,
                court_id=board,
                display_name=f"Board Member {name}",
                temporary=number == 3,
            )
        )
    people += [
        dict(username="eoir1", role=Role.EOIR_STAFF, display_name="EOIR Analyst Kim"),
        dict(
            username="attorney1",
            role=Role.ATTORNEY,
            display_name="Attorney Laura Mendez",
            eoir_id="EOIR-A1001",
        ),
        dict(
            username="attorney2",
            role=Role.ATTORNEY,
            display_name="Attorney Sam Okafor",
            eoir_id="EOIR-A1002",
        ),
        # Counsel in the custody and bond proceedings only (EOIR-28 scope), in the demo's
        # bond cases.
        dict(
            username="attorney3",
            role=Role.ATTORNEY,
            display_name="Attorney Ines Duarte",
            eoir_id="EOIR-A1003",
        ),
        dict(
            username="rep1",
            role=Role.ACCREDITED_REP,
            display_name="Accredited Rep. Nora Haddad",
            eoir_id="EOIR-R2001",
        ),
        dict(
            username="dhs1",
            role=Role.DHS,
            display_name="DHS Attorney Pat Quinn",
            assigned_court_ids=court_ids[:2],
        ),
        dict(
            username="dhs2",
            role=Role.DHS,
            display_name="DHS Attorney Robin Vance",
            assigned_court_ids=court_ids[2:],
        ),
    ]
    for person in people:
        person["user_id"] = demo_id("user", person["username"])
    return people


def _business_days(start: date, count: int) -> list[date]:
    days: list[date] = []
    day = start
    while len(days) < count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


class DemoPlanner:
    def __init__(self, cases: int, today: date) -> None:
        self.rng = random.Random(20261127)
        self.cases = cases
        self.today = today
        self.plan = DemoPlan()
        self.court_ids = [demo_id("court", c[0]) for c in COURTS]
        self.plan.users = _users(self.court_ids)
        self.judges = {
            c: [
                str(u["user_id"])
                for u in self.plan.users
                if u["role"] is Role.JUDGE and u["court_id"] == c
            ]
            for c in self.court_ids
        }
        self.hearing_days = _business_days(today - timedelta(days=3), 25)

    def build(self) -> DemoPlan:
        for code, name, address, city, state, zone in COURTS:
            court_id = demo_id("court", code)
            self.plan.records.append(
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
            for room in range(1, 5):
                self.plan.records.append(
                    Courtroom(
                        id=demo_id("courtroom", code, room),
                        court_id=court_id,
                        name=f"Courtroom {room}",
                        video_capable=room % 2 == 0,
                    )
                )
        board = board_facts()
        self.plan.records.append(
            Court(
                id=demo_id("court", BOARD_CODE),
                code=BOARD_CODE,
                name=str(board["name"]),
                address=str(board["address"]),
                city=str(board["city"]),
                state=str(board["state"]),
                timezone=BOARD_TIMEZONE,
                kind=CourtKind.BOARD,
            )
        )
        self.plan.records += [
            AdjournmentCodeRecord(
                id=demo_id("adjournment", c.code),
                code=c.code,
                description=c.description,
                clock_effect=c.clock_effect,
            )
            for c in load_adjournment_codes().values()
        ]
        for index in range(self.cases):
            self._case(index)
        self._pending_appeal()
        self._family()
        self._counsel_history()
        self._detained()
        return self.plan

    def _pending_appeal(self) -> None:
        """One decided case with a notice of appeal waiting at the Board's intake, received
        12 days after the decision: filed by counsel of record with a fee-waiver request
        (EOIR-26A), or, in a small demo without such a case, by DHS (dhs1's courts)."""
        accepted = {
            r.case_id: r
            for r in self.plan.records
            if isinstance(r, Representation) and r.status is RepresentationStatus.ACCEPTED
        }
        decided = [
            (position, record)
            for position, record in enumerate(self.plan.records)
            if isinstance(record, Case)
            and record.status is CaseStatus.DECIDED
            and record.case_type is not CaseType.BOND
            and record.court_id in self.court_ids[:2]
        ]
        chosen = next(((p, r) for p, r in decided if r.id in accepted), None)
        chosen = chosen or (decided[0] if decided else None)
        if chosen is None:
            return
        position, record = chosen
        counsel = accepted.get(record.id)
        decided_on = self.today - timedelta(days=14)
        self.plan.records[position] = record.model_copy(update={"decided_on": decided_on})
        received = datetime.combine(
            decided_on + timedelta(days=12), time(10, 30), tzinfo=ZoneInfo(BOARD_TIMEZONE)
        ).astimezone(UTC)
        self.plan.records.append(
            Appeal(
                id=demo_id("appeal", record.id),
                case_id=record.id,
                filer_id=counsel.practitioner_id if counsel else demo_id("user", "dhs1"),
                appellant=Party.RESPONDENT if counsel else Party.DHS,
                decision_date=decided_on,
                reasons=(
                    "The immigration judge erred in finding the respondent not credible on "
                    "the basis of minor inconsistencies, and in holding that the harm "
                    "suffered did not rise to the level of persecution."
                    if counsel
                    else "The immigration judge erred in granting relief: the respondent did "
                    "not show that the harm feared would be inflicted on account of a "
                    "protected ground."
                ),
                separate_brief=True,
                detained=record.custody is Custody.DETAINED,
                fee=AppealFee.WAIVER_REQUESTED if counsel else AppealFee.NOT_REQUIRED,
                proof_of_service=True,
                signed_by_name="/s/ counsel of record" if counsel else "/s/ DHS Attorney",
                received_at=received,
            )
        )

    def _extra_case(
        self, key: str, number: int, person: tuple[str, str, date], **fields: Any
    ) -> tuple[Case, tuple[object, ...]]:
        """A hand-made case at the first court, judge1's, opened by its NTA (rendered like
        the others'), with the NTA's street address. No random draw, so the numbered cases
        stay as they were."""
        first, last, born = person
        a_number = f"{310000000 + number:09d}"
        opened = self.today - timedelta(days=120)
        case = Case(
            id=demo_id("case", key),
            a_number=a_number,
            court_id=self.court_ids[0],
            judge_id=demo_id("user", "judge1"),
            case_type=CaseType.REMOVAL,
            respondent_first_name=first,
            respondent_last_name=last,
            date_of_birth=born,
            charges=["212(a)(6)(A)(i)"],
            nta_served_on=opened - timedelta(days=21),
            opened_on=opened,
            **{
                "status": CaseStatus.PENDING,
                "custody": Custody.NEVER_DETAINED,
                "nationality": "Honduras",
                "language": "Spanish",
                **fields,
            },
        )
        self.plan.records.append(case)
        respondent = (first, last, a_number, case.nationality, case.language, born)
        self._document(
            case,
            DocumentType.NOTICE_TO_APPEAR,
            "Notice to Appear",
            Party.DHS,
            (
                "nta",
                respondent,
                COURTS[0],
                case.nta_served_on,
                tuple(case.charges),
                90_000 + number,
            ),
            case.nta_served_on,
        )
        if case.custody is Custody.DETAINED:
            return case, respondent  # the custody history gives the address
        self.plan.records.append(
            Address(
                id=demo_id("address", key, 0),
                case_id=case.id,
                kind=AddressKind.NTA,
                street="418 Sequoia Street",
                unit="Apt 2",
                city="Oakland",
                state="CA",
                zip="94601",
                effective_on=case.nta_served_on or opened,
                recorded_at=datetime.combine(opened, time(17, 0), tzinfo=UTC),
            )
        )
        return case, respondent

    def _noticed(
        self,
        case: Case,
        respondent: tuple[object, ...],
        hearing: Hearing,
        room: int,
        seed: int,
        mailed_before: date,
    ) -> None:
        """``hearing`` of a hand-made case (judge1's, at the first court) and its notice of
        hearing, filed the day after ``mailed_before``."""
        self.plan.records.append(hearing)
        zone = ZoneInfo(COURTS[0][5])
        judge = next(str(u["display_name"]) for u in self.plan.users if u["username"] == "judge1")
        self._document(
            case,
            DocumentType.HEARING_NOTICE,
            f"Notice of {hearing.hearing_type.value} hearing",
            Party.COURT,
            (
                "notice",
                respondent,
                COURTS[0],
                hearing.starts_at.astimezone(zone),
                hearing.hearing_type.value,
                f"Courtroom {room}",
                judge,
                seed,
            ),
            mailed_before + timedelta(days=1),
        )

    def _family(self) -> None:
        """A mother and her two children at the first court: the lead case and two riders
        (``case.lead_case_id``), scheduled together for one master hearing with a Spanish
        interpreter a week or so after today, each with its own record."""
        people = (
            ("Daniela", "Cruz Reyes", date(1991, 3, 14)),
            ("Sofía", "Cruz Reyes", date(2015, 7, 2)),
            ("Mateo", "Cruz Reyes", date(2018, 11, 23)),
        )
        # The second week's first court day: ahead of today on the court's clock for the
        # days after a seed, and not on the week the docket tests find busiest.
        day = [d for d in self.hearing_days if d > self.today][5]
        starts = datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(COURTS[0][5]))
        lead_id = demo_id("case", "family/0")
        for number, person in enumerate(people):
            case, respondent = self._extra_case(
                f"family/{number}",
                1 + number,
                person,
                lead_case_id=lead_id if number else None,
            )
            hearing = Hearing(
                id=demo_id("hearing", "family", number),
                case_id=case.id,
                courtroom_id=demo_id("courtroom", COURTS[0][0], 1),
                judge_id=case.judge_id,
                hearing_type=HearingType.MASTER,
                medium=Medium.IN_PERSON,
                starts_at=starts.astimezone(UTC),
                interpreter_language="Spanish",
            )
            self._noticed(case, respondent, hearing, 1, 90_100 + number, case.opened_on)

    def _detained(self) -> None:
        """A detained respondent at the first court whatever the demo's size: detained at
        Mesa Verde when the NTA was served, transferred to the Golden State Annex a month
        ago (each entry giving the facility's address), with a video master hearing in
        about three weeks that needs a K'iche' interpreter by telephone."""
        case, respondent = self._extra_case(
            "detained",
            21,
            ("Tomás", "Tzoc Ajanel", date(1996, 8, 30)),
            custody=Custody.DETAINED,
            nationality="Guatemala",
            language="K'iche'",
        )
        served = case.nta_served_on or case.opened_on
        moved = self.today - timedelta(days=30)
        for move, (event, day) in enumerate(
            ((CustodyEvent.DETAINED, served), (CustodyEvent.TRANSFERRED, moved))
        ):
            change = CustodyChange(
                id=demo_id("custody", "detained", move),
                case_id=case.id,
                event=event,
                facility_code=FACILITIES["SFR"][move],
                effective_on=day,
                recorded_at=datetime.combine(day + timedelta(days=1), time(17, 0), tzinfo=UTC),
            )
            address = facility_address(change, change.recorded_at)
            assert address is not None
            self.plan.records.append(change)
            self.plan.records.append(
                address.model_copy(update={"id": demo_id("address", "detained", move)})
            )
        day = [d for d in self.hearing_days if d > self.today][12]
        starts = datetime.combine(day, time(13, 30), tzinfo=ZoneInfo(COURTS[0][5]))
        hearing = Hearing(
            id=demo_id("hearing", "detained", 0),
            case_id=case.id,
            courtroom_id=demo_id("courtroom", COURTS[0][0], 2),
            judge_id=case.judge_id,
            hearing_type=HearingType.MASTER,
            medium=Medium.VIDEO,
            starts_at=starts.astimezone(UTC),
            interpreter_language="K'iche'",
            interpreter_medium=Medium.TELEPHONE,
        )
        self._noticed(case, respondent, hearing, 2, 90_121, self.today - timedelta(days=3))

    def _counsel_history(self) -> None:
        """A case whose counsel changed twice, decided, with a motion to reopen pending:
        Attorney Okafor (attorney2) appeared and withdrew with the judge's leave; Attorney
        Duarte (attorney3) appeared and was substituted by Attorney Mendez (attorney1), who
        then moved to reopen the in-person removal order (8 CFR
        1003.23(b)(1): within 90 days). The motion waits in judge1's queue, DHS's position
        not yet known; its PDF is an accepted document of the case."""
        judge = demo_id("user", "judge1")
        decided_on = self.today - timedelta(days=40)
        case, respondent = self._extra_case(
            "counsel",
            11,
            ("Jorge", "Martínez Flores", date(1987, 5, 9)),
            status=CaseStatus.DECIDED,
            decided_on=decided_on,
        )
        withdrew = case.opened_on + timedelta(days=30)
        substituted = decided_on + timedelta(days=10)
        okafor, duarte, mendez = (
            demo_id("representation", "counsel", n) for n in ("attorney2", "attorney3", "attorney1")
        )

        def appearance(
            record_id: str, who: str, status: RepresentationStatus, accepted_on: date, **ended: Any
        ) -> Representation:
            return Representation(
                id=record_id,
                case_id=case.id,
                practitioner_id=demo_id("user", who),
                form=FilingKind.EOIR_28,
                scope=AppearanceScope.ALL_PROCEEDINGS,
                status=status,
                accepted_on=accepted_on,
                **ended,
            )

        self.plan.records += [
            appearance(
                okafor,
                "attorney2",
                RepresentationStatus.WITHDRAWN,
                case.opened_on + timedelta(days=5),
                ended_on=withdrew,
                leave_by=judge,
            ),
            appearance(mendez, "attorney1", RepresentationStatus.ACCEPTED, substituted),
            appearance(
                duarte,
                "attorney3",
                RepresentationStatus.SUBSTITUTED,
                withdrew + timedelta(days=14),
                ended_on=substituted,
                leave_by=judge,
                successor_id=mendez,
            ),
            DecisionRecord(
                id=demo_id("decision", "counsel"),
                case_id=case.id,
                judge_id=judge,
                decided_on=decided_on,
                completion=CompletionType.REMOVAL_ORDERED,
                removal_country="Honduras",
                respondent_present=True,
                appeal_waived_by=[Party.RESPONDENT, Party.DHS],
                recorded_at=datetime.combine(decided_on, time(20, 0), tzinfo=UTC),
            ),
        ]
        filed_on = self.today - timedelta(days=3)
        document_id = self._document(
            case,
            DocumentType.MOTION,
            "Motion to reopen",
            Party.PRACTITIONER,
            ("brief", respondent, "Respondent's Motion to Reopen", 90_200, 5),
            filed_on,
            filer_id=demo_id("user", "attorney1"),
        )
        self.plan.records.append(
            Motion(
                id=demo_id("motion", "counsel", "reopen"),
                case_id=case.id,
                motion_type=MotionType.REOPEN,
                movant=Movant.RESPONDENT,
                filed_on=filed_on,
                filer_id=demo_id("user", "attorney1"),
                document_id=document_id,
                other_party_position=OtherPartyPosition.UNKNOWN,
            )
        )

    def _court_for(self, index: int) -> int:
        # Most cases at the first court, so its judges and clerks have a full docket.
        return 0 if index % 5 < 3 else 1 + index % 2

    def _case(self, index: int) -> None:
        rng = self.rng
        court_index = self._court_for(index)
        court_id = self.court_ids[court_index]
        nationality, language, firsts, lasts = rng.choice(PEOPLE)
        a_number = f"{200000000 + index * 7919 % 99999999:09d}"
        case_id = demo_id("case", index)
        custody = rng.choices(list(Custody), weights=(2, 3, 5))[0]
        opened = self.today - timedelta(days=rng.randint(30, 900))
        charges = rng.sample(CHARGES, k=rng.randint(1, 2))
        case = Case(
            id=case_id,
            a_number=a_number,
            court_id=court_id,
            judge_id=rng.choice(self.judges[court_id]),
            case_type=CaseType.REMOVAL if index % 11 else CaseType.ASYLUM_ONLY,
            status=CaseStatus.PENDING if index % 17 else CaseStatus.DECIDED,
            custody=custody,
            respondent_first_name=rng.choice(firsts),
            respondent_last_name=rng.choice(lasts),
            nationality=nationality,
            language=language,
            date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randint(0, 40 * 365)),
            charges=charges,
            nta_served_on=opened - timedelta(days=rng.randint(5, 60)),
            opened_on=opened,
        )
        self.plan.records.append(case)
        bond_case = self._bond_case(case, index)
        respondent = (
            case.respondent_first_name,
            case.respondent_last_name,
            a_number,
            nationality,
            language,
            case.date_of_birth,
        )
        court = COURTS[court_index]
        self._document(
            case,
            DocumentType.NOTICE_TO_APPEAR,
            "Notice to Appear",
            Party.DHS,
            ("nta", respondent, court, case.nta_served_on, tuple(charges), index),
            case.nta_served_on,
        )
        self._addresses(case, index, court[0])
        self._hearings(case, index, respondent, court, bond_case)
        if index % 2 == 0:
            self._document(
                case,
                DocumentType.APPLICATION_I589,
                "Form I-589, Application for Asylum",
                Party.RESPONDENT,
                ("i589", respondent, index),
                opened + timedelta(days=40),
            )
        if index % 3 == 0:
            scanned = rng.randint(1, 4)
            self._document(
                case,
                DocumentType.EVIDENCE,
                "Evidence packet (Exhibits A-F)",
                Party.RESPONDENT,
                ("evidence", respondent, index, rng.randint(6, 14), scanned),
                opened + timedelta(days=60),
            )
        if index % 5 == 0:
            self._document(
                case,
                DocumentType.COUNTRY_REPORT,
                f"Country conditions report: {nationality}",
                Party.DHS,
                ("brief", respondent, f"Country Conditions Report: {nationality}", index + 5000, 6),
                opened + timedelta(days=75),
            )
        self._representation(case, index, respondent)
        if bond_case is not None:
            self._bond_record(bond_case, index)

    def _bond_case(self, case: Case, index: int) -> Case | None:
        """A detained respondent's bond case (every fourth case, if detained in removal
        proceedings): its own proceeding, linked to the removal case (8 CFR 1003.19(d)),
        where the bond hearing is held. Built from the index alone (no random draw), so the
        rest of the plan stays as it was."""
        if (
            case.custody is not Custody.DETAINED
            or case.case_type is not CaseType.REMOVAL
            or index % 4
        ):
            return None
        bond_case = case.model_copy(
            update={
                "id": demo_id("case", index, "bond"),
                "case_type": CaseType.BOND,
                "status": CaseStatus.PENDING,
                "charges": [],
                "nta_served_on": None,
                "removal_case_id": case.id,
            }
        )
        self.plan.records.append(bond_case)
        # Counsel retained for custody and bond only (EOIR-28, 8 CFR 1003.17(a)).
        self.plan.records.append(
            Representation(
                id=demo_id("representation", index, "bond"),
                case_id=bond_case.id,
                practitioner_id=demo_id("user", "attorney3"),
                form=FilingKind.EOIR_28,
                scope=AppearanceScope.CUSTODY_AND_BOND_ONLY,
                status=RepresentationStatus.ACCEPTED,
                accepted_on=case.opened_on + timedelta(days=2),
            )
        )
        return bond_case

    def _bond_record(self, bond_case: Case, index: int) -> None:
        """DHS's determination, counsel's first request and the judge's decision (the bond
        lowered a week later); then a later request on a stated change of circumstances
        (8 CFR 1003.19(e)) for the bond hearing on the docket, decided once that is past."""
        counsel = demo_id("user", "attorney3")
        dhs_amount = 15_000 if index % 8 else None
        first = Bond(
            id=demo_id("bond", index, 0),
            case_id=bond_case.id,
            dhs_determination=BondDetermination.AMOUNT if dhs_amount else BondDetermination.NO_BOND,
            dhs_amount=dhs_amount,
            requested_on=bond_case.opened_on + timedelta(days=3),
            requested_by=Party.PRACTITIONER,
            requester_id=counsel,
            requested_amount=5_000,
            outcome=BondOutcome.LOWERED if dhs_amount else BondOutcome.NO_CHANGE,
            amount=10_000 if dhs_amount else None,
            decided_on=bond_case.opened_on + timedelta(days=10),
            judge_id=bond_case.judge_id,
        )
        self.plan.records.append(first)
        hearing = next(
            (
                r
                for r in self.plan.records
                if isinstance(r, Hearing)
                and r.case_id == bond_case.id
                and r.hearing_type is HearingType.BOND
            ),
            None,
        )
        if hearing is None:
            return
        heard = local_date(hearing.starts_at, self._court_zone(bond_case.court_id))
        later = Bond(
            id=demo_id("bond", index, 1),
            case_id=bond_case.id,
            dhs_determination=first.dhs_determination,
            dhs_amount=first.dhs_amount,
            requested_on=min(self.today, heard) - timedelta(days=7),
            requested_by=Party.PRACTITIONER,
            requester_id=counsel,
            requested_amount=3_000,
            prior_bond_id=first.id,
            changed_circumstances=(
                "The respondent's U.S. citizen spouse now offers a sworn sponsorship and a "
                "lease in her name; the pending criminal charge was dismissed."
            ),
            hearing_id=hearing.id,
        )
        if heard < self.today:  # the hearing is past: the judge left the bond as it was
            later = later.model_copy(
                update={
                    "outcome": BondOutcome.NO_CHANGE,
                    "decided_on": heard,
                    "judge_id": bond_case.judge_id,
                }
            )
        self.plan.records.append(later)

    def _court_zone(self, court_id: str) -> ZoneInfo:
        return ZoneInfo(COURTS[self.court_ids.index(court_id)][5])

    def _addresses(self, case: Case, index: int, code: str) -> None:
        """The NTA's address (the facility for a detained respondent), and for some a
        change of address (EOIR-33) filed on paper later. Built from the index alone, so
        the rest of the plan stays as it was."""
        served = case.nta_served_on or case.opened_on
        recorded = datetime.combine(case.opened_on, time(17, 0), tzinfo=UTC)
        if case.custody is Custody.DETAINED:
            # The custody history (detained at the court's nearest facility; every eighth
            # case transferred later) and the facility's address that each entry makes.
            moves = 2 if index % 8 == 0 else 1
            moved = case.opened_on + (self.today - case.opened_on) / 2  # a past day
            for move in range(moves):
                change = CustodyChange(
                    id=demo_id("custody", index, move),
                    case_id=case.id,
                    event=CustodyEvent.DETAINED if move == 0 else CustodyEvent.TRANSFERRED,
                    facility_code=FACILITIES[code][move],
                    effective_on=served if move == 0 else moved,
                    recorded_at=recorded
                    if move == 0
                    else datetime.combine(moved + timedelta(days=1), time(17, 0), tzinfo=UTC),
                )
                address = facility_address(change, change.recorded_at)
                assert address is not None
                self.plan.records.append(change)
                self.plan.records.append(
                    address.model_copy(update={"id": demo_id("address", index, move)})
                )
            return
        moves = 2 if index % 6 == 1 else 1
        moved = case.opened_on + (self.today - case.opened_on) / 2  # a past day
        for move in range(moves):
            city, state, prefix = STREETS[code][(index + move) % 3]
            self.plan.records.append(
                Address(
                    id=demo_id("address", index, move),
                    case_id=case.id,
                    kind=AddressKind.NTA if move == 0 else AddressKind.EOIR_33,
                    street=f"{100 + (index * 37 + move * 11) % 900} "
                    f"{STREET_NAMES[(index + move) % len(STREET_NAMES)]} Street",
                    unit=f"Apt {1 + index % 9}" if (index + move) % 2 else "",
                    city=city,
                    state=state,
                    zip=f"{prefix}{(index * 7 + move) % 100:02d}",
                    effective_on=served if move == 0 else moved,
                    recorded_at=recorded
                    if move == 0
                    else datetime.combine(moved + timedelta(days=2), time(17, 0), tzinfo=UTC),
                )
            )

    def _hearings(
        self,
        case: Case,
        index: int,
        respondent: tuple[object, ...],
        court: tuple[str, ...],
        bond_case: Case | None = None,
    ) -> None:
        rng = self.rng
        count = 1 if index % 3 else 2
        for number in range(count):
            day = rng.choice(self.hearing_days)
            kind = (
                HearingType.INDIVIDUAL
                if number == 1 or index % 7 == 0
                else (
                    HearingType.BOND
                    if case.custody is Custody.DETAINED and index % 4 == 0
                    else HearingType.MASTER
                )
            )
            local = datetime.combine(
                day, time(8 + rng.randint(0, 7), rng.choice((0, 30))), tzinfo=ZoneInfo(court[5])
            )
            room = rng.randint(1, 4)
            past = day < self.today
            # A bond hearing is held in the bond case, where there is one (8 CFR 1003.19(d)).
            held_in = bond_case if kind is HearingType.BOND and bond_case else case
            hearing = Hearing(
                id=demo_id("hearing", index, number),
                case_id=held_in.id,
                courtroom_id=demo_id("courtroom", court[0], room),
                judge_id=case.judge_id,
                hearing_type=kind,
                medium=Medium.VIDEO
                if case.custody is Custody.DETAINED
                else rng.choices(list(Medium), weights=(8, 2, 1))[0],
                starts_at=local.astimezone(UTC),
                duration_minutes=180 if kind is HearingType.INDIVIDUAL else 30,
                status=HearingStatus.COMPLETED if past else HearingStatus.SCHEDULED,
                interpreter_language=None if case.language == "English" else case.language,
                # Brazilian Portuguese asked for by name; rarer languages often by telephone.
                interpreter_dialect="Brazilian" if case.nationality == "Brazil" else None,
                interpreter_medium=Medium.TELEPHONE
                if case.language not in ("English", "Spanish") and index % 3 == 1
                else None,
            )
            self.plan.records.append(hearing)
            judge = next(
                str(u["display_name"]) for u in self.plan.users if u["user_id"] == case.judge_id
            )
            self._document(
                held_in,
                DocumentType.HEARING_NOTICE,
                f"Notice of {kind.value} hearing",
                Party.COURT,
                (
                    "notice",
                    respondent,
                    court,
                    local,
                    kind.value,
                    f"Courtroom {room}",
                    judge,
                    index * 10 + number,
                ),
                case.opened_on + timedelta(days=number),
            )

    def _representation(self, case: Case, index: int, respondent: tuple[object, ...]) -> None:
        attorney = {0: "attorney1", 1: "attorney2"}.get(self.court_ids.index(case.court_id))
        if attorney is None or index % 4:
            return
        practitioner = demo_id("user", attorney)
        status = RepresentationStatus.PENDING if index % 24 == 0 else RepresentationStatus.ACCEPTED
        self.plan.records.append(
            Representation(
                id=demo_id("representation", index),
                case_id=case.id,
                practitioner_id=practitioner,
                form=FilingKind.EOIR_28,
                scope=AppearanceScope.ALL_PROCEEDINGS,
                status=status,
                accepted_on=case.opened_on + timedelta(days=20)
                if status is RepresentationStatus.ACCEPTED
                else None,
            )
        )
        if status is RepresentationStatus.ACCEPTED and index % 8 == 0:
            filing_id = demo_id("filing", index)
            doc_id = self._document(
                case,
                DocumentType.BRIEF,
                "Pre-hearing brief",
                Party.PRACTITIONER,
                ("brief", respondent, "Respondent's Pre-Hearing Brief", index, 4),
                self.today - timedelta(days=1),
                status=DocumentStatus.PENDING,
                filer_id=practitioner,
                filing_id=filing_id,
            )
            self.plan.records.append(
                Filing(
                    id=filing_id,
                    case_id=case.id,
                    court_id=case.court_id,
                    filer_id=practitioner,
                    kind=FilingKind.DOCUMENT,
                    status=FilingStatus.PENDING,
                    submitted_at=datetime.combine(
                        self.today - timedelta(days=1), time(15, 5), tzinfo=UTC
                    ),
                    lead_document_id=doc_id,
                )
            )

    def _document(
        self,
        case: Case,
        doc_type: DocumentType,
        title: str,
        party: Party,
        job: tuple[object, ...],
        filed_on: date | None,
        *,
        status: DocumentStatus = DocumentStatus.ACCEPTED,
        filer_id: str | None = None,
        filing_id: str | None = None,
    ) -> str:
        doc_id = demo_id("document", case.id, len(self.plan.pdf_jobs))
        self.plan.pdf_jobs.append((doc_id, job))
        # sha256, size and pages are filled in once the PDF exists.
        self.plan.records.append(
            Document.model_construct(
                id=doc_id,
                case_id=case.id,
                doc_type=doc_type,
                title=title,
                filer_id=filer_id,
                filer_party=party,
                filed_on=filed_on or case.opened_on,
                pages=0,
                sha256="",
                size=0,
                status=status,
                filing_id=filing_id,
            )
        )
        return doc_id
