"""The court's-clock rule, checked by a tool: no code outside ``common/court_time.py`` reads
this computer's date or zone, or formats a date or time itself.

Rule (the project's "court's clock", docs/ARCHITECTURE.md): every date a person reads or
that has legal effect is the court's local date, and one module decides how dates and times
look. So outside common/court_time.py there is no ``date.today()``, ``datetime.today()``,
``datetime.now()`` without a zone, ``.astimezone()`` without a zone, ``strftime`` or an
f-string date format (``{x:%H:%M}``), and no template formats or prints an ISO date.
Comments and plain strings (docstrings, messages) are not code and are not scanned.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCANNED = ("common", "desktop", "sync_server")
THE_MODULE = Path("common/court_time.py")
SKIPPED = (Path("sync_server/migrations"),)

# What each pattern is, and what to use instead.
PYTHON_RULES = {
    "date.today()": (
        re.compile(r"\bdate\.today\("),
        "this computer's date: use court_time.court_today(court)",
    ),
    "datetime.today()": (
        re.compile(r"\bdatetime\.today\("),
        "this computer's clock: use court_time.court_now(court) or utc_now()",
    ),
    "datetime.now() without a zone": (
        re.compile(r"\bdatetime\.now\(\s*\)"),
        "this computer's zone: use court_time.utc_now() or court_now(court)",
    ),
    ".astimezone() without a zone": (
        re.compile(r"\.astimezone\(\s*\)"),
        "this computer's zone: use court_time.to_court(instant, court)",
    ),
    "strftime": (
        re.compile(r"\bstrftime\("),
        "format through common/court_time (the house style, the same in any locale)",
    ),
    "an f-string date format": (
        re.compile(r"\{[^{}]*:%[A-Za-z]"),
        "format through common/court_time (the house style, the same in any locale)",
    ),
}
TEMPLATE_RULES = {
    "strftime": (re.compile(r"\.strftime\("), "use the court_date / court_datetime filters"),
    "isoformat() shown to people": (
        re.compile(r"\.isoformat\(\)"),
        "use the court_date / court_datetime filters",
    ),
}

# Each exception is a line that is not a date anyone reads, with the reason. A stale entry
# (nothing left to excuse) fails too, so the list only shrinks.
ALLOWED = {
    (
        "sync_server/services/mailer.py",
        "an f-string date format",
    ): "a unique .eml file name in the mail folder, never read as a date",
}


def _is_f_string(literal: str) -> bool:
    prefix = re.match(r"[A-Za-z]*", literal)
    return prefix is not None and "f" in prefix.group().lower()


def _code_only(source: str) -> list[str]:
    """The source's lines with comments and plain (non-f) strings blanked out, so only
    code and f-strings (where a date format hides) remain."""
    lines = [list(line) for line in source.splitlines()]
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        plain_string = token.type == tokenize.STRING and not _is_f_string(token.string)
        if token.type != tokenize.COMMENT and not plain_string:
            continue
        (first_row, first_col), (last_row, last_col) = token.start, token.end
        for row in range(first_row, last_row + 1):
            line = lines[row - 1]
            start = first_col if row == first_row else 0
            end = last_col if row == last_row else len(line)
            line[start:end] = " " * (end - start)
    return ["".join(line) for line in lines]


def violations_in(path: Path, text: str) -> list[tuple[str, int, str, str]]:
    """(rule, line number, line, what to use instead) for each break of the rule."""
    if path.suffix == ".py":
        rules, lines = PYTHON_RULES, _code_only(text)
    else:
        rules, lines = TEMPLATE_RULES, text.splitlines()
    originals = text.splitlines()
    found = []
    for number, line in enumerate(lines, 1):
        for name, (pattern, instead) in rules.items():
            if pattern.search(line):
                found.append((name, number, originals[number - 1].strip(), instead))
    return found


def _scanned_files() -> list[Path]:
    files = []
    for top in SCANNED:
        for path in sorted((REPO / top).rglob("*")):
            relative = path.relative_to(REPO)
            if path.suffix not in (".py", ".html") or relative == THE_MODULE:
                continue
            if any(relative.is_relative_to(skipped) for skipped in SKIPPED):
                continue
            files.append(relative)
    return files


def test_the_scanner_sees_each_kind_of_break_and_ignores_comments_and_docstrings() -> None:
    sample = (
        '"""date.today() and x.strftime("%Y") in a docstring are words."""\n'
        "a = date.today()  # and date.today() in a comment\n"
        "b = datetime.now()\n"
        "c = datetime.now(UTC)\n"
        "d = moment.astimezone()\n"
        "e = moment.astimezone(zone)\n"
        'f = moment.strftime("%H:%M")\n'
        'g = f"{moment:%H:%M} at the court"\n'
        'h = "{moment:%H:%M} is a plain string"\n'
        "i = datetime.today()\n"
    )
    found = [(name, number) for name, number, _, _ in violations_in(Path("x.py"), sample)]
    assert found == [
        ("date.today()", 2),
        ("datetime.now() without a zone", 3),
        (".astimezone() without a zone", 5),
        ("strftime", 7),
        ("an f-string date format", 8),
        ("datetime.today()", 10),
    ]
    template = "<td>{{ d.filed_on.isoformat() }}</td><td>{{ h.starts.strftime('%H') }}</td>"
    assert [v[0] for v in violations_in(Path("x.html"), template)] == [
        "strftime",
        "isoformat() shown to people",
    ]


def test_no_view_reads_the_computers_clock_or_formats_a_date_itself() -> None:
    # The court's clock rule: only common/court_time.py decides the day and how it looks.
    broken = []
    used = set()
    for path in _scanned_files():
        for name, number, line, instead in violations_in(path, (REPO / path).read_text()):
            if (path.as_posix(), name) in ALLOWED:
                used.add((path.as_posix(), name))
                continue
            broken.append(f"{path}:{number}: {line}\n    {name}: {instead}")
    assert not broken, "The court's clock rule is broken:\n" + "\n".join(broken)
    assert used == set(ALLOWED), f"Exceptions with nothing left to excuse: {set(ALLOWED) - used}"
