"""Orders and decisions: templates as data, merge fields, and the checks before signing.

A template (``resources/order_templates/*.json``) declares typed fields, the clauses each
value adds to the order, the default body text with ``{merge}`` fields, and the named
consistency rules that apply. Everything here is pure, so the desktop editor (to show a
message beside the field) and the server (to refuse an unlawful signed order) run the same
checks.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from common.adjournment import load_adjournment_codes
from common.anumber import format_a_number
from common.court_time import format_date as court_format_date
from common.enums import DocumentType, OrderStatus
from common.resources import DataFileError, read_data_file, resources_dir
from common.wire import Order

TEMPLATES_FOLDER = "order_templates"
OUTCOMES: dict[str, str] = {
    "not_applied": "Not applied for",
    "granted": "Granted",
    "denied": "Denied",
    "withdrawn": "Withdrawn",
}
FIELD_KINDS = frozenset(
    {"text", "longtext", "date", "time", "choice", "outcome", "money", "adjournment_code"}
)
_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


@dataclass(frozen=True)
class FieldDef:
    """One structured field of a template."""

    key: str
    label: str
    kind: str
    required: bool = False
    required_when: tuple[str, tuple[str, ...]] | None = None
    choices: tuple[tuple[str, str], ...] = ()
    clauses: Mapping[str, str] = field(default_factory=dict)
    default: str | None = None
    help: str = ""

    def options(self) -> tuple[tuple[str, str], ...]:
        """(value, label) pairs a value may take; empty for free-form kinds."""
        if self.kind == "outcome":
            return tuple(OUTCOMES.items())
        if self.kind == "adjournment_code":
            return _adjournment_options()
        return self.choices


@lru_cache(maxsize=1)
def _adjournment_options() -> tuple[tuple[str, str], ...]:
    return tuple((c.code, f"{c.code} — {c.description}") for c in load_adjournment_codes().values())


@dataclass(frozen=True)
class OrderTemplate:
    key: str
    version: str
    title: str
    document_title: str
    doc_type: DocumentType
    caption: str
    body: str
    fields: tuple[FieldDef, ...]
    rules: tuple[str, ...]
    case_types: tuple[str, ...]

    def field(self, key: str) -> FieldDef:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


# --- loading -------------------------------------------------------------------------------


def _field_from(raw: Mapping[str, Any], where: str) -> FieldDef:
    kind = str(raw.get("type", ""))
    if kind not in FIELD_KINDS:
        raise DataFileError(f"{where}: unknown field type {kind!r}")
    when = raw.get("required_when")
    return FieldDef(
        key=str(raw["key"]),
        label=str(raw["label"]),
        kind=kind,
        required=bool(raw.get("required", False)),
        required_when=(str(when["field"]), tuple(str(v) for v in when["in"])) if when else None,
        choices=tuple((str(c["value"]), str(c["label"])) for c in raw.get("choices", ())),
        clauses={str(k): str(v) for k, v in raw.get("clauses", {}).items()},
        default=None if raw.get("default") is None else str(raw["default"]),
        help=str(raw.get("help", "")),
    )


def parse_template(data: Mapping[str, Any], where: str = "template") -> OrderTemplate:
    """A template from its JSON object; a malformed one raises :class:`DataFileError`."""
    try:
        fields = tuple(_field_from(f, f"{where} field {i}") for i, f in enumerate(data["fields"]))
        template = OrderTemplate(
            key=str(data["key"]),
            version=str(data["version"]),
            title=str(data["title"]),
            document_title=str(data["document_title"]),
            doc_type=DocumentType(data["doc_type"]),
            caption=str(data["caption"]),
            body=str(data["body"]),
            fields=fields,
            rules=tuple(str(r) for r in data.get("rules", ())),
            case_types=tuple(str(t) for t in data.get("case_types", ())),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise DataFileError(f"{where}: {err!s}") from err
    unknown = [r for r in template.rules if r not in RULES]
    if unknown:
        raise DataFileError(f"{where}: unknown rules {unknown}")
    keys = {f.key for f in fields}
    for f in fields:
        if f.required_when and f.required_when[0] not in keys:
            raise DataFileError(f"{where}: {f.key} depends on unknown field {f.required_when[0]}")
    known = merge_keys(template)
    texts = [template.body, *(t for f in fields for t in f.clauses.values())]
    stray = sorted({p for t in texts for p in _PLACEHOLDER.findall(t)} - known)
    if stray:
        raise DataFileError(f"{where}: unknown merge fields {stray}")
    return template


@lru_cache(maxsize=4)
def _load_all(folder: Path) -> dict[tuple[str, str], OrderTemplate]:
    found: dict[tuple[str, str], OrderTemplate] = {}
    for path in sorted(folder.rglob("*.json")):
        template = parse_template(read_data_file(path), path.name)
        found[(template.key, template.version)] = template
    return found


@lru_cache(maxsize=4)
def _current(folder: Path) -> dict[str, OrderTemplate]:
    # The files at the top of the folder are the versions in force; older versions kept in
    # sub-folders still render the orders drafted with them.
    return {
        t.key: t
        for path in sorted(folder.glob("*.json"))
        for t in [parse_template(read_data_file(path), path.name)]
    }


def templates_folder() -> Path:
    return resources_dir() / TEMPLATES_FOLDER


def current_templates() -> dict[str, OrderTemplate]:
    """The templates in force, by key, in file-name order."""
    return _current(templates_folder())


def template_for(key: str, version: str | None = None) -> OrderTemplate:
    """The template ``key`` at ``version`` (default: the one in force); ``KeyError`` with
    a readable message when there is no such template."""
    if version is None:
        try:
            return current_templates()[key]
        except KeyError:
            raise KeyError(f"no order template {key!r}") from None
    try:
        return _load_all(templates_folder())[(key, version)]
    except KeyError:
        raise KeyError(f"no order template {key!r} version {version!r}") from None


# --- the case's facts and merge fields -----------------------------------------------------


@dataclass(frozen=True)
class Counsel:
    """A practitioner of record, to be served."""

    user_id: str
    name: str


@dataclass(frozen=True)
class CaseFacts:
    """What a template needs to know about the case, gathered by the client from its local
    copy and by the server from its database, so both render the same order."""

    case_id: str
    a_number: str
    respondent_name: str
    nationality: str
    case_type: str
    charges: tuple[str, ...]
    court_name: str
    court_address: str
    judge_id: str | None
    judge_name: str
    counsel: tuple[Counsel, ...] = ()
    # The court's IANA zone: an order's dates are the court's (common/court_time.py); empty
    # (a court not known) reads as UTC and is shown as such.
    court_timezone: str = ""


_CASE_MERGE_KEYS = frozenset(
    {
        "a_number",
        "respondent_name",
        "nationality",
        "charges",
        "court_name",
        "court_address",
        "judge_name",
        "counsel",
        "counsel_phrase",
        "today",
    }
)


def merge_keys(template: OrderTemplate) -> frozenset[str]:
    """Every ``{name}`` a template's texts may use: the case's facts, each field's value,
    and ``<field>_label`` for fields with a closed list of values."""
    own = {f.key for f in template.fields} | {
        f"{f.key}_label" for f in template.fields if f.options()
    }
    return _CASE_MERGE_KEYS | own


def format_date(value: date) -> str:
    """A date as orders print it (the house style of :mod:`common.court_time`)."""
    return court_format_date(value)


def format_money(value: Decimal) -> str:
    return f"${value:,.2f}"


def _parse_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _parse_money(value: object) -> Decimal | None:
    try:
        amount = Decimal(str(value).replace(",", "").replace("$", "").strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _shown(f: FieldDef, value: object) -> str:
    if value in (None, ""):
        return ""
    if f.kind == "date":
        parsed = _parse_date(value)
        return format_date(parsed) if parsed else str(value)
    if f.kind == "money":
        amount = _parse_money(value)
        return format_money(amount) if amount is not None else str(value)
    return str(value)


def merge_values(
    template: OrderTemplate, facts: CaseFacts, fields: Mapping[str, Any], today: date
) -> dict[str, str]:
    counsel = ", ".join(c.name for c in facts.counsel)
    values = {
        "a_number": format_a_number(facts.a_number),
        "respondent_name": facts.respondent_name,
        "nationality": facts.nationality,
        "charges": "; ".join(facts.charges) or "(none recorded)",
        "court_name": facts.court_name,
        "court_address": facts.court_address,
        "judge_name": facts.judge_name,
        "counsel": counsel or "none (pro se)",
        "counsel_phrase": f"through counsel, {counsel}" if counsel else "pro se",
        "today": format_date(today),
    }
    for f in template.fields:
        raw = fields.get(f.key)
        values[f.key] = _shown(f, raw)
        options = dict(f.options())
        if options:
            values[f"{f.key}_label"] = options.get(str(raw), str(raw or ""))
    return values


def merge(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each known ``{name}`` replaced; unknown names are left as written (the
    checks report them)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def clauses(
    template: OrderTemplate, facts: CaseFacts, fields: Mapping[str, Any], today: date
) -> list[str]:
    """The operative paragraphs of the order, in the template's field order: a field adds
    the clause for its value (or its ``*`` clause when it has any value)."""
    values = merge_values(template, facts, fields, today)
    out = []
    for f in template.fields:
        raw = fields.get(f.key)
        if raw in (None, ""):
            continue
        text = f.clauses.get(str(raw)) or f.clauses.get("*")
        if text:
            out.append(merge(text, values))
    return out


def default_fields(template: OrderTemplate, facts: CaseFacts, today: date) -> dict[str, Any]:
    """Starting values: ``@today``, ``@today+N`` (days) and ``@court_address``; every
    outcome starts as "not applied for" so the judge changes only what was decided."""
    out: dict[str, Any] = {}
    for f in template.fields:
        if f.kind == "outcome":
            out[f.key] = "not_applied"
        if f.default is None:
            continue
        if f.default == "@court_address":
            out[f.key] = facts.court_address
        elif f.default.startswith("@today"):
            days = int(f.default[len("@today") :] or 0)
            out[f.key] = (today + timedelta(days=days)).isoformat()
        else:
            out[f.key] = f.default
    return out


def new_draft(
    template: OrderTemplate,
    facts: CaseFacts,
    judge_id: str,
    today: date,
    *,
    corrects: Order | None = None,
) -> Order:
    """A new draft order of ``template`` for the case; a correction starts from the fields
    and text of the order it corrects."""
    fields = default_fields(template, facts, today)
    body = template.body
    if corrects is not None:
        fields.update(corrects.fields)
        body = corrects.body
    return Order(
        id=str(uuid.uuid4()),
        case_id=facts.case_id,
        judge_id=judge_id,
        template=template.key,
        template_version=template.version,
        fields=fields,
        body=body,
        corrects_order_id=corrects.id if corrects is not None else None,
    )


# --- checks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """What to fix before signing: ``field`` is a field key, ``"body"``, or ``""`` for
    the order as a whole."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


