"""A pytest plugin for mutation runs only (scripts/mutation.sh loads it with ``-p``).

mutmut 3 runs the tests once in its own process, then forks a child per mutant. A result that
the project keeps in a ``functools.lru_cache`` or ``functools.cache`` (the holiday table of a
year, a court's time zone, the parsed resources/ files) is then already in the child, computed
by the unmutated code, and a mutant of the cached function is never called: it "survives"
although the tests would catch it. Before every test this plugin empties each such cache in
the project's own modules, so every test computes what it reads with the code under test.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

_PACKAGES = ("common", "sync_server", "desktop")


def _project_caches() -> Iterator[Any]:
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".", 1)[0] not in _PACKAGES:
            continue
        # Only type(...) is asked: a module may hold proxies (flask.current_app) that fail
        # when any attribute of theirs is read outside a request.
        for value in list(vars(module).values()):
            kind = type(value)
            if _is_cache(kind):
                yield value
            elif issubclass(kind, type) and vars(value).get("__module__") == name:
                for attribute in list(vars(value).values()):
                    inner = attribute.__func__ if type(attribute) in _BOUND else attribute
                    if _is_cache(type(inner)):
                        yield inner


_BOUND = (staticmethod, classmethod)


def _is_cache(kind: type) -> bool:
    known = _IS_CACHE.get(kind)
    if known is None:
        known = callable(getattr(kind, "cache_clear", None)) and hasattr(kind, "cache_info")
        _IS_CACHE[kind] = known
    return known


# The scan reads every attribute of a few hundred modules: ~25 ms, once before each test, was
# half the time of a mutant whose function 80 tests reach. The caches it finds are kept and
# scanned for again only when a module is imported or a project module gains or loses a
# name, which a mutant's tests seldom do.
_IS_CACHE: dict[type, bool] = {}
_FOUND: list[Any] = []
_SCANNED: list[tuple[Any, int]] = []  # each project module scanned, with its number of names
_SCANNED_WITH = [-1]  # len(sys.modules) at the scan


def _unchanged() -> bool:
    return len(sys.modules) == _SCANNED_WITH[0] and all(
        len(vars(module)) == names for module, names in _SCANNED
    )


@pytest.fixture(autouse=True)
def _fresh_project_caches() -> None:
    if not _unchanged():
        _SCANNED_WITH[0] = len(sys.modules)
        _SCANNED[:] = [
            (module, len(vars(module)))
            for name, module in list(sys.modules.items())
            if module is not None and name.split(".", 1)[0] in _PACKAGES
        ]
        _FOUND[:] = _project_caches()
    for cached in _FOUND:
        cached.cache_clear()
