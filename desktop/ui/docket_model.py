"""The docket table, on screen and on paper: a read-only model over frozen
:class:`~desktop.docket.DocketRow` values.

Filtering and sorting are not done by a ``QSortFilterProxyModel`` (that calls Python once
per row and once per comparison); the view asks :func:`filter_and_sort` for the rows and
hands them to :meth:`DocketTableModel.set_rows`. A header click reaches
:meth:`DocketTableModel.sort`, which re-sorts the rows it holds and remembers the key, so
the next filter keeps the same order. :func:`export_docket_pdf` prints the same columns.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMarginsF,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSizeF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
    QTextLength,
    QTextOption,
    QTextTable,
)

from common.court_time import court_now, table_datetime
from common.languages import language_need
from desktop.docket import (
    SORT_KEYS,
    DocketFilter,
    DocketRow,
    apply_filter,
    clash_text,
    double_bookings,
    group_families,
)
from desktop.words import count

Index = QModelIndex | QPersistentModelIndex

TYPE_NAMES = {"master": "Master", "individual": "Individual", "bond": "Bond"}
MEDIUM_NAMES = {"in_person": "In person", "video": "Video", "telephone": "Telephone"}
CUSTODY_NAMES = {"detained": "Detained", "released": "Released", "never_detained": "Never detained"}
STATUS_NAMES = {
    "scheduled": "Scheduled",
    "completed": "Completed",
    "adjourned": "Adjourned",
    "cancelled": "Cancelled",
}

# Columns whose order desktop.docket does not define (it sorts what clerks ask for most).
EXTRA_SORT_KEYS: dict[str, Callable[[DocketRow], Any]] = {
    "family": lambda r: (r.family_lead_id is None, r.family_lead, r.starts_at),
    "medium": lambda r: (r.medium, r.starts_at),
    "adjournment_code": lambda r: (r.adjournment_code or "", r.starts_at),
}

_DETAINED_BACKGROUND = QBrush(QColor(255, 232, 228))  # a pale red any palette can read over
_MUTED = QBrush(QColor(110, 110, 110))
# A double-booked hearing: an orange-red swatch before its time, the time in that colour,
# and the tooltip opening with "Double booked with:" and the other hearing (so the mark does
# not rest on colour alone; a screen reader gets it as the cell's description).
CLASH_COLUMN = 0
CLASH_COLOUR = QColor(214, 69, 0)
CLASH_MARK = "Double booked"
_BOLD = QFont()
_BOLD.setBold(True)


def format_time(row: DocketRow) -> str:
    """The start on the court's clock, with its zone: ``Tue 1 Dec 2026 09:00 PST`` (the row
    holds it in the court's zone; a hearing after the daylight-saving change reads PST)."""
    return table_datetime(row.starts_at, row.starts_at.tzinfo)


def format_language(row: DocketRow) -> str:
    """The respondent's language, with the interpreter booked for the hearing if any (and
    the dialect asked for)."""
    if row.interpreter_language is None:
        return row.language
    if row.interpreter_language == row.language and not row.interpreter_dialect:
        return f"{row.language} (interp.)"
    need = language_need(row.interpreter_language, row.interpreter_dialect)
    return f"{row.language} (interp. {need})"


def format_interpreter(row: DocketRow) -> str:
    """ "Arabic (Levantine), by telephone"; "No interpreter booked"."""
    if row.interpreter_language is None:
        return "No interpreter booked"
    need = language_need(row.interpreter_language, row.interpreter_dialect)
    medium = row.interpreter_medium or row.medium
    return f"{need}, {MEDIUM_NAMES.get(medium, medium).lower()}"


FAMILY_MARK = "↳ "  # before a rider's name, under its lead


def format_respondent(row: DocketRow) -> str:
    return FAMILY_MARK + row.respondent if row.family_role == "rider" else row.respondent


def format_family(row: DocketRow) -> str:
    """ "Lead · 2 riders"; "Rider of GARCIA, Ana"; "" outside a family."""
    if row.family_role == "lead":
        return f"Lead · {count(row.family_riders, 'rider')}"
    if row.family_role == "rider":
        return f"Rider of {row.family_lead}"
    return ""


@dataclass(frozen=True)
class DocketColumn:
    title: str
    sort_key: str
    text: Callable[[DocketRow], str]
    sample: str = ""  # typical widest text, to size the column without measuring every row


