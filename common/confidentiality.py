"""The confidentiality flags as people read them: each flag's label and law, from
resources/confidentiality.json (the server's policy reads who may read from the same file).
Used by the desktop's badge, tooltip and flag dialog."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from common.enums import Confidentiality
from common.resources import DataFileError, read_data_file, resource_path


@dataclass(frozen=True)
class FlagText:
    flag: Confidentiality
    label: str  # "Asylum information"
    law: str  # "8 CFR 1208.6"
    summary: str  # the rule in a paragraph

    @property
    def badge(self) -> str:
        """The flag in a few words with its law: "Asylum information (8 CFR 1208.6)"."""
        return f"{self.label} ({self.law})"


@cache
def flag_texts() -> dict[Confidentiality, FlagText]:
    data = read_data_file(resource_path("confidentiality.json"))
    flags = data.get("flags")
    if not isinstance(flags, list):
        raise DataFileError("confidentiality.json: 'flags' must be a list")
    out = {}
    for item in flags:
        flag = Confidentiality(item["id"])
        out[flag] = FlagText(flag, str(item["label"]), str(item["law"]), str(item["summary"]))
    return out


def known_flags(values: Iterable[object] | None) -> list[Confidentiality]:
    """The flags named in a record's ``confidentiality`` list, in their order of the enum
    (unknown names are left out)."""
    names = {str(v) for v in values or ()}
    return [f for f in Confidentiality if f.value in names]


def badge_text(values: Iterable[object] | None) -> str:
    """The flags of a record in one line ("" for none): "Confidential: Asylum information
    (8 CFR 1208.6); Sealed by protective order (8 CFR 1003.46)"."""
    flags = known_flags(values)
    if not flags:
        return ""
    texts = flag_texts()
    return "Confidential: " + "; ".join(texts[f].badge for f in flags)


def flags_line(values: Iterable[object] | None) -> str:
    """The flags with their laws, without the word "Confidential" ("" for none)."""
    texts = flag_texts()
    return "; ".join(texts[f].badge for f in known_flags(values))


def tooltip_text(values: Iterable[object] | None) -> str:
    """Each flag's law and rule, one paragraph each ("" for none)."""
    texts = flag_texts()
    return "\n\n".join(
        f"{texts[f].label}, {texts[f].law}: {texts[f].summary}" for f in known_flags(values)
    )
