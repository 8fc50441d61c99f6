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
from common.deadlines import appeal_deadline, compute_deadline
from common.decisions import latest_decision, latest_pleading, order_fields
from common.enums import AppearanceScope, DocumentType, FilingKind, OrderStatus, Role
from common.holidays import is_business_day
from common.resources import DataFileError, read_data_file, resources_dir
from common.service import Proceeding, form_and_scope_cover, proceeding_for
from common.wire import DecisionRecord, Order, Pleading

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
PLACES: dict[str, str] = {
    # Where a clause stands in the order, in reading order, with the heading it prints under
    # ("" for none): what the judge states before the text, what is ordered, what the
    # respondent is told of its consequences, and the appeal.
    "preamble": "",
    "order": "ORDER",
    "advisal": "ADVISALS",
    "appeal": "APPEAL",
    # A Board panel's separate concurring and dissenting opinions, after the signature.
    "opinions": "SEPARATE OPINIONS",
}
_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


@dataclass(frozen=True)
class Citation:
    """Where a template's wording comes from: the document (a form, the Act, the
    regulations, a manual), the section, the date its text was read, and a note (what the
    wording takes from it, or what could not be checked)."""

    document: str
    section: str
    read: date
    note: str = ""

    def __str__(self) -> str:
        return f"{self.document}, {self.section} (read {self.read.isoformat()})"


@dataclass(frozen=True)
class Condition:
    """``field`` holds one of ``values`` (or, with ``values`` empty, holds any value)."""

    field: str
    values: tuple[str, ...] = ()

    def holds(self, fields: Mapping[str, Any]) -> bool:
        value = fields.get(self.field)
        if not self.values:
            return _is_set(value)
        return str(value) in self.values if _is_set(value) else False


@dataclass(frozen=True)
class FieldDef:
    """One structured field of a template. ``when``: the field applies only while that
    holds (its clauses print only then, and a value while it does not is refused);
    ``required`` then means required whenever it applies."""

    key: str
    label: str
    kind: str
    required: bool = False
    required_when: tuple[str, tuple[str, ...]] | None = None
    choices: tuple[tuple[str, str], ...] = ()
    clauses: Mapping[str, str] = field(default_factory=dict)
    default: str | None = None
    help: str = ""
    when: Condition | None = None
    place: str = "order"
    source: tuple[Citation, ...] = ()

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
class StandingClause:
    """A clause of the template itself (not of one field's value): printed whenever every
    ``when`` condition holds and, if there are any, one of ``when_any`` does."""

    place: str
    text: str
    when: tuple[Condition, ...] = ()
    when_any: tuple[Condition, ...] = ()
    source: tuple[Citation, ...] = ()

    def applies(self, fields: Mapping[str, Any]) -> bool:
        return all(c.holds(fields) for c in self.when) and (
            not self.when_any or any(c.holds(fields) for c in self.when_any)
        )


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
    # The caption by case type where one template serves several kinds of proceedings (a
    # motion in bond proceedings is not "in removal proceedings"); else ``caption``.
    captions: Mapping[str, str] = field(default_factory=dict)
    standing: tuple[StandingClause, ...] = ()
    source: tuple[Citation, ...] = ()
    computed: tuple[str, ...] = ()  # computed merge values it uses (see _COMPUTED)
    # The body that issues it, as the PDF's heading ("" for the immigration court, named
    # from the case's facts), and the signer's title under the signature.
    heading: str = ""
    signer_title: str = "Immigration Judge"

    def field(self, key: str) -> FieldDef:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    def caption_for(self, case_type: str) -> str:
        return self.captions.get(case_type, self.caption)


# --- loading -------------------------------------------------------------------------------


