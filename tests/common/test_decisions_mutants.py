"""The rules of common/decisions.py asserted exactly, so that mutation testing (mutmut, see
docs/TESTING.md) finds each of them checked: the data files of relief forms and completion
types (each entry with its source, or the assumption made), the checks on a pleading and a
decision (8 CFR 1240.10(c), 1240.12; INA 241(b)(2) for the country of removal; no appeal
reserved from an in-absentia order, INA 240(b)(5)(C)), the service of a written decision
recorded once (8 CFR 1003.38(b)), the day a decision becomes final (8 CFR 1241.1(a)-(e),
1003.39; Matter of Shih, 20 I&N Dec. 697 (BIA 1993)) and the fields an order starts from."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

import common.decisions as decisions
from common.court_closures import Closure, ClosureKind, CourtCalendar
from common.decisions import (
    Finality,
    Source,
    all_waived,
    check_decision,
    check_pleading,
    check_service_recorded,
    completion_rules,
    effective_status,
    finality,
    finality_sources,
    latest_decision,
    latest_pleading,
    order_fields,
    relief_forms,
)
from common.enums import CaseStatus, CompletionType, DecisionForm, Party, Plea
from common.resources import DataFileError, resource_path
from common.wire import AllegationPlea, ChargePlea, DecisionRecord, Pleading

C = CompletionType
CASE = str(uuid.uuid5(uuid.NAMESPACE_URL, "decisions-mutants/case"))
JUDGE = str(uuid.uuid5(uuid.NAMESPACE_URL, "decisions-mutants/judge"))
AT = datetime(2026, 12, 8, 18, 0, tzinfo=UTC)
TUESDAY = date(2026, 12, 8)
STATUS_RELIEF = (
    "Asylum, Cancellation of removal, permanent residents (INA § 240A(a)), Cancellation of "
    "removal, non-permanent residents (INA § 240A(b)(1)), Cancellation of removal, battered "
    "spouse or child (INA § 240A(b)(2)), Adjustment of status (INA § 245)"
)


def _id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"decisions-mutants/{name}"))


def pleading(**kw: Any) -> Pleading:
    values: dict[str, Any] = {
        "id": _id("pleading"),
        "case_id": CASE,
        "judge_id": JUDGE,
        "pleaded_on": date(2026, 10, 1),
        "allegations": [
            AllegationPlea(number=1, text="Not a citizen of the United States", plea=Plea.ADMITTED),
            AllegationPlea(number=2, text="A native of Guatemala", plea=Plea.ADMITTED),
        ],
        "charges": [ChargePlea(charge="INA 212(a)(6)(A)(i)", plea=Plea.DENIED)],
        "designated_country": "Guatemala",
        "relief_sought": ["asylum", "withholding", "cat_withholding"],
        "recorded_at": AT,
    }
    values.update(kw)
    return Pleading(**values)


def decision(completion: CompletionType, **kw: Any) -> DecisionRecord:
    values: dict[str, Any] = {
        "id": _id(f"decision/{completion.value}"),
        "case_id": CASE,
        "judge_id": JUDGE,
        "decided_on": TUESDAY,
        "completion": completion,
        "removal_country": "Guatemala" if completion_rules()[completion].orders_removal else None,
        "recorded_at": AT,
    }
    values.update(kw)
    return DecisionRecord(**values)


def _pending(d: DecisionRecord, pleadings: list[Pleading] | None = None) -> str | None:
    return check_decision(d, case_status=CaseStatus.PENDING, pleadings=pleadings or [])


# --- the data files ---------------------------------------------------------------------------


def test_a_source_reads_as_its_document_and_section() -> None:
    assert str(Source("8 CFR", "1003.18(c)")) == "8 CFR 1003.18(c)"
    assert str(Source("Immigration and Nationality Act", "§ 208(a)")) == "INA § 208(a)"
    # Several documents: the section names each one.
    assert str(Source("Immigration and Nationality Act; 8 CFR", "INA § 240B; 8 CFR 1240.26")) == (
        "INA § 240B; 8 CFR 1240.26"
    )


def test_the_relief_forms_are_read_in_the_file_s_order_with_their_sources() -> None:
    forms = relief_forms()
    assert list(forms) == [
        "asylum",
        "withholding",
        "cat_withholding",
        "cat_deferral",
        "cancellation_lpr",
        "cancellation_nonlpr",
        "cancellation_vawa",
        "adjustment",
        "voluntary_departure",
    ]
    asylum = forms["asylum"]
    assert (asylum.code, asylum.label, asylum.kind, asylum.application) == (
        "asylum",
        "Asylum",
        "status",
        "Form I-589",
    )
    assert asylum.source.document == "Immigration and Nationality Act"
    assert asylum.source.section == "§ 208(a), (b)"
    assert asylum.source.read_on is None
    assert str(asylum.source.assumption).startswith("Cited from the statute's section numbers")
    assert forms["voluntary_departure"].kind == "departure"
    assert forms["cat_deferral"].kind == "protection"
    assert forms["adjustment"].application == "Form I-485"


def test_each_completion_type_s_rule_reads_as_the_file_says() -> None:
    rules = completion_rules()
    assert set(rules) == set(CompletionType)
    removal = rules[C.REMOVAL_ORDERED]
    assert removal.completion is C.REMOVAL_ORDERED
    assert removal.label == "Removal ordered"
    assert (removal.orders_removal, removal.final_decision, removal.appealable) == (
        True,
        True,
        True,
    )
    assert removal.relief == frozenset({"protection"}) and removal.requires is None
    granted = rules[C.RELIEF_GRANTED]
    assert granted.relief == frozenset({"status", "protection"})
    assert granted.requires == "status" and not granted.orders_removal
    assert rules[C.VOLUNTARY_DEPARTURE].requires == "departure"
    absent = rules[C.IN_ABSENTIA]
    assert absent.orders_removal and absent.final_decision and not absent.appealable
    closed = rules[C.ADMINISTRATIVELY_CLOSED]
    assert not closed.final_decision and not closed.appealable and closed.relief == frozenset()
    assert str(closed.source) == "8 CFR 1003.18(c)"
    assert closed.source.read_on is None


def test_the_finality_rules_cite_what_was_read_and_what_was_assumed() -> None:
    sources = finality_sources()
    assert [(s.document, s.section, s.read_on) for s in sources] == [
        ("8 CFR", "1241.1(a)-(f)", date(2026, 12, 6)),
        ("8 CFR", "1003.39", None),
        ("Matter of Shih, 20 I&N Dec. 697 (BIA 1993)", "headnotes (1)-(2)", date(2026, 12, 6)),
    ]
    assert sources[0].assumption is None
    assert str(sources[1].assumption).startswith("Not read in the primary text on 2026-12-06")


def test_a_source_s_faults_are_named() -> None:
    where = "relief_forms.json, forms[3]"
    with pytest.raises(DataFileError) as raised:
        decisions._source(None, where)
    assert str(raised.value) == f"{where}: 'source' must be an object"
    with pytest.raises(DataFileError) as raised:
        decisions._source({"document": "8 CFR", "section": "1003.39"}, where)
    assert str(raised.value) == f"{where}: a source not read says what it assumes ('assumption')"
    with pytest.raises(DataFileError) as raised:
        decisions._source({"document": "8 CFR", "section": "1", "assumption": 3}, where)
    assert str(raised.value) == f"{where}: a source not read says what it assumes ('assumption')"
    for broken in (
        {"section": "1003.39", "read_on": "2026-12-06"},
        {"document": "8 CFR", "read_on": "2026-12-06"},
        {"document": "8 CFR", "section": "1003.39", "read_on": "6 Dec 2026"},
    ):
        with pytest.raises(DataFileError) as raised:
            decisions._source(broken, where)
        assert str(raised.value) == f"{where}: source needs document, section, a read_on date"
    read = decisions._source(
        {"document": "8 CFR", "section": "1003.39", "read_on": "2026-12-06", "assumption": 1},
        where,
    )
    assert read == Source("8 CFR", "1003.39", date(2026, 12, 6), None)
    assumed = decisions._source({"document": 8, "section": 1, "assumption": "from memory"}, where)
    assert assumed == Source("8", "1", None, "from memory")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data files read from ``tmp_path`` (copies of the shipped ones, to be edited)."""
    for name in ("relief_forms.json", "completion_types.json"):
        (tmp_path / name).write_text(resource_path(name).read_text("utf-8"), encoding="utf-8")
    monkeypatch.setattr(decisions, "resource_path", lambda name: tmp_path / name)
    return tmp_path


