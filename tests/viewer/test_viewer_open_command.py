"""``ecas-desktop open FILE --screenshot OUT.png`` from a terminal, as IT staff run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from desktop.viewer.open_command import SCREENSHOT_SIZE
from tests.conftest import REPO
from tests.viewer.viewer_pdfs import numbered_pdf

pytestmark = pytest.mark.slow


def _open(*args: str, scale: int = 1) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_SCALE_FACTOR"] = str(scale)
    return subprocess.run(
        [sys.executable, "-m", "desktop", "open", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={**env, "PYTHONPATH": str(REPO)},
    )


def test_screenshot_of_a_local_pdf(tmp_path: Path) -> None:
    pdf, png = tmp_path / "record.pdf", tmp_path / "first screen.png"
    pdf.write_bytes(numbered_pdf(3))
    result = _open(str(pdf), "--screenshot", str(png))
    assert result.returncode == 0, result.stdout + result.stderr
    image = QImage(str(png))
    assert (image.width(), image.height()) == SCREENSHOT_SIZE
    # The page is painted, not only the window: the centre of the screen is paper white.
    assert image.pixelColor(SCREENSHOT_SIZE[0] // 2, SCREENSHOT_SIZE[1] // 2).lightness() > 240


def test_screenshot_on_a_hidpi_screen_has_its_pixels(tmp_path: Path) -> None:
    pdf, png = tmp_path / "record.pdf", tmp_path / "hidpi.png"
    pdf.write_bytes(numbered_pdf(3))
    result = _open(str(pdf), "--screenshot", str(png), scale=2)
    assert result.returncode == 0, result.stdout + result.stderr
    image = QImage(str(png))
    assert (image.width(), image.height()) == (2 * SCREENSHOT_SIZE[0], 2 * SCREENSHOT_SIZE[1])


def test_a_corrupt_file_exits_1_and_says_why(tmp_path: Path) -> None:
    pdf, png = tmp_path / "broken.pdf", tmp_path / "out.png"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj <</Type/Catalog>> garbage")
    result = _open(str(pdf), "--screenshot", str(png))
    assert result.returncode == 1
    assert "damaged" in result.stderr  # not a PDF, or broken beyond a trustworthy repair
    assert not png.exists()
