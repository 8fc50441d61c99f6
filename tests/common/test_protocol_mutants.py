"""common.protocol: the sync protocol's checks a server and a client rely on alike."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import pydantic
import pytest

from common.protocol import (
    MAX_DATA_BYTES,
    MAX_DATA_DEPTH,
    Mutation,
    MutationOp,
    canonical_json,
    data_problem,
)

RECORD = "6f1c2a4e-0b7d-4c59-9e0f-2a3b4c5d6e7f"


def _nested(depth: int) -> Any:
    value: Any = 1
    for n in range(depth):
        value = [value] if n % 2 else {"k": value}
    return value


@pytest.mark.parametrize(
    "value",
    [
        {"b": 1, "a": [True, None, 2.5, "é"], "c": {}},
        [],
        {},
        [[], {}, [1, [2, {"z": "\u2028", "y": "\\"}]]],
        "text",
        12345678901234567890123,
        {"é": 1, "e": 2, "\u00e9\u0301": 3},
        [1, 2, 3],
    ],
)
def test_canonical_json_is_json_dumps_sorted_and_compact(value: Any) -> None:
    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_json(value) == expected


def test_canonical_json_writes_tuples_as_arrays() -> None:
    assert canonical_json({"t": (1, "a")}) == '{"t":[1,"a"]}'


def test_canonical_json_at_any_depth() -> None:
    deep = _nested(5000)
    text = canonical_json(deep)
    assert text.count("[") == 2500 and text.count("{") == 2500
    assert text == "[" + '{"k":[' * 2499 + '{"k":1' + "}]" * 2500
    moderate = _nested(300)
    assert canonical_json(moderate) == json.dumps(moderate, sort_keys=True, separators=(",", ":"))


def test_data_problem_depth() -> None:
    assert data_problem(None) is None
    assert data_problem(_nested(MAX_DATA_DEPTH)) is None
    assert data_problem(_nested(MAX_DATA_DEPTH + 1)) == (
        "the record's data nests deeper than 32 levels"
    )
    assert data_problem({"a": [1, 2], "b": {"c": _nested(MAX_DATA_DEPTH - 1)}}) == (
        "the record's data nests deeper than 32 levels"
    )
    assert data_problem({"a": [1, 2], "b": _nested(MAX_DATA_DEPTH - 1)}) is None


def test_data_problem_size() -> None:
    assert MAX_DATA_BYTES == 1024 * 1024
    frame = len('{"t":""}')
    assert data_problem({"t": "x" * (MAX_DATA_BYTES - frame)}) is None
    too_big = {"t": "x" * (MAX_DATA_BYTES - frame + 1)}
    assert data_problem(too_big) == (
        f"the record's data takes {MAX_DATA_BYTES + 1} bytes as JSON; the most is {MAX_DATA_BYTES}"
    )
    # Bytes, not characters: "é" is two bytes in UTF-8.
    accents = {"t": "é" * ((MAX_DATA_BYTES - frame) // 2 + 1)}
    assert data_problem(accents) is not None


def _mutation(**fields: Any) -> Mutation:
    base: dict[str, Any] = {
        "mutation_id": str(uuid.uuid4()),
        "entity": "case",
        "id": RECORD,
        "op": "upsert",
        "base_version": 3,
        "data": {"b": 1, "a": ["x"]},
    }
    base.update(fields)
    return Mutation.model_validate(base)


def test_a_mutation_s_digest_names_its_payload_not_its_id() -> None:
    one = _mutation()
    assert one.digest() == _mutation().digest()
    content = {
        "entity": "case",
        "id": RECORD,
        "op": "upsert",
        "base_version": 3,
        "group": None,
        "data": {"b": 1, "a": ["x"]},
    }
    expected = hashlib.sha256(canonical_json(content).encode()).hexdigest()
    assert one.digest() == expected
    assert _mutation(data={"b": 2, "a": ["x"]}).digest() != expected
    assert _mutation(base_version=4).digest() != expected
    assert _mutation(op=MutationOp.DELETE).digest() != expected


def test_a_digest_of_a_lone_surrogate() -> None:
    digest = _mutation(data={"t": "\ud800"}).digest()
    content = {
        "entity": "case",
        "id": RECORD,
        "op": "upsert",
        "base_version": 3,
        "group": None,
        "data": {"t": "\ud800"},
    }
    assert (
        digest == hashlib.sha256(canonical_json(content).encode(errors="surrogatepass")).hexdigest()
    )


@pytest.mark.parametrize("flag", [True, False])
def test_a_version_is_a_number_not_true_or_false(flag: bool) -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        _mutation(base_version=flag)
    (error,) = caught.value.errors()
    assert error["loc"] == ("base_version",)
    assert error["msg"] == "Value error, must be a number, not true or false"


def test_a_version_may_be_written_3_0() -> None:
    assert _mutation(base_version=3.0).base_version == 3