def _is_set(value: object) -> bool:
    return value not in (None, "") and not (isinstance(value, str) and not value.strip())


def _check_value(f: FieldDef, value: object) -> str | None:
    if f.kind in ("text", "longtext"):
        limit = 2000 if f.kind == "longtext" else 300
        if not isinstance(value, str):
            return "must be text"
        return f"is too long (at most {limit} characters)" if len(value) > limit else None
    if f.kind == "date":
        return None if _parse_date(value) else "must be a date (YYYY-MM-DD)"
    if f.kind == "time":
        return None if _TIME.fullmatch(str(value)) else "must be a time as HH:MM (24-hour)"
    if f.kind == "money":
        amount = _parse_money(value)
        if amount is None or amount <= 0:
            return "must be an amount in dollars greater than zero"
        return None
    allowed = dict(f.options())
    if str(value) not in allowed:
        return "must be one of: " + ", ".join(allowed.values())
    return None


def _field_problems(template: OrderTemplate, fields: Mapping[str, Any]) -> list[Problem]:
    problems = []
    keys = {f.key for f in template.fields}
    for stray in sorted(set(fields) - keys):
        problems.append(Problem(stray, f"is not a field of {template.title!r}"))
    for f in template.fields:
        value = fields.get(f.key)
        needed = f.required or (
            f.required_when is not None
            and str(fields.get(f.required_when[0])) in f.required_when[1]
        )
        if not _is_set(value):
            if needed:
                why = ""
                if f.required_when and not f.required:
                    cause = template.field(f.required_when[0])
                    shown = dict(cause.options()).get(str(fields.get(cause.key)), "")
                    why = f" when {cause.label} is {shown!r}"
                problems.append(Problem(f.key, f"{f.label} is required{why}"))
            continue
        wrong = _check_value(f, value)
        if wrong:
            problems.append(Problem(f.key, f"{f.label} {wrong}"))
    return problems


