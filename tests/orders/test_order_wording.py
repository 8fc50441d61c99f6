"""Every order template in force, rendered for every outcome it offers, read back from the PDF
against the wording its sources require (issue 12, item 6).

The table below is written from the sources, not from the templates: for each field that
offers a closed list of outcomes, and each outcome, what a signed order must say (and must
not). The test walks the templates' own options, so an outcome added to a template without
its expected wording here fails. Sources are cited beside each entry; "INA" is the
Immigration and Nationality Act, "CFR" title 8 of the Code of Federal Regulations, "ICPM"
the Immigration Court Practice Manual (EOIR Policy Manual, Part II), all read 2026-12-06.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

import pymupdf
import pytest

from common.enums import DocumentType, Party, Role
from common.forms_eoir import ServiceMethod
from common.order_pdf import render_order
from common.orders import (
    CaseFacts,
    Counsel,
    OrderTemplate,
    check_order,
    current_templates,
    new_draft,
    sign,
    template_for,
)
from common.service import CertificateOfService, PartyToServe
from tests.orders.helpers import COMPLETE_FIELDS, FACTS, JUDGE

# 15:00 PST on Friday, November 27, 2026, the day of the decision in every fixture.
SIGNED_AT = datetime(2026, 11, 27, 23, 0, tzinfo=UTC)
CERTIFICATE = CertificateOfService(
    served_by="Court staff, San Francisco Immigration Court",
    served_on=date(2026, 11, 27),
    parties=(
        PartyToServe(Party.PRACTITIONER, "Attorney Sam Okafor", ServiceMethod.ELECTRONIC),
        PartyToServe(
            Party.DHS,
            "DHS — ICE Office of the Principal Legal Advisor, San Francisco",
            ServiceMethod.ELECTRONIC,
        ),
    ),
)

NO_PROTECTION = {
    "withholding": "not_applied",
    "withholding_country": None,
    "cat_withholding": "not_applied",
    "cat_withholding_country": None,
}
RELIEF = {
    **NO_PROTECTION,
    "asylum": "not_applied",
    "disposition": "relief_granted",
    "removal_country": None,
    "alternate_country": None,
}
TERMINATED = {
    **NO_PROTECTION,
    "asylum": "not_applied",
    "disposition": "terminated",
    "termination_reason": "DHS moved to dismiss the notice to appear.",
    "removal_country": None,
    "alternate_country": None,
}
# INA § 240B(b)(2): at most 60 days: November 27, 2026 + 60 = January 26, 2027.
VD_POST = {
    **NO_PROTECTION,
    "voluntary_departure": "granted",
    "vd_stage": "post_conclusion",
    "disposition": "voluntary_departure",
    "vd_depart_by": "2027-01-26",
    "vd_bond": "500",
    "vd_civil_penalty": "3000",
}
# INA § 240B(a)(2)(A): at most 120 days: March 27, 2027. 8 CFR 1240.26(b)(1)(i)(B), (D):
# other relief withdrawn, appeal of all issues waived.
VD_PRE = {
    **NO_PROTECTION,
    "asylum": "withdrawn",
    "voluntary_departure": "granted",
    "vd_stage": "pre_conclusion",
    "disposition": "voluntary_departure",
    "vd_depart_by": "2027-03-27",
    "vd_civil_penalty": "3000",
    "appeal_respondent": "waived",
    "appeal_dhs": "waived",
}
VD_ADVISALS = (
    # INA § 240B(d)(1); 8 CFR 1240.26(j) (civil penalty presumed $3,000) and (d) (alternate
    # order); 8 CFR 1240.26(b)(3)(iii), (c)(3)(iii), (i) (motions and petitions end it).
    "civil penalty of $3,000.00",
    "ineligible, for ten years, for voluntary departure and for relief under INA §§ 240A, "
    "245, 248 and 249",
    "the alternate order of removal takes effect",
    "motion to reopen or to reconsider",
    "petition for review",
)
IN_ABSENTIA_ALWAYS = (
    # INA § 240(b)(5)(A): removability by clear, unequivocal and convincing evidence.
    "clear, unequivocal and convincing evidence that the respondent is removable",
    "REMOVED IN ABSENTIA from the United States to Honduras",
    # INA § 240(b)(5)(C)(i), (ii); 8 CFR 1003.23(b)(4)(ii): November 27, 2026 + 180 days
    # is Wednesday, May 26, 2027.
    "within 180 days after the date of this order (that is, by May 26, 2027)",
    "exceptional circumstances as INA § 240(e)(1) defines them",
    "INA § 240(b)(5)(C)(i)",
    "at any time, if the respondent shows that the respondent did not receive notice",
    "INA § 240(b)(5)(C)(ii)",
    "stays the respondent's removal",
    # ICPM 5.9(d): no direct appeal of an in absentia order in removal proceedings.
    "No appeal lies from this order",
)
BOND_ALWAYS = ("IN BOND PROCEEDINGS", "8 C.F.R. § 1003.19(d)")


@dataclasses.dataclass(frozen=True)
class Expect:
    """A signed order of the template with ``changes`` over its complete fixture must say
    each of ``says`` and none of ``never``."""

    changes: Mapping[str, Any]
    says: tuple[str, ...]
    never: tuple[str, ...] = ()


def _outcomes(says: str, never: tuple[str, ...] = ()) -> Expect:
    return Expect({}, (says,), never)


_NOT_CONTINUED = {"adjournment_code": None, "next_hearing": None}

EXPECTED: dict[tuple[str, str, str], Expect] = {
    # --- removal_decision ------------------------------------------------------------------
    # 8 CFR 1003.37(a): an oral decision is summarized in a memorandum; a written one served.
    ("removal_decision", "decision_form", "oral"): _outcomes(
        "summarizes the decision the immigration judge stated orally on November 27, 2026"
    ),
    ("removal_decision", "decision_form", "written"): Expect(
        {"decision_form": "written"},
        ("the written decision of the immigration judge, dated November 27, 2026",),
        ("stated orally",),
    ),
    # INA § 240(c)(1)(A); 8 CFR 1240.12(a): the finding on removability.
    ("removal_decision", "removability", "sustained"): _outcomes(
        "charge(s) of removability are SUSTAINED"
    ),
    ("removal_decision", "removability", "not_sustained"): Expect(
        {**TERMINATED, "removability": "not_sustained"},
        ("charge(s) of removability are NOT SUSTAINED", "these proceedings are TERMINATED"),
        ("REMOVED",),
    ),
    # 8 CFR 1240.12(c), (d); INA § 241(b)(2): the country of removal and the alternate.
    ("removal_decision", "disposition", "removal_ordered"): _outcomes(
        "ORDERED that the respondent be REMOVED from the United States to Honduras, or in "
        "the alternative to Guatemala"
    ),
    # 8 CFR 1240.26(d): voluntary departure comes with an alternate order of removal.
    ("removal_decision", "disposition", "voluntary_departure"): Expect(
        VD_POST,
        (
            "ALTERNATE ORDER",
            "REMOVED from the United States to Honduras, or in the alternative to Guatemala",
        ),
    ),
    ("removal_decision", "disposition", "relief_granted"): Expect(
        {**RELIEF, "asylum": "granted"},
        ("No order of removal is entered",),
        ("REMOVED", "in the alternative"),
    ),
    ("removal_decision", "disposition", "terminated"): Expect(
        TERMINATED,
        ("these proceedings are TERMINATED", "DHS moved to dismiss the notice to appear."),
        ("REMOVED",),
    ),
    # INA § 208(a).
    ("removal_decision", "asylum", "not_applied"): Expect(
        {"asylum": "not_applied"}, (), ("application for asylum",)
    ),
    ("removal_decision", "asylum", "granted"): Expect(
        {**RELIEF, "asylum": "granted"}, ("asylum under INA § 208(a) is GRANTED",)
    ),
    ("removal_decision", "asylum", "denied"): _outcomes("asylum under INA § 208(a) is DENIED"),
    ("removal_decision", "asylum", "withdrawn"): Expect(
        {"asylum": "withdrawn"}, ("asylum under INA § 208(a) is WITHDRAWN",)
    ),
    # INA § 208(d)(4)(A), (d)(6); 8 CFR 1208.20: the finding, the prior warning, the bar,
    # and that withholding is not barred.
    ("removal_decision", "frivolous_finding", "made"): Expect(
        {"frivolous_finding": "made", "frivolous_notice_date": "2026-06-01"},
        (
            "knowingly made a frivolous application for asylum",
            "on June 1, 2026 (INA § 208(d)(4)(A))",
            "Under INA § 208(d)(6) the respondent is permanently ineligible for any benefit",
            "8 C.F.R. § 1208.20",
            "does not bar withholding of removal",
        ),
    ),
    ("removal_decision", "frivolous_finding", "not_made"): Expect(
        {"frivolous_finding": "not_made"}, (), ("frivolous",)
    ),
    # INA § 241(b)(3): withholding to a named country (Matter of I-S- & C-S-, 24 I&N Dec.
    # 432 (BIA 2008): with an order of removal).
    ("removal_decision", "withholding", "not_applied"): Expect(
        {"withholding": "not_applied", "withholding_country": None}, (), ("241(b)(3)",)
    ),
    ("removal_decision", "withholding", "granted"): _outcomes(
        "withholding of removal under INA § 241(b)(3) is GRANTED: the respondent shall not be "
        "removed to Honduras"
    ),
    ("removal_decision", "withholding", "denied"): Expect(
        {"withholding": "denied"},
        ("withholding of removal to Honduras under INA § 241(b)(3) is DENIED",),
    ),
    ("removal_decision", "withholding", "withdrawn"): Expect(
        {"withholding": "withdrawn"},
        ("withholding of removal to Honduras under INA § 241(b)(3) is WITHDRAWN",),
    ),
    # 8 CFR 1208.16(c): CAT withholding, to a named country.
    ("removal_decision", "cat_withholding", "not_applied"): Expect(
        {"cat_withholding": "not_applied", "cat_withholding_country": None},
        (),
        ("1208.16(c)",),
    ),
    ("removal_decision", "cat_withholding", "granted"): Expect(
        {"cat_withholding": "granted", "withholding": "denied"},
        (
            "Convention Against Torture (8 C.F.R. § 1208.16(c)) is GRANTED: the respondent "
            "shall not be removed to Honduras",
        ),
    ),
    ("removal_decision", "cat_withholding", "denied"): _outcomes(
        "withholding of removal to Honduras under the Convention Against Torture (8 C.F.R. "
        "§ 1208.16(c)) is DENIED"
    ),
    ("removal_decision", "cat_withholding", "withdrawn"): Expect(
        {"cat_withholding": "withdrawn"},
        ("Convention Against Torture (8 C.F.R. § 1208.16(c)) is WITHDRAWN",),
    ),
    # 8 CFR 1208.17(a): deferral, a separate outcome; (b)(1): its advisals.
    ("removal_decision", "cat_deferral", "not_applied"): _outcomes(
        "REMOVED", ("1208.17", "DEFERRED")
    ),
    ("removal_decision", "cat_deferral", "granted"): Expect(
        {
            "cat_deferral": "granted",
            "cat_deferral_country": "Honduras",
            "withholding": "denied",
        },
        (
            "deferral of removal under the Convention Against Torture (8 C.F.R. § 1208.17(a)) "
            "is GRANTED: the respondent's removal to Honduras is DEFERRED",
            "no lawful or permanent immigration status",
            "does not by itself release the respondent from the custody",
            "may be terminated under 8 C.F.R. § 1208.17(d) or (e)",
            "may be removed at any time to another country where the respondent is not likely "
            "to be tortured",
        ),
    ),
    ("removal_decision", "cat_deferral", "denied"): Expect(
        {"cat_deferral": "denied", "cat_deferral_country": "Honduras"},
        ("deferral of removal to Honduras under the Convention Against Torture",),
        ("DEFERRED",),
    ),
    ("removal_decision", "cat_deferral", "withdrawn"): Expect(
        {"cat_deferral": "withdrawn", "cat_deferral_country": "Honduras"},
        ("(8 C.F.R. § 1208.17(a)) is WITHDRAWN",),
        ("DEFERRED",),
    ),
    # INA § 240A(a): lawful permanent residents keep their status.
    ("removal_decision", "cancellation_lpr", "not_applied"): _outcomes("REMOVED", ("240A",)),
    ("removal_decision", "cancellation_lpr", "granted"): Expect(
        {**RELIEF, "cancellation_lpr": "granted"},
        ("INA § 240A(a) is GRANTED", "remains a lawful permanent resident"),
    ),
    ("removal_decision", "cancellation_lpr", "denied"): Expect(
        {"cancellation_lpr": "denied"}, ("INA § 240A(a) is DENIED",)
    ),
    ("removal_decision", "cancellation_lpr", "withdrawn"): Expect(
        {"cancellation_lpr": "withdrawn"}, ("INA § 240A(a) is WITHDRAWN",)
    ),
    # INA § 240A(b)(1): cancellation and adjustment for nonpermanent residents.
    ("removal_decision", "cancellation_nonlpr", "not_applied"): _outcomes("REMOVED", ("240A",)),
    ("removal_decision", "cancellation_nonlpr", "granted"): Expect(
        {**RELIEF, "cancellation_nonlpr": "granted"},
        (
            "nonpermanent residents under INA § 240A(b)(1) is GRANTED",
            "adjusted to that of a lawful permanent resident",
        ),
    ),
    ("removal_decision", "cancellation_nonlpr", "denied"): Expect(
        {"cancellation_nonlpr": "denied"}, ("INA § 240A(b)(1) is DENIED",)
    ),
    ("removal_decision", "cancellation_nonlpr", "withdrawn"): Expect(
        {"cancellation_nonlpr": "withdrawn"}, ("INA § 240A(b)(1) is WITHDRAWN",)
    ),
    # INA § 240A(b)(2): the special rule for battered spouses and children.
    ("removal_decision", "cancellation_vawa", "not_applied"): _outcomes("REMOVED", ("240A",)),
    ("removal_decision", "cancellation_vawa", "granted"): Expect(
        {**RELIEF, "cancellation_vawa": "granted"},
        (
            "battered spouses and children, INA § 240A(b)(2), is GRANTED",
            "adjusted to that of a lawful permanent resident",
        ),
    ),
    ("removal_decision", "cancellation_vawa", "denied"): Expect(
        {"cancellation_vawa": "denied"}, ("INA § 240A(b)(2), is DENIED",)
    ),
    ("removal_decision", "cancellation_vawa", "withdrawn"): Expect(
        {"cancellation_vawa": "withdrawn"}, ("INA § 240A(b)(2), is WITHDRAWN",)
    ),
    # INA § 245(a).
    ("removal_decision", "adjustment", "not_applied"): _outcomes("REMOVED", ("INA § 245",)),
    ("removal_decision", "adjustment", "granted"): Expect(
        {**RELIEF, "adjustment": "granted"},
        ("adjustment of status under INA § 245(a) is GRANTED",),
    ),
    ("removal_decision", "adjustment", "denied"): Expect(
        {"adjustment": "denied"}, ("adjustment of status under INA § 245(a) is DENIED",)
    ),
    ("removal_decision", "adjustment", "withdrawn"): Expect(
        {"adjustment": "withdrawn"}, ("adjustment of status under INA § 245(a) is WITHDRAWN",)
    ),
    # INA § 240B.
    ("removal_decision", "voluntary_departure", "not_applied"): _outcomes(
        "REMOVED", ("voluntary departure", "civil penalty")
    ),
    ("removal_decision", "voluntary_departure", "granted"): Expect(
        VD_POST,
        (
            "request for voluntary departure is GRANTED",
            "depart the United States on or before January 26, 2027",
            *VD_ADVISALS,
        ),
    ),
    ("removal_decision", "voluntary_departure", "denied"): Expect(
        {"voluntary_departure": "denied"},
        ("voluntary departure under INA § 240B is DENIED",),
        ("civil penalty",),
    ),
    ("removal_decision", "voluntary_departure", "withdrawn"): Expect(
        {"voluntary_departure": "withdrawn"},
        ("voluntary departure under INA § 240B is WITHDRAWN",),
        ("civil penalty",),
    ),
    # 8 CFR 1240.26(b): before the conclusion, up to 120 days, appeal waived, no bond
    # required (INA § 240B(a)(3): only if the judge requires one).
    ("removal_decision", "vd_stage", "pre_conclusion"): Expect(
        VD_PRE,
        (
            "before the conclusion of proceedings (INA § 240B(a); 8 C.F.R. § 1240.26(b))",
            "waived appeal of all issues",
            "on or before March 27, 2027",
            "Respondent: appeal WAIVED",
            *VD_ADVISALS,
        ),
        ("five business days", "voluntary departure bond"),
    ),
    # 8 CFR 1240.26(c)(3): at the conclusion, a bond of at least $500 posted with DHS within
    # 5 business days: Monday November 30 to Friday December 4, 2026 (the order is dated
    # Friday, November 27, the day after Thanksgiving); proof to the Board within 30 days
    # of an appeal; failing to post does not excuse departure (73 Fed. Reg. 76,927).
    ("removal_decision", "vd_stage", "post_conclusion"): Expect(
        VD_POST,
        (
            "at the conclusion of proceedings (INA § 240B(b); 8 C.F.R. § 1240.26(c))",
            "voluntary departure bond of $500.00 with the Department of Homeland Security "
            "within five business days of this order, that is, by December 4, 2026",
            "within 30 days of filing the appeal",
            "does not excuse the respondent from departing in time",
        ),
    ),
    # The form: appeal waived or reserved, for each party by name; 8 CFR 1003.38(b): the
    # Board receives the appeal within 30 days; 8 CFR 1003.39: waived, the order is final.
    ("removal_decision", "appeal_respondent", "reserved"): _outcomes("Respondent: appeal RESERVED"),
    ("removal_decision", "appeal_respondent", "waived"): Expect(
        {"appeal_respondent": "waived"},
        ("Respondent: appeal WAIVED", "Both parties waived appeal: this decision is final"),
        ("EOIR-26", "RESERVED"),
    ),
    ("removal_decision", "appeal_dhs", "waived"): _outcomes(
        "Department of Homeland Security: appeal WAIVED"
    ),
    ("removal_decision", "appeal_dhs", "reserved"): Expect(
        {"appeal_dhs": "reserved"},
        (
            "Department of Homeland Security: appeal RESERVED",
            "Form EOIR-26",
            "receives it on or before December 28, 2026",
        ),
    ),
    # --- in_absentia_order -----------------------------------------------------------------
    # INA § 240(b)(5)(A): written notice under INA § 239(a)(1) or (2), proved by clear,
    # unequivocal and convincing evidence; (B): no notice needed without an address.
    ("in_absentia_order", "notice_basis", "written_notice"): Expect(
        {},
        (
            "written notice of the time and place of the hearing",
            "INA § 239(a)(1) or (2)",
            *IN_ABSENTIA_ALWAYS,
        ),
        ("RESERVED", "WAIVED", "EOIR-26"),
    ),
    ("in_absentia_order", "notice_basis", "no_address"): Expect(
        {"notice_basis": "no_address"},
        (
            "no written notice was required",
            "INA § 239(a)(1)(F) (INA § 240(b)(5)(B))",
            *IN_ABSENTIA_ALWAYS,
        ),
        ("RESERVED", "WAIVED", "EOIR-26"),
    ),
    # INA § 240(b)(7): ten years without relief, only after oral notice.
    ("in_absentia_order", "oral_notice", "given"): Expect(
        {},
        (
            "given oral notice",
            "ineligible, for ten years after the date of this order, for relief under INA §§ "
            "240A, 240B, 245, 248 and 249 (INA § 240(b)(7))",
        ),
    ),
    ("in_absentia_order", "oral_notice", "not_given"): Expect(
        {"oral_notice": "not_given"}, IN_ABSENTIA_ALWAYS, ("240(b)(7)", "ten years")
    ),
    # --- bond_order ------------------------------------------------------------------------
    # 8 CFR 1236.1(d)(1): the judge redetermines DHS's custody determination; when the
    # request is denied, DHS's determination stands.
    ("bond_order", "dhs_determination", "no_bond"): Expect(
        {"dhs_determination": "no_bond", "dhs_amount": None, "decision": "no_change"}
        | {"amount": None, "conditions": None},
        (
            "held without bond",
            "request for a change in custody status is DENIED",
            "The custody determination of the Department of Homeland Security stands: the "
            "respondent remains in custody without bond",
            *BOND_ALWAYS,
        ),
    ),
    ("bond_order", "dhs_determination", "amount"): Expect(
        {"decision": "no_change", "amount": None, "conditions": None},
        (
            "may be released on a bond of $15,000.00",
            "stands: the bond of $15,000.00 that it set remains in effect",
            *BOND_ALWAYS,
        ),
    ),
    ("bond_order", "decision", "no_change"): Expect(
        {"decision": "no_change", "amount": None, "conditions": None},
        ("request for a change in custody status is DENIED", "stands", *BOND_ALWAYS),
        ("GRANTED",),
    ),
    # INA § 236(a)(2)(A): a bond of at least $1,500, the amount when changed.
    ("bond_order", "decision", "lowered"): _outcomes(
        "GRANTED: the respondent shall be released from custody on posting a bond of $7,500.00",
        ("stands",),
    ),
    # 8 CFR 1236.1(d)(1): the judge determines the amount of bond, if any; the judge may
    # raise it as well as lower it (IJ Benchbook, citing Matter of Spiliopoulos).
    ("bond_order", "decision", "raised"): Expect(
        {"decision": "raised", "amount": "20000"},
        (
            "redetermined: the respondent may be released from custody only on posting a "
            "bond of $20,000.00",
            *BOND_ALWAYS,
        ),
        ("GRANTED", "stands"),
    ),
    # INA § 236(a)(2)(B): conditional parole, release on recognizance.
    ("bond_order", "decision", "recognizance"): Expect(
        {"decision": "recognizance", "amount": None},
        (
            "released from custody on the respondent's own recognizance",
            "Other conditions of release: Report to ICE monthly.",
            *BOND_ALWAYS,
        ),
        ("$7,500.00",),
    ),
    # 8 CFR 1003.19(h)(2)(i): classes over whose custody the judge has no jurisdiction.
    ("bond_order", "decision", "no_jurisdiction"): Expect(
        {"decision": "no_jurisdiction", "amount": None, "conditions": None},
        ("no jurisdiction to redetermine", "8 C.F.R. § 1003.19(h)(2)(i)", *BOND_ALWAYS),
        ("GRANTED", "DENIED"),
    ),
    ("bond_order", "decision", "withdrawn"): Expect(
        {"decision": "withdrawn", "amount": None, "conditions": None},
        ("withdrew the request for a change in custody status", "stands", *BOND_ALWAYS),
    ),
    # 8 CFR 1003.19(f), 1003.38(b), 1236.1(d)(3)(i): appeal to the Board within 30 days.
    ("bond_order", "appeal_respondent", "waived"): _outcomes(
        "Respondent: appeal WAIVED", ("Both parties",)
    ),
    ("bond_order", "appeal_respondent", "reserved"): Expect(
        {"appeal_respondent": "reserved"}, ("Respondent: appeal RESERVED",)
    ),
    ("bond_order", "appeal_dhs", "reserved"): _outcomes(
        "Department of Homeland Security: appeal RESERVED"
    ),
    ("bond_order", "appeal_dhs", "waived"): Expect(
        {"appeal_dhs": "waived"},
        ("Department of Homeland Security: appeal WAIVED", "Both parties waived appeal"),
        ("EOIR-26",),
    ),
    # --- motion_order ----------------------------------------------------------------------
    # 8 CFR 1003.29 (continuance for good cause); 1003.18(a) (notice of the next hearing).
    ("motion_order", "motion", "continuance"): _outcomes(
        "The case is continued to January 15, 2027; a notice of hearing will be served"
    ),
    # 8 CFR 1003.20(b).
    ("motion_order", "motion", "change_of_venue"): Expect(
        {
            "motion": "change_of_venue",
            "adjournment_code": None,
            "next_hearing": None,
            "new_court": "Los Angeles Immigration Court",
        },
        ("motion to change venue", "Venue is changed to the Los Angeles Immigration Court"),
        ("continued to",),
    ),
    ("motion_order", "movant", "respondent"): _outcomes("made by the respondent"),
    ("motion_order", "movant", "dhs"): Expect(
        {"movant": "dhs"}, ("made by the Department of Homeland Security",)
    ),
    ("motion_order", "movant", "court"): Expect(
        {"movant": "court"}, ("made by the immigration judge, on the court's own motion",)
    ),
    ("motion_order", "ruling", "granted"): _outcomes("The motion is GRANTED"),
    ("motion_order", "ruling", "denied"): Expect(
        {"ruling": "denied", "adjournment_code": None, "next_hearing": None},
        ("The motion is DENIED",),
        ("continued to",),
    ),
    # The 2026-12-07 version: every motion resources/motion_types.json lists, each cited
    # there (8 CFR 1003.23, 1003.18, 1003.17(b), 1003.25(c), 1003.35(b); ICPM 5.2, 5.10).
    **{
        ("motion_order", "motion", value): Expect(
            {"motion": value, **_NOT_CONTINUED, **extra},
            (f"Motion: {label}, made by the respondent", "The motion is GRANTED"),
            ("continued to",),
        )
        for value, label, extra in (
            ("reopen", "motion to reopen", {}),
            ("reconsider", "motion to reconsider", {}),
            ("recalendar", "motion to recalendar", {}),
            ("terminate", "motion to terminate", {}),
            ("withdraw_as_counsel", "motion to withdraw as counsel", {}),
            ("appear_remotely", "motion to appear by telephone or video", {}),
            ("subpoena", "motion for a subpoena", {}),
            ("other", "motion", {"other_motion": "leave to file a late brief"}),
        )
    },
    ("motion_order", "movant", "joint"): Expect(
        {"movant": "joint"}, ("made by the parties jointly",)
    ),
    # ICPM 5.12 (a motion DHS does not oppose); 8 CFR 1003.23(b)(1) (time limits).
    ("motion_order", "ruling", "granted_unopposed"): Expect(
        {"ruling": "granted_unopposed"},
        ("does not oppose the motion", "The motion is GRANTED as unopposed"),
    ),
    ("motion_order", "ruling", "untimely"): Expect(
        {"ruling": "untimely", **_NOT_CONTINUED},
        ("The motion is DENIED as untimely",),
        ("continued to", "GRANTED"),
    ),
    ("motion_order", "ruling", "moot"): Expect(
        {"ruling": "moot", **_NOT_CONTINUED},
        ("The motion is DENIED as moot",),
        ("continued to", "GRANTED"),
    ),
    # 8 CFR 1003.23(b)(1), (b)(4)(i), (ii), (iv): the exceptions to the limits on reopening.
    **{
        ("motion_order", "limit_exception", value): Expect(
            {"motion": motion, **_NOT_CONTINUED, "limit_exception": value},
            (says,),
        )
        for value, motion, says in (
            ("lack_of_notice", "reopen", "did not receive notice of the hearing"),
            ("in_custody", "reopen", "was in federal or state custody"),
            ("changed_country_conditions", "reopen", "asylum on changed country conditions"),
            ("joint_motion", "reopen", "filed it jointly (8 C.F.R. § 1003.23(b)(4)(iv))"),
            ("dhs_motion", "reopen", "a motion by the Department of Homeland Security"),
            ("equitable_tolling", "reconsider", "equitably tolled"),
            ("sua_sponte", "reconsider", "on the court's own motion"),
        )
    },
    # --- board_motion_order: 8 CFR 1003.2, 1003.6 (the Board's order on a motion) ------------
    **{
        ("board_motion_order", "motion", value): Expect(
            {"motion": value, **extra},
            (f"Motion: {label}, made by the respondent", "the Board rules as follows"),
            ("immigration judge rules",),
        )
        for value, label, extra in (
            ("stay_of_removal", "motion for a stay of removal", {}),
            ("remand", "motion to remand", {}),
            ("extension", "request to extend the briefing deadline", {}),
            ("reopen", "motion to reopen", {}),
            ("reconsider", "motion to reconsider", {}),
            ("other", "motion", {"other_motion": "leave to file a late brief"}),
        )
    },
    ("board_motion_order", "movant", "respondent"): _outcomes("made by the respondent"),
    ("board_motion_order", "movant", "dhs"): Expect(
        {"movant": "dhs"}, ("made by the Department of Homeland Security",)
    ),
    ("board_motion_order", "movant", "joint"): Expect(
        {"movant": "joint"}, ("made by the parties jointly",)
    ),
    ("board_motion_order", "ruling", "granted"): _outcomes("The motion is GRANTED"),
    ("board_motion_order", "ruling", "granted_unopposed"): Expect(
        {"ruling": "granted_unopposed"}, ("The motion is GRANTED as unopposed",)
    ),
    ("board_motion_order", "ruling", "denied"): Expect(
        {"ruling": "denied"}, ("The motion is DENIED",), ("GRANTED",)
    ),
    ("board_motion_order", "ruling", "untimely"): Expect(
        {"ruling": "untimely"}, ("The motion is DENIED as untimely",), ("GRANTED",)
    ),
    ("board_motion_order", "ruling", "moot"): Expect(
        {"ruling": "moot"}, ("The motion is DENIED as moot",), ("GRANTED",)
    ),
    # 8 CFR 1003.2(a), (c)(3): the exceptions to the Board's limits (assumption: not re-read).
    **{
        ("board_motion_order", "limit_exception", value): Expect(
            {"motion": motion, "limit_exception": value}, (says,)
        )
        for value, motion, says in (
            ("lack_of_notice", "reopen", "did not receive notice of the hearing"),
            ("in_custody", "reopen", "was in federal or state custody"),
            ("changed_country_conditions", "reopen", "(8 C.F.R. § 1003.2(c)(3)(ii))"),
            ("joint_motion", "reopen", "filed it jointly (8 C.F.R. § 1003.2(c)(3)(iii))"),
            ("dhs_motion", "reopen", "(8 C.F.R. § 1003.2(c)(3)(iv))"),
            ("equitable_tolling", "reconsider", "equitably tolled"),
            ("sua_sponte", "reconsider", "The Board reopens or reconsiders the case"),
        )
    },
    # --- board_decision: 8 CFR 1003.1(d)(7), (e)(4); 1003.3(a)(1) -----------------------------
    ("board_decision", "appellant", "dhs"): _outcomes(
        "The appeal of the Department of Homeland Security from the decision of the "
        "immigration judge is before the Board of Immigration Appeals."
    ),
    ("board_decision", "appellant", "respondent"): Expect(
        {"appellant": "respondent"},
        ("The appeal of the respondent from the decision of the immigration judge",),
    ),
    ("board_decision", "outcome", "dismissed"): _outcomes(
        "The appeal is DISMISSED. The decision of the immigration judge stands.",
        ("REMANDED", "SUSTAINED"),
    ),
    ("board_decision", "outcome", "sustained"): Expect(
        {"outcome": "sustained"}, ("The appeal is SUSTAINED.",), ("DISMISSED",)
    ),
    ("board_decision", "outcome", "remanded"): Expect(
        {"outcome": "remanded", "remand_instructions": "Rule on the asylum application."},
        (
            "The record is REMANDED to the immigration court for further proceedings",
            "On remand, the immigration judge shall: Rule on the asylum application.",
        ),
        ("DISMISSED",),
    ),
    ("board_decision", "outcome", "summary_affirmance"): Expect(
        {"outcome": "summary_affirmance"},
        (
            "The Board affirms, without opinion, the result of the decision below. The "
            "decision below is, therefore, the final agency determination.",
        ),
        ("DISMISSED",),
    ),
}
# Fields whose options are not outcomes an order states: the adjournment code is EOIR's
# internal case code, recorded for the asylum clock and never printed (see below).
NOT_PRINTED = {("motion_order", "adjournment_code")}
_FOOTER = re.compile(r"A\d{3}-\d{3}-\d{3}\s+Page \d+ of \d+")
_CASE_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # "removal_ordered", "post_conclusion"


def _order_templates() -> list[OrderTemplate]:
    return [t for t in current_templates().values() if t.doc_type is DocumentType.ORDER]


def _offered() -> Iterator[tuple[str, str, str]]:
    for template in _order_templates():
        for f in template.fields:
            if f.options() and (template.key, f.key) not in NOT_PRINTED:
                for value, _label in f.options():
                    yield template.key, f.key, value


def _text(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        raw = " ".join(_FOOTER.sub(" ", str(page.get_text())) for page in doc)
    # NFKC undoes the font's ligatures ("ﬁ"); lines and pages joined (without the page
    # footers), so a phrase may wrap or run on to the next page.
    return " ".join(unicodedata.normalize("NFKC", raw).split())


def _flat(text: str) -> str:
    return "".join(text.split())


def _signed_pdf(key: str, changes: Mapping[str, Any], facts: CaseFacts = FACTS) -> bytes:
    template = template_for(key)
    fields = {k: v for k, v in {**COMPLETE_FIELDS[key], **changes}.items() if v is not None}
    problems = check_order(template, fields, template.body)
    assert problems == [], f"the fixture for {key} {dict(changes)} is not a lawful order"
    draft = new_draft(template, facts, JUDGE, date(2026, 11, 27))
    order = sign(draft.model_copy(update={"fields": fields}), JUDGE, Role.JUDGE, JUDGE, SIGNED_AT)
    return render_order(template, order, facts, certificate=CERTIFICATE)


def test_every_outcome_a_template_offers_has_its_expected_wording() -> None:
    offered = set(_offered())
    assert offered - set(EXPECTED) == set(), "outcomes with no expected wording: write it"
    assert set(EXPECTED) - offered == set(), "expected wording for outcomes no template offers"
    assert {t.key for t in _order_templates()} >= {
        "removal_decision",
        "in_absentia_order",
        "bond_order",
        "motion_order",
    }


@pytest.mark.parametrize(("key", "field", "value"), sorted(EXPECTED))
def test_each_outcome_renders_with_the_wording_its_source_requires(
    key: str, field: str, value: str
) -> None:
    expect = EXPECTED[(key, field, value)]
    fields = {**COMPLETE_FIELDS[key], **expect.changes}
    assert fields.get(field) == value, "the scenario must set the outcome it is filed under"
    text = _text(_signed_pdf(key, expect.changes))
    # A line may break inside a citation ("240(b)(5)" / "(C)(ii)"): compare without spaces.
    flat = _flat(text)
    for phrase in expect.says:
        assert _flat(phrase) in flat, phrase
    for phrase in expect.never:
        assert _flat(phrase) not in flat, phrase
    assert _CASE_CODE.findall(text) == [], "a system value was printed instead of words"
    assert "Charges" not in text  # the charges are stated in words where they belong
    assert "Electronically signed by Immigration Judge Brennan on November 27, 2026" in text
    assert "DRAFT" not in text


def test_a_bond_order_states_no_charges() -> None:
    text = _text(_signed_pdf("bond_order", {}))
    assert "212(a)(6)(A)(i)" not in text and "charged" not in text
    removal = _text(_signed_pdf("removal_decision", {}))
    assert "as removable under INA § 212(a)(6)(A)(i)" in removal


def test_the_adjournment_code_is_recorded_but_never_printed() -> None:
    text = _text(_signed_pdf("motion_order", {}))
    assert COMPLETE_FIELDS["motion_order"]["adjournment_code"] == "02"
    assert "Adjournment" not in text and "Preparation - respondent" not in text
    assert " 02 " not in f" {text} "
    assert "Reason: Counsel needs time to prepare the asylum application." in text


@pytest.mark.parametrize(
    ("case_type", "caption"),
    [
        ("removal", "IN REMOVAL PROCEEDINGS"),
        ("bond", "IN BOND PROCEEDINGS"),
        ("credible_fear_review", "IN CREDIBLE FEAR REVIEW PROCEEDINGS"),
        ("withholding_only", "IN WITHHOLDING-ONLY PROCEEDINGS"),
    ],
)
def test_a_motion_order_carries_the_caption_of_its_proceedings(
    case_type: str, caption: str
) -> None:
    facts = dataclasses.replace(FACTS, case_type=case_type)
    text = _text(_signed_pdf("motion_order", {}, facts))
    assert caption in text
    others = {"IN REMOVAL PROCEEDINGS", "IN BOND PROCEEDINGS"} - {caption}
    assert not any(other in text for other in others)


def test_every_template_in_force_records_the_source_of_its_wording() -> None:
    for template in _order_templates():
        assert template.source, template.key
        cited = [*template.source]
        for f in template.fields:
            if f.clauses:
                assert f.source, f"{template.key}.{f.key} prints wording without a source"
            cited += f.source
        for clause in template.standing:
            assert clause.source, f"{template.key}: a clause has no source"
            cited += clause.source
        # Read for the court's templates on 2026-12-06, for the Board's on 2026-12-07.
        assert {c.read for c in cited} <= {date(2026, 12, 6), date(2026, 12, 7)}, template.key
        assert all(c.document and c.section for c in cited), template.key


def _page_of(pdf: bytes, phrase: str) -> int:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        pages = [
            n
            for n, page in enumerate(doc)
            if phrase in " ".join(unicodedata.normalize("NFKC", page.get_text()).split())
        ]
    assert len(pages) == 1, (phrase, pages)
    return pages[0]


def test_the_certificate_of_service_and_the_signature_each_stay_on_one_page() -> None:
    # Bodies of growing length push the closing blocks across the foot of a page in turn;
    # the certificate never leaves its heading (or a party) behind, nor the signature its
    # appeal lines.
    many = CertificateOfService(
        served_by="Court staff, San Francisco Immigration Court",
        served_on=date(2026, 11, 27),
        parties=(
            PartyToServe(
                Party.RESPONDENT,
                "Ana Morales",
                ServiceMethod.MAIL,
                address=("in care of the custodial officer", "611 Frontage Rd", "McFarland, CA"),
            ),
            *(
                PartyToServe(Party.PRACTITIONER, f"Attorney {n}", ServiceMethod.ELECTRONIC)
                for n in range(6)
            ),
            PartyToServe(Party.DHS, "DHS — ICE OPLA, San Francisco", ServiceMethod.ELECTRONIC),
        ),
    )
    template = template_for("removal_decision")
    moved = 0
    for paragraphs in range(0, 40, 2):
        body = "\n\n".join(f"Finding {n}: the evidence was weighed." for n in range(paragraphs))
        draft = new_draft(template, FACTS, JUDGE, date(2026, 11, 27)).model_copy(
            update={"fields": COMPLETE_FIELDS["removal_decision"], "body": body or "Decision."}
        )
        order = sign(draft, JUDGE, Role.JUDGE, JUDGE, SIGNED_AT)
        pdf = render_order(template, order, FACTS, certificate=many)
        heading = _page_of(pdf, "CERTIFICATE OF SERVICE")
        assert _page_of(pdf, "DHS — ICE OPLA, San Francisco") == heading
        assert _page_of(pdf, "To: Respondent, Ana Morales") == heading
        appeal = _page_of(pdf, "Respondent: appeal RESERVED")
        assert _page_of(pdf, "Electronically signed by") == appeal
        moved += heading > appeal
    assert moved, "no body length made the certificate start a page: widen the range"


@pytest.mark.parametrize(
    ("decided", "form", "signed", "due"),
    [
        # 8 CFR 1003.38(b): 30 days from an oral decision. November 27 + 30 is Sunday,
        # December 27, 2026: the Board receives it the next business day.
        ("2026-11-27", "oral", SIGNED_AT, "December 28, 2026"),
        # December 2 + 30 is Friday, January 1, 2027, New Year's Day: the next business day
        # is Monday, January 4 (not the holiday "today + 30" proposed).
        ("2026-12-02", "oral", datetime(2026, 12, 2, 20, 0, tzinfo=UTC), "January 4, 2027"),
        # Oral on November 20: + 30 is Sunday, December 20: Monday, December 21.
        ("2026-11-20", "oral", SIGNED_AT, "December 21, 2026"),
        # A written decision dated November 20 but served (signed and issued) on November 27:
        # the 30 days run from service.
        ("2026-11-20", "written", SIGNED_AT, "December 28, 2026"),
    ],
)
def test_the_appeal_due_date_is_counted_by_the_rule_not_typed(
    decided: str, form: str, signed: datetime, due: str
) -> None:
    template = template_for("removal_decision")
    assert "appeal_due" not in {f.key for f in template.fields}  # nobody types it
    fields = {
        **COMPLETE_FIELDS["removal_decision"],
        "decision_date": decided,
        "decision_form": form,
    }
    draft = new_draft(template, FACTS, JUDGE, date(2026, 11, 20)).model_copy(
        update={"fields": fields}
    )
    order = sign(draft, JUDGE, Role.JUDGE, JUDGE, signed)
    text = _flat(_text(render_order(template, order, FACTS, certificate=CERTIFICATE)))
    assert _flat(f"receives it on or before {due};") in text


def test_a_bond_decision_dates_its_appeal_from_the_custody_decision() -> None:
    # 8 CFR 1003.19(f), 1003.38(b): 30 days; the custody decision's date is its own field,
    # so a bond order is never read as the decision of the case (8 CFR 1003.19(d)).
    # November 20 + 30 is Sunday, December 20, 2026: Monday, December 21.
    text = _flat(_text(_signed_pdf("bond_order", {"custody_decision_date": "2026-11-20"})))
    assert _flat("receives it on or before December 21, 2026.") in text
    assert "decision_date" not in {f.key for f in template_for("bond_order").fields}


@pytest.mark.parametrize(
    ("form", "scope", "appeared"),
    [
        ("eoir_28", "all_proceedings", "through counsel, Attorney Sam Okafor"),
        ("eoir_28", "all_except_custody_and_bond", "through counsel, Attorney Sam Okafor"),
        # 8 CFR 1003.17(a): an appearance for custody and bond only is not one in the
        # removal hearing; an EOIR-27 is an appearance before the Board, not the court.
        ("eoir_28", "custody_and_bond_only", "pro se"),
        ("eoir_27", "all_proceedings", "pro se"),
    ],
)
def test_the_order_names_as_counsel_only_counsel_of_record_in_its_proceedings(
    form: str, scope: str, appeared: str
) -> None:
    counsel = Counsel("6f1f8f60-0000-4000-8000-000000000003", "Attorney Sam Okafor", form, scope)
    facts = dataclasses.replace(FACTS, counsel=(counsel,))
    text = _text(_signed_pdf("removal_decision", {}, facts))
    assert f"The respondent appeared {appeared}." in text
