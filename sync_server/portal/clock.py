"""The portal on the court's clock: which day it is at a case's court (for the dates a form
is checked against and the dates a filing bears) and the template filters that show dates
and times in the house style of :mod:`common.court_time`.

A page never shows UTC or the server's own zone: each time is shown on the clock of the
court it belongs to, with the zone's abbreviation ("Tue 8 Dec 2026 10:30 PST").
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from common.court_time import (
    ZoneSource,
    court_today,
    local_date,
    table_date,
    table_datetime,
    table_time,
    utc_now,
)
from sync_server.models import CourtRow
from sync_server.portal import bp
from sync_server.portal.gate import current_user
from sync_server.portal.services import portal


def court_zones() -> dict[str, str]:
    """Every court's IANA zone by court id (a handful of rows)."""
    with portal().core.factory() as session:
        return {str(i): str(z) for i, z in session.execute(select(CourtRow.id, CourtRow.timezone))}


def court_today_at(court_id: str | None) -> date:
    """Today at the court ``court_id`` (UTC's date when no such court exists)."""
    return court_today(court_zones().get(court_id or ""))


def case_today(case_id: str) -> date:
    """Today at the court of a case the signed-in user may see (raises ``NotFound`` as the
    case pages do for any other)."""
    case = portal().cases.check_case(current_user(), case_id)
    return court_today_at(case.court_id)


def latest_court_today() -> date:
    """The latest date at any court of this system: what a form not yet tied to a court
    (an appearance, before its A-number is matched) is checked against, so a date that is
    already today where the case is heard is never refused as "in the future"."""
    now = utc_now()
    return max((court_today(zone, now) for zone in court_zones().values()), default=now.date())


def earliest_court_today() -> date:
    """The earliest date at any court of this system: a date a form proposes before its
    court is known (it is today or already past wherever the case is heard)."""
    now = utc_now()
    return min((court_today(zone, now) for zone in court_zones().values()), default=now.date())


def _instant(value: datetime | str) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


@bp.app_template_filter("court_date")
def court_date_filter(value: date | None) -> str:
    """``{{ d | court_date }}``: a court date, "Tue 8 Dec 2026"."""
    return table_date(value) if value is not None else "—"


@bp.app_template_filter("court_datetime")
def court_datetime_filter(value: datetime | str | None, zone: ZoneSource) -> str:
    """``{{ instant | court_datetime(zone) }}``: "Tue 8 Dec 2026 10:30 PST"."""
    return table_datetime(_instant(value), zone) if value else "—"


@bp.app_template_filter("court_time")
def court_time_filter(value: datetime | str | None, zone: ZoneSource) -> str:
    """``{{ instant | court_time(zone) }}``: "10:30 PST"."""
    return table_time(_instant(value), zone) if value else "—"


@bp.app_template_filter("court_day")
def court_day_filter(value: datetime | str | None, zone: ZoneSource) -> str:
    """``{{ instant | court_day(zone) }}``: the court's date of an instant, "Tue 8 Dec 2026"."""
    return table_date(local_date(_instant(value), zone)) if value else "—"