Rule = Callable[[Mapping[str, Any]], list[Problem]]


def _rule_withholding_without_asylum(fields: Mapping[str, Any]) -> list[Problem]:
    # Withholding (or CAT protection) bars removal to one country only; it presupposes an
    # order of removal, so without asylum the order must order removal.
    protected = [k for k in ("withholding", "cat") if fields.get(k) == "granted"]
    if (
        protected
        and fields.get("asylum") != "granted"
        and fields.get("disposition") != "removal_ordered"
    ):
        what = " and ".join(
            {"withholding": "withholding of removal", "cat": "CAT protection"}[k] for k in protected
        )
        return [
            Problem(
                "disposition",
                f"{what} granted without asylum: the order must also order removal "
                "(choose 'Removal ordered' and name the country)",
            )
        ]
    return []


def _rule_granted_status_excludes_removal(fields: Mapping[str, Any]) -> list[Problem]:
    granted = [k for k in ("asylum", "cancellation", "adjustment") if fields.get(k) == "granted"]
    if granted and fields.get("disposition") in ("removal_ordered", "voluntary_departure"):
        return [
            Problem(
                "disposition",
                f"{', '.join(granted)} granted gives the respondent status: removal or "
                "voluntary departure can't also be ordered (choose 'Relief granted')",
            )
        ]
    return []