COLUMNS: tuple[DocketColumn, ...] = (
    DocketColumn("Time", "time", format_time, "Wed 30 Dec 2026 00:00 PST"),
    DocketColumn("A-number", "a_number", lambda r: r.a_number_display, "A000-000-000"),
    # A rider's name is indented under its lead's (the family is heard together).
    DocketColumn("Respondent", "respondent", lambda r: format_respondent(r)),
    DocketColumn(
        "Type", "type", lambda r: TYPE_NAMES.get(r.hearing_type, r.hearing_type), "Individual"
    ),
    DocketColumn("Medium", "medium", lambda r: MEDIUM_NAMES.get(r.medium, r.medium), "Telephone"),
    DocketColumn("Courtroom", "courtroom", lambda r: r.courtroom, "Courtroom 10"),
    DocketColumn("Judge", "judge", lambda r: r.judge, "Immigration Judge Brennan"),
    DocketColumn("Language", "language", format_language, "Portuguese (interp.)"),
    # Sorting by custody puts the detained first, the others by time: the docket's order.
    DocketColumn(
        "Custody", "detained", lambda r: CUSTODY_NAMES.get(r.custody, r.custody), "Never detained"
    ),
    DocketColumn("Facility", "facility", lambda r: r.facility, "Montgomery Processing Center"),
    DocketColumn("Status", "status", lambda r: STATUS_NAMES.get(r.status, r.status), "Scheduled"),
    DocketColumn("Adj. code", "adjournment_code", lambda r: r.adjournment_code or "", "Adj. code"),
    DocketColumn("Family", "family", lambda r: format_family(r), "Rider of GONZÁLEZ, María"),
)
RESPONDENT_COLUMN = 2
CUSTODY_COLUMN = 8
FACILITY_COLUMN = 9
STATUS_COLUMN = 10


def filter_and_sort(
    rows: Sequence[DocketRow],
    wanted: DocketFilter,
    sort_key: str = "time",
    descending: bool = False,
) -> list[DocketRow]:
    """The rows ``wanted`` selects, in the order of ``sort_key`` (a column's key)."""
    if sort_key in SORT_KEYS:
        return apply_filter(rows, wanted, sort=sort_key, descending=descending)
    selected = apply_filter(rows, wanted)
    selected.sort(key=EXTRA_SORT_KEYS[sort_key], reverse=descending)
    return group_families(selected)


def sort_rows(rows: list[DocketRow], sort_key: str, descending: bool) -> None:
    """Sort ``rows`` in place by a column's key."""
    key = SORT_KEYS.get(sort_key) or EXTRA_SORT_KEYS[sort_key]
    rows.sort(key=key, reverse=descending)
    rows[:] = group_families(rows)


def row_tooltip(row: DocketRow) -> str:
    kind = TYPE_NAMES.get(row.hearing_type, row.hearing_type)
    lines = [
        f"{row.respondent} — {row.a_number_display}",
        f"{kind} hearing, {format_time(row)}, {row.duration_minutes} min, "
        f"{MEDIUM_NAMES.get(row.medium, row.medium).lower()}",
        f"{row.courtroom or 'No courtroom'} · {row.judge or 'No judge assigned'}",
        f"Nationality: {row.nationality} · Language: {row.language}",
        f"Interpreter: {format_interpreter(row)}"
        if row.interpreter_language
        else "No interpreter booked",
        f"Custody: {CUSTODY_NAMES.get(row.custody, row.custody)}"
        + (f", {row.facility}" if row.facility else ""),
    ]
    if row.adjournment_code:
        lines.append(f"Adjourned, code {row.adjournment_code}")
    if row.family_role:
        lines.append(f"Family: {format_family(row)} (heard together, each on its own record)")
    return "\n".join(lines)


