"""Page geometry, fonts and the drawing operations a page is made of.

Each operation writes itself as PDF content-stream operators. Coordinates are given from
the top of the page, the way the layout flows, and flipped into PDF space here.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_W, PAGE_H = 612.0, 792.0  # US Letter
LEFT, RIGHT = 54.0, 558.0
TOP, BOTTOM = 40.0, 742.0
WIDTH = RIGHT - LEFT

SANS, SANS_BOLD = "helv", "hebo"
SERIF, SERIF_BOLD, SERIF_ITALIC = "tiro", "tibo", "tiit"
MONO = "cour"


Gray = float  # 0.0 black .. 1.0 white

# The pages' content streams are written directly (PDF operators, base-14 fonts with
# WinAnsiEncoding): PyMuPDF's Shape looks the page's fonts up again for every text
# insertion, which made text-heavy documents several times slower.

BASE14 = {
    SANS: "Helvetica",
    SANS_BOLD: "Helvetica-Bold",
    SERIF: "Times-Roman",
    SERIF_BOLD: "Times-Bold",
    SERIF_ITALIC: "Times-Italic",
    MONO: "Courier",
}
_KAPPA = 0.5523  # Bezier control distance for a quarter circle


def _n(value: float) -> str:
    """A PDF number: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _pdf_string(text: str) -> str:
    """A literal string in WinAnsi (cp1252) bytes, escaped, written as latin-1 text."""
    raw = text.encode("cp1252", errors="replace")
    out = []
    for byte in raw:
        if byte in (0x28, 0x29, 0x5C):  # ( ) backslash
            out.append("\\" + chr(byte))
        elif 32 <= byte < 127:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
    return "(" + "".join(out) + ")"


def _paint(stroke: Gray | None, fill: Gray | None, width: float) -> tuple[str, str]:
    """Colour/width operators before a path, and the painting operator after it."""
    pre = f"{_n(width)} w " if stroke is not None else ""
    if stroke is not None:
        pre += f"{_n(stroke)} G "
    if fill is not None:
        pre += f"{_n(fill)} g "
    op = {(True, True): "B", (True, False): "S", (False, True): "f", (False, False): "n"}
    return pre, op[(stroke is not None, fill is not None)]


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline, from the top of the page
    text: str
    font: str = SANS
    size: float = 10.0
    gray: Gray = 0.0

    def pdf(self) -> str:
        return (
            f"BT /{self.font} {_n(self.size)} Tf {_n(self.gray)} g "
            f"{_n(self.x)} {_n(PAGE_H - self.y)} Td {_pdf_string(self.text)} Tj ET"
        )


@dataclass(frozen=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.6
    stroke: Gray | None = 0.0
    fill: Gray | None = None

    def pdf(self) -> str:
        pre, paint = _paint(self.stroke, self.fill, self.width)
        box = (
            f"{_n(self.x0)} {_n(PAGE_H - self.y1)} {_n(self.x1 - self.x0)} {_n(self.y1 - self.y0)}"
        )
        return f"{pre}{box} re {paint}"


@dataclass(frozen=True)
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.6
    gray: Gray = 0.0

    def pdf(self) -> str:
        return (
            f"{_n(self.width)} w {_n(self.gray)} G {_n(self.x0)} {_n(PAGE_H - self.y0)} m "
            f"{_n(self.x1)} {_n(PAGE_H - self.y1)} l S"
        )


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    r: float
    width: float = 0.8
    stroke: Gray | None = 0.0
    fill: Gray | None = None

    def pdf(self) -> str:
        pre, paint = _paint(self.stroke, self.fill, self.width)
        x, y, r, k = self.x, PAGE_H - self.y, self.r, self.r * _KAPPA
        quarters = (
            (x + r, y + k, x + k, y + r, x, y + r),
            (x - k, y + r, x - r, y + k, x - r, y),
            (x - r, y - k, x - k, y - r, x, y - r),
            (x + k, y - r, x + r, y - k, x + r, y),
        )
        curves = " ".join(" ".join(_n(v) for v in q) + " c" for q in quarters)
        return f"{pre}{_n(x + r)} {_n(y)} m {curves} h {paint}"


@dataclass(frozen=True)
class Poly:
    points: tuple[tuple[float, float], ...]
    width: float = 0.9
    gray: Gray = 0.1

    def pdf(self) -> str:
        (x0, y0), *rest = self.points
        path = " ".join(f"{_n(x)} {_n(PAGE_H - y)} l" for x, y in rest)
        return f"{_n(self.width)} w {_n(self.gray)} G 1 J 1 j {_n(x0)} {_n(PAGE_H - y0)} m {path} S"


Op = Text | Rect | Line | Circle | Poly
