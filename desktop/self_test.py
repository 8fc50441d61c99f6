"""``ecas-desktop --self-test``: is this installation able to run? (for IT and frozen builds)

Checks, offscreen: Qt loads, the local store can be created and written, the bundled
sample PDF opens and renders into a Qt image. Prints one line per check.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from common.resources import resource_path


def _check_qt() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        QGuiApplication([])
    return f"Qt {qVersion()} loaded (platform {QGuiApplication.platformName()})"


def _check_store() -> str:
    from common.enums import ClockEffect
    from common.wire import AdjournmentCodeRecord
    from desktop.local_store import LocalStore

    with tempfile.TemporaryDirectory() as folder:
        store = LocalStore(Path(folder) / "self-test.sqlite3")
        record = AdjournmentCodeRecord(
            id="00000000-0000-4000-8000-000000000001",
            code="01",
            description="self-test",
            clock_effect=ClockEffect.STOPS,
        )
        store.save(record)
        assert store.get("adjournment_code", record.id) == record.model_dump(mode="json")
        assert store.pending_count() == 1
        store.engine.dispose()
    return "local store writes and reads"


def _check_pdf() -> str:
    import pymupdf
    from PySide6.QtGui import QImage

    path = resource_path("sample.pdf")
    with pymupdf.open(path) as doc:  # type: ignore[no-untyped-call]
        pix = doc[0].get_pixmap(dpi=72)
        image = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888)
        if image.isNull() or image.width() < 100:
            raise RuntimeError("the rendered page is empty")
        return (
            f"sample PDF renders ({doc.page_count} pages, page 1 {image.width()}x"
            f"{image.height()} px, PyMuPDF {pymupdf.VersionBind})"
        )


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("Qt", _check_qt),
    ("local store", _check_store),
    ("PDF rendering", _check_pdf),
]


def run_self_test() -> int:
    failed = 0
    for name, check in CHECKS:
        try:
            print(f"ok    {name}: {check()}")
        except Exception as err:
            failed += 1
            print(f"FAIL  {name}: {err}")
            traceback.print_exc()
    print("self-test passed" if not failed else f"self-test FAILED ({failed} checks)")
    return 1 if failed else 0