def _rule_relief_granted_needs_a_grant(fields: Mapping[str, Any]) -> list[Problem]:
    if fields.get("disposition") != "relief_granted":
        return []
    if any(fields.get(k) == "granted" for k in ("asylum", "cancellation", "adjustment")):
        return []
    return [
        Problem(
            "disposition",
            "'Relief granted' needs asylum, cancellation of removal or adjustment of status "
            "granted",
        )
    ]


def _rule_voluntary_departure_terms(fields: Mapping[str, Any]) -> list[Problem]:
    granted = fields.get("voluntary_departure") == "granted"
    chosen = fields.get("disposition") == "voluntary_departure"
    problems = []
    if chosen and not granted:
        problems.append(
            Problem("voluntary_departure", "the disposition is voluntary departure: grant it")
        )
    if granted and not chosen and fields.get("disposition") is not None:
        problems.append(
            Problem(
                "disposition",
                "voluntary departure is granted: choose the voluntary departure disposition "
                "(with its alternate order of removal)",
            )
        )
    if granted:
        decided = _parse_date(fields.get("decision_date"))
        depart = _parse_date(fields.get("vd_depart_by"))
        if decided and depart and not decided < depart <= decided + timedelta(days=120):
            problems.append(
                Problem("vd_depart_by", "Depart by must fall 1 to 120 days after the decision")
            )
        bond = _parse_money(fields.get("vd_bond"))
        if bond is not None and 0 < bond < 500:
            problems.append(Problem("vd_bond", "the voluntary departure bond is at least $500"))
    return problems


