"""PDFs for the viewer tests and benchmark, made with PyMuPDF."""

from __future__ import annotations

import pymupdf

PAGES = 50


def numbered_pdf(pages: int = PAGES, landscape_every: int = 0) -> bytes:
    """Letter pages reading "Page n"; every ``landscape_every``-th page is landscape."""
    doc = pymupdf.open()
    for number in range(1, pages + 1):
        wide = landscape_every and number % landscape_every == 0
        page = doc.new_page(width=792 if wide else 612, height=612 if wide else 792)
        page.insert_text((72, 100), f"Page {number}", fontsize=36)
    return bytes(doc.tobytes())


def truncated_pdf(pages: int = PAGES) -> bytes:
    """A numbered PDF cut off half way, as an interrupted download leaves it."""
    data = numbered_pdf(pages)
    return data[: len(data) // 2]
