"""Family cases: a lead case with riders (``case.lead_case_id``), scheduled, heard and
decided together, each with its own record (``resources/representation_rules.json``
"family").

One level only: a rider names its lead; a lead names none, and a case that leads riders
is not itself a rider, so a family can't loop. The cases are at the same court. The
checks are pure, for the server (``change_rules``) and the desktop (before it saves).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


def check_family_link(
    case_id: str,
    court_id: str,
    lead: Mapping[str, Any] | None,
    *,
    lead_case_id: str | None,
    has_riders: bool,
) -> str | None:
    """Why case ``case_id`` (at ``court_id``) can't name ``lead_case_id`` as its lead, or
    None. ``lead`` is the lead case's record (wire dict or row values); ``has_riders``
    whether some case names ``case_id`` as its lead."""
    if lead_case_id is None:
        return None
    if lead_case_id == case_id:
        return "a case can't be its own lead"
    if lead is None:
        return "the lead case is not on record"
    if str(lead["court_id"]) != court_id:
        return "a family's cases are at the same court; change the venue first"
    if lead.get("lead_case_id"):
        return "the lead is itself a rider: name its family's lead case instead"
    if has_riders:
        return "this case leads riders, so it can't be a rider: a family has one lead"
    return None


@dataclass(frozen=True)
class Family:
    """The lead case's id and its riders' ids (in the order given)."""

    lead_id: str
    rider_ids: tuple[str, ...]

    @property
    def case_ids(self) -> tuple[str, ...]:
        return (self.lead_id, *self.rider_ids)


def family_of(case_id: str, cases: Iterable[Mapping[str, Any]]) -> Family | None:
    """The family ``case_id`` belongs to (as lead or rider), or None when it has none."""
    by_id = {str(c["id"]): c for c in cases}
    case = by_id.get(case_id)
    if case is None:
        return None
    lead_id = str(case.get("lead_case_id") or case_id)
    riders = tuple(
        sorted(
            (cid for cid, c in by_id.items() if c.get("lead_case_id") == lead_id),
            key=lambda cid: (
                str(by_id[cid]["respondent_last_name"]),
                str(by_id[cid]["respondent_first_name"]),
                cid,
            ),
        )
    )
    if not riders:
        return None
    return Family(lead_id, riders)


def riders_of(lead_id: str, cases: Iterable[Mapping[str, Any]]) -> list[str]:
    """Ids of the cases that name ``lead_id`` as their lead."""
    return [str(c["id"]) for c in cases if c.get("lead_case_id") == lead_id]
