"""Printing a document: Qt's print dialog, then pages rendered and painted on a thread.

The print dialog (printer, page range or current page, copies) is Qt's ``QPrintDialog``.
The pages are rendered by a ``PrintJob`` on its own thread with **its own**
``pymupdf.Document`` opened from the document's bytes: the render worker's document is
never touched from another thread. Each page is rendered at the printer's resolution
(at most ``MAX_PRINT_DPI``), turned to match the paper's orientation when it is the other
way round, scaled to fit the printable area and centred. Progress and the outcome come back
as signals; a progress dialog can cancel between pages.
"""

from __future__ import annotations

import threading
from typing import Any

import pymupdf
from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from desktop.viewer.document_pane import DocumentPane

MAX_PRINT_DPI = 300
_MUPDF: Any = pymupdf


def pages_to_print(printer: QPrinter, page_count: int, current: int) -> list[int]:
    """The 0-based pages the print settings ask for (page range, current page or all)."""
    mode = printer.printRange()
    if mode == QPrinter.PrintRange.CurrentPage:
        return [current] if 0 <= current < page_count else []
    if mode == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(page_count, printer.toPage() or page_count)
        return list(range(first - 1, last))
    return list(range(page_count))


class PrintJob(QObject):
    """Renders ``pages`` of ``data`` onto ``printer`` on a thread of its own."""

    progress = Signal(int, int)  # pages done, pages in all
    finished = Signal(str)  # "" when every page was sent, else what went wrong

    def __init__(self, data: bytes, pages: list[int], printer: QPrinter) -> None:
        super().__init__()
        self.data = data
        self.pages = pages
        self.printer = printer
        self.cancelled = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ecas-print", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self.cancelled.set()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        try:
            message = self._print()
        except Exception as err:  # the user must hear about it; the app must go on
            message = f"Printing stopped: {err}"
        self.finished.emit(message)

    def _print(self) -> str:
        if not self.pages:
            return "There are no pages to print in that range."
        doc = _MUPDF.open(stream=self.data, filetype="pdf")  # this thread's own document
        painter = QPainter()
        try:
            if not painter.begin(self.printer):
                return "The printer could not be started. Check that it is connected."
            dpi = min(self.printer.resolution(), MAX_PRINT_DPI)
            for done, number in enumerate(self.pages):
                if self.cancelled.is_set():
                    self.printer.abort()
                    return "Printing was cancelled."
                if done:
                    self.printer.newPage()
                self._paint_page(painter, doc.load_page(number), dpi)
                self.progress.emit(done + 1, len(self.pages))
        finally:
            if painter.isActive():
                painter.end()
            doc.close()
        return ""

    def _paint_page(self, painter: QPainter, page: Any, dpi: int) -> None:
        area = QRectF(self.printer.pageRect(QPrinter.Unit.DevicePixel))
        area.moveTo(0, 0)
        rect = page.rect
        turn = (rect.width > rect.height) != (area.width() > area.height())
        scale = dpi / 72
        matrix = _MUPDF.Matrix(scale, scale).prerotate(90 if turn else 0)
        pix = page.get_pixmap(matrix=matrix, alpha=False)
        image = QImage(
            pix.samples_mv, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888
        )
        fit = min(area.width() / pix.width, area.height() / pix.height)
        width, height = pix.width * fit, pix.height * fit
        target = QRectF(
            area.x() + (area.width() - width) / 2,
            area.y() + (area.height() - height) / 2,
            width,
            height,
        )
        painter.drawImage(target, image)  # drawn before ``pix`` (which owns the pixels) goes


def print_pane(pane: DocumentPane, parent: QWidget) -> PrintJob | None:
    """Ask how to print ``pane``'s document, then print it with a progress dialog."""
    view = pane.view
    count = view.page_count()
    if pane.is_empty() or count == 0:
        QMessageBox.information(parent, "Print", "Open a document to print it.")
        return None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(pane.title)
    printer.setFromTo(1, count)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print {pane.title}")
    options = QAbstractPrintDialog.PrintDialogOption
    dialog.setOptions(options.PrintPageRange | options.PrintCurrentPage | options.PrintToFile)
    dialog.setMinMax(1, count)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    try:
        data = pane.document_bytes()
    except OSError as err:
        QMessageBox.warning(parent, "Print", f"The document could not be read again: {err}")
        return None
    pages = pages_to_print(printer, count, view.current_page())
    job = PrintJob(data, pages, printer)
    progress = QProgressDialog(f"Printing {pane.title}…", "Cancel", 0, len(pages), parent)
    progress.setWindowTitle("Print")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.canceled.connect(job.cancel)
    job.progress.connect(lambda done, _total: progress.setValue(done))

    def finished(message: str) -> None:
        progress.reset()
        progress.deleteLater()
        if message:
            QMessageBox.warning(parent, "Print", message)

    job.finished.connect(finished)
    _RUNNING.add(job)  # the job and its printer stay alive until it has ended
    job.finished.connect(lambda _message: _RUNNING.discard(job))
    job.start()
    return job


_RUNNING: set[PrintJob] = set()  # jobs kept alive until they finish
