"""Downloads with any title: a document titled in Cyrillic, Chinese or K'iche', with quotes,
backslashes, semicolons or control characters downloads under its own name, read back as a
browser reads ``Content-Disposition`` (RFC 6266 / RFC 5987), through gunicorn behind nginx;
nothing in a title can add a header."""

# The titles are meant to hold look-alike characters.
# ruff: noqa: RUF001

from __future__ import annotations

import email.message
import email.utils
import re
from collections.abc import Iterator

import pyotp
import pytest
import requests
from sqlalchemy import select
from werkzeug.http import parse_options_header

from sync_server.app import build_services
from sync_server.config import load_config
from sync_server.db import write_transaction
from sync_server.http_edges import content_disposition
from sync_server.models import DocumentRow, RepresentationRow
from sync_server.services.records import row_to_record, write_record
from tests.conftest import DEMO_PASSWORD, user_id
from tests.server.proxy_stack import Stack, needs_nginx, proxy_stack

# (title as filed, the name a browser saves it under)
TITLES = [
    ("Заявление о предоставлении убежища", "Заявление о предоставлении убежища.pdf"),
    ("庇护申请 — 附件 1：出生证明", "庇护申请 — 附件 1：出生证明.pdf"),
    ("Ixq'anil ri tzij — attachment 1: Ruk'u'x", "Ixq'anil ri tzij — attachment 1: Ruk'u'x.pdf"),
    ('Motion "to reopen"; exhibit \\A\\', 'Motion "to reopen"; exhibit -A-.pdf'),
    ("Line one\r\nX-Injected: yes\x00 end", "Line one X-Injected: yes end.pdf"),
    ("Notice to appear — Nguyễn Văn Ánh", "Notice to appear — Nguyễn Văn Ánh.pdf"),
    ("%41 50%; filename=evil.exe", "%41 50%; filename=evil.exe.pdf"),
]


def _as_a_browser_reads_it(header: str) -> tuple[str, str]:
    """(the name saved, the plain fallback) as RFC 6266 clients read the header."""
    # The classic parser keeps both parameters (the newer policy drops a repeated name).
    message = email.message.Message()
    message["Content-Disposition"] = header
    # RFC 6266 4.3: a client that understands filename* takes it over filename.
    params = message.get_params(header="content-disposition") or []
    encoded = [value for key, value in params if key == "filename" and isinstance(value, tuple)]
    saved = email.utils.collapse_rfc2231_value(encoded[0]) if encoded else message.get_filename()
    assert isinstance(saved, str), header
    kind, options = parse_options_header(header)
    assert kind == "attachment"
    assert saved == options["filename"], "email and werkzeug read the header alike"
    plain = re.search(r'filename="([^"]*)"', header)
    assert plain is not None, header
    return str(saved), plain.group(1)


@pytest.mark.parametrize(("title", "saved"), TITLES)
def test_a_title_in_any_script_or_with_any_character_is_the_saved_name(
    title: str, saved: str
) -> None:
    header = content_disposition(f"{title}.pdf")
    assert header.isascii() and not re.search(r"[\x00-\x1f\x7f]", header)
    name, fallback = _as_a_browser_reads_it(header)
    assert name == saved
    # The fallback is for clients without RFC 5987: plain, quotable, still a PDF.
    assert fallback.endswith(".pdf") and re.fullmatch(
        r"[A-Za-z0-9 ._()\[\]+,=@&!#$^{}~'-]+", fallback
    )


def test_a_plain_name_is_sent_once_and_an_empty_one_gets_a_name() -> None:
    assert content_disposition("eROP-A123456789-2026-11-27.pdf") == (
        'attachment; filename="eROP-A123456789-2026-11-27.pdf"'
    )
    assert _as_a_browser_reads_it(content_disposition("\r\n.pdf"))[0] == "download.pdf"
    assert _as_a_browser_reads_it(content_disposition("жжж.pdf"))[1] == "download.pdf"
    long_name = _as_a_browser_reads_it(content_disposition("Ж" * 500 + ".pdf"))[0]
    assert long_name.endswith(".pdf") and len(long_name) < 200


def test_a_title_cannot_hide_its_extension_with_bidi_controls() -> None:
    name, _ = _as_a_browser_reads_it(content_disposition("invoice\u202efdp.exe.pdf"))
    assert "\u202e" not in name and name.endswith(".pdf")


# --- through gunicorn behind nginx -----------------------------------------------------------

_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def _form(session: requests.Session, url: str, **fields: str) -> requests.Response:
    page = session.get(url, timeout=30)
    found = _CSRF.search(page.text)
    assert found, page.text
    return session.post(
        url, data={"csrf_token": found.group(1), **fields}, allow_redirects=False, timeout=30
    )


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    # 17 demo cases: the fewest in which attorney1 appears (an accepted EOIR-28).
    with proxy_stack(tmp_path_factory.mktemp("titles"), cases=17) as running:
        yield running


def _attorney_document(stack: Stack) -> tuple[str, str]:
    """A case attorney1 appears in, and one of its documents."""
    services = build_services(load_config(stack.env))
    try:
        with services.factory() as session:
            case_ids = session.scalars(
                select(RepresentationRow.case_id).where(
                    RepresentationRow.practitioner_id == user_id("attorney1"),
                    RepresentationRow.status == "accepted",
                )
            ).all()
            document = session.scalars(
                select(DocumentRow)
                .where(DocumentRow.case_id.in_(case_ids), DocumentRow.status == "accepted")
                .order_by(DocumentRow.id)
            ).first()
            assert document is not None, "attorney1 has no accepted document in the demo"
            return document.case_id, document.id
    finally:
        services.engine.dispose()


def _retitle(stack: Stack, document_id: str, title: str) -> None:
    """The document's title changed as any change is written (write_record)."""
    services = build_services(load_config(stack.env))
    try:
        with write_transaction(services.factory) as session:
            row = session.get(DocumentRow, document_id)
            assert row is not None
            record = row_to_record("document", row)
            write_record(session, record.model_copy(update={"title": title}))
    finally:
        services.engine.dispose()


@needs_nginx
@pytest.mark.slow
def test_documents_with_any_title_download_through_gunicorn_behind_nginx(stack: Stack) -> None:
    browser = stack.client("127.0.0.8")
    signed = _form(
        browser, f"{stack.https}/portal/login", login="attorney1", password=DEMO_PASSWORD
    )
    assert signed.headers["Location"].endswith("/portal/login/enrol"), signed.text
    page = browser.get(f"{stack.https}/portal/login/enrol", timeout=30)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text)
    assert secret, page.text
    enrolled = _form(
        browser, f"{stack.https}/portal/login/enrol", code=pyotp.TOTP(secret.group(1)).now()
    )
    assert enrolled.status_code == 303, enrolled.text  # to the recovery codes, shown by a GET

    case_id, document_id = _attorney_document(stack)
    for title, saved in TITLES:
        _retitle(stack, document_id, title)
        response = browser.get(
            f"{stack.https}/portal/cases/{case_id}/documents/{document_id}", timeout=60
        )
        assert response.status_code == 200, (title, response.text[:300])
        assert response.content.startswith(b"%PDF")
        assert "X-Injected" not in response.headers
        name, _ = _as_a_browser_reads_it(response.headers["Content-Disposition"])
        assert name == saved