def _citations(raw: object, where: str) -> tuple[Citation, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for item in items:
        if not isinstance(item, Mapping):
            raise DataFileError(f"{where}: a source is an object with document, section, read")
        try:
            read = date.fromisoformat(str(item["read"]))
        except (KeyError, ValueError) as err:
            raise DataFileError(f"{where}: a source needs 'read' as YYYY-MM-DD") from err
        out.append(
            Citation(
                document=str(item["document"]),
                section=str(item.get("section", "")),
                read=read,
                note=str(item.get("note", "")),
            )
        )
    return tuple(out)


def _condition(raw: Mapping[str, Any]) -> Condition:
    return Condition(str(raw["field"]), tuple(str(v) for v in raw.get("in", ())))


def _field_from(raw: Mapping[str, Any], where: str) -> FieldDef:
    kind = str(raw.get("type", ""))
    if kind not in FIELD_KINDS:
        raise DataFileError(f"{where}: unknown field type {kind!r}")
    place = str(raw.get("place", "order"))
    if place not in PLACES:
        raise DataFileError(f"{where}: unknown place {place!r} (one of {', '.join(PLACES)})")
    required_when = raw.get("required_when")
    when = raw.get("when")
    return FieldDef(
        key=str(raw["key"]),
        label=str(raw["label"]),
        kind=kind,
        required=bool(raw.get("required", False)),
        required_when=(
            (str(required_when["field"]), tuple(str(v) for v in required_when["in"]))
            if required_when
            else None
        ),
        choices=tuple((str(c["value"]), str(c["label"])) for c in raw.get("choices", ())),
        clauses={str(k): str(v) for k, v in raw.get("clauses", {}).items()},
        default=None if raw.get("default") is None else str(raw["default"]),
        help=str(raw.get("help", "")),
        when=_condition(when) if when else None,
        place=place,
        source=_citations(raw.get("source"), where),
    )


def _standing_from(raw: Mapping[str, Any], where: str) -> StandingClause:
    place = str(raw.get("place", "order"))
    if place not in PLACES:
        raise DataFileError(f"{where}: unknown place {place!r} (one of {', '.join(PLACES)})")
    return StandingClause(
        place=place,
        text=str(raw["text"]),
        when=tuple(_condition(c) for c in raw.get("when", ())),
        when_any=tuple(_condition(c) for c in raw.get("when_any", ())),
        source=_citations(raw.get("source"), where),
    )


def parse_template(data: Mapping[str, Any], where: str = "template") -> OrderTemplate:
    """A template from its JSON object; a malformed one raises :class:`DataFileError`."""
    try:
        fields = tuple(_field_from(f, f"{where} field {i}") for i, f in enumerate(data["fields"]))
        standing = tuple(
            _standing_from(c, f"{where} clause {i}") for i, c in enumerate(data.get("clauses", ()))
        )
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
            captions={str(k): str(v) for k, v in data.get("captions", {}).items()},
            standing=standing,
            source=_citations(data.get("source"), where),
            computed=tuple(str(c) for c in data.get("computed", ())),
            heading=str(data.get("heading", "")),
            signer_title=str(data.get("signer_title", "Immigration Judge")),
        )
    except DataFileError:
        raise  # a field's, a clause's or a source's refusal already says where
    except (KeyError, TypeError, ValueError) as err:
        raise DataFileError(f"{where}: {err!s}") from err
    _check_computed(template, where)
    unknown = [r for r in template.rules if r not in RULES]
    if unknown:
        raise DataFileError(f"{where}: unknown rules {unknown}")
    keys = {f.key for f in fields}
    for f in fields:
        for cause in (f.required_when[0] if f.required_when else None, f.when and f.when.field):
            if cause and cause not in keys:
                raise DataFileError(f"{where}: {f.key} depends on unknown field {cause}")
    for clause in standing:
        for cause in (*clause.when, *clause.when_any):
            if cause.field not in keys:
                raise DataFileError(f"{where}: a clause depends on unknown field {cause.field}")
    known = merge_keys(template)
    texts = [
        template.body,
        *(t for f in fields for t in f.clauses.values()),
        *(c.text for c in standing),
    ]
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
    # sub-folders still render (and check) the orders drafted with them.
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
    """A practitioner with an accepted appearance in the case: its form (EOIR-28 before the
    court, EOIR-27 before the Board) and scope decide the proceedings it is counsel in."""

    user_id: str
    name: str
    form: str = FilingKind.EOIR_28.value
    scope: str = AppearanceScope.ALL_PROCEEDINGS.value

    def appears_in(self, proceeding: Proceeding) -> bool:
        try:
            return form_and_scope_cover(
                FilingKind(self.form), AppearanceScope(self.scope), proceeding
            )
        except ValueError:  # a form or scope this version does not know: not counsel here
            return False


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
    # The case's latest decision record as starting values of an order's fields
    # (``common.decisions.order_fields``): the decision is the source, typed once.
    decision_fields: tuple[tuple[str, str], ...] = ()


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