def _edit(path: Path, change: Any) -> None:
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_copies_of_the_shipped_files_read_as_the_shipped_rules(data_dir: Path) -> None:
    assert decisions.relief_forms.__wrapped__() == relief_forms()
    assert decisions.completion_rules.__wrapped__() == completion_rules()


def test_an_unreadable_or_wrong_data_file_is_named(data_dir: Path) -> None:
    path = data_dir / "relief_forms.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        decisions.relief_forms.__wrapped__()
    assert str(raised.value) == f"{path}: must hold an object"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        decisions.relief_forms.__wrapped__()
    assert str(raised.value).startswith(f"{path}: Expecting property name enclosed in double")
    path.unlink()
    with pytest.raises(DataFileError) as raised:
        decisions.relief_forms.__wrapped__()
    assert str(raised.value) == f"{path}: [Errno 2] No such file or directory: '{path}'"


def test_a_relief_form_of_an_unknown_kind_is_refused(data_dir: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["forms"][1]["kind"] = "parole"

    _edit(data_dir / "relief_forms.json", change)
    with pytest.raises(DataFileError) as raised:
        decisions.relief_forms.__wrapped__()
    assert str(raised.value) == "relief_forms.json, forms[1]: unknown kind 'parole'"


def test_a_relief_form_without_an_application_has_an_empty_one(data_dir: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        del data["forms"][0]["application"]
        del data["forms"][2:]

    _edit(data_dir / "relief_forms.json", change)
    forms = decisions.relief_forms.__wrapped__()
    assert list(forms) == ["asylum", "withholding"]
    assert forms["asylum"].application == ""
    assert forms["withholding"].application == "Form I-589"


def test_a_file_without_forms_has_none(data_dir: Path) -> None:
    _edit(data_dir / "relief_forms.json", lambda data: data.pop("forms"))
    assert decisions.relief_forms.__wrapped__() == {}


def test_an_unknown_or_missing_completion_type_is_refused(data_dir: Path) -> None:
    path = data_dir / "completion_types.json"

    def unknown(data: dict[str, Any]) -> None:
        data["types"][2]["code"] = "deported"

    _edit(path, unknown)
    with pytest.raises(DataFileError) as raised:
        decisions.completion_rules.__wrapped__()
    assert str(raised.value) == "completion_types.json, types[2]: unknown completion 'deported'"

    def missing(data: dict[str, Any]) -> None:
        data["types"] = [t for t in data["types"] if t["code"] not in ("other", "dismissed")]

    _edit(data_dir / "completion_types.json", lambda data: data.update(types=[]))
    with pytest.raises(DataFileError) as raised:
        decisions.completion_rules.__wrapped__()
    assert str(raised.value).startswith("completion_types.json: no rule for [")
    path.write_text(resource_path("completion_types.json").read_text("utf-8"), encoding="utf-8")
    _edit(path, missing)
    with pytest.raises(DataFileError) as raised:
        decisions.completion_rules.__wrapped__()
    assert str(raised.value) == (
        f"completion_types.json: no rule for {[CompletionType.DISMISSED, CompletionType.OTHER]}"
    )


def test_a_completion_s_requirement_left_empty_requires_nothing(data_dir: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["types"][1]["requires"] = ""
        data["types"][0]["relief"] = None

    _edit(data_dir / "completion_types.json", change)
    rules = decisions.completion_rules.__wrapped__()
    assert rules[C.VOLUNTARY_DEPARTURE].requires is None
    assert rules[C.REMOVAL_ORDERED].relief == frozenset()


def test_finality_sources_missing_from_the_file_are_none(data_dir: Path) -> None:
    _edit(data_dir / "completion_types.json", lambda data: data.pop("finality_sources"))
    assert finality_sources() == []


# --- the pleading --------------------------------------------------------------------------


def test_a_pleading_is_refused_for_each_fault_it_has() -> None:
    assert check_pleading(pleading()) is None
    twice = [
        AllegationPlea(number=1, text="Not a citizen", plea=Plea.ADMITTED),
        AllegationPlea(number=1, text="A native of Guatemala", plea=Plea.DENIED),
    ]
    assert check_pleading(pleading(allegations=twice)) == (
        "each factual allegation is numbered once"
    )
    charges = [
        ChargePlea(charge="INA 212(a)(6)(A)(i)", plea=Plea.DENIED),
        ChargePlea(charge=" ina 212(a)(6)(a)(i) ", plea=Plea.ADMITTED),
    ]
    assert check_pleading(pleading(charges=charges)) == "each charge is pleaded to once"
    assert check_pleading(pleading(designation_declined=True)) == (
        "the respondent either designates a country of removal or declines to, not both"
    )
    declined = pleading(designated_country=None, designation_declined=True)
    assert check_pleading(declined) is None
    assert check_pleading(pleading(designated_country="")) is None
    assert check_pleading(pleading(relief_sought=["parole", "asylum", "u_visa"])) == (
        "unknown form of relief: parole, u_visa"
    )
    assert check_pleading(pleading(relief_sought=["asylum", "withholding", "asylum"])) == (
        "each form of relief is sought once"
    )


def test_the_latest_pleading_is_the_last_one_pleaded_then_recorded() -> None:
    early = pleading(id=_id("early"), pleaded_on=date(2026, 9, 1))
    first = pleading(id=_id("first"), recorded_at=AT)
    amended = pleading(id=_id("amended"), recorded_at=datetime(2026, 12, 8, 18, 5, tzinfo=UTC))
    elsewhere = pleading(id=_id("elsewhere"), case_id=_id("other"), pleaded_on=date(2027, 1, 1))
    assert latest_pleading([amended, early, first, elsewhere], CASE) == amended
    assert latest_pleading([first, early, amended], CASE) == amended
    assert latest_pleading([elsewhere], CASE) is None
    assert latest_pleading([], CASE) is None


# --- the decision ----------------------------------------------------------------------------


def test_a_decision_the_case_s_status_does_not_allow_is_refused() -> None:
    d = decision(C.TERMINATED)
    assert check_decision(d, case_status=CaseStatus.DECIDED) == (
        "the case is already decided: a new decision needs the case reopened (8 CFR 1003.23) "
        "or remanded by the Board first"
    )
    assert check_decision(d, case_status=CaseStatus.REOPENED) is None


@pytest.mark.parametrize(
    ("parties", "who"),
    [
        ([Party.RESPONDENT], "the respondent"),
        ([Party.DHS], "DHS"),
        ([Party.DHS, Party.RESPONDENT], "the respondent and DHS"),
    ],
)
def test_no_party_both_reserves_and_waives_appeal(parties: list[Party], who: str) -> None:
    d = decision(C.TERMINATED, appeal_reserved_by=parties, appeal_waived_by=parties)
    assert _pending(d) == f"{who} either reserves or waives appeal, not both"


@pytest.mark.parametrize("party", [Party.COURT, Party.PRACTITIONER])
@pytest.mark.parametrize("field", ["appeal_reserved_by", "appeal_waived_by"])
def test_only_the_respondent_or_dhs_reserves_or_waives_appeal(party: Party, field: str) -> None:
    d = decision(C.TERMINATED, **{field: [party]})
    assert _pending(d) == "appeal is reserved or waived by the respondent or DHS only"


def test_no_appeal_is_reserved_from_an_order_in_absentia_or_one_that_does_not_end_the_case() -> (
    None
):
    absent = decision(C.IN_ABSENTIA, appeal_reserved_by=[Party.RESPONDENT])
    assert _pending(absent) == (
        "no appeal lies from an order entered in absentia (INA 240(b)(5)(C)): the remedy is "
        "a motion to reopen; appeal can't be reserved"
    )
    closed = decision(C.ADMINISTRATIVELY_CLOSED, appeal_reserved_by=[Party.DHS])
    assert _pending(closed) == (
        "appeal is not reserved from administratively closed: it does not end the case"
    )
    venue = decision(C.CHANGE_OF_VENUE, appeal_reserved_by=[Party.RESPONDENT])
    assert _pending(venue) == (
        "appeal is not reserved from change of venue: it does not end the case"
    )
    # Waiving is not reserving: an in-absentia order waived by DHS is recorded.
    assert _pending(decision(C.IN_ABSENTIA, appeal_waived_by=[Party.DHS])) is None
    assert _pending(decision(C.ADMINISTRATIVELY_CLOSED)) is None


def test_an_order_in_absentia_is_entered_only_without_the_respondent() -> None:
    present = decision(C.IN_ABSENTIA, respondent_present=True)
    assert _pending(present) == (
        "an order in absentia is entered only when the respondent did not appear"
    )
    assert _pending(decision(C.IN_ABSENTIA, respondent_present=False)) is None
    assert _pending(decision(C.IN_ABSENTIA, respondent_present=None)) is None
    assert _pending(decision(C.TERMINATED, respondent_present=True)) is None


def test_an_oral_decision_has_no_service_and_a_written_one_is_served_after_it() -> None:
    oral = decision(C.TERMINATED, served_on=TUESDAY)
    assert _pending(oral) == (
        "an oral decision is stated in the parties' presence; it has no service date"
    )
    early = decision(C.TERMINATED, form=DecisionForm.WRITTEN, served_on=date(2026, 12, 7))
    assert _pending(early) == "a written decision can't be served before it was made"
    same_day = decision(C.TERMINATED, form=DecisionForm.WRITTEN, served_on=TUESDAY)
    assert _pending(same_day) is None
    assert _pending(decision(C.TERMINATED, form=DecisionForm.WRITTEN)) is None


def test_relief_granted_is_a_known_form_granted_once() -> None:
    p = [pleading()]
    unknown = decision(C.RELIEF_GRANTED, relief_granted=["asylum", "parole", "u_visa"])
    assert _pending(unknown, p) == "unknown form of relief: parole, u_visa"
    twice = decision(C.RELIEF_GRANTED, relief_granted=["asylum", "asylum"])
    assert _pending(twice, p) == "each form of relief is granted once"


def test_a_completion_grants_only_its_kinds_of_relief() -> None:
    # 8 CFR 1240.12(c): asylum ends the case without removal; withholding comes with it.
    p = [pleading(relief_sought=["asylum", "withholding", "voluntary_departure"])]
    removal = decision(C.REMOVAL_ORDERED, relief_granted=["withholding", "asylum"])
    assert _pending(removal, p) == "removal ordered does not grant Asylum"
    terminated = decision(C.TERMINATED, relief_granted=["voluntary_departure", "withholding"])
    assert _pending(terminated, p) == (
        "proceedings terminated does not grant Voluntary departure (INA § 240B), "
        "Withholding of removal (INA § 241(b)(3))"
    )
    with_protection = decision(C.REMOVAL_ORDERED, relief_granted=["withholding"])
    assert _pending(with_protection, p) is None


def test_a_grant_of_relief_names_the_relief_the_completion_requires() -> None:
    p = [pleading(relief_sought=["asylum", "withholding", "voluntary_departure"])]
    protection = decision(C.RELIEF_GRANTED, relief_granted=["withholding"])
    assert _pending(protection, p) == (
        f"relief granted names the relief granted: one of {STATUS_RELIEF}"
    )
    assert _pending(decision(C.RELIEF_GRANTED), p) == (
        f"relief granted names the relief granted: one of {STATUS_RELIEF}"
    )
    departure = decision(C.VOLUNTARY_DEPARTURE)
    assert _pending(departure, p) == (
        "voluntary departure (alternate order of removal) names the relief granted: one of "
        "Voluntary departure (INA § 240B)"
    )
    both = decision(C.RELIEF_GRANTED, relief_granted=["withholding", "asylum"])
    assert _pending(both, p) is None


def test_relief_granted_was_sought_in_the_latest_pleading() -> None:
    granted = decision(C.RELIEF_GRANTED, relief_granted=["asylum", "cancellation_nonlpr"])
    assert _pending(granted) == (
        "relief granted that was never sought (no pleading recorded): Asylum, Cancellation of "
        "removal, non-permanent residents (INA § 240A(b)(1))"
    )
    assert _pending(granted, [pleading()]) == (
        "relief granted that was never sought (the pleadings): Cancellation of removal, "
        "non-permanent residents (INA § 240A(b)(1))"
    )
    sought = pleading(id=_id("old"), relief_sought=["asylum", "cancellation_nonlpr"])
    amended = pleading(id=_id("new"), pleaded_on=date(2026, 11, 1), relief_sought=["asylum"])
    assert _pending(granted, [sought]) is None
    assert _pending(granted, [amended, sought]) == (
        "relief granted that was never sought (the pleadings): Cancellation of removal, "
        "non-permanent residents (INA § 240A(b)(1))"
    )
    elsewhere = pleading(id=_id("else"), case_id=_id("other"), relief_sought=["asylum"])
    assert _pending(decision(C.RELIEF_GRANTED, relief_granted=["asylum"]), [elsewhere]) == (
        "relief granted that was never sought (no pleading recorded): Asylum"
    )


@pytest.mark.parametrize("country", [None, "", "   "])
def test_an_order_of_removal_names_the_country(country: str | None) -> None:
    # INA 241(b)(2): the country designated, or, when declined, the one the judge names.
    d = decision(C.REMOVAL_ORDERED, removal_country=country)
    assert _pending(d) == (
        "removal is ordered to a country: name the country of removal (INA 241(b)(2))"
    )
    assert _pending(d, [pleading()]) == (
        "removal is ordered to a country: name the country of removal (INA 241(b)(2))"
    )
    declined = pleading(id=_id("declined"), designated_country=None, designation_declined=True)
    assert _pending(d, [declined]) == (
        "removal is ordered to a country: the respondent declined to designate one, so the "
        "judge names it (INA 241(b)(2)(C)-(E))"
    )
    # A later pleading designating a country replaces the declination.
    later = pleading(id=_id("later"), pleaded_on=date(2026, 11, 1))
    assert _pending(d, [declined, later]) == (
        "removal is ordered to a country: name the country of removal (INA 241(b)(2))"
    )


def test_a_decision_without_removal_names_no_country() -> None:
    d = decision(C.TERMINATED, removal_country="Guatemala")
    assert _pending(d) == (
        "proceedings terminated orders no removal: leave the country of removal empty"
    )
    assert _pending(decision(C.TERMINATED, removal_country="")) is None
    assert _pending(decision(C.IN_ABSENTIA)) is None


# --- the service of a written decision ----------------------------------------------------------


def test_only_a_written_decision_s_service_is_recorded_after_it_once() -> None:
    written = decision(C.TERMINATED, form=DecisionForm.WRITTEN)
    served = written.model_copy(update={"served_on": date(2026, 12, 10)})
    assert check_service_recorded(written, served) is None
    assert check_service_recorded(written, written.model_copy(update={"served_on": TUESDAY})) is (
        None
    )
    oral = decision(C.TERMINATED)
    assert check_service_recorded(oral, oral.model_copy(update={"served_on": TUESDAY})) == (
        "a decision is not edited; reopen the case to decide it again"
    )
    assert check_service_recorded(served, served) == (
        "the written decision's service is already recorded; a decision is not edited"
    )
    assert check_service_recorded(written, written) == (
        "record the day the written decision was served"
    )
    edited = served.model_copy(update={"removal_country": "Mexico"})
    assert check_service_recorded(written, edited) == (
        "only the service date of a written decision is recorded after it; a decision is not edited"
    )
    early = written.model_copy(update={"served_on": date(2026, 12, 7)})
    assert check_service_recorded(written, early) == (
        "a written decision can't be served before it was made"
    )


# --- the status once unsent decisions are applied ---------------------------------------------


def test_unsent_decisions_apply_in_the_order_they_were_decided() -> None:
    terminated = decision(C.TERMINATED, id=_id("t"), decided_on=date(2026, 12, 8))
    closed = decision(C.ADMINISTRATIVELY_CLOSED, id=_id("c"), decided_on=date(2026, 12, 9))
    # Terminated first (decided), then closing a decided case is no transition: skipped.
    assert effective_status(CaseStatus.PENDING, [closed, terminated]) is CaseStatus.DECIDED
    assert effective_status(CaseStatus.PENDING, [terminated, closed]) is CaseStatus.DECIDED
    # The same day: the one recorded first applies first.
    first = closed.model_copy(update={"decided_on": TUESDAY, "recorded_at": AT})
    second = terminated.model_copy(update={"recorded_at": datetime(2026, 12, 8, 18, 1, tzinfo=UTC)})
    assert effective_status(CaseStatus.PENDING, [second, first]) is CaseStatus.ADMIN_CLOSED
    assert effective_status(CaseStatus.PENDING, []) is CaseStatus.PENDING
    assert effective_status(CaseStatus.REOPENED, [terminated]) is CaseStatus.DECIDED


# --- finality -------------------------------------------------------------------------------------


def test_every_party_must_waive_for_all_waived() -> None:
    assert all_waived(decision(C.TERMINATED, appeal_waived_by=[Party.DHS, Party.RESPONDENT]))
    assert not all_waived(decision(C.TERMINATED, appeal_waived_by=[Party.RESPONDENT]))
    assert not all_waived(decision(C.TERMINATED, appeal_waived_by=[Party.DHS]))
    assert not all_waived(decision(C.TERMINATED))


@pytest.mark.parametrize(
    ("completion", "label", "citation"),
    [
        (C.ADMINISTRATIVELY_CLOSED, "Administratively closed", "8 CFR 1003.18(c)"),
        (C.CHANGE_OF_VENUE, "Change of venue", "8 CFR 1003.20(b)"),
    ],
)
def test_a_decision_that_does_not_end_the_case_is_never_final(
    completion: CompletionType, label: str, citation: str
) -> None:
    d = decision(completion, appeal_waived_by=[Party.RESPONDENT, Party.DHS])
    assert finality(d, case_status=CaseStatus.PENDING, board_final_on=TUESDAY) == Finality(
        None, f"{label} does not end the proceedings; no final decision", citation
    )


def test_an_order_in_absentia_is_final_on_entry_8_cfr_1241_1_e() -> None:
    d = decision(C.IN_ABSENTIA)
    assert finality(d, case_status=CaseStatus.DECIDED) == Finality(
        TUESDAY, "entered in absentia: final upon entry", "8 CFR 1241.1(e)"
    )


@pytest.mark.parametrize("completion", [C.REMOVAL_ORDERED, C.VOLUNTARY_DEPARTURE])
def test_an_order_of_removal_the_respondent_waived_is_final_that_day(
    completion: CompletionType,
) -> None:
    # 8 CFR 1241.1(b): "upon waiver of appeal by the respondent"; Matter of Shih.
    d = decision(completion, appeal_waived_by=[Party.RESPONDENT])
    assert finality(d, case_status=CaseStatus.DECIDED) == Finality(
        TUESDAY,
        "the respondent waived appeal: final that day",
        "8 CFR 1241.1(b); Matter of Shih, 20 I&N Dec. 697 (BIA 1993)",
    )


def test_dhs_waiving_alone_does_not_make_an_order_of_removal_final() -> None:
    d = decision(C.REMOVAL_ORDERED, appeal_waived_by=[Party.DHS])
    assert finality(d, case_status=CaseStatus.DECIDED).final_on == date(2027, 1, 7)


@pytest.mark.parametrize("completion", [C.TERMINATED, C.RELIEF_GRANTED, C.DISMISSED, C.OTHER])
def test_any_other_decision_is_final_once_every_party_waived(completion: CompletionType) -> None:
    # 8 CFR 1003.39: upon waiver of appeal (by each party, either of whom may appeal).
    d = decision(completion, appeal_waived_by=[Party.RESPONDENT, Party.DHS])
    assert finality(d, case_status=CaseStatus.DECIDED) == Finality(
        TUESDAY,
        "both parties waived appeal: final that day",
        "8 CFR 1003.39; Matter of Shih, 20 I&N Dec. 697 (BIA 1993)",
    )
    respondent_only = decision(completion, appeal_waived_by=[Party.RESPONDENT])
    assert finality(respondent_only, case_status=CaseStatus.DECIDED).final_on == date(2027, 1, 7)


def test_the_board_s_dismissal_makes_the_decision_final_that_day_8_cfr_1241_1_a() -> None:
    d = decision(C.REMOVAL_ORDERED, appeal_reserved_by=[Party.RESPONDENT])
    board_day = date(2027, 2, 9)
    expected = Finality(
        board_day,
        "the Board dismissed the appeal or affirmed: final on its decision of Tue 9 Feb 2027",
        "8 CFR 1241.1(a); 8 CFR 1003.1(d)(7), (e)(4)",
    )
    assert finality(d, case_status=CaseStatus.APPEALED, board_final_on=board_day) == expected
    assert finality(d, case_status=CaseStatus.DECIDED, board_final_on=board_day) == expected
    same_day = finality(d, case_status=CaseStatus.APPEALED, board_final_on=TUESDAY)
    assert same_day.final_on == TUESDAY
    # A Board decision of an earlier round (before this decision) decides nothing of it.
    earlier = finality(d, case_status=CaseStatus.APPEALED, board_final_on=date(2026, 12, 7))
    assert earlier == Finality(
        None, "appealed: final when the Board decides (issue 15)", "8 CFR 1241.1(a)"
    )


def test_unless_appealed_a_decision_is_final_when_the_time_to_appeal_runs_out() -> None:
    # 8 CFR 1003.38(b): 30 days from an oral decision of Tue 8 Dec 2026: Thu 7 Jan 2027.
    d = decision(C.REMOVAL_ORDERED, appeal_reserved_by=[Party.RESPONDENT])
    assert finality(d, case_status=CaseStatus.DECIDED) == Finality(
        date(2027, 1, 7),
        "final when the time to appeal runs out, at the end of Thu 7 Jan 2027, unless an "
        "appeal is filed",
        "8 CFR 1241.1(c); 8 CFR 1003.39; 8 CFR 1003.38(b); BIA Practice Manual Chapter 4.5(a) "
        "(Due date) and 3.1(b)(2) (Computation of time)",
        appeal_due=date(2027, 1, 7),
    )


def test_a_written_decision_not_yet_served_has_no_day_to_appeal_yet() -> None:
    d = decision(C.TERMINATED, form=DecisionForm.WRITTEN)
    assert finality(d, case_status=CaseStatus.DECIDED) == Finality(
        None,
        "a written decision: the time to appeal runs from its service, not yet recorded",
        "8 CFR 1003.38(b)",
    )
    # Served Thu 10 Dec 2026: 30 days is Sat 9 Jan 2027 -> Mon 11 Jan.
    served = d.model_copy(update={"served_on": date(2026, 12, 10)})
    final = finality(served, case_status=CaseStatus.DECIDED)
    assert final.final_on == final.appeal_due == date(2027, 1, 11)


def test_a_day_the_board_is_closed_moves_the_last_day_to_appeal() -> None:
    closed = Closure(
        id="bia-closure",
        courts=frozenset({"BIA"}),
        kind=ClosureKind.EMERGENCY_CLOSURE,
        closed_from=date(2027, 1, 7),
        closed_to=date(2027, 1, 7),
        reason="snow",
        announcement="EOIR announcement",
    )
    board = CourtCalendar("BIA", (closed,), "test")
    d = decision(C.REMOVAL_ORDERED, appeal_reserved_by=[Party.RESPONDENT])
    final = finality(d, case_status=CaseStatus.DECIDED, board=board)
    assert final.final_on == final.appeal_due == date(2027, 1, 8)


def test_the_latest_decision_is_the_last_one_decided_then_recorded() -> None:
    first = decision(C.REMOVAL_ORDERED, id=_id("first"), decided_on=date(2026, 12, 1))
    again = decision(C.TERMINATED, id=_id("again"))
    corrected = decision(
        C.TERMINATED, id=_id("corrected"), recorded_at=datetime(2026, 12, 8, 18, 1, tzinfo=UTC)
    )
    elsewhere = decision(C.IN_ABSENTIA, id=_id("elsewhere"), case_id=_id("other"))
    assert latest_decision([corrected, first, again, elsewhere], CASE) == corrected
    assert latest_decision([again, corrected, first], CASE) == corrected
    assert latest_decision([elsewhere], CASE) is None
    assert latest_decision([], CASE) is None


# --- the order's fields ---------------------------------------------------------------------------


def test_an_order_after_removal_starts_from_every_field_of_the_decision() -> None:
    d = decision(
        C.REMOVAL_ORDERED,
        relief_granted=["cat_deferral", "withholding"],
        appeal_reserved_by=[Party.RESPONDENT],
        appeal_waived_by=[Party.DHS],
    )
    assert order_fields(d, pleading()) == (
        ("decision_date", "2026-12-08"),
        ("decision_form", "oral"),
        ("disposition", "removal_ordered"),
        ("removability", "sustained"),
        ("removal_country", "Guatemala"),
        ("appeal_respondent", "reserved"),
        ("appeal_dhs", "waived"),
        ("asylum", "denied"),
        ("withholding", "granted"),
        ("cat_withholding", "denied"),
        ("cat_deferral", "granted"),
    )


@pytest.mark.parametrize(
    ("completion", "disposition"),
    [
        (C.VOLUNTARY_DEPARTURE, "voluntary_departure"),
        (C.RELIEF_GRANTED, "relief_granted"),
    ],
)
def test_a_decision_sustaining_the_charges_says_so(
    completion: CompletionType, disposition: str
) -> None:
    d = decision(completion, form=DecisionForm.WRITTEN, served_on=TUESDAY)
    assert order_fields(d, None) == (
        ("decision_date", "2026-12-08"),
        ("decision_form", "written"),
        ("disposition", disposition),
        ("removability", "sustained"),
        *((("removal_country", "Guatemala"),) if completion is C.VOLUNTARY_DEPARTURE else ()),
    )


@pytest.mark.parametrize("completion", [C.TERMINATED, C.DISMISSED])
def test_a_terminated_or_dismissed_case_is_terminated_without_removability(
    completion: CompletionType,
) -> None:
    d = decision(completion, appeal_waived_by=[Party.RESPONDENT], appeal_reserved_by=[Party.DHS])
    assert order_fields(d, None) == (
        ("decision_date", "2026-12-08"),
        ("decision_form", "oral"),
        ("disposition", "terminated"),
        ("appeal_respondent", "waived"),
        ("appeal_dhs", "reserved"),
    )


@pytest.mark.parametrize(
    "completion", [C.IN_ABSENTIA, C.ADMINISTRATIVELY_CLOSED, C.CHANGE_OF_VENUE, C.OTHER]
)
def test_a_completion_the_removal_decision_does_not_print_has_no_disposition(
    completion: CompletionType,
) -> None:
    fields = dict(order_fields(decision(completion), pleading(relief_sought=[])))
    assert "disposition" not in fields and "removability" not in fields
    assert "appeal_respondent" not in fields and "appeal_dhs" not in fields


def test_relief_granted_but_not_in_the_pleading_is_listed_after_what_was_sought() -> None:
    d = decision(C.RELIEF_GRANTED, relief_granted=["adjustment", "asylum"])
    fields = order_fields(d, pleading(relief_sought=["asylum", "withholding"]))
    assert fields[-3:] == (
        ("asylum", "granted"),
        ("withholding", "denied"),
        ("adjustment", "granted"),
    )


def test_a_broken_finality_source_is_named_by_its_place(data_dir: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        del data["finality_sources"][1]["assumption"]

    _edit(data_dir / "completion_types.json", change)
    with pytest.raises(DataFileError) as raised:
        finality_sources()
    assert str(raised.value) == (
        "completion_types.json, finality_sources[1]: a source not read says what it assumes "
        "('assumption')"
    )


def test_an_unsent_decision_the_case_can_t_take_is_skipped_and_the_next_applies() -> None:
    # A case opened (NTA filed, not yet calendared) can't be decided, but its venue can
    # change (8 CFR 1003.20(b)): the decision is skipped, the change of venue applies.
    decided = decision(C.TERMINATED, id=_id("t"), decided_on=date(2026, 12, 8))
    venue = decision(C.CHANGE_OF_VENUE, id=_id("v"), decided_on=date(2026, 12, 9))
    assert effective_status(CaseStatus.OPENED, [venue, decided]) is CaseStatus.PENDING