def _rule_removal_needs_a_country(fields: Mapping[str, Any]) -> list[Problem]:
    if fields.get("removability") == "not_sustained" and fields.get("disposition") in (
        "removal_ordered",
        "voluntary_departure",
    ):
        return [
            Problem(
                "disposition",
                "the charges are not sustained: removal can't be ordered (terminate instead)",
            )
        ]
    return []


def _rule_continuance_needs_code(fields: Mapping[str, Any]) -> list[Problem]:
    continuance = fields.get("motion") == "continuance"
    if continuance and fields.get("ruling") == "granted":
        return [
            Problem(key, f"a granted continuance needs {what}")
            for key, what in (
                ("adjournment_code", "an adjournment code"),
                ("next_hearing", "the date it is continued to"),
            )
            if not _is_set(fields.get(key))
        ]
    if not continuance and _is_set(fields.get("adjournment_code")):
        return [Problem("adjournment_code", "only a continuance takes an adjournment code")]
    return []


def _rule_venue_needs_court(fields: Mapping[str, Any]) -> list[Problem]:
    granted_venue = fields.get("motion") == "change_of_venue" and fields.get("ruling") == "granted"
    if granted_venue and not _is_set(fields.get("new_court")):
        return [Problem("new_court", "name the court the case moves to")]
    if not granted_venue and _is_set(fields.get("new_court")):
        return [Problem("new_court", "only a granted change of venue names a new court")]
    return []


def _rule_bond_amount_matches_decision(fields: Mapping[str, Any]) -> list[Problem]:
    amount = _parse_money(fields.get("amount"))
    if fields.get("decision") == "granted":
        if amount is not None and 0 < amount < 1500:
            return [Problem("amount", "a bond under INA § 236(a) is at least $1,500")]
    elif _is_set(fields.get("amount")):
        return [Problem("amount", "only a bond that is granted has an amount")]
    return []


def _rule_hearing_after_notice(fields: Mapping[str, Any]) -> list[Problem]:
    notice = _parse_date(fields.get("notice_date"))
    hearing = _parse_date(fields.get("hearing_date"))
    if notice and hearing and hearing <= notice:
        return [Problem("hearing_date", "the hearing must be after the date of the notice")]
    return []


RULES: dict[str, Rule] = {
    "withholding_without_asylum_orders_removal": _rule_withholding_without_asylum,
    "granted_status_excludes_removal": _rule_granted_status_excludes_removal,
    "relief_granted_needs_a_grant": _rule_relief_granted_needs_a_grant,
    "voluntary_departure_terms": _rule_voluntary_departure_terms,
    "removal_needs_a_country": _rule_removal_needs_a_country,
    "continuance_needs_code": _rule_continuance_needs_code,
    "venue_needs_court": _rule_venue_needs_court,
    "bond_amount_matches_decision": _rule_bond_amount_matches_decision,
    "hearing_after_notice": _rule_hearing_after_notice,
}
"""Consistency rules a template may name. Each sees all fields, returns what to fix."""


def check_order(template: OrderTemplate, fields: Mapping[str, Any], body: str) -> list[Problem]:
    """Everything that stops the order being signed, field by field (empty: ready)."""
    problems = _field_problems(template, fields)
    for name in template.rules:
        problems += RULES[name](fields)
    stray = sorted(set(_PLACEHOLDER.findall(body)) - merge_keys(template))
    if stray:
        problems.append(Problem("body", "unknown merge fields in the text: " + ", ".join(stray)))
    if len(body) > 20_000:
        problems.append(Problem("body", "the text is too long (at most 20,000 characters)"))
    return problems


def check_record(order: Order) -> list[Problem]:
    """:func:`check_order` for a stored order, including an unknown template."""
    try:
        template = template_for(order.template, order.template_version)
    except KeyError as err:
        return [Problem("", str(err.args[0]))]
    return check_order(template, order.fields, order.body)


