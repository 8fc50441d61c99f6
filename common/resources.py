"""Where the versioned reference data lives, and how a data file is read.

Reference data the courts change by policy memo (deadline rules, adjournment codes, intake
limits, ...) ships as JSON files in the repository's ``resources/`` folder. Frozen builds put
that folder somewhere else, so its location can be overridden with ``ECAS_RESOURCES_DIR``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

RESOURCES_ENV_VAR = "ECAS_RESOURCES_DIR"

_T = TypeVar("_T")
_E = TypeVar("_E", bound=StrEnum)


class DataFileError(ValueError):
    """A reference data file is missing a field, has a field of the wrong type, or is not JSON."""


def resources_dir() -> Path:
    """Return the folder holding the reference data files.

    ``ECAS_RESOURCES_DIR`` wins when set (frozen builds and tests use it); otherwise the
    ``resources/`` folder beside the ``common`` package, i.e. at the repository root.
    """
    override = os.environ.get(RESOURCES_ENV_VAR)
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(name: str) -> Path:
    """Return the path of the data file ``name`` (e.g. ``"deadline_rules.json"``).

    The file is not opened; a missing file shows up when the caller reads it.
    """
    return resources_dir() / name


def read_data_file(path: Path) -> dict[str, object]:
    """Read a versioned JSON data file and return its top-level object.

    Contract: the file holds a JSON object with a non-empty string ``version``. Anything
    else raises :class:`DataFileError` naming the file; a missing file raises
    ``FileNotFoundError`` unchanged.
    """
    try:
        loaded: object = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(loaded, dict):
        raise DataFileError(f"{path}: the top level must be a JSON object")
    data: dict[str, object] = loaded
    version = require(data, "version", str, where=str(path))
    if not version.strip():
        raise DataFileError(f"{path}: 'version' must not be empty")
    return data


def require(record: Mapping[str, object], key: str, kind: type[_T], *, where: str) -> _T:
    """Return ``record[key]`` if present and of type ``kind``; raise DataFileError otherwise.

    ``bool`` is refused where ``int`` is asked for: JSON ``true`` is never a count.
    """
    if key not in record:
        raise DataFileError(f"{where}: missing field {key!r}")
    value = record[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DataFileError(
            f"{where}: field {key!r} must be {kind.__name__}, not {type(value).__name__}"
        )
    return value


def parse_enum(kind: type[_E], value: str, where: str) -> _E:
    """Return the ``kind`` member spelled ``value``; raise DataFileError listing the choices."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise DataFileError(f"{where}: {value!r} is not one of: {allowed}") from None
