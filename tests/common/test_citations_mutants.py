"""common.citations: a rule's source as a reader sees it, and as a data file spells it."""

from __future__ import annotations

from datetime import date

import pytest

from common.citations import Citation, parse_citation
from common.resources import DataFileError


@pytest.mark.parametrize(
    ("document", "section", "reads"),
    [
        ("8 CFR", "1003.38(b)", "8 CFR 1003.38(b)"),
        ("INA", "240(b)(7)", "INA 240(b)(7)"),
        ("ICPM", "Chapter 4.15", "ICPM Chapter 4.15"),
        (
            "Immigration Court Practice Manual",
            "Chapter 3.1(c)(2) (Computation of time)",
            "ICPM Chapter 3.1(c)(2) (Computation of time)",
        ),
        (
            "Board of Immigration Appeals Practice Manual",
            "Chapter 4.7(c)",
            "BIA Practice Manual, Chapter 4.7(c)",
        ),
        ("EOIR Policy Memorandum 21-13", "part II", "EOIR Policy Memorandum 21-13, part II"),
        ("8 CFR; INA", "8 CFR 1240.26; INA 240B", "8 CFR 1240.26; INA 240B"),
    ],
)
def test_a_citation_reads_as_lawyers_write_it(document: str, section: str, reads: str) -> None:
    assert str(Citation(document, section, date(2026, 12, 6))) == reads


def test_parse_citation_reads_every_field() -> None:
    raw = {
        "document": "8 CFR",
        "section": "1003.38(b)",
        "read_on": "2026-12-06",
        "says": "30 days to appeal",
    }
    assert parse_citation(raw, "rules.json, rule 3") == Citation(
        "8 CFR", "1003.38(b)", date(2026, 12, 6), "30 days to appeal"
    )


@pytest.mark.parametrize("says", [None, 7, ["x"]])
def test_parse_citation_says_only_text(says: object) -> None:
    raw: dict[str, object] = {"document": "INA", "section": "240", "read_on": "2026-01-02"}
    if says is not None:
        raw["says"] = says
    assert parse_citation(raw, "f.json") == Citation("INA", "240", date(2026, 1, 2), None)


def test_parse_citation_refuses_what_is_not_an_object() -> None:
    with pytest.raises(DataFileError) as caught:
        parse_citation("8 CFR 1003.38", "rules.json, rule 3")
    assert str(caught.value) == (
        "rules.json, rule 3: 'citation' must be an object with document and section"
    )


def test_parse_citation_refuses_a_day_that_is_not_a_date() -> None:
    raw = {"document": "INA", "section": "240", "read_on": "6 December 2026"}
    with pytest.raises(DataFileError) as caught:
        parse_citation(raw, "rules.json, rule 3")
    assert str(caught.value) == (
        "rules.json, rule 3, citation: 'read_on' must be a date (YYYY-MM-DD)"
    )
    assert caught.value.__suppress_context__


@pytest.mark.parametrize("missing", ["document", "section", "read_on"])
def test_parse_citation_names_the_missing_field(missing: str) -> None:
    raw = {"document": "INA", "section": "240", "read_on": "2026-12-06"}
    del raw[missing]
    with pytest.raises(DataFileError) as caught:
        parse_citation(raw, "rules.json, rule 3")
    assert str(caught.value) == f"rules.json, rule 3, citation: missing field {missing!r}"