class SigningRefused(Exception):
    """The order can't be signed; ``problems`` say what to fix."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def signing_refusal(
    order: Order, signer_id: str, signer_role: str, case_judge_id: str | None
) -> str | None:
    """Why ``signer_id`` may not sign ``order`` (None: they may). Only the immigration
    judge of the case signs; a clerk or another judge may prepare, never sign."""
    if signer_role != "judge":
        return "only the immigration judge of the case signs an order"
    if signer_id != case_judge_id:
        return "only the judge assigned to this case signs its orders"
    if order.judge_id != signer_id:
        return "this order was drafted for another judge"
    return None


def sign(
    order: Order,
    signer_id: str,
    signer_role: str,
    case_judge_id: str | None,
    now: datetime,
) -> Order:
    """The signed order, or :class:`SigningRefused` saying what to fix."""
    if order.status is not OrderStatus.DRAFT:
        raise SigningRefused([Problem("", "this order is already signed; correct it instead")])
    refusal = signing_refusal(order, signer_id, signer_role, case_judge_id)
    if refusal:
        raise SigningRefused([Problem("", refusal)])
    problems = check_record(order)
    if problems:
        raise SigningRefused(problems)
    return order.model_copy(
        update={"status": OrderStatus.SIGNED, "signed_at": now, "signed_by": signer_id}
    )


def case_facts(
    case: Mapping[str, Any],
    court: Mapping[str, Any] | None,
    users: Mapping[str, Mapping[str, Any]],
    representations: Iterable[Mapping[str, Any]],
) -> CaseFacts:
    """The facts of a case from its records as wire dicts: the case, its court, the user
    profiles it names (by id) and its appearances (accepted ones are counsel of record)."""
    judge_id = case.get("judge_id")
    judge = users.get(str(judge_id)) if judge_id else None
    counsel = tuple(
        Counsel(
            str(r["practitioner_id"]),
            str(
                users.get(str(r["practitioner_id"]), {}).get(
                    "display_name", "practitioner of record"
                )
            ),
        )
        for r in sorted(representations, key=lambda r: str(r["practitioner_id"]))
        if r.get("status") == "accepted" and r.get("case_id") == case["id"] and not r.get("deleted")
    )
    address = ""
    if court is not None:
        address = f"{court['address']}, {court['city']}, {court['state']}"
    return CaseFacts(
        case_id=str(case["id"]),
        a_number=str(case["a_number"]),
        respondent_name=f"{case['respondent_first_name']} {case['respondent_last_name']}",
        nationality=str(case["nationality"]),
        case_type=str(case["case_type"]),
        charges=tuple(str(c) for c in case.get("charges") or ()),
        court_name=str(court["name"]) if court is not None else "Immigration Court",
        court_address=address,
        judge_id=str(judge_id) if judge_id else None,
        judge_name=str(judge["display_name"]) if judge else "Immigration Judge",
        counsel=counsel,
        court_timezone=str(court.get("timezone") or "") if court is not None else "",
    )


def check_order_change(new: Order, corrected: Order | None) -> str | None:
    """Why a pushed order is not a valid record (None: it is). Who may push it is the
    access policy's question; this is whether it makes sense: a known template, a signed
    order that passes every check, a correction of a signed order of the same case."""
    try:
        template_for(new.template, new.template_version)
    except KeyError as err:
        return str(err.args[0])
    if corrected is not None:
        if corrected.id == new.id or corrected.case_id != new.case_id:
            return "a correction names another order of the same case"
        if corrected.status is OrderStatus.DRAFT:
            return "only a signed order is corrected; edit the draft instead"
    if new.status is OrderStatus.SIGNED:
        if new.signed_at is None or new.signed_by is None:
            return "a signed order needs its signer and signing time"
        problems = check_record(new)
        if problems:
            return "the order is not ready to sign — " + "; ".join(str(p) for p in problems)
    return None
