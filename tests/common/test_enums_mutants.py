"""common.enums: which roles are court staff, Board staff, practitioners, outsiders."""

from __future__ import annotations

from common.enums import Role

R = Role


def _with(prop: str) -> set[Role]:
    return {role for role in Role if getattr(role, prop)}


def test_court_staff() -> None:
    assert _with("is_court_staff") == {R.JUDGE, R.CLERK, R.COURT_ADMIN}


def test_board_staff() -> None:
    assert _with("is_board_staff") == {R.BOARD_CLERK, R.BOARD_MEMBER}


def test_practitioners() -> None:
    assert _with("is_practitioner") == {R.ATTORNEY, R.ACCREDITED_REP}


def test_external_accounts_are_practitioners_and_dhs() -> None:
    # The accounts that need a second factor (protocol.LoginRequest.otp); EOIR staff, the
    # Board and respondents are not among them.
    assert _with("is_external") == {R.ATTORNEY, R.ACCREDITED_REP, R.DHS}
