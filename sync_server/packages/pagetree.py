"""Keeping the package's page tree shallow while pages are appended.

MuPDF appends a page next to the current last page, finding that page by walking the
tree from the root; in a flat tree of thousands of pages each append walks past every
page before it, so copying n pages costs n² steps (a 6,000-page package spent most of its
time there). :func:`fold_page_tree` moves the pages hanging directly off the root, all but
the last, into an intermediate ``/Pages`` node; the walk then skips whole nodes by their
``/Count``, and appends keep landing after the last page, at the root.
"""

from __future__ import annotations

from typing import Any

import pymupdf
from pymupdf import mupdf

FOLD_AT = 64  # pages per intermediate node


def _is_node(obj: Any, kids: Any) -> bool:
    return bool(mupdf.pdf_is_array(mupdf.pdf_dict_get(obj, kids)))


def fold_page_tree(doc: pymupdf.Document, fold_at: int = FOLD_AT) -> bool:
    """Fold the root's trailing run of direct pages (keeping the last) into one node once
    the run reaches ``fold_at``; returns whether it folded. Page order is unchanged."""
    pdf = mupdf.pdf_document_from_fz_document(doc.this)
    name = mupdf.pdf_new_name
    kids_key = name("Kids")
    root_pages = mupdf.pdf_dict_get(
        mupdf.pdf_dict_get(mupdf.pdf_trailer(pdf), name("Root")), name("Pages")
    )
    kids = mupdf.pdf_dict_get(root_pages, kids_key)
    total = mupdf.pdf_array_len(kids)
    start = total
    while start > 0 and not _is_node(mupdf.pdf_array_get(kids, start - 1), kids_key):
        start -= 1
    run = total - 1 - start  # the last page stays where the next append looks for it
    if run < fold_at:
        return False
    node = mupdf.pdf_new_dict(pdf, 4)
    mupdf.pdf_dict_put(node, name("Type"), name("Pages"))
    mupdf.pdf_dict_put(node, name("Parent"), root_pages)
    mupdf.pdf_dict_put_int(node, name("Count"), run)
    node_ref = mupdf.pdf_add_object(pdf, node)
    node_kids = mupdf.pdf_dict_put_array(node_ref, kids_key, run)
    parent_key = name("Parent")
    for index in range(start, total - 1):
        page = mupdf.pdf_array_get(kids, index)
        mupdf.pdf_array_push(node_kids, page)
        mupdf.pdf_dict_put(page, parent_key, node_ref)
    for index in range(total - 2, start - 1, -1):
        mupdf.pdf_array_delete(kids, index)
    mupdf.pdf_array_insert(kids, node_ref, start)
    return True
