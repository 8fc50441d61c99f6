"""common.confidentiality: a record's flags as a person reads them (badge, line, tooltip)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.confidentiality import (
    FlagText,
    badge_text,
    flag_texts,
    flags_line,
    known_flags,
    tooltip_text,
)
from common.enums import Confidentiality
from common.resources import RESOURCES_ENV_VAR, DataFileError, resource_path

ASYLUM = "Asylum information (8 CFR 1208.6)"
SEALED = "Sealed by protective order (8 CFR 1003.46)"
VAWA = "VAWA / T / U information (8 U.S.C. 1367)"


@pytest.fixture
def fresh_texts() -> Iterator[None]:
    flag_texts.cache_clear()
    yield
    flag_texts.cache_clear()


def test_flag_texts_from_the_data_file(fresh_texts: None) -> None:
    texts = flag_texts()
    assert list(texts) == [Confidentiality.ASYLUM, Confidentiality.VAWA_T_U, Confidentiality.SEALED]
    asylum = texts[Confidentiality.ASYLUM]
    assert (asylum.flag, asylum.label, asylum.law) == (
        Confidentiality.ASYLUM,
        "Asylum information",
        "8 CFR 1208.6",
    )
    assert asylum.summary.startswith("Information in or about an asylum application")
    assert asylum.badge == ASYLUM


def test_known_flags_in_the_enum_s_order_unknown_left_out() -> None:
    assert known_flags(["sealed", "made_up", "asylum"]) == [
        Confidentiality.ASYLUM,
        Confidentiality.SEALED,
    ]
    assert known_flags(None) == []
    assert known_flags([]) == []


def test_badge_text(fresh_texts: None) -> None:
    assert badge_text(None) == ""
    assert badge_text(["nonsense"]) == ""
    assert badge_text(["sealed", "asylum"]) == f"Confidential: {ASYLUM}; {SEALED}"
    assert badge_text(["vawa_t_u"]) == f"Confidential: {VAWA}"


def test_flags_line(fresh_texts: None) -> None:
    assert flags_line([]) == ""
    assert flags_line(["sealed", "vawa_t_u"]) == f"{VAWA}; {SEALED}"


def test_tooltip_text(fresh_texts: None) -> None:
    texts = flag_texts()
    assert tooltip_text(None) == ""
    assert tooltip_text(["sealed", "asylum"]) == (
        f"Asylum information, 8 CFR 1208.6: {texts[Confidentiality.ASYLUM].summary}"
        "\n\n"
        f"Sealed by protective order, 8 CFR 1003.46: {texts[Confidentiality.SEALED].summary}"
    )


def test_a_flag_text_s_badge() -> None:
    assert FlagText(Confidentiality.SEALED, "Sealed", "law", "s").badge == "Sealed (law)"


def test_a_data_file_without_a_list_of_flags_is_refused(
    fresh_texts: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "confidentiality.json").write_text(
        json.dumps({"version": "1", "flags": {"asylum": {}}}), encoding="utf-8"
    )
    monkeypatch.setenv(RESOURCES_ENV_VAR, str(tmp_path))
    with pytest.raises(DataFileError) as caught:
        flag_texts()
    assert str(caught.value) == "confidentiality.json: 'flags' must be a list"


def test_the_shipped_file_is_the_one_read() -> None:
    assert resource_path("confidentiality.json").is_file()
