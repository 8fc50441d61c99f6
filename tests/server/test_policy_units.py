"""The access policy's pure decisions (sync_server/policy.py), checked without a server.

Each table below is the rule as the policy's docstrings and the access matrix state it:
who may call which endpoint, open which portal page, see a record so placed, read a
flagged record, file as a respondent. They need no seeded app, so the mutation run
(scripts/mutation.sh) can afford them for every mutant of the module.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Collection
from typing import Any

import pytest

from common.enums import Confidentiality, FilingKind, Role
from common.resources import DataFileError
from common.wire import BoardDecision, Case, RopRequest, WireRecord
from sync_server import policy
from sync_server.policy import (
    Action,
    Audience,
    Placement,
    Principal,
    allows,
    anonymous_filing_refusal,
    can_read,
    can_see,
    flag_change_refusal,
    flagged_read_refusal,
    flags_of,
    is_party_of_record,
    may_fetch_rop_package,
    may_rotate_access_code,
    package_withholds,
    portal_allows,
    reader_kinds,
    record_flags,
    respondent_filing_refusal,
    respondent_sees,
    scope_key,
)


def _id() -> str:
    return str(uuid.uuid4())


COURT_A, COURT_B, BOARD = _id(), _id(), _id()
CASE_A, CASE_B, CASE_AT_BOARD = _id(), _id(), _id()
ME, SOMEONE = _id(), _id()


class _World:
    """The facts the policy asks about: case A at court A, case B at court B, a third case
    at court B with an appeal before the Board; practitioner ME appears in case A."""

    def __init__(
        self,
        *,
        practitioner_cases: Collection[str] = (CASE_A,),
        respondent_cases: Collection[str] = (CASE_A,),
        represented: bool = False,
        flags: dict[str, list[str]] | None = None,
        panel: Collection[str] = (),
    ) -> None:
        self.courts = {CASE_A: COURT_A, CASE_B: COURT_B, CASE_AT_BOARD: COURT_B}
        self.practitioner_cases = practitioner_cases
        self.respondent_cases = respondent_cases
        self.represented = represented
        self.flags = flags or {}
        self.panel = list(panel)

    def case_court(self, case_id: str) -> str | None:
        return self.courts.get(case_id)

    def case_judge(self, case_id: str) -> str | None:
        return None

    def document_case(self, document_id: str) -> str | None:
        return None

    def practitioner_case_ids(self, user_id: str) -> Collection[str]:
        return self.practitioner_cases if user_id == ME else ()

    def board_case_ids(self) -> Collection[str]:
        return (CASE_AT_BOARD,)

    def board_decisions(self, case_id: str) -> Collection[BoardDecision]:
        if case_id != CASE_AT_BOARD or not self.panel:
            return ()
        decision = BoardDecision(
            id=_id(),
            appeal_id=_id(),
            case_id=CASE_AT_BOARD,
            panel=len(self.panel) > 1,
            member_ids=self.panel,
            author_id=self.panel[0],
            assigned_by=SOMEONE,
            assigned_on=datetime.date(2026, 12, 1),
        )
        return (decision,)

    def filing_at_board(self, filing_id: str) -> bool:
        return False

    def respondent_case_ids(self, user_id: str) -> Collection[str]:
        return self.respondent_cases if user_id == ME else ()

    def case_represented(self, case_id: str) -> bool:
        return self.represented

    def case_flags(self, case_id: str) -> Collection[str]:
        return self.flags.get(case_id, [])


def who(
    role: Role, court: str | None = COURT_A, assigned: tuple[str, ...] = (), uid: str = ME
) -> Principal:
    return Principal(uid, f"u-{role.value}", role, court, role.value, assigned)


COURT_STAFF = {Role.JUDGE, Role.CLERK, Role.COURT_ADMIN}
BOARD_STAFF = {Role.BOARD_CLERK, Role.BOARD_MEMBER}
PRACTITIONERS = {Role.ATTORNEY, Role.ACCREDITED_REP}
EVERY_ROLE = set(Role)

# -- allows: the API's endpoints ---------------------------------------------------------

API_TABLE: dict[Action, set[Role]] = {
    Action.PUBLIC: EVERY_ROLE,
    Action.SIGNED_IN: EVERY_ROLE - {Role.RESPONDENT},
    Action.SYNC_PULL: EVERY_ROLE - {Role.RESPONDENT},
    Action.SYNC_PUSH: EVERY_ROLE - {Role.RESPONDENT},
    Action.BLOB_UPLOAD: EVERY_ROLE - {Role.RESPONDENT, Role.EOIR_STAFF},
    Action.BLOB_READ: EVERY_ROLE - {Role.RESPONDENT},
    Action.CASE_HISTORY: COURT_STAFF | {Role.EOIR_STAFF},
    Action.ROP_PACKAGE_REQUEST: EVERY_ROLE - {Role.RESPONDENT, Role.EOIR_STAFF},
    Action.ROP_PACKAGE_READ: EVERY_ROLE - {Role.RESPONDENT},
    Action.REGISTRATION_REVIEW: {Role.COURT_ADMIN},
    Action.ACCESS_CODE_ROTATE: {Role.CLERK, Role.COURT_ADMIN},
}


@pytest.mark.parametrize("action", list(Action))
def test_allows_each_role_exactly_the_api_endpoints_of_its_table(action: Action) -> None:
    allowed = API_TABLE.get(action, set())  # the portal's pages are no API endpoint
    got = {role for role in Role if allows(who(role), action)}
    assert got == allowed
    assert allows(None, action) is (action is Action.PUBLIC)


@pytest.mark.parametrize("action", [Action.REGISTRATION_REVIEW, Action.ACCESS_CODE_ROTATE])
def test_court_endpoints_need_a_court(action: Action) -> None:
    for role in Role:
        assert allows(who(role, court=None), action) is False


# -- portal_allows: the portal's pages ------------------------------------------------------

EXTERNAL = PRACTITIONERS | {Role.DHS}
PORTAL_TABLE: dict[Action, set[Role]] = {
    Action.PUBLIC: EVERY_ROLE,
    Action.PORTAL_SIGN_IN_STEP: EVERY_ROLE,
    Action.PORTAL_HOME: EVERY_ROLE,
    Action.PORTAL_CASES: EXTERNAL,
    Action.PORTAL_FILE: EXTERNAL,
    Action.PORTAL_PROFILE: EXTERNAL,
    Action.PORTAL_APPEAR: PRACTITIONERS,
    Action.PORTAL_NTA: {Role.DHS},
    Action.REGISTRATION_REVIEW: {Role.COURT_ADMIN},
    Action.PORTAL_RESPONDENT: {Role.RESPONDENT},
    Action.ACCESS_CODE_ROTATE: {Role.CLERK, Role.COURT_ADMIN},
    Action.ROP_PACKAGE_REQUEST: EXTERNAL | {Role.RESPONDENT},
    Action.ROP_PACKAGE_READ: EXTERNAL | {Role.RESPONDENT},
}


def _portal(role: Role, action: Action, *, second: bool = True, suspended: bool = False) -> bool:
    return portal_allows(who(role), action, second_factor_done=second, suspended=suspended)


@pytest.mark.parametrize("action", list(Action))
def test_portal_allows_each_role_exactly_the_pages_of_its_table(action: Action) -> None:
    got = {role for role in Role if _portal(role, action)}
    assert got == PORTAL_TABLE.get(action, set())
    signed_out = portal_allows(None, action, second_factor_done=False, suspended=False)
    assert signed_out is (action is Action.PUBLIC)


@pytest.mark.parametrize("action", list(Action))
def test_half_signed_in_reaches_only_the_sign_in_steps(action: Action) -> None:
    got = {role for role in Role if _portal(role, action, second=False)}
    open_pages = {Action.PUBLIC, Action.PORTAL_SIGN_IN_STEP}
    assert got == (EVERY_ROLE if action in open_pages else set())


@pytest.mark.parametrize("action", list(Action))
def test_a_suspended_practitioner_reads_but_never_files(action: Action) -> None:
    got = {role for role in Role if _portal(role, action, suspended=True)}
    filing = {Action.PORTAL_APPEAR, Action.PORTAL_FILE, Action.PORTAL_NTA}
    assert got == (set() if action in filing else PORTAL_TABLE.get(action, set()))


@pytest.mark.parametrize("action", [Action.REGISTRATION_REVIEW, Action.ACCESS_CODE_ROTATE])
def test_portal_court_pages_need_a_court(action: Action) -> None:
    for role in Role:
        principal = who(role, court=None)
        assert not portal_allows(principal, action, second_factor_done=True, suspended=False)


def test_an_rop_package_in_the_portal_follows_the_api_for_counsel() -> None:
    # Counsel's package page is the API's: a principal the API refuses is refused here.
    for action in (Action.ROP_PACKAGE_REQUEST, Action.ROP_PACKAGE_READ):
        for role in EXTERNAL:
            assert _portal(role, action) is allows(who(role), action) is True


# -- can_see: one record, placed ------------------------------------------------------------


def at(
    audience: Audience,
    court: str | None = COURT_A,
    case: str | None = CASE_A,
    owner: str | None = SOMEONE,
) -> Placement:
    return Placement(court, case, owner, audience)


GLOBAL = Placement(None, None, None, Audience.PUBLIC)
W = _World()


@pytest.mark.parametrize("role", sorted(COURT_STAFF))
def test_court_staff_see_their_court_but_not_the_boards_work(role: Role) -> None:
    p = who(role)
    assert can_see(p, at(Audience.PUBLIC), W)
    assert can_see(p, at(Audience.COURT), W)
    assert can_see(p, GLOBAL, W)
    assert can_see(p, at(Audience.COURT, court=None, case=None), W)
    assert not can_see(p, at(Audience.PUBLIC, court=COURT_B, case=CASE_B), W)
    assert not can_see(p, at(Audience.PUBLIC, court=COURT_B, owner=ME), W)  # moved away
    for hidden in (Audience.OWNER, Audience.BOARD, Audience.PANEL):
        assert not can_see(p, at(hidden), W)
        assert can_see(p, at(hidden, owner=ME), W)


@pytest.mark.parametrize("role", sorted(BOARD_STAFF))
def test_board_staff_see_the_cases_before_the_board(role: Role) -> None:
    p = who(role, court=BOARD)
    before_board = at(Audience.BOARD, court=COURT_B, case=CASE_AT_BOARD)
    assert can_see(p, before_board, W)
    assert can_see(p, at(Audience.COURT, court=COURT_B, case=CASE_AT_BOARD), W)
    assert not can_see(p, at(Audience.PUBLIC), W)  # a case not before the Board
    assert can_see(p, at(Audience.COURT, court=BOARD, case=None), W)  # the Board's own
    assert can_see(p, GLOBAL, W)
    assert can_see(p, at(Audience.OWNER, owner=ME), W)
    assert not can_see(p, at(Audience.OWNER, court=COURT_B, case=CASE_AT_BOARD), W)
    assert can_see(p, at(Audience.PUBLIC, court=None, case=None, owner=None), W)
    # a Board member's shared note: the panel deciding the case only
    note = at(Audience.PANEL, court=COURT_B, case=CASE_AT_BOARD)
    assert can_see(p, note, _World(panel=[ME]))
    assert not can_see(p, note, _World(panel=[SOMEONE]))
    assert not can_see(p, note, W)
    assert not can_see(p, at(Audience.PANEL, court=BOARD, case=None), _World(panel=[ME]))


def test_board_staff_without_a_court_see_no_unknown_court() -> None:
    p = who(Role.BOARD_MEMBER, court=None)
    assert not can_see(p, at(Audience.COURT, court=None, case=CASE_B), W)
    assert not can_see(p, at(Audience.COURT, court=None, case=None), W)


def test_eoir_staff_see_everything_but_private_notes() -> None:
    p = who(Role.EOIR_STAFF, court=None)
    for audience in (Audience.PUBLIC, Audience.COURT, Audience.BOARD):
        assert can_see(p, at(audience, court=COURT_B, case=CASE_B), W)
    assert not can_see(p, at(Audience.OWNER), W)
    assert not can_see(p, at(Audience.PANEL), W)
    assert can_see(p, at(Audience.OWNER, owner=ME), W)


def test_dhs_see_public_records_of_their_assigned_courts() -> None:
    p = who(Role.DHS, court=None, assigned=(COURT_A,))
    assert can_see(p, at(Audience.PUBLIC), W)
    assert not can_see(p, at(Audience.PUBLIC, court=COURT_B, case=CASE_B), W)
    assert not can_see(p, at(Audience.COURT), W)
    assert not can_see(p, at(Audience.BOARD), W)
    assert can_see(p, GLOBAL, W)
    # their own: in an assigned court or in none, not in another court
    assert can_see(p, at(Audience.COURT, owner=ME), W)
    assert can_see(p, at(Audience.COURT, court=None, owner=ME), W)
    assert not can_see(p, at(Audience.COURT, court=COURT_B, owner=ME), W)


@pytest.mark.parametrize("role", sorted(PRACTITIONERS))
def test_practitioners_see_public_records_of_their_cases(role: Role) -> None:
    p = who(role, court=None)
    assert can_see(p, at(Audience.PUBLIC), W)
    assert not can_see(p, at(Audience.PUBLIC, court=COURT_B, case=CASE_B), W)
    assert not can_see(p, at(Audience.PUBLIC, case=None), W)
    assert not can_see(p, at(Audience.COURT), W)
    assert can_see(p, GLOBAL, W)
    assert can_see(p, at(Audience.PUBLIC, case=None, court=None), _World())
    # their own wherever the case went (an appearance still pending)
    assert can_see(p, at(Audience.COURT, court=COURT_B, case=CASE_B, owner=ME), W)


def test_a_respondent_sees_public_records_of_their_own_case() -> None:
    p = who(Role.RESPONDENT, court=None)
    assert can_see(p, at(Audience.PUBLIC), W)
    assert not can_see(p, at(Audience.PUBLIC, court=COURT_B, case=CASE_B), W)
    assert not can_see(p, at(Audience.COURT), W)
    assert can_see(p, at(Audience.COURT, owner=ME), W)
    assert can_see(p, GLOBAL, W)
    assert not can_see(p, at(Audience.PUBLIC, case=None), W)
    assert respondent_sees(p, at(Audience.PUBLIC), W)
    assert not respondent_sees(who(Role.ATTORNEY), at(Audience.PUBLIC), W)
    assert not respondent_sees(who(Role.ATTORNEY), at(Audience.PUBLIC, owner=ME), W)


def test_scope_key_changes_with_what_the_principal_sees() -> None:
    w = _World(practitioner_cases=[CASE_B, CASE_A], respondent_cases=[CASE_B, CASE_A])
    assert scope_key(who(Role.EOIR_STAFF), w) == "all"
    assert scope_key(who(Role.CLERK), w) == f"court:{COURT_A}"
    assert scope_key(who(Role.BOARD_CLERK), w) == f"board:{CASE_AT_BOARD}"

    class _TwoBeforeBoard(_World):
        def board_case_ids(self) -> Collection[str]:
            return (CASE_B, CASE_A)

    two = ",".join(sorted((CASE_A, CASE_B)))
    assert scope_key(who(Role.BOARD_MEMBER), _TwoBeforeBoard()) == f"board:{two}"
    dhs = who(Role.DHS, assigned=tuple(sorted((COURT_A, COURT_B), reverse=True)))
    assert scope_key(dhs, w) == "dhs:" + ",".join(sorted((COURT_A, COURT_B)))
    both = ",".join(sorted((CASE_A, CASE_B)))
    assert scope_key(who(Role.RESPONDENT), w) == f"respondent:{both}"
    assert scope_key(who(Role.ATTORNEY), w) == f"cases:{both}"


# -- respondents' filings, access codes, anonymous filings ------------------------------------


def test_respondent_filing_refusals() -> None:
    p = who(Role.RESPONDENT, court=None)
    coa, doc = FilingKind.CHANGE_OF_ADDRESS, FilingKind.DOCUMENT
    assert respondent_filing_refusal(p, coa, CASE_A, W) is None
    assert respondent_filing_refusal(p, doc, CASE_A, W) is None
    assert respondent_filing_refusal(p, coa, CASE_A, _World(represented=True)) is None
    assert (
        respondent_filing_refusal(p, doc, CASE_A, _World(represented=True))
        == "counsel of record appears for you: your counsel files for you"
    )
    assert respondent_filing_refusal(p, coa, CASE_B, W) == "you may file only in your own case"
    assert respondent_filing_refusal(p, coa, None, W) == "you may file only in your own case"
    assert (
        respondent_filing_refusal(who(Role.ATTORNEY), coa, CASE_A, W)
        == "only the respondent files through the respondent's pages"
    )
    for kind in set(FilingKind) - {coa, doc}:
        assert (
            respondent_filing_refusal(p, kind, CASE_A, W)
            == "this filing is not one the respondent's pages accept"
        )


def test_only_the_cases_own_clerk_or_administrator_rotates_its_access_code() -> None:
    for role in Role:
        assert may_rotate_access_code(who(role), COURT_A) is (
            role in {Role.CLERK, Role.COURT_ADMIN}
        )
        assert not may_rotate_access_code(who(role), COURT_B)
        assert not may_rotate_access_code(who(role, court=None), None)


def test_only_a_change_of_address_is_filed_without_signing_in() -> None:
    for kind in FilingKind:
        refusal = anonymous_filing_refusal(kind)
        if kind is FilingKind.CHANGE_OF_ADDRESS:
            assert refusal is None
        else:
            assert refusal == "only a change of address is filed without signing in"


def test_parties_of_record_and_their_rop_packages() -> None:
    attorney = who(Role.ATTORNEY, court=None)
    assert is_party_of_record(attorney, CASE_A, W)
    assert not is_party_of_record(attorney, CASE_B, W)
    assert is_party_of_record(who(Role.CLERK), CASE_A, W)
    assert not is_party_of_record(who(Role.CLERK), CASE_B, W)
    # a case whose court is unknown has no party of record, not even court staff
    assert not is_party_of_record(who(Role.CLERK, court=None), _id(), W)
    mine = RopRequest.model_construct(id=_id(), case_id=CASE_A, requester_id=ME)
    theirs = RopRequest.model_construct(id=_id(), case_id=CASE_A, requester_id=SOMEONE)
    elsewhere = RopRequest.model_construct(id=_id(), case_id=CASE_B, requester_id=ME)
    assert may_fetch_rop_package(attorney, mine, W)
    assert not may_fetch_rop_package(attorney, theirs, W)
    assert not may_fetch_rop_package(attorney, elsewhere, W)


# -- confidential records ---------------------------------------------------------------------


def test_flag_rules_are_read_from_the_resource_file() -> None:
    # Called here, not only at import, so that a fault in the loader shows.
    rules = policy._load_flag_rules()
    assert set(rules) == set(Confidentiality)
    asylum = rules[Confidentiality.ASYLUM]
    assert asylum.flag is Confidentiality.ASYLUM
    assert asylum.label == "Asylum information"
    assert asylum.law == "8 CFR 1208.6"
    assert asylum.readers == policy.READER_KINDS
    assert asylum.package_includes == policy.READER_KINDS
    assert asylum.package_withheld_line == ""
    sealed = rules[Confidentiality.SEALED]
    assert sealed.label == "Sealed by protective order"
    assert sealed.law == "8 CFR 1003.46"
    assert sealed.package_includes == {"court_of_case", "board", "eoir_staff", "dhs_of_case"}
    assert sealed.package_withheld_line == "{pages} pages withheld under protective order"
    assert rules[Confidentiality.VAWA_T_U].law == "8 U.S.C. 1367"
    assert rules == policy.FLAG_RULES


def _flag_file(monkeypatch: pytest.MonkeyPatch, data: object) -> None:
    monkeypatch.setattr(policy, "read_data_file", lambda path: data)


def test_flag_rules_refuse_a_file_without_its_list(monkeypatch: pytest.MonkeyPatch) -> None:
    _flag_file(monkeypatch, {"flags": {"asylum": {}}})
    with pytest.raises(DataFileError, match=r"^confidentiality\.json: 'flags' must be a list$"):
        policy._load_flag_rules()


def _item(flag: str, readers: Collection[str] = policy.READER_KINDS) -> dict[str, object]:
    return {
        "id": flag,
        "label": "L",
        "law": "X",
        "readers": sorted(readers),
        "package_includes": [],
    }


def test_flag_rules_refuse_a_missing_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    _flag_file(monkeypatch, {"flags": [_item("asylum")]})
    with pytest.raises(DataFileError) as raised:
        policy._load_flag_rules()
    missing = [Confidentiality.SEALED, Confidentiality.VAWA_T_U]
    assert str(raised.value) == f"confidentiality.json: no rule for {missing}"


def test_flag_rules_refuse_a_flag_some_reader_may_not_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    narrow = policy.READER_KINDS - {"respondent"}
    items = [_item("asylum"), _item("vawa_t_u", narrow), _item("sealed")]
    _flag_file(monkeypatch, {"flags": items})
    with pytest.raises(DataFileError) as raised:
        policy._load_flag_rules()
    assert str(raised.value) == (
        "confidentiality.json: vawa_t_u must admit every reader of the case"
        f" {sorted(policy.READER_KINDS)}: the sync feed checks a flag against ownership only"
    )
    _flag_file(monkeypatch, {"flags": [_item(f.value) for f in Confidentiality]})
    rules = policy._load_flag_rules()
    assert {r.package_withheld_line for r in rules.values()} == {""}
    assert {r.label for r in rules.values()} == {"L"}


def test_flags_of_ignores_unknown_names() -> None:
    assert flags_of(None) == frozenset()
    assert flags_of(["asylum", "secret", "sealed"]) == {
        Confidentiality.ASYLUM,
        Confidentiality.SEALED,
    }


def _case(case_id: str, flags: list[str]) -> Case:
    return Case.model_construct(id=case_id, court_id=COURT_A, confidentiality=flags)


def test_reader_kinds_name_what_a_principal_is_to_the_case() -> None:
    assert reader_kinds(who(Role.CLERK), CASE_A, W) == {"court_of_case"}
    assert reader_kinds(who(Role.CLERK), CASE_B, W) == frozenset()
    assert reader_kinds(who(Role.CLERK, court=None), _id(), W) == frozenset()
    assert reader_kinds(who(Role.BOARD_CLERK, court=BOARD), CASE_AT_BOARD, W) == {"board"}
    assert reader_kinds(who(Role.BOARD_CLERK, court=BOARD), CASE_A, W) == frozenset()
    assert reader_kinds(who(Role.BOARD_CLERK, court=COURT_A), CASE_A, W) == {"board"}
    assert reader_kinds(who(Role.BOARD_CLERK, court=None), _id(), W) == frozenset()
    assert reader_kinds(who(Role.EOIR_STAFF, court=None), CASE_B, W) == {"eoir_staff"}
    dhs = who(Role.DHS, court=None, assigned=(COURT_A,))
    assert reader_kinds(dhs, CASE_A, W) == {"dhs_of_case"}
    assert reader_kinds(dhs, CASE_B, W) == frozenset()
    assert reader_kinds(who(Role.ATTORNEY), CASE_A, W) == {"counsel_of_record"}
    assert reader_kinds(who(Role.ATTORNEY), CASE_B, W) == frozenset()
    assert reader_kinds(who(Role.RESPONDENT), CASE_A, W) == {"respondent"}
    assert reader_kinds(who(Role.RESPONDENT), CASE_B, W) == frozenset()
    assert reader_kinds(who(Role.JUDGE), CASE_A, _World(practitioner_cases=[CASE_A])) == {
        "court_of_case"
    }


def test_a_flagged_record_is_read_by_the_readers_of_its_case_only() -> None:
    asylum = [Confidentiality.ASYLUM]
    assert flagged_read_refusal(who(Role.CLERK), [], None, W) is None
    assert (
        flagged_read_refusal(who(Role.CLERK), asylum, None, W)
        == "a confidential record outside a case is read by nobody"
    )
    assert flagged_read_refusal(who(Role.CLERK), asylum, CASE_A, W) is None
    assert flagged_read_refusal(who(Role.CLERK), asylum, CASE_B, W) == (
        "confidential (Asylum information, 8 CFR 1208.6): not a reader of this record"
    )
    both = [Confidentiality.SEALED, Confidentiality.ASYLUM]
    assert flagged_read_refusal(who(Role.ATTORNEY), both, CASE_B, W) == (
        "confidential (Asylum information, 8 CFR 1208.6): not a reader of this record"
    )


def test_the_package_withholds_sealed_pages_from_the_parties() -> None:
    sealed = [Confidentiality.ASYLUM, Confidentiality.SEALED]
    attorney = who(Role.ATTORNEY, court=None)
    assert package_withholds(attorney, sealed, CASE_A, W) is Confidentiality.SEALED
    assert package_withholds(attorney, [Confidentiality.ASYLUM], CASE_A, W) is None
    assert package_withholds(who(Role.CLERK), sealed, CASE_A, W) is None
    assert package_withholds(who(Role.CLERK), sealed, CASE_B, W) is Confidentiality.ASYLUM


def test_record_flags_and_who_reads_a_flagged_case() -> None:
    flagged = _case(CASE_A, ["asylum"])
    assert record_flags(flagged, W) == {Confidentiality.ASYLUM}
    assert record_flags(_case(CASE_A, []), W) == frozenset()
    assert can_read(who(Role.CLERK), flagged, W)
    assert can_read(who(Role.ATTORNEY, court=None), flagged, W)
    assert not can_read(who(Role.ATTORNEY, court=None), _case(CASE_B, ["asylum"]), W)
    assert not can_read(
        who(Role.ATTORNEY, court=None), _case(CASE_A, ["asylum"]), _World(practitioner_cases=())
    )


def test_only_the_courts_judge_or_clerk_sets_a_flag() -> None:
    old, new = _case(CASE_A, []), _case(CASE_A, ["sealed"])
    assert flag_change_refusal(who(Role.JUDGE), old, new, W) is None
    assert flag_change_refusal(who(Role.CLERK), old, new, W) is None
    assert flag_change_refusal(who(Role.ATTORNEY), old, old, W) is None
    # a record that keeps its flags is no flag change, whoever changes the rest of it
    assert flag_change_refusal(who(Role.ATTORNEY), new, new, W) is None
    for role in set(Role) - {Role.JUDGE, Role.CLERK}:
        assert (
            flag_change_refusal(who(role), old, new, W)
            == "only the court's judge or clerk marks a record confidential"
        )
    assert (
        flag_change_refusal(who(Role.CLERK, court=COURT_B), old, new, W)
        == "the record belongs to another court"
    )
    assert (
        flag_change_refusal(who(Role.CLERK, court=COURT_B), None, new, W)
        == "the record belongs to another court"
    )


# -- placement_of: where each kind of record sits, and for whom ------------------------------


class _Placed(_World):
    """Case A at court A; DOC_OF_A is a document of case A."""

    def document_case(self, document_id: str) -> str | None:
        return CASE_A if document_id == DOC_OF_A else None


DOC_OF_A = _id()


def _placements() -> list[tuple[WireRecord, Placement]]:
    from common.enums import (
        BoardDecisionStatus,
        DocumentStatus,
        OrderStatus,
        RepresentationStatus,
        Visibility,
    )
    from common.wire import (
        Address,
        Annotation,
        Appeal,
        BoardVote,
        Bond,
        Courtroom,
        CustodyChange,
        DecisionRecord,
        Document,
        Filing,
        Hearing,
        Motion,
        Order,
        Pleading,
        Representation,
        ServiceRecord,
        UserProfile,
    )

    c = CASE_A
    pub, court, owner = Audience.PUBLIC, Audience.COURT, Audience.OWNER
    board, panel = Audience.BOARD, Audience.PANEL

    def make(cls: Any, **fields: Any) -> Any:
        return cls.model_construct(**({"id": _id()} | fields))

    def rep(status: RepresentationStatus) -> Any:
        return make(Representation, case_id=c, practitioner_id=ME, status=status)

    def doc(status: DocumentStatus) -> Any:
        return make(Document, case_id=c, filer_id=ME, status=status)

    def note(visibility: Visibility, document_id: str = DOC_OF_A) -> Any:
        return make(Annotation, document_id=document_id, author_id=ME, visibility=visibility)

    def order(status: OrderStatus, template: str = "continuance") -> Any:
        return make(Order, case_id=c, status=status, template=template)

    return [
        (make(Courtroom, court_id=COURT_B), Placement(COURT_B, None, None, pub)),
        (make(UserProfile, id=SOMEONE, court_id=COURT_B), Placement(COURT_B, None, SOMEONE, court)),
        (make(Case, id=CASE_B, court_id=COURT_B), Placement(COURT_B, CASE_B, None, pub)),
        (rep(RepresentationStatus.ACCEPTED), Placement(COURT_A, c, ME, pub)),
        (rep(RepresentationStatus.PENDING), Placement(COURT_A, c, ME, court)),
        (rep(RepresentationStatus.WITHDRAWN), Placement(COURT_A, c, ME, court)),
        (make(Hearing, case_id=c), Placement(COURT_A, c, None, pub)),
        (doc(DocumentStatus.ACCEPTED), Placement(COURT_A, c, ME, pub)),
        (doc(DocumentStatus.PENDING), Placement(COURT_A, c, ME, court)),
        (note(Visibility.PRIVATE), Placement(COURT_A, c, ME, owner)),
        (note(Visibility.SHARED), Placement(COURT_A, c, ME, court)),
        (note(Visibility.PANEL), Placement(COURT_A, c, ME, panel)),
        (note(Visibility.SHARED, _id()), Placement(None, None, ME, court)),
        (order(OrderStatus.DRAFT), Placement(COURT_A, c, None, court)),
        (order(OrderStatus.SIGNED), Placement(COURT_A, c, None, pub)),
        (order(OrderStatus.DRAFT, "board_decision"), Placement(COURT_A, c, None, board)),
        (order(OrderStatus.ISSUED, "board_decision"), Placement(COURT_A, c, None, pub)),
        (
            make(BoardDecision, case_id=c, status=BoardDecisionStatus.ISSUED),
            Placement(COURT_A, c, None, pub),
        ),
        (
            make(BoardDecision, case_id=c, status=BoardDecisionStatus.DRAFTED),
            Placement(COURT_A, c, None, board),
        ),
        (make(BoardVote, case_id=c, member_id=ME), Placement(COURT_A, c, ME, board)),
        (
            make(Filing, court_id=COURT_B, case_id=c, filer_id=ME),
            Placement(COURT_B, c, ME, court),
        ),
        (make(ServiceRecord, case_id=c, recipient_id=ME), Placement(COURT_A, c, ME, pub)),
        (make(RopRequest, case_id=c, requester_id=ME), Placement(COURT_A, c, ME, court)),
        (make(Address, case_id=c), Placement(COURT_A, c, None, pub)),
        (make(Bond, case_id=c), Placement(COURT_A, c, None, pub)),
        (make(Motion, case_id=c, filer_id=ME), Placement(COURT_A, c, ME, pub)),
        (make(CustodyChange, case_id=c), Placement(COURT_A, c, None, pub)),
        (make(Appeal, case_id=c, filer_id=ME), Placement(COURT_A, c, ME, pub)),
        (make(Pleading, case_id=c), Placement(COURT_A, c, None, pub)),
        (make(DecisionRecord, case_id=c), Placement(COURT_A, c, None, pub)),
    ]


def test_each_record_is_placed_at_its_court_case_owner_and_audience() -> None:
    from common.wire import AdjournmentCodeRecord, Court

    for record, expected in _placements():
        assert policy.placement_of(record, _Placed()) == expected, type(record).__name__
    # reference data: everyone signed in reads it
    for cls in (Court, AdjournmentCodeRecord):
        ref = cls.model_construct(id=_id())
        assert policy.placement_of(ref, _Placed()) == GLOBAL


def test_a_document_carries_its_own_flags_and_its_cases() -> None:
    from common.wire import Document, Filing, Representation

    w = _World(flags={CASE_A: ["asylum"]})
    doc = Document.model_construct(id=_id(), case_id=CASE_A, confidentiality=["sealed"])
    assert record_flags(doc, w) == {Confidentiality.ASYLUM, Confidentiality.SEALED}
    assert record_flags(doc, W) == {Confidentiality.SEALED}
    filing = Filing.model_construct(id=_id(), case_id=CASE_A, court_id=COURT_A, filer_id=ME)
    assert record_flags(filing, w) == frozenset()
    assert policy.owned_record_flags(filing, w) == {Confidentiality.ASYLUM}
    assert policy.owned_record_flags(filing, W) == frozenset()
    rep = Representation.model_construct(id=_id(), case_id=CASE_A, practitioner_id=ME)
    assert policy.owned_record_flags(rep, w) == frozenset()
    courtless = Filing.model_construct(id=_id(), case_id=None, court_id=COURT_A, filer_id=ME)
    assert policy.owned_record_flags(courtless, w) == frozenset()
    assert policy.owned_record_flags(doc, w) == {Confidentiality.ASYLUM, Confidentiality.SEALED}
    # the filer of a filing in a flagged case they no longer appear in reads none of it
    attorney = who(Role.ATTORNEY, court=None)
    assert can_read(attorney, filing, w)
    gone = _World(flags={CASE_A: ["asylum"]}, practitioner_cases=())
    assert not can_read(attorney, filing, gone)
    assert can_read(attorney, filing, _World(practitioner_cases=()))


def test_a_represented_case_is_judged_by_its_own_representation() -> None:
    class _TwoCases(_World):
        def case_represented(self, case_id: str) -> bool:
            return case_id == CASE_B

    w = _TwoCases(respondent_cases=(CASE_A, CASE_B))
    p = who(Role.RESPONDENT, court=None)
    assert respondent_filing_refusal(p, FilingKind.DOCUMENT, CASE_A, w) is None
    assert respondent_filing_refusal(p, FilingKind.DOCUMENT, CASE_B, w) == (
        "counsel of record appears for you: your counsel files for you"
    )


def test_can_read_asks_where_the_record_itself_sits() -> None:
    attorney = who(Role.ATTORNEY, court=None)
    assert not can_read(attorney, _case(CASE_B, []), W)
    assert can_read(attorney, _case(CASE_A, []), W)


def test_can_read_places_records_that_hang_on_a_case() -> None:
    from common.wire import Courtroom, Hearing

    hearing = Hearing.model_construct(id=_id(), case_id=CASE_A)
    assert can_read(who(Role.CLERK), hearing, W)
    assert not can_read(who(Role.CLERK, court=COURT_B), hearing, W)
    room = Courtroom.model_construct(id=_id(), court_id=COURT_A, name="1")
    assert can_read(who(Role.CLERK), room, W)
    assert not can_read(who(Role.CLERK, court=COURT_B), room, W)
