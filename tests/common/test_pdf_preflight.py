import json
from pathlib import Path

import pymupdf
import pytest

from common.pdf_preflight import (
    Inspection,
    PreflightCode,
    inspect_pdf,
    load_intake_limits,
    preflight_pdf,
    preflight_with_defaults,
)
from common.resources import RESOURCES_ENV_VAR
from tests import pdf_factory

MIB = 1024 * 1024


def test_shipped_limits() -> None:
    limits = load_intake_limits()
    assert limits.max_bytes == 26214400 == 25 * MIB
    assert limits.max_pages == 2000
    assert limits.version == "2026-01"


def test_valid_pdf_passes() -> None:
    data = pdf_factory.valid_pdf(pages=3)
    report = preflight_with_defaults(data)
    assert report.ok
    assert report.problems == ()
    assert report.page_count == 3
    assert report.size == len(data)
    assert len(report.sha256) == 64


def test_path_input(tmp_path: Path) -> None:
    path = tmp_path / "filing.pdf"
    path.write_bytes(pdf_factory.valid_pdf())
    assert preflight_with_defaults(path).ok


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (pdf_factory.encrypted_pdf(), PreflightCode.ENCRYPTED),
        (pdf_factory.encrypted_pdf(user_password=""), PreflightCode.ENCRYPTED),
        (pdf_factory.javascript_pdf(), PreflightCode.JAVASCRIPT),
        (pdf_factory.javascript_pdf(where="link"), PreflightCode.JAVASCRIPT),
        (pdf_factory.launch_pdf(), PreflightCode.LAUNCH_ACTION),
        (pdf_factory.embedded_file_pdf(), PreflightCode.EMBEDDED_FILES),
        (pdf_factory.file_attachment_annot_pdf(), PreflightCode.EMBEDDED_FILES),
        (pdf_factory.truncated_pdf(), PreflightCode.DAMAGED),
        (pdf_factory.broken_xref_pdf(), PreflightCode.DAMAGED),
        (pdf_factory.not_a_pdf(), PreflightCode.NOT_PDF),
        (b"", PreflightCode.EMPTY),
    ],
    ids=[
        "encrypted",
        "owner-password-only",
        "js-open-action",
        "js-link",
        "launch",
        "embedded-file",
        "attachment-annotation",
        "truncated",
        "broken-xref",
        "not-pdf",
        "empty",
    ],
)
def test_single_problem(data: bytes, code: PreflightCode) -> None:
    report = preflight_with_defaults(data)
    assert not report.ok
    assert [problem.code for problem in report.problems] == [code]


def test_encrypted_pdf_page_count_unknown() -> None:
    assert preflight_with_defaults(pdf_factory.encrypted_pdf()).page_count is None


def test_truncated_pdf_message_says_what_to_do() -> None:
    (problem,) = preflight_with_defaults(pdf_factory.truncated_pdf()).problems
    assert "cut short" in problem.message
    assert "upload that copy" in problem.message


def test_every_problem_is_reported_at_once() -> None:
    report = preflight_pdf(pdf_factory.many_problems_pdf(), max_bytes=1000, max_pages=2)
    assert [problem.code for problem in report.problems] == [
        PreflightCode.TOO_LARGE,
        PreflightCode.DAMAGED,
        PreflightCode.TOO_MANY_PAGES,
        PreflightCode.JAVASCRIPT,
        PreflightCode.LAUNCH_ACTION,
        PreflightCode.EMBEDDED_FILES,
    ]
    assert report.page_count == 3
    assert not report.ok


def test_too_large_message() -> None:
    data = pdf_factory.large_pdf(int(31.15 * MIB))
    report = preflight_pdf(data, max_bytes=25 * MIB, max_pages=2000)
    (problem,) = report.problems
    assert problem.code is PreflightCode.TOO_LARGE
    assert problem.message == (
        "The file is 31.2 MB; the limit is 25 MB. "
        "Split it into at least 2 numbered parts (Part 1 of 2, …) and file each part."
    )


def test_too_many_pages_message() -> None:
    report = preflight_pdf(pdf_factory.valid_pdf(pages=5), max_bytes=25 * MIB, max_pages=2)
    (problem,) = report.problems
    assert problem.message.startswith("The PDF has 5 pages; the limit is 2. ")
    assert "Part 1 of 3" in problem.message


def test_oversized_non_pdf_reports_both() -> None:
    report = preflight_pdf(pdf_factory.not_a_pdf(), max_bytes=10, max_pages=2000)
    assert report.codes == {PreflightCode.TOO_LARGE, PreflightCode.NOT_PDF}


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n",
        b"%PDF-1.7\n1 0 obj\n<<\n%%EOF",
        b"%PDF-" + bytes(range(256)) * 8 + b"%%EOF",
        pdf_factory.valid_pdf()[:200],
    ],
    ids=["header-only", "no-objects", "garbage", "first-200-bytes"],
)
def test_garbage_never_raises(data: bytes) -> None:
    report = preflight_with_defaults(data)
    assert not report.ok
    assert PreflightCode.DAMAGED in report.codes


