"""The languages an interpreter is requested in: ISO 639-3 codes and names
(``resources/interpreter_languages.json``), and how a hearing's need reads.

A hearing names the language by the name the court writes (``Hearing.interpreter_language``,
e.g. "K'iche'"), a dialect when it matters ("Arabic", "Levantine") and how the interpreter
attends (``interpreter_medium``; None: as the hearing is held).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from common.citations import Citation, parse_citation
from common.enums import Medium
from common.resources import DataFileError, read_data_file, require, resource_path

LANGUAGES_FILE = "interpreter_languages.json"

MEDIUM_WORDS = {
    Medium.IN_PERSON: "In person",
    Medium.TELEPHONE: "Telephone",
    Medium.VIDEO: "Video",
}


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # ISO 639-3
    iso_name: str  # the standard's reference name
    name: str  # as the court writes it
    macrolanguage: bool
    dialects: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """What a chooser lists, "Punjabi (pan)", so typing either finds it."""
        return f"{self.name} ({self.code})"


@dataclass(frozen=True)
class LanguageList:
    version: str
    source: Citation
    languages: tuple[Language, ...]  # by name

    def by_name(self, name: str | None) -> Language | None:
        if not name:
            return None
        folded = name.strip().casefold()
        return next(
            (
                lang
                for lang in self.languages
                if folded in (lang.name.casefold(), lang.code, lang.iso_name.casefold())
            ),
            None,
        )


@lru_cache(maxsize=1)
def load_languages() -> LanguageList:
    """The language list (read once)."""
    path = resource_path(LANGUAGES_FILE)
    data = read_data_file(path)
    where = str(path)
    entries = require(data, "languages", list, where=where)
    languages: list[Language] = []
    codes: set[str] = set()
    for number, raw in enumerate(entries):
        at = f"{where}, language {number}"
        if not isinstance(raw, dict):
            raise DataFileError(f"{at}: must be an object")
        code = require(raw, "code", str, where=at)
        if len(code) != 3 or not code.isascii() or not code.islower() or code in codes:
            raise DataFileError(f"{at}: {code!r} is not a new three-letter ISO 639-3 code")
        codes.add(code)
        scope = require(raw, "scope", str, where=at)
        if scope not in ("I", "M"):
            raise DataFileError(f"{at}: scope must be I or M")
        dialects = require(raw, "dialects", list, where=at)
        languages.append(
            Language(
                code=code,
                iso_name=require(raw, "iso_name", str, where=at),
                name=require(raw, "name", str, where=at),
                macrolanguage=scope == "M",
                dialects=tuple(str(d) for d in dialects),
            )
        )
    return LanguageList(
        version=require(data, "version", str, where=where),
        source=parse_citation(data.get("source"), where),
        languages=tuple(sorted(languages, key=lambda lang: lang.name.casefold())),
    )


def language_need(language: str | None, dialect: str | None) -> str:
    """The need in words: "Arabic (Levantine)", "Mam"; "" when none."""
    if not language:
        return ""
    return f"{language} ({dialect})" if dialect else language
