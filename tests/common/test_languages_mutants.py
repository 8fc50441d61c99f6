"""common.languages: the interpreter languages (ISO 639-3) and how a hearing's need reads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from common.citations import Citation
from common.enums import Medium
from common.languages import MEDIUM_WORDS, Language, language_need, load_languages
from common.resources import RESOURCES_ENV_VAR, DataFileError


@pytest.fixture
def fresh() -> Iterator[None]:
    load_languages.cache_clear()
    yield
    load_languages.cache_clear()


def _write(folder: Path, languages: list[object], **top: object) -> None:
    data: dict[str, object] = {
        "version": "2026-12-06",
        "source": {"document": "ISO 639-3", "section": "code tables", "read_on": "2026-12-06"},
        "languages": languages,
    }
    data.update(top)
    (folder / "interpreter_languages.json").write_text(json.dumps(data), encoding="utf-8")


def _lang(code: str, name: str, scope: str = "I", **more: object) -> dict[str, object]:
    return {"code": code, "iso_name": name, "name": name, "scope": scope, "dialects": [], **more}


def test_the_shipped_list(fresh: None) -> None:
    languages = load_languages()
    assert languages.version == "2026-12-06"
    assert languages.source.read_on == date(2026, 12, 6)
    assert languages.source.document.startswith("ISO 639-3 code tables")
    names = [lang.name for lang in languages.languages]
    assert names == sorted(names, key=str.casefold)
    arabic = languages.by_name("Arabic")
    assert arabic == Language(
        code="ara",
        iso_name="Arabic",
        name="Arabic",
        macrolanguage=True,
        dialects=("Levantine", "Egyptian", "Iraqi", "Sudanese", "Yemeni", "Moroccan (Darija)"),
    )
    assert languages.by_name("Mam") == Language("mam", "Mam", "Mam", False, ())


def test_by_name_finds_the_court_s_name_the_code_or_the_iso_name(fresh: None) -> None:
    languages = load_languages()
    pashto = languages.by_name("Pashto")
    assert pashto is not None and pashto.code == "pus"
    assert languages.by_name("  pashto ") is pashto
    assert languages.by_name("pus") is pashto
    assert languages.by_name("PUSHTO") is pashto
    assert languages.by_name("Klingon") is None
    assert languages.by_name("") is None
    assert languages.by_name(None) is None


def test_a_language_s_label() -> None:
    assert Language("pan", "Panjabi", "Punjabi", False).label == "Punjabi (pan)"


def test_medium_words() -> None:
    assert MEDIUM_WORDS == {
        Medium.IN_PERSON: "In person",
        Medium.TELEPHONE: "Telephone",
        Medium.VIDEO: "Video",
    }


def test_language_need() -> None:
    assert language_need("Arabic", "Levantine") == "Arabic (Levantine)"
    assert language_need("Mam", None) == "Mam"
    assert language_need("Mam", "") == "Mam"
    assert language_need(None, "Levantine") == ""
    assert language_need("", None) == ""


def test_a_list_is_sorted_by_name_whatever_the_case(
    fresh: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        [
            _lang("zho", "chinese", "M", dialects=["Mandarin", 7]),
            _lang("aar", "Afar"),
            _lang("ben", "Bengali"),
        ],
    )
    monkeypatch.setenv(RESOURCES_ENV_VAR, str(tmp_path))
    languages = load_languages()
    assert [lang.code for lang in languages.languages] == ["aar", "ben", "zho"]
    assert languages.languages[2].macrolanguage is True
    assert languages.languages[2].dialects == ("Mandarin", "7")
    assert languages.languages[0].macrolanguage is False
    assert languages.source == Citation("ISO 639-3", "code tables", date(2026, 12, 6))


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (["spa"], "language 1: must be an object"),
        ([_lang("sp", "Spanish")], "language 1: 'sp' is not a new three-letter ISO 639-3 code"),
        ([_lang("span", "Spanish")], "language 1: 'span' is not a new three-letter ISO 639-3 code"),
        ([_lang("Spa", "Spanish")], "language 1: 'Spa' is not a new three-letter ISO 639-3 code"),
        ([_lang("spé", "Spanish")], "language 1: 'spé' is not a new three-letter ISO 639-3 code"),
        ([_lang("aar", "Afar")], "language 1: 'aar' is not a new three-letter ISO 639-3 code"),
        ([_lang("spa", "Spanish", "S")], "language 1: scope must be I or M"),
        ([_lang("spa", "Spanish", "i")], "language 1: scope must be I or M"),
    ],
)
def test_a_wrong_entry_is_refused_by_its_number(
    fresh: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    entries: list[object],
    message: str,
) -> None:
    _write(tmp_path, [_lang("aar", "Afar"), *entries])
    monkeypatch.setenv(RESOURCES_ENV_VAR, str(tmp_path))
    with pytest.raises(DataFileError) as caught:
        load_languages()
    assert str(caught.value) == f"{tmp_path / 'interpreter_languages.json'}, {message}"


def test_the_list_s_source_is_required(
    fresh: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, [_lang("aar", "Afar")], source=None)
    monkeypatch.setenv(RESOURCES_ENV_VAR, str(tmp_path))
    with pytest.raises(DataFileError) as caught:
        load_languages()
    path = tmp_path / "interpreter_languages.json"
    assert str(caught.value) == f"{path}: 'citation' must be an object with document and section"
