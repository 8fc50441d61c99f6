"""Whole numbers read from a query string or a header, one way for every endpoint.

Only ASCII digits count. ``str.isdigit`` and ``int`` also accept other scripts' digits
(Arabic-Indic U+0661 U+0660 for 10), superscripts (U+00B2) and full-width digits, and
disagree with each other on some of them; a value either reads the same to every HTTP
component or is refused with a 400 problem naming the parameter.
"""

from __future__ import annotations

import re

from common.wire import SHA256_PATTERN, UUID_PATTERN
from sync_server.api.problems import ApiProblem

_ASCII_DIGITS = re.compile(r"[0-9]{1,19}", re.ASCII)
LARGEST = 2**63 - 1  # what a 64-bit column or offset holds


# What each path parameter of the API looks like (the OpenAPI document says the same); a
# value of another shape names nothing and is a 404 before any view or query sees it.
PATH_PATTERNS = {
    "sha256": SHA256_PATTERN,
    "raw_id": UUID_PATTERN,
    "case_id": UUID_PATTERN,
    "user_id": UUID_PATTERN,
    "request_id": UUID_PATTERN,
}
_PATH_RES = {name: re.compile(pattern[1:-1]) for name, pattern in PATH_PATTERNS.items()}


def check_path(values: dict[str, object] | None) -> None:
    """A 404 problem unless each path parameter named in ``PATH_PATTERNS`` has its
    published shape (a parameter not named there is the view's to check)."""
    for name, value in (values or {}).items():
        shape = _PATH_RES.get(name)
        if shape is not None and (not isinstance(value, str) or not shape.fullmatch(value)):
            raise ApiProblem(404, "Not Found", "There is nothing at this address.")


def whole_number(raw: str, name: str, *, minimum: int = 0, maximum: int = LARGEST) -> int:
    """``raw`` as an integer from ``minimum`` to ``maximum``; anything else (a sign, a
    space, a decimal point, a non-ASCII digit, too many digits) is a 400 naming ``name``."""
    value = int(raw) if _ASCII_DIGITS.fullmatch(raw) else None
    if value is None or not minimum <= value <= maximum:
        message = f"`{name}` must be a whole number from {minimum} to {maximum}, in ASCII digits."
        raise ApiProblem(400, f"Bad {name}", message, errors=[{"loc": name, "msg": message}])
    return value
