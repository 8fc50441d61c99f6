"""Every form control of every portal page has a label, ids are unique, the landmarks are
there, and errors point at fields that exist (checked on the HTML the server sends)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import Flask

from tests.portal.portal_helpers import (
    Browser,
    a_case_at,
    register_and_approve,
    sign_in_admin,
    sign_in_enrolling,
)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[str] = []
        self.links: list[str] = []
        self.landmarks: set[str] = set()
        self.lang = ""
        self._in_label = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag in ("header", "main", "footer", "nav"):
            self.landmarks.add(tag)
        if tag == "label":
            self._in_label += 1
            if "for" in a:
                self.label_for.add(a["for"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        hidden = tag == "input" and a.get("type") in ("hidden", "submit")
        if tag in ("input", "select", "textarea") and not hidden and not self._in_label:
            self.controls.append(a.get("id", "(no id)"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._in_label -= 1


def check(html: str) -> None:
    page = _Page()
    page.feed(html)
    assert page.lang in ("en", "es")  # the respondent pages are in Spanish too
    assert {"header", "main", "footer"} <= page.landmarks
    duplicated = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicated, duplicated
    unlabelled = [c for c in page.controls if c not in page.label_for]
    assert not unlabelled, unlabelled
    dangling = [link for link in page.links if link not in page.ids]
    assert not dangling, dangling


@pytest.fixture(scope="module")
def attorney(seeded_app: Flask) -> Browser:
    return sign_in_enrolling(seeded_app, register_and_approve(seeded_app))


@pytest.fixture(scope="module")
def dhs(seeded_app: Flask) -> Browser:
    return sign_in_enrolling(seeded_app, register_and_approve(seeded_app, kind="dhs"))


def test_public_pages(seeded_app: Flask) -> None:
    visitor = Browser(seeded_app.test_client())
    for path in ("/portal/", "/portal/register", "/portal/login", "/portal/nowhere"):
        visitor.get(path)
        check(visitor.last)
    visitor.post("/portal/register", {"kind": "attorney"}, from_page="/portal/register")
    check(visitor.last)  # with the error summary and every field's error


def test_signed_in_pages(seeded_app: Flask, attorney: Browser, dhs: Browser) -> None:
    for path in ("/portal/cases", "/portal/filings", "/portal/appearance/eoir-28"):
        attorney.get(path)
        check(attorney.last)
    attorney.post("/portal/appearance/eoir-27", {"primary": "primary"})
    check(attorney.last)
    case = a_case_at(seeded_app, "SFR", 0).id
    for path in (f"/portal/cases/{case}", f"/portal/cases/{case}/file", "/portal/dhs/nta"):
        dhs.get(path)
        check(dhs.last)
    dhs.post("/portal/dhs/nta", {"a_number": "12"})
    check(dhs.last)
    admin = sign_in_admin(seeded_app)
    admin.get("/portal/admin/registrations?all=1")
    check(admin.last)
