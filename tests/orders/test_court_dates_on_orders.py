"""An order bears the court's date, not UTC's (issue 12, item 1): the signature date, the
date in the signature block and the certificate of service are the court's local date,
whatever the machine's zone. 8 CFR 1003.38(b) runs the 30-day appeal clock from the oral
decision (or the service of a written one), so a day's shift moves the deadline."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from common.enums import Role
from common.order_pdf import pdf_text, render_order
from common.orders import new_draft, sign, template_for
from tests.orders.helpers import COMPLETE_FIELDS, FACTS, JUDGE


@pytest.mark.parametrize(
    ("signed_utc", "court_day"),
    [
        # 17:30 PST on December 7 is 01:30 UTC on December 8.
        (datetime(2026, 12, 8, 1, 30, tzinfo=UTC), "December 7, 2026"),
        # 23:30 PST on December 7 is 07:30 UTC on December 8.
        (datetime(2026, 12, 8, 7, 30, tzinfo=UTC), "December 7, 2026"),
    ],
)
def test_a_signature_late_in_the_day_in_san_francisco_is_dated_that_day(
    signed_utc: datetime, court_day: str
) -> None:
    template = template_for("motion_order")
    draft = new_draft(template, FACTS, JUDGE, date(2026, 12, 7)).model_copy(
        update={"fields": dict(COMPLETE_FIELDS["motion_order"])}
    )
    signed = sign(draft, JUDGE, Role.JUDGE, JUDGE, signed_utc)
    text = pdf_text(render_order(template, signed, FACTS))
    assert f"Date: {court_day}" in text
    assert "December 8, 2026" not in text
    assert f"Electronically signed by Immigration Judge Brennan on {court_day} at" in text
    assert "PM PST" in text and "UTC" not in text


def test_a_court_without_a_zone_says_its_times_are_utc() -> None:
    facts = dataclasses.replace(FACTS, court_timezone="")
    template = template_for("motion_order")
    draft = new_draft(template, facts, JUDGE, date(2026, 12, 7)).model_copy(
        update={"fields": dict(COMPLETE_FIELDS["motion_order"])}
    )
    signed = sign(draft, JUDGE, Role.JUDGE, JUDGE, datetime(2026, 12, 8, 1, 30, tzinfo=UTC))
    text = pdf_text(render_order(template, signed, facts))
    assert "Date: December 8, 2026" in text and "1:30 AM UTC" in text