def test_mupdf_error_display_is_restored() -> None:
    before = pymupdf.TOOLS.mupdf_display_errors()
    preflight_with_defaults(pdf_factory.truncated_pdf())
    assert pymupdf.TOOLS.mupdf_display_errors() == before


def test_messages_are_sentences_with_advice() -> None:
    report = preflight_pdf(pdf_factory.many_problems_pdf(), max_bytes=1000, max_pages=2)
    for problem in report.problems:
        assert problem.message.endswith(".")
        assert len(problem.message.split(". ")) >= 2, problem.message


def test_limits_file_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limits = {"version": "test", "source": "test", "max_bytes": 100, "max_pages": 1}
    (tmp_path / "intake_limits.json").write_text(json.dumps(limits), encoding="utf-8")
    monkeypatch.setenv(RESOURCES_ENV_VAR, str(tmp_path))
    report = preflight_with_defaults(pdf_factory.valid_pdf(pages=2))
    assert report.codes == {PreflightCode.TOO_LARGE, PreflightCode.TOO_MANY_PAGES}


# -- hostile structure (issue 14) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (pdf_factory.xfa_javascript_pdf(), PreflightCode.JAVASCRIPT),
        (pdf_factory.goto_embedded_pdf(), PreflightCode.EMBEDDED_FILES),
        (pdf_factory.page_tree_loop_pdf(), PreflightCode.PAGE_TREE),
        (pdf_factory.deep_page_tree_pdf(), PreflightCode.PAGE_TREE),
        (pdf_factory.inflation_bomb(), PreflightCode.INFLATION),
        (pdf_factory.link_pdf(b"<</S/SubmitForm/F(https://x.example/c)>>"), "external"),
        (pdf_factory.link_pdf(b"<</S/GoToR/F(\\\\\\\\host\\\\share\\\\a.pdf)>>"), "external"),
        (pdf_factory.link_pdf(b"<</S/GoToR/F(/c/Windows/a.pdf)>>"), "external"),
        (pdf_factory.link_pdf(b"<</S/URI/URI(\\\\\\\\host\\\\share)>>"), "external"),
        (pdf_factory.link_pdf(b"<</S/URI/URI(file:///etc/passwd)>>"), "external"),
        (pdf_factory.link_pdf(b"<</S/URI/URI<6A617661736372697074 3A616C657274>>>"), "external"),
    ],
    ids=[
        "xfa-script",
        "goto-embedded",
        "page-loop",
        "deep-tree",
        "inflation",
        "submit-form",
        "goto-remote-unc",
        "goto-remote-absolute",
        "uri-unc",
        "uri-file",
        "uri-javascript-hex",
    ],
)
def test_hostile_structure_is_refused(data: bytes, code: str) -> None:
    expected = PreflightCode.EXTERNAL_ACTION if code == "external" else code
    report = preflight_with_defaults(data)
    assert [problem.code for problem in report.problems] == [expected]


@pytest.mark.parametrize(
    "action",
    [
        b"<</S/URI/URI(https://www.justice.gov/eoir/reference-materials)>>",
        b"<</S/URI/URI(mailto:clerk@court.example)>>",
        b"<</S/GoToR/F(exhibit-b.pdf)/D[0/Fit]>>",
    ],
    ids=["web-link", "mail-link", "relative-file"],
)
def test_ordinary_links_are_left_alone(action: bytes) -> None:
    assert preflight_with_defaults(pdf_factory.link_pdf(action)).ok


def test_page_tree_reasons_are_named() -> None:
    (loop,) = preflight_with_defaults(pdf_factory.page_tree_loop_pdf()).problems
    assert "listed inside itself" in loop.message and "Print it to a new PDF" in loop.message
    (deep,) = preflight_with_defaults(pdf_factory.deep_page_tree_pdf()).problems
    assert "nested more than 32 levels" in deep.message


@pytest.mark.parametrize(
    "answer",
    [
        b"",
        b"not json",
        b'{"codes": [], "details": []}',
        b'{"codes": ["rm -rf"], "details": [], "page_count": 1}',
        b'{"codes": ["damaged"], "details": ["<script>"], "page_count": 1}',
        b'{"codes": [], "details": ["cut_short"], "page_count": 1}',
        b'{"codes": ["javascript", "javascript"], "details": [], "page_count": 1}',
        b'{"codes": [], "details": [], "page_count": -1}',
        b'{"codes": [], "details": [], "page_count": true}',
        b'{"codes": [], "details": [], "page_count": 1, "message": "Accepted!"}',
    ],
)
def test_a_forged_inspection_answer_is_rejected(answer: bytes) -> None:
    with pytest.raises(ValueError):
        Inspection.from_json(answer)


def test_an_inspection_travels_as_json_unchanged() -> None:
    inspection = inspect_pdf(pdf_factory.many_problems_pdf(), 2)
    assert Inspection.from_json(inspection.to_json()) == inspection