# Values computed from fields, for a template that declares them ("computed") and has the
# fields they need: the country of removal with its alternate as one phrase (INA
# § 241(b)(2); 8 C.F.R. § 1240.12(d)); the day a voluntary departure bond is due, five
# business days after the decision (8 C.F.R. § 1240.26(c)(3)); the day the Board must
# receive an appeal (8 C.F.R. § 1003.38(b), counted by common.deadlines: from an oral
# decision, or from the service of a written one, rolled off weekends, holidays and the
# Board's closures); the last day of the 180 days to move to rescind an in-absentia order
# (INA § 240(b)(5)(C)(i), counted by common.deadlines).
_COMPUTED: dict[str, tuple[frozenset[str], ...]] = {
    # each: the alternative sets of fields that let the value be computed
    "removal_destination": (frozenset({"removal_country"}),),
    "vd_bond_due": (frozenset({"decision_date", "vd_bond"}),),
    "appeal_due": (
        frozenset({"decision_date", "appeal_respondent", "appeal_dhs"}),
        frozenset({"custody_decision_date", "appeal_respondent", "appeal_dhs"}),
    ),
    "reopen_in_absentia_by": (frozenset({"decision_date"}),),
}
VD_BOND_BUSINESS_DAYS = 5


def _computed_keys(template: OrderTemplate) -> frozenset[str]:
    return frozenset(template.computed)


def _check_computed(template: OrderTemplate, where: str) -> None:
    have = {f.key for f in template.fields}
    for name in template.computed:
        if name not in _COMPUTED:
            raise DataFileError(f"{where}: unknown computed value {name!r}")
        if not any(needs <= have for needs in _COMPUTED[name]):
            raise DataFileError(f"{where}: {name!r} needs the fields {sorted(_COMPUTED[name][0])}")


def merge_keys(template: OrderTemplate) -> frozenset[str]:
    """Every ``{name}`` a template's texts may use: the case's facts, each field's value,
    ``<field>_label`` for fields with a closed list of values, and the computed values the
    template's fields allow."""
    own = {f.key for f in template.fields} | {
        f"{f.key}_label" for f in template.fields if f.options()
    }
    return _CASE_MERGE_KEYS | own | _computed_keys(template)


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


def business_days_after(day: date, count: int) -> date:
    """The ``count``-th business day after ``day`` (weekends and federal holidays don't
    count): "within five business days of the order"."""
    current = day
    left = count
    while left:
        current += timedelta(days=1)
        if is_business_day(current):
            left -= 1
    return current


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


def applies(template: OrderTemplate, f: FieldDef, fields: Mapping[str, Any]) -> bool:
    """Whether ``f`` is in play: its ``when`` holds and the field that condition names is
    itself in play (voluntary departure's bond applies only while voluntary departure is
    granted)."""
    if f.when is None:
        return True
    if not f.when.holds(fields):
        return False
    return applies(template, template.field(f.when.field), fields)


def merge_values(
    template: OrderTemplate, facts: CaseFacts, fields: Mapping[str, Any], today: date
) -> dict[str, str]:
    # Counsel named in the order is counsel of record in its proceeding: an EOIR-28 whose
    # scope covers it (custody-only counsel did not appear in the removal hearing; an
    # EOIR-27 is an appearance before the Board), as common.service serves them.
    proceeding = proceeding_for(template.key, facts.case_type)
    counsel = ", ".join(dict.fromkeys(c.name for c in facts.counsel if c.appears_in(proceeding)))
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
            # Only a label is printed, never the stored value ("removal_ordered" is the
            # system's word, not the court's); a value not in the list prints nothing and
            # the checks name it.
            values[f"{f.key}_label"] = options.get(str(raw), "")
    values.update(_computed_values(template, fields, today))
    return values


def _computed_values(
    template: OrderTemplate, fields: Mapping[str, Any], today: date
) -> dict[str, str]:
    values: dict[str, str] = {}
    computed = _computed_keys(template)
    decided = _parse_date(fields.get("decision_date") or fields.get("custody_decision_date"))
    if "removal_destination" in computed:
        country = str(fields.get("removal_country") or "").strip()
        alternate = str(fields.get("alternate_country") or "").strip()
        values["removal_destination"] = (
            f"{country}, or in the alternative to {alternate}" if alternate else country
        )
    if "vd_bond_due" in computed:
        values["vd_bond_due"] = (
            format_date(business_days_after(decided, VD_BOND_BUSINESS_DAYS)) if decided else ""
        )
    if "appeal_due" in computed:
        values["appeal_due"] = ""
        if decided is not None:
            # An oral decision's 30 days run from the day it was stated; a written one's from
            # its service, which is the day the order is signed and issued (``today`` for a
            # signed order is the court's date of the signature).
            oral = fields.get("decision_form") != "written"
            due = appeal_deadline(
                decided, oral=oral, served_on=None if oral else max(today, decided)
            )
            values["appeal_due"] = format_date(due.due)
    if "reopen_in_absentia_by" in computed:
        values["reopen_in_absentia_by"] = (
            format_date(compute_deadline("motion_to_rescind_in_absentia", decided).due)
            if decided
            else ""
        )
    return values