class DocketTableModel(QAbstractTableModel):
    """Read-only docket rows; ``Qt.UserRole`` gives the :class:`DocketRow` itself."""

    sort_changed = Signal(str, bool)  # column key, descending

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[DocketRow] = []
        self.clashes: dict[str, tuple[DocketRow, ...]] = {}  # hearing id -> overlapping
        self.sort_key = "detained"  # detained first, then by time (the header: Custody)
        self.descending = False

    # -- data -------------------------------------------------------------------------------

    def set_rows(
        self,
        rows: Sequence[DocketRow],
        clashes: dict[str, tuple[DocketRow, ...]] | None = None,
    ) -> None:
        """Show ``rows`` as given (callers sort them by :attr:`sort_key`). ``clashes``
        (:func:`~desktop.docket.double_bookings` of the whole docket) marks double bookings;
        without it they are found among ``rows``."""
        self.beginResetModel()
        self._rows = list(rows)
        self.clashes = double_bookings(self._rows) if clashes is None else clashes
        self.endResetModel()

    def rows(self) -> list[DocketRow]:
        return list(self._rows)

    def row_at(self, index: Index) -> DocketRow | None:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def row_of(self, hearing_id: str) -> int:
        """The row showing ``hearing_id``, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.hearing_id == hearing_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None or not 0 <= index.column() < len(COLUMNS):
            return None
        column = index.column()
        clashing = self.clashes.get(row.hearing_id) if column == CLASH_COLUMN else None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[column].text(row)
        if role == Qt.ItemDataRole.UserRole:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            if clashing:
                return f"{clash_text(row, clashing)}\n\n{row_tooltip(row)}"
            return row_tooltip(row)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and clashing:
            return CLASH_MARK
        if role == Qt.ItemDataRole.DecorationRole and clashing:
            return CLASH_COLOUR
        if role == Qt.ItemDataRole.ForegroundRole and clashing:
            return QBrush(CLASH_COLOUR)
        if role == Qt.ItemDataRole.BackgroundRole and row.custody == "detained":
            return _DETAINED_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and row.status in ("cancelled", "adjourned"):
            return _MUTED
        if (
            role == Qt.ItemDataRole.FontRole
            and column in (CUSTODY_COLUMN, FACILITY_COLUMN)
            and row.custody == "detained"
        ):
            return _BOLD
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return super().headerData(section, orientation, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Sort by {COLUMNS[section].title.lower()} (click again to reverse)"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    # -- sorting ----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-sort the rows shown by ``column`` and remember it for the next filter."""
        if not 0 <= column < len(COLUMNS):
            return
        self.sort_key = COLUMNS[column].sort_key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self._rows[i.row()].hearing_id for i in old]
        sort_rows(self._rows, self.sort_key, self.descending)
        where = {r.hearing_id: n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old, [self.index(where[h], i.column()) for h, i in zip(ids, old, strict=True)]
        )
        self.layoutChanged.emit()
        self.sort_changed.emit(self.sort_key, self.descending)


# Columns printed on one line (a time, an A-number, a word from a short list); the others
# (names, rooms, facilities) wrap at spaces, or anywhere when one word is wider than its column.
NOWRAP_COLUMNS = frozenset({"time", "a_number", "type", "medium", "detained", "status"})


def docket_html(
    rows: Sequence[DocketRow], title: str, zone: tzinfo | None = None, now: datetime | None = None
) -> str:
    """The docket as an HTML table for QTextDocument (detained rows tinted, as on screen);
    "printed" is ``now`` (default: this moment) on the court's clock (``zone``)."""
    esc = html.escape
    # The Family column only when the page has a family (the paper is narrow).
    families = any(r.family_lead_id for r in rows)
    columns = [c for c in COLUMNS if families or c.sort_key != "family"]
    head = "".join(f"<th align=left>{esc(c.title)}</th>" for c in columns)
    body = []
    for row in rows:
        tint = ' bgcolor="#ffe8e4"' if row.custody == "detained" else ""
        cells = "".join(
            f"<td><nobr>{esc(c.text(row))}</nobr></td>"
            if c.sort_key in NOWRAP_COLUMNS
            else f"<td>{esc(c.text(row))}</td>"
            for c in columns
        )
        body.append(f"<tr{tint}>{cells}</tr>")
    count = f"{len(rows)} hearing{'' if len(rows) == 1 else 's'}"
    printed = table_datetime(court_now(zone, now), zone)
    return (
        f"<h3>{esc(title)}</h3><p>{count} · printed {esc(printed)} · "
        "shaded rows are detained</p>"
        '<table border="0.5" cellspacing="0" cellpadding="2" width="100%">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


# The largest type first; a smaller one only when the columns don't fit the page's width.
PDF_POINT_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 5.0)
# A wrapping column is never narrower than this many widths of "M" (or its title, or its
# longest word if shorter): a very long word breaks anywhere inside it.
MIN_WRAP_EMS = 6.0
# What a cell adds to its text's width, in CSS pixels: its padding (2) and border (0.5) on
# both sides, and two pixels to spare.
CELL_EDGES = 2 * 2 + 2 * 0.5 + 2


