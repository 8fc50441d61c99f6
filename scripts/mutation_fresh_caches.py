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
    return callable(getattr(kind, "cache_clear", None)) and hasattr(kind, "cache_info")


@pytest.fixture(autouse=True)
def _fresh_project_caches() -> None:
    for cached in _project_caches():
        cached.cache_clear()
