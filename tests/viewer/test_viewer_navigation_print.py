"""Printing, as far as it goes without a printer: Qt's PDF printer output read back."""

from __future__ import annotations

import threading
from pathlib import Path

import pymupdf
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from desktop.viewer import printing
from desktop.viewer.printing import PrintJob, pages_to_print
from desktop.viewer.viewer_window import ViewerWindow
from tests.viewer.viewer_pdfs import numbered_pdf


def _pdf_printer(out: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(150)
    return printer


def _run(job: PrintJob, qtbot: QtBot) -> str:
    with qtbot.waitSignal(job.finished, timeout=30_000) as finished:
        job.start()
    assert job.wait(10)
    return str(finished.args[0])


def test_the_page_range_is_printed_in_order(qtbot: QtBot, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    printer = _pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(3, 5)
    pages = pages_to_print(printer, 12, current=0)
    assert pages == [2, 3, 4]
    job = PrintJob(numbered_pdf(12, landscape_every=4), pages, printer)
    done: list[int] = []
    job.progress.connect(lambda count, _total: done.append(count))
    assert _run(job, qtbot) == ""
    assert done == [1, 2, 3]
    assert len(PdfReader(str(out)).pages) == 3
    # Pages 3 and 5 print upright ("Page n" at the top left); page 4 is landscape and is
    # turned a quarter to fit the portrait paper, so its text runs down the right side.
    printed = pymupdf.open(str(out))
    where = [_ink_centre(sheet) for sheet in printed]
    assert where[0][0] < 0.5 and where[0][1] < 0.25
    assert where[1][0] > 0.5
    assert where[2][0] < 0.5 and where[2][1] < 0.25
    printed.close()


def test_current_page_and_all_pages(qtbot: QtBot, tmp_path: Path) -> None:
    printer = _pdf_printer(tmp_path / "one.pdf")
    printer.setPrintRange(QPrinter.PrintRange.CurrentPage)
    assert pages_to_print(printer, 12, current=7) == [7]
    job = PrintJob(numbered_pdf(12), [7], printer)
    assert _run(job, qtbot) == ""
    assert len(PdfReader(str(tmp_path / "one.pdf")).pages) == 1
    printer.setPrintRange(QPrinter.PrintRange.AllPages)
    assert pages_to_print(printer, 4, current=2) == [0, 1, 2, 3]


def test_bad_input_gets_a_clear_message(qtbot: QtBot, tmp_path: Path) -> None:
    empty = PrintJob(numbered_pdf(3), [], _pdf_printer(tmp_path / "none.pdf"))
    assert _run(empty, qtbot) == "There are no pages to print in that range."
    broken = PrintJob(b"%PDF-1.7 not a pdf", [0], _pdf_printer(tmp_path / "broken.pdf"))
    assert _run(broken, qtbot).startswith("Printing stopped:")


def test_cancel_stops_between_pages_on_the_print_thread(qtbot: QtBot, tmp_path: Path) -> None:
    printer = _pdf_printer(tmp_path / "cancelled.pdf")
    job = PrintJob(numbered_pdf(40), list(range(40)), printer)
    threads: set[int] = set()
    job.progress.connect(lambda count, _total: job.cancel() if count == 2 else None)
    job.progress.connect(lambda _c, _t: threads.add(threading.get_ident()))
    assert _run(job, qtbot) == "Printing was cancelled."
    assert threads == {threading.get_ident()}  # progress is delivered on the GUI thread


def _ink_centre(sheet: pymupdf.Page) -> tuple[float, float]:
    """Where the dark pixels of a printed sheet are, as fractions of its width and height."""
    assert sheet.rect.height > sheet.rect.width  # portrait paper
    pix = sheet.get_pixmap(dpi=30)
    samples, n = pix.samples, pix.n
    dark = [
        (x, y)
        for y in range(pix.height)
        for x in range(pix.width)
        if samples[y * pix.stride + x * n] < 100
    ]
    assert dark, "nothing was printed on the sheet"
    return (
        sum(x for x, _ in dark) / len(dark) / pix.width,
        sum(y for _, y in dark) / len(dark) / pix.height,
    )


def test_ctrl_p_prints_the_document_in_front(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+P in the window: the print dialog (answered here as a person would: pages 2-3,
    to a PDF file), then the pages printed on the print thread."""
    out = tmp_path / "ctrl-p.pdf"
    asked: list[tuple[int, int]] = []

    class Answered(printing.QPrintDialog):
        def exec(self) -> int:
            asked.append((self.minPage(), self.maxPage()))
            printer = self.printer()
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))
            printer.setResolution(100)
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(2, 3)
            return int(printing.QPrintDialog.DialogCode.Accepted)

    monkeypatch.setattr(printing, "QPrintDialog", Answered)
    window = ViewerWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    pane = window.open_bytes(numbered_pdf(6), "hearing.pdf")
    qtbot.waitUntil(lambda: pane.view.page_count() == 6, timeout=10_000)
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert asked == [(1, 6)]
    qtbot.waitUntil(lambda: not printing._RUNNING, timeout=30_000)
    assert len(PdfReader(str(out)).pages) == 2
    window.close()