def _column_widths(
    rows: Sequence[DocketRow], columns: Sequence[DocketColumn], font: QFont, device: QPdfWriter
) -> tuple[list[float], list[float]]:
    """Per column, its natural width (its widest cell on one line) and the least it may be
    given (the natural width for a one-line column; for a wrapping one its longest word,
    bounded by MIN_WRAP_EMS, or its title), in the PDF's pixels."""
    plain = QFontMetricsF(font, device)
    bold_font = QFont(font)
    bold_font.setBold(True)
    bold = QFontMetricsF(bold_font, device)
    natural: list[float] = []
    least: list[float] = []
    for column in columns:
        texts = [column.text(row) for row in rows]
        title = bold.horizontalAdvance(column.title)
        widest = max([title, *(plain.horizontalAdvance(t) for t in texts)])
        natural.append(widest)
        if column.sort_key in NOWRAP_COLUMNS:
            least.append(widest)
            continue
        words = [w for t in texts for w in t.split()]
        longest = max([0.0, *(plain.horizontalAdvance(w) for w in words)])
        least.append(max(title, min(longest, plain.horizontalAdvance("M") * MIN_WRAP_EMS)))
    return natural, least


def _fit_columns(natural: list[float], least: list[float], room: float) -> list[float] | None:
    """Widths that fill ``room``: every column its least, then what is left shared out in
    proportion to what each still lacks of its natural width; None when even the least
    widths don't fit."""
    spare = room - sum(least)
    if spare < 0:
        return None
    lacking = [n - m for n, m in zip(natural, least, strict=True)]
    total = sum(lacking)
    if total <= spare:  # everything on one line, the rest shared evenly
        return [n + (spare - total) / len(natural) for n in natural]
    return [m + spare * lack / total for m, lack in zip(least, lacking, strict=True)]


def export_docket_pdf(
    rows: Sequence[DocketRow], path: str | Path, title: str, zone: tzinfo | None = None
) -> int:
    """Write ``rows`` as a landscape Letter PDF docket at ``path`` (needs a QGuiApplication)
    and return its page count. ``title`` heads it (the court, and the filters and dates the
    docket shows: see ``DocketView.export_title``); long dockets run over pages, the header
    row repeated on each, and every page is numbered "Page n of N". Every column fits its
    text: times, A-numbers and the short words stay on one line, names wrap, and the type
    gets smaller until that fits the page's width. Times on the court's clock (``zone``)."""
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("ECAS")
    writer.setResolution(300)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    writer.setPageOrientation(QPageLayout.Orientation.Landscape)
    writer.setPageMargins(QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter)
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    width, height = float(page.width()), float(page.height())
    families = any(r.family_lead_id for r in rows)
    columns = [c for c in COLUMNS if families or c.sort_key != "family"]
    wrap = QTextOption()
    wrap.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    font = QFont("Sans Serif")
    widths: list[float] | None = None
    # The table's lengths are CSS pixels (1/96 in), laid out at the PDF's resolution.
    css = writer.logicalDpiX() / 96
    for points in PDF_POINT_SIZES:
        font.setPointSizeF(points)
        # Less the document's margins (4 on each side) and the table's border.
        room = width - (len(columns) * CELL_EDGES + 2 * 4 + 4) * css
        widths = _fit_columns(*_column_widths(rows, columns, font, writer), room)
        if widths is not None:
            break
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)  # lay text out at the PDF's resolution
    document.setDefaultTextOption(wrap)
    document.setDefaultFont(font)
    document.setHtml(docket_html(rows, title, zone))
    if widths is not None:  # else (a docket no type size fits): Qt's own widths
        for frame in document.rootFrame().childFrames():
            if isinstance(frame, QTextTable):
                table_format = frame.format()
                # As shares of the table's width (the page's, less the document's margins),
                # so whatever Qt adds around the table, the columns keep these proportions.
                outer = [w / css + CELL_EDGES for w in widths]
                table_format.setColumnWidthConstraints(
                    [
                        QTextLength(QTextLength.Type.PercentageLength, 100 * w / sum(outer))
                        for w in outer
                    ]
                )
                frame.setFormat(table_format)
    footer = QFontMetricsF(font, writer).height() * 2
    document.setPageSize(QSizeF(width, height - footer))
    body = height - footer
    pages = document.pageCount()
    painter = QPainter(writer)
    try:
        painter.setFont(document.defaultFont())
        for number in range(pages):
            if number:
                writer.newPage()
            painter.save()
            painter.setClipRect(QRectF(0, 0, width, body))
            painter.translate(0, -number * body)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, number * body, width, body)
            document.documentLayout().draw(painter, context)
            painter.restore()
            painter.drawText(
                QRectF(0, body, width, height - body),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                f"Page {number + 1} of {pages}",
            )
    finally:
        painter.end()
    return pages
