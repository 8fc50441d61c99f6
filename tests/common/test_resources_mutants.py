"""common.resources: where the reference data lives and how a data file is read."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import pytest

import common
from common.resources import (
    RESOURCES_ENV_VAR,
    DataFileError,
    parse_enum,
    read_data_file,
    require,
    resource_path,
    resources_dir,
)


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


def test_the_resources_folder_beside_common(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RESOURCES_ENV_VAR, raising=False)
    root = Path(common.__file__).resolve().parent.parent
    assert resources_dir() == root / "resources"
    assert resource_path("deadline_rules.json") == root / "resources" / "deadline_rules.json"


def test_the_variable_wins_when_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert RESOURCES_ENV_VAR == "ECAS_RESOURCES_DIR"
    monkeypatch.setenv("ECAS_RESOURCES_DIR", str(tmp_path))
    assert resources_dir() == tmp_path
    assert resource_path("x.json") == tmp_path / "x.json"
    monkeypatch.setenv("ECAS_RESOURCES_DIR", "")
    assert resources_dir() == Path(common.__file__).resolve().parent.parent / "resources"


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "data.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_data_file(tmp_path: Path) -> None:
    path = _file(tmp_path, '{"version": "2026-12-06", "rules": ["é"]}')
    assert read_data_file(path) == {"version": "2026-12-06", "rules": ["é"]}


def test_read_data_file_reads_utf8(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_bytes('{"version": "1", "name": "Núñez"}'.encode())
    assert read_data_file(path)["name"] == "Núñez"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[1, 2]", "the top level must be a JSON object"),
        ('{"version": "  "}', "'version' must not be empty"),
        ('{"rules": []}', "missing field 'version'"),
        ('{"version": 3}', "field 'version' must be str, not int"),
    ],
)
def test_read_data_file_refuses_with_the_file_s_name(
    tmp_path: Path, text: str, reason: str
) -> None:
    path = _file(tmp_path, text)
    with pytest.raises(DataFileError) as caught:
        read_data_file(path)
    assert str(caught.value) == f"{path}: {reason}"


def test_read_data_file_refuses_what_is_not_json(tmp_path: Path) -> None:
    path = _file(tmp_path, "{version: 1}")
    with pytest.raises(DataFileError) as caught:
        read_data_file(path)
    assert str(caught.value).startswith(f"{path}: not valid JSON (Expecting property name")
    assert caught.value.__cause__ is not None


def test_a_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_data_file(tmp_path / "nothing.json")


def test_require() -> None:
    record = {"count": 3, "flag": True, "name": "x"}
    assert require(record, "count", int, where="w") == 3
    assert require(record, "flag", bool, where="w") is True
    assert require(record, "name", str, where="w") == "x"
    with pytest.raises(DataFileError) as caught:
        require(record, "flag", int, where="rules.json, rule 2")
    assert str(caught.value) == "rules.json, rule 2: field 'flag' must be int, not bool"
    with pytest.raises(DataFileError) as caught:
        require(record, "name", int, where="w")
    assert str(caught.value) == "w: field 'name' must be int, not str"
    with pytest.raises(DataFileError) as caught:
        require(record, "days", int, where="w")
    assert str(caught.value) == "w: missing field 'days'"


def test_parse_enum() -> None:
    assert parse_enum(Colour, "blue", "w") is Colour.BLUE
    with pytest.raises(DataFileError) as caught:
        parse_enum(Colour, "green", "rules.json, rule 2")
    assert str(caught.value) == "rules.json, rule 2: 'green' is not one of: red, blue"
    assert caught.value.__suppress_context__
