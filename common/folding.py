"""One folding of names and places for every search and match: case and accents ignored.

"Guaman" finds GUAMÁN, "muller" finds MÜLLER, "nunez" finds Núñez. Used by the portal's
case search (through a stored folded column), the desktop's docket search and the match of
a notice of appearance's respondent name against the case. A-numbers are not text and are
never folded (``common.anumber``).

Unicode's compatibility decomposition (NFKD) splits an accented letter into its base and
combining marks, which are then dropped. Some letters have no decomposition though they
read, to an English-speaking clerk, as a base letter with a mark: those are mapped
deliberately below (Ø, Ł, Đ, Ħ, dotless i…). ``str.casefold`` turns ß into "ss" and ﬁ into "fi".
"""

from __future__ import annotations

import unicodedata

# Letters NFKD leaves whole, spelled as a clerk would type them without the mark.
_NO_DECOMPOSITION = str.maketrans(
    {
        "Ø": "O",
        "ø": "o",
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Ð": "D",
        "ð": "d",
        "Ħ": "H",
        "ħ": "h",
        "\u0131": "i",  # dotless i
        "Þ": "Th",
        "þ": "th",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "ẞ": "ss",
        "ß": "ss",
    }
)


def fold(text: str) -> str:
    """``text`` lower-cased (casefolded) without accents, for comparing and searching."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", bare.casefold())


def same_name(a: str, b: str) -> bool:
    """Whether two names are the same once folded and their spacing evened out
    ("Guamán " and "GUAMAN"; "de la Cruz" and "De La  Cruz")."""
    return " ".join(fold(a).split()) == " ".join(fold(b).split())
