import pytest

from common.anumber import (
    ANumber,
    ANumberError,
    format_a_number,
    is_a_number,
    normalise_search_term,
    parse_a_number,
)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("A123456789", "123456789"),
        ("a-123-456-789", "123456789"),
        ("123 456 789", "123456789"),
        ("A 123-456-789", "123456789"),
        ("A#123-456-789", "123456789"),
        ("A# 123 456 789", "123456789"),
        ("A #123-456-789", "123456789"),  # a space before the mark, as some forms print it
        ("a : 123 456 789", "123456789"),
        ("  123.456.789 ", "123456789"),
        ("A123\u2013456\u2013789", "123456789"),  # en dashes pasted from a letter
        ("12345678", "012345678"),
        ("A-12-345-678", "012345678"),
        ("012345678", "012345678"),
    ],
)
def test_parse_accepts_common_spellings(text: str, digits: str) -> None:
    assert parse_a_number(text) == digits


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the A-number is empty"),
        ("   ", "the A-number is empty"),
        ("A", "the A-number is empty"),
        ("A-", "the A-number has no digits"),
        ("1234567", "an A-number has 8 or 9 digits; got 7"),
        ("A1234567890", "an A-number has 8 or 9 digits; got 10"),
        ("B123456789", "an A-number holds only digits after an optional leading A; found 'B'"),
        ("A12345678X", "an A-number holds only digits after an optional leading A; found 'X'"),
        ("AA123456789", "an A-number holds only digits after an optional leading A; found 'A'"),
        ("000000000", "an A-number cannot be all zeros"),
        ("2026-01-12", "the digits are grouped 4-2-2; an A-number is written like 123-456-789"),
        ("1234-56789", "the digits are grouped 4-5; an A-number is written like 123-456-789"),
        ("A-00-000-000", "an A-number cannot be all zeros"),
        (
            "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",  # Arabic digits
            "an A-number holds only digits after an optional leading A; found '\u0661'",
        ),
    ],
)
def test_parse_refuses_with_a_reason(text: str, reason: str) -> None:
    # The reason is what a person reads beside the field (ANumberError's contract), so the
    # whole sentence is checked, its wording and capitals included.
    with pytest.raises(ANumberError) as refused:
        parse_a_number(text)
    assert str(refused.value) == reason


def test_error_is_a_value_error() -> None:
    assert issubclass(ANumberError, ValueError)


def test_format() -> None:
    assert format_a_number("123456789") == "A123-456-789"
    assert format_a_number("12345678") == "A012-345-678"
    with pytest.raises(ANumberError):
        format_a_number("12")


def test_is_a_number() -> None:
    assert is_a_number("A-123-456-789")
    assert not is_a_number("Garcia")
    assert not is_a_number("1234567")


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("A123-456-789", "123456789"),
        ("a 12345678", "012345678"),
        ("Garcia Lopez", None),
        ("Anna", None),
        ("2026-01-12", None),
        ("", None),
    ],
)
def test_normalise_search_term(term: str, expected: str | None) -> None:
    assert normalise_search_term(term) == expected


def test_a_number_value_object() -> None:
    number = ANumber.parse("a-12-345-678")
    assert number.digits == "012345678"
    assert str(number) == "A012-345-678"
    with pytest.raises(ANumberError) as refused:
        ANumber("12345678")
    assert str(refused.value) == "an A-number is stored as 9 digits; got '12345678'"
