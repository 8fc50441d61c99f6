"""How each kind of annotation is drawn on a page (Qt): one function per kind.

``desktop.viewer.annotation_kinds`` puts these in its table beside each kind's export and
import; ``paint_annotation`` there picks one. Every function draws ``record`` with a
painter already in the page's points (origin top-left, y down), in ``color`` (the
record's own, or its kind's first colour when the record's is not a colour).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen

from common.annotations import AnnotationKind
from common.wire import Annotation
from desktop.annotation_store import rect_of


def _rect(record: Annotation) -> QRectF:
    x0, y0, x1, y1 = rect_of(record)
    return QRectF(x0, y0, x1 - x0, y1 - y0)


def _quads(record: Annotation) -> list[list[float]]:
    return list(record.geometry.get("quads") or [list(rect_of(record))])


def paint_highlight(painter: QPainter, record: Annotation, color: QColor) -> None:
    fill = QColor(color)
    fill.setAlpha(100)
    for q in _quads(record):
        painter.fillRect(QRectF(q[0], q[1], q[2] - q[0], q[3] - q[1]), fill)


def paint_line_through(painter: QPainter, record: Annotation, color: QColor) -> None:
    """An underline (at the foot of each line) or a strike-out (through its middle)."""
    painter.setPen(QPen(color, 1.2))
    under = record.kind == AnnotationKind.UNDERLINE
    for q in _quads(record):
        y = q[3] - 1 if under else (q[1] + q[3]) / 2
        painter.drawLine(QPointF(q[0], y), QPointF(q[2], y))


def paint_note(painter: QPainter, record: Annotation, color: QColor) -> None:
    x0, y0, x1, y1 = rect_of(record)
    painter.setPen(QPen(color.darker(150), 1))
    painter.setBrush(QBrush(color))
    painter.drawRoundedRect(_rect(record), 3, 3)
    painter.setPen(QPen(color.darker(250), 1))
    for step in (0.35, 0.55, 0.75):
        y = y0 + (y1 - y0) * step
        painter.drawLine(QPointF(x0 + 4, y), QPointF(x1 - 4, y))


def paint_freetext(painter: QPainter, record: Annotation, color: QColor) -> None:
    painter.setPen(QPen(color))
    font = QFont("Sans")
    font.setPixelSize(10)  # 10 points of the page, at any zoom and screen
    painter.setFont(font)
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
        Qt.TextFlag.TextWordWrap
    )
    painter.drawText(_rect(record), flags, record.text)


def paint_ink(painter: QPainter, record: Annotation, color: QColor) -> None:
    painter.setPen(
        QPen(color, 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    )
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for points in record.geometry.get("paths", []):
        path = QPainterPath()
        path.moveTo(QPointF(*points[0]))
        for point in points[1:]:
            path.lineTo(QPointF(*point))
        painter.drawPath(path)


def paint_rect(painter: QPainter, record: Annotation, color: QColor) -> None:
    painter.setPen(QPen(color, 1.5))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(_rect(record))


def paint_ellipse(painter: QPainter, record: Annotation, color: QColor) -> None:
    painter.setPen(QPen(color, 1.5))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(_rect(record))


def paint_redact(painter: QPainter, record: Annotation, color: QColor) -> None:
    """Hatched in red whatever its colour: a mark of what exported copies will lose."""
    painter.setPen(QPen(QColor("#cc0000"), 1.5))
    painter.setBrush(QBrush(QColor(0, 0, 0, 70), Qt.BrushStyle.BDiagPattern))
    painter.drawRect(_rect(record))