def merge(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each known ``{name}`` replaced; unknown names are left as written (the
    checks report them)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def clauses_by_place(
    template: OrderTemplate, facts: CaseFacts, fields: Mapping[str, Any], today: date
) -> dict[str, list[str]]:
    """The order's clauses, merged, by place (see :data:`PLACES`), each place in the
    template's order: a field in play adds the clause for its value (or its ``*`` clause
    when it has any value), then the template's own clauses whose conditions hold."""
    values = merge_values(template, facts, fields, today)
    out: dict[str, list[str]] = {place: [] for place in PLACES}
    for f in template.fields:
        raw = fields.get(f.key)
        if raw in (None, "") or not applies(template, f, fields):
            continue
        text = f.clauses.get(str(raw)) or f.clauses.get("*")
        if text:
            out[f.place].append(merge(text, values))
    for clause in template.standing:
        if clause.applies(fields):
            out[clause.place].append(merge(clause.text, values))
    return out


def clauses(
    template: OrderTemplate, facts: CaseFacts, fields: Mapping[str, Any], today: date
) -> list[str]:
    """The operative paragraphs of the order (what is ordered), merged, in order."""
    return clauses_by_place(template, facts, fields, today)["order"]


def default_fields(template: OrderTemplate, facts: CaseFacts, today: date) -> dict[str, Any]:
    """Starting values: ``@today`` (the court's date, which the caller passes) and
    ``@court_address``; every outcome starts as "not applied for" so the judge changes only
    what was decided. A deadline is never a default ("today plus 30" ignores how the rules
    count): dates the rules decide are computed from the decision, not typed ahead."""
    out: dict[str, Any] = {}
    for f in template.fields:
        if f.kind == "outcome":
            out[f.key] = "not_applied"
    for f in template.fields:
        # A field that does not apply yet starts empty; it gets its default when it comes
        # into play (field_default), e.g. voluntary departure's civil penalty once granted.
        if applies(template, f, out):
            value = field_default(f, facts, today)
            if value is not None:
                out[f.key] = value
    return out


def field_default(f: FieldDef, facts: CaseFacts, today: date) -> str | None:
    """The value ``f`` starts with, if any (see :func:`default_fields`): the case's decision
    record's, else the template's default."""
    decided = dict(facts.decision_fields).get(f.key)
    if decided is not None:
        return decided
    if f.default is None:
        return None
    if f.default == "@court_address":
        return facts.court_address
    if f.default == "@today":
        return today.isoformat()
    return None if f.default.startswith("@") else f.default


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
        # A correction may be drafted on a newer version of the template: the corrected
        # order's values carry over where the field still exists.
        known = {f.key for f in template.fields}
        fields.update({k: v for k, v in corrects.fields.items() if k in known})
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


def _condition_text(template: OrderTemplate, condition: Condition) -> str:
    cause = template.field(condition.field)
    if not condition.values:
        return f"{cause.label} is filled in"
    labels = dict(cause.options())
    shown = " or ".join(repr(labels.get(v, v)) for v in condition.values)
    return f"{cause.label} is {shown}"


def _field_problems(template: OrderTemplate, fields: Mapping[str, Any]) -> list[Problem]:
    problems = []
    keys = {f.key for f in template.fields}
    for stray in sorted(set(fields) - keys):
        problems.append(Problem(stray, f"is not a field of {template.title!r}"))
    for f in template.fields:
        value = fields.get(f.key)
        in_play = applies(template, f, fields)
        if not in_play:
            if _is_set(value) and not (f.kind == "outcome" and value == "not_applied"):
                assert f.when is not None
                problems.append(
                    Problem(
                        f.key,
                        f"{f.label} applies only when {_condition_text(template, f.when)}: "
                        "clear it",
                    )
                )
            continue
        needed = f.required or (
            f.required_when is not None
            and str(fields.get(f.required_when[0])) in f.required_when[1]
        )
        if not _is_set(value):
            if needed:
                why = ""
                if f.required_when and not f.required:
                    cause = template.field(f.required_when[0])
                    given = str(fields.get(cause.key))
                    shown = dict(cause.options()).get(given, given)  # free text: as typed
                    why = f" when {cause.label} is {shown!r}"
                elif f.when is not None:
                    why = f" when {_condition_text(template, f.when)}"
                problems.append(Problem(f.key, f"{f.label} is required{why}"))
            continue
        wrong = _check_value(f, value)
        if wrong:
            problems.append(Problem(f.key, f"{f.label} {wrong}"))
    return problems


Rule = Callable[[Mapping[str, Any]], list[Problem]]

# --- rules of the superseded 2026-11 templates (kept: their orders still re-render and a
# draft signed offline before the upgrade is still checked as it was drafted) --------------


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


# A motion order's rulings that grant the motion (the 2026-12-07 template adds "granted as
# unopposed"; resources/motion_types.json).
GRANTING_RULINGS = frozenset({"granted", "granted_unopposed"})


def _rule_continuance_needs_code(fields: Mapping[str, Any]) -> list[Problem]:
    continuance = fields.get("motion") == "continuance"
    if continuance and fields.get("ruling") in GRANTING_RULINGS:
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
    granted_venue = (
        fields.get("motion") == "change_of_venue" and fields.get("ruling") in GRANTING_RULINGS
    )
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


# --- rules of the templates in force (2026-12) ---------------------------------------------

_STATUS_RELIEF = {
    "asylum": "asylum",
    "cancellation_lpr": "cancellation of removal under INA § 240A(a)",
    "cancellation_nonlpr": "cancellation of removal under INA § 240A(b)(1)",
    "cancellation_vawa": "cancellation of removal under INA § 240A(b)(2)",
    "adjustment": "adjustment of status",
}
_PROTECTION = {
    "withholding": "withholding of removal under INA § 241(b)(3)",
    "cat_withholding": "withholding of removal under the Convention Against Torture",
    "cat_deferral": "deferral of removal under the Convention Against Torture",
}
_APPLICATIONS = {**_STATUS_RELIEF, **_PROTECTION}


def _granted(fields: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    return [what for key, what in names.items() if fields.get(key) == "granted"]


def _rule_removability_decides(fields: Mapping[str, Any]) -> list[Problem]:
    # Without a sustained charge there is nothing to remove the respondent for (INA
    # § 240(c)(1)(A), (c)(3)): the proceedings end in termination.
    if fields.get("removability") == "not_sustained" and fields.get("disposition") not in (
        None,
        "",
        "terminated",
    ):
        return [
            Problem(
                "disposition",
                "the charges are not sustained: choose 'Proceedings terminated' and say why",
            )
        ]
    return []


def _rule_protection_needs_removal_order(fields: Mapping[str, Any]) -> list[Problem]:
    # Withholding (statutory or CAT) and CAT deferral bar removal to one country; they are
    # granted on top of an explicit order of removal (Matter of I-S- & C-S-, 24 I&N Dec.
    # 432 (BIA 2008)), which DHS may carry out to another country.
    granted = _granted(fields, _PROTECTION)
    if granted and fields.get("disposition") != "removal_ordered":
        return [
            Problem(
                "disposition",
                f"{' and '.join(granted)} granted: the order must also order removal (choose "
                "'Removal ordered' and name the country); protection bars removal to the "
                "country named with it, not removal as such",
            )
        ]
    return []


def _rule_status_relief_excludes_removal(fields: Mapping[str, Any]) -> list[Problem]:
    granted = _granted(fields, _STATUS_RELIEF)
    disposition = fields.get("disposition")
    if granted and disposition != "relief_granted" and _is_set(disposition):
        return [
            Problem(
                "disposition",
                f"{', '.join(granted)} granted: the respondent has or keeps lawful status, so "
                "removal can't be ordered; choose 'Relief granted; no order of removal'",
            )
        ]
    if disposition == "relief_granted" and not granted:
        return [
            Problem(
                "disposition",
                "'Relief granted' needs asylum, cancellation of removal or adjustment of "
                "status granted (withholding and CAT protection come with an order of removal)",
            )
        ]
    return []


def _rule_cat_withholding_or_deferral(fields: Mapping[str, Any]) -> list[Problem]:
    # Deferral is for a respondent entitled to CAT protection but barred from CAT
    # withholding (8 C.F.R. § 1208.17(a)); the two are never both granted.
    if fields.get("cat_withholding") == "granted" and fields.get("cat_deferral") == "granted":
        return [
            Problem(
                "cat_deferral",
                "deferral of removal (8 C.F.R. § 1208.17(a)) is only for a respondent barred "
                "from CAT withholding: grant one of them, not both",
            )
        ]
    return []


def _rule_one_form_of_cancellation(fields: Mapping[str, Any]) -> list[Problem]:
    # INA § 240A(a) is for lawful permanent residents, § 240A(b) for those who are not:
    # a respondent is one or the other. At most one form is granted.
    problems = []
    applied = [
        k
        for k in ("cancellation_lpr", "cancellation_nonlpr", "cancellation_vawa")
        if fields.get(k) not in (None, "", "not_applied")
    ]
    if "cancellation_lpr" in applied and len(applied) > 1:
        problems.append(
            Problem(
                "cancellation_lpr",
                "cancellation under INA § 240A(a) is for a lawful permanent resident, "
                "§ 240A(b)(1) and (b)(2) for one who is not: the respondent can't have "
                "applied for both kinds",
            )
        )
    granted = [k for k in applied if fields.get(k) == "granted"]
    if len(granted) > 1:
        problems.append(
            Problem(granted[-1], "only one form of cancellation of removal can be granted")
        )
    return problems


def _rule_frivolous_finding(fields: Mapping[str, Any]) -> list[Problem]:
    # INA § 208(d)(6): the finding needs the notice of INA § 208(d)(4)(A) given before.
    if fields.get("frivolous_finding") != "made":
        return []
    warned = _parse_date(fields.get("frivolous_notice_date"))
    decided = _parse_date(fields.get("decision_date"))
    if warned and decided and warned > decided:
        return [
            Problem(
                "frivolous_notice_date",
                "the warning of INA § 208(d)(4)(A) must come before the decision: a "
                "frivolousness finding can't rest on a warning given after it",
            )
        ]
    return []


VD_PRE_CONCLUSION_DAYS = 120  # INA § 240B(a)(2)(A)
VD_POST_CONCLUSION_DAYS = 60  # INA § 240B(b)(2)
VD_POST_CONCLUSION_MIN_BOND = Decimal(500)  # INA § 240B(b)(3); 8 C.F.R. § 1240.26(c)(3)
VD_CIVIL_PENALTY = (Decimal(1000), Decimal(5000))  # INA § 240B(d)(1)(A)


def _rule_voluntary_departure_limits(fields: Mapping[str, Any]) -> list[Problem]:
    granted = fields.get("voluntary_departure") == "granted"
    chosen = fields.get("disposition") == "voluntary_departure"
    problems = []
    if chosen and not granted:
        problems.append(
            Problem("voluntary_departure", "the disposition is voluntary departure: grant it")
        )
    if granted and not chosen and _is_set(fields.get("disposition")):
        problems.append(
            Problem(
                "disposition",
                "voluntary departure is granted: choose 'Voluntary departure, with an "
                "alternate order of removal' (8 C.F.R. § 1240.26(d))",
            )
        )
    if not granted:
        return problems
    stage = fields.get("vd_stage")
    decided = _parse_date(fields.get("decision_date"))
    depart = _parse_date(fields.get("vd_depart_by"))
    limit = VD_PRE_CONCLUSION_DAYS if stage == "pre_conclusion" else VD_POST_CONCLUSION_DAYS
    in_time = decided is None or depart is None or decided < depart <= decided + timedelta(limit)
    if stage in ("pre_conclusion", "post_conclusion") and decided and not in_time:
        where = (
            "INA § 240B(a)(2)(A): before the conclusion of proceedings"
            if stage == "pre_conclusion"
            else "INA § 240B(b)(2): at the conclusion of proceedings"
        )
        problems.append(
            Problem(
                "vd_depart_by",
                f"Depart by must fall 1 to {limit} days after the decision ({where}), "
                f"that is, by {format_date(decided + timedelta(days=limit))} at the latest",
            )
        )
    if stage == "pre_conclusion":
        if fields.get("appeal_respondent") != "waived":
            problems.append(
                Problem(
                    "appeal_respondent",
                    "voluntary departure before the conclusion of proceedings requires the "
                    "respondent to waive appeal of all issues (8 C.F.R. § 1240.26(b)(1)(i)(D))",
                )
            )
        pending = [
            what
            for key, what in _APPLICATIONS.items()
            if fields.get(key) not in (None, "", "not_applied", "withdrawn")
        ]
        if pending:
            problems.append(
                Problem(
                    "vd_stage",
                    "voluntary departure before the conclusion of proceedings requires every "
                    "other application to be withdrawn (8 C.F.R. § 1240.26(b)(1)(i)(B)): "
                    + ", ".join(pending),
                )
            )
        if fields.get("removability") != "sustained":
            problems.append(
                Problem(
                    "removability",
                    "voluntary departure before the conclusion of proceedings requires the "
                    "respondent to concede removability (8 C.F.R. § 1240.26(b)(1)(i)(C))",
                )
            )
    bond = _parse_money(fields.get("vd_bond"))
    if stage == "post_conclusion" and bond is not None and bond < VD_POST_CONCLUSION_MIN_BOND:
        problems.append(
            Problem(
                "vd_bond",
                "voluntary departure at the conclusion of proceedings needs a bond of at "
                "least $500 (INA § 240B(b)(3); 8 C.F.R. § 1240.26(c)(3))",
            )
        )
    penalty = _parse_money(fields.get("vd_civil_penalty"))
    low, high = VD_CIVIL_PENALTY
    if penalty is not None and not low <= penalty <= high:
        problems.append(
            Problem(
                "vd_civil_penalty",
                "the civil penalty for failing to depart is $1,000 to $5,000 "
                "(INA § 240B(d)(1)(A)); $3,000 unless the judge sets another amount "
                "(8 C.F.R. § 1240.26(j))",
            )
        )
    return problems


def _rule_termination_decides_no_application(fields: Mapping[str, Any]) -> list[Problem]:
    # Terminated proceedings end without deciding relief from a removal that is not ordered.
    if fields.get("disposition") != "terminated":
        return []
    decided = [
        what for key, what in _APPLICATIONS.items() if fields.get(key) in ("granted", "denied")
    ]
    if decided:
        return [
            Problem(
                "disposition",
                "proceedings terminated: applications for relief are not decided (mark them "
                "'Not applied for' or 'Withdrawn'): " + ", ".join(decided),
            )
        ]
    return []


def _rule_alternate_country_differs(fields: Mapping[str, Any]) -> list[Problem]:
    country = str(fields.get("removal_country") or "").strip().casefold()
    alternate = str(fields.get("alternate_country") or "").strip().casefold()
    if country and alternate and country == alternate:
        return [
            Problem(
                "alternate_country",
                "the alternate country is another country than the country of removal "
                "(INA § 241(b)(2); 8 C.F.R. § 1240.12(d)); leave it empty if there is none",
            )
        ]
    return []


BOND_MINIMUM = Decimal(1500)  # INA § 236(a)(2)(A)


# The decisions that set an amount: the bond record's "lowered" and "raised" (bond_order
# 2026-12b) and the superseded 2026-12 wording's "bond_changed"; DHS's bond is "amount"
# (2026-12: "bond_set"). Whether a lowered bond is lower than the bond in effect is the
# bond record's check (common.bonds.order_problems), which knows the earlier decisions.
_BOND_SETTING = frozenset({"lowered", "raised", "bond_changed"})


def _rule_bond_redetermination(fields: Mapping[str, Any]) -> list[Problem]:
    if fields.get("decision") not in _BOND_SETTING:
        return []
    amount = _parse_money(fields.get("amount"))
    if amount is None:
        return []
    if amount < BOND_MINIMUM:
        return [Problem("amount", "a bond under INA § 236(a)(2)(A) is at least $1,500")]
    dhs = _parse_money(fields.get("dhs_amount"))
    if fields.get("dhs_determination") in ("amount", "bond_set") and dhs == amount:
        return [
            Problem(
                "amount",
                "that is the bond DHS set: leaving it unchanged is no change, a denial of the "
                "request (choose 'No change: request denied')",
            )
        ]
    return []


def _rule_venue_on_a_partys_motion(fields: Mapping[str, Any]) -> list[Problem]:
    # 8 C.F.R. § 1003.20(b): venue is changed only on motion by one of the parties.
    if fields.get("motion") == "change_of_venue" and fields.get("movant") == "court":
        return [
            Problem(
                "movant",
                "venue is changed only on a party's motion (8 C.F.R. § 1003.20(b)); the "
                "court can't move the case on its own",
            )
        ]
    return []


def _rule_unopposed_is_a_respondents_motion(fields: Mapping[str, Any]) -> list[Problem]:
    # "DHS does not oppose": only a motion DHS could oppose, the respondent's.
    if fields.get("ruling") == "granted_unopposed" and fields.get("movant") != "respondent":
        return [
            Problem(
                "ruling",
                "only the respondent's motion is granted as unopposed by DHS; grant this one",
            )
        ]
    return []


# Which exceptions to the limits of 8 C.F.R. § 1003.23(b) fit which motion.
_RECONSIDER_EXCEPTIONS = frozenset({"equitable_tolling", "sua_sponte"})


def _rule_limit_exception_on_reopening(fields: Mapping[str, Any]) -> list[Problem]:
    exception = fields.get("limit_exception")
    if not _is_set(exception):
        return []
    if fields.get("ruling") == "untimely":
        return [
            Problem(
                "limit_exception",
                "a motion denied as untimely is not excused from the time limit: clear the "
                "exception or rule otherwise",
            )
        ]
    if fields.get("motion") == "reconsider" and exception not in _RECONSIDER_EXCEPTIONS:
        return [
            Problem(
                "limit_exception",
                "that exception is one to the limits on motions to reopen, not to reconsider",
            )
        ]
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
    "removability_decides_disposition": _rule_removability_decides,
    "protection_needs_removal_order": _rule_protection_needs_removal_order,
    "status_relief_excludes_removal": _rule_status_relief_excludes_removal,
    "cat_withholding_or_deferral": _rule_cat_withholding_or_deferral,
    "one_form_of_cancellation": _rule_one_form_of_cancellation,
    "frivolous_finding_after_warning": _rule_frivolous_finding,
    "voluntary_departure_limits": _rule_voluntary_departure_limits,
    "termination_decides_no_application": _rule_termination_decides_no_application,
    "alternate_country_differs": _rule_alternate_country_differs,
    "bond_redetermination": _rule_bond_redetermination,
    "venue_on_a_partys_motion": _rule_venue_on_a_partys_motion,
    "unopposed_is_a_respondents_motion": _rule_unopposed_is_a_respondents_motion,
    "limit_exception_on_reopening": _rule_limit_exception_on_reopening,
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
    signer_id: str, signer_role: Role, order_judge_id: str, case_judge_id: str | None
) -> str | None:
    """Why ``signer_id`` may not sign an order drafted for ``order_judge_id`` in a case
    assigned to ``case_judge_id`` (None: they may). The one signing rule: the desktop asks
    it before signing (:func:`sign`) and the server's access policy asks it again when the
    signed order arrives. Only the immigration judge of the case signs, and only an order
    drafted in their name; a clerk or another judge may prepare, never sign."""
    if signer_role is not Role.JUDGE:
        return "only the judge of the case signs an order; staff may prepare it, never sign"
    if signer_id != case_judge_id:
        return "only the judge of the case signs an order; this case is before another judge"
    if order_judge_id != signer_id:
        return "only the judge of the case signs an order; this one is drafted for another judge"
    return None


def sign(
    order: Order,
    signer_id: str,
    signer_role: Role,
    case_judge_id: str | None,
    now: datetime,
) -> Order:
    """The signed order, or :class:`SigningRefused` saying what to fix."""
    if order.status is not OrderStatus.DRAFT:
        raise SigningRefused([Problem("", "this order is already signed; correct it instead")])
    refusal = signing_refusal(signer_id, signer_role, order.judge_id, case_judge_id)
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
    decisions: Iterable[Mapping[str, Any]] = (),
    pleadings: Iterable[Mapping[str, Any]] = (),
) -> CaseFacts:
    """The facts of a case from its records as wire dicts: the case, its court, the user
    profiles it names (by id), its appearances (accepted ones are counsel of record) and its
    decision and pleading records (the latest decision's values start an order's fields)."""
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
            form=str(r.get("form") or FilingKind.EOIR_28.value),
            scope=str(r.get("scope") or AppearanceScope.ALL_PROCEEDINGS.value),
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
        decision_fields=_decision_fields(str(case["id"]), decisions, pleadings),
    )


def _decision_fields(
    case_id: str, decisions: Iterable[Mapping[str, Any]], pleadings: Iterable[Mapping[str, Any]]
) -> tuple[tuple[str, str], ...]:
    own = [
        DecisionRecord.model_validate(d)
        for d in decisions
        if d.get("case_id") == case_id and not d.get("deleted")
    ]
    decision = latest_decision(own, case_id)
    if decision is None:
        return ()
    pleaded = [
        Pleading.model_validate(p)
        for p in pleadings
        if p.get("case_id") == case_id and not p.get("deleted")
    ]
    return order_fields(decision, latest_pleading(pleaded, case_id))


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
