"""Reading a tagged PDF back, for the tests of orders, notices and eROP packages.

Three independent readings: the structure tree walked object by object (which MCIDs each
element owns, in tree order); each page's content stream read by pypdf (every operator
that shows text is inside marked content with an MCID or inside an artifact); and MuPDF's
own text extraction with its structure (``TEXT_COLLECT_STRUCTURE``, which follows the
marked content to the tree's elements). MuPDF files an artifact's text (a running footer)
under the element read before it, so it reads a copy without the artifacts, which pypdf
takes out.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import pymupdf
from pypdf import PdfWriter
from pypdf.generic import ContentStream, DictionaryObject

_REF = re.compile(r"<<(.*?)>>|(\d+) 0 R|(\d+)")
_MCID = re.compile(r"/MCID (\d+)")
_PG = re.compile(r"/Pg (\d+) 0 R")


@dataclass
class Reading:
    """What a screen reader gets from the document."""

    lang: str
    roles: list[str]  # every structure element's role, in tree order
    # per page: (role, text) of each element that holds text, in tree order
    blocks: list[list[tuple[str, str]]] = field(default_factory=list)
    artifacts: list[int] = field(default_factory=list)  # per page: text operators marked so
    alts: dict[str, list[str]] = field(default_factory=dict)  # role -> its /Alt texts
    titles: dict[str, list[str]] = field(default_factory=dict)  # role -> its /T texts


def _words(text: str) -> str:
    return " ".join(text.split())


def _walk_tree(
    doc: Any,
) -> tuple[list[str], dict[int, list[int]], dict[str, list[str]], dict[str, list[str]]]:
    """Roles in tree order and, per page index, the MCIDs in tree order."""
    pages = {doc[i].xref: i for i in range(doc.page_count)}
    kind, root = doc.xref_get_key(doc.pdf_catalog(), "StructTreeRoot")
    assert kind == "xref", "no /StructTreeRoot"
    roles: list[str] = []
    order: dict[int, list[int]] = {}
    alts: dict[str, list[str]] = {}
    titles: dict[str, list[str]] = {}

    def visit(xref: int, depth: int) -> None:
        assert depth < 50
        role = doc.xref_get_key(xref, "S")[1].lstrip("/")
        roles.append(role)
        for key, found in (("Alt", alts), ("T", titles)):
            value = doc.xref_get_key(xref, key)
            if value[0] == "string":
                found.setdefault(role, []).append(value[1])
        pg = doc.xref_get_key(xref, "Pg")
        own_page = pages.get(int(pg[1].split()[0])) if pg[0] == "xref" else None
        kind, value = doc.xref_get_key(xref, "K")
        if kind == "xref" or kind == "int":
            value = f"[{value}]"
        for mcr, ref, number in _REF.findall(value):
            if mcr:
                page = _PG.search(mcr)
                mcid = _MCID.search(mcr)
                assert page and mcid, mcr
                order.setdefault(pages[int(page.group(1))], []).append(int(mcid.group(1)))
            elif ref:
                visit(int(ref), depth + 1)
            else:
                assert own_page is not None, f"MCID {number} without /Pg on {role}"
                order.setdefault(own_page, []).append(int(number))

    visit(int(root.split()[0]), 0)
    doc_root = doc.xref_get_key(int(root.split()[0]), "K")
    assert doc_root[0] == "xref"
    roles.pop(0)  # the StructTreeRoot itself (its /S is null)
    return roles, order, alts, titles


_SHOW = {b"Tj", b"TJ", b"'", b'"'}


def _marks(page: Any, owner: PdfWriter, number: int) -> tuple[list[int], int]:
    """The MCIDs of ``page`` in the order their text is drawn, and how many text operators
    are artifacts; fails on text that is neither. Takes the artifacts out of the page (the
    copy MuPDF reads the structure from)."""
    contents = page.get_contents()
    if contents is None:
        return [], 0
    stack: list[object] = []
    seen: list[int] = []
    artifacts = 0
    stream = ContentStream(contents, owner)
    kept = []
    for operands, operator in stream.operations:
        inside = "artifact" in stack
        if operator == b"BDC":
            props = operands[1]
            if operands[0] == "/Artifact":
                stack.append("artifact")
            elif isinstance(props, DictionaryObject) and "/MCID" in props:
                stack.append(int(props["/MCID"]))
            else:
                stack.append(None)
        elif operator == b"BMC":
            stack.append("artifact" if operands[0] == "/Artifact" else None)
        elif operator == b"EMC":
            stack.pop()
        elif operator in _SHOW:
            mark = next((m for m in reversed(stack) if m is not None), None)
            assert mark is not None, f"page {number + 1}: text outside marked content"
            if mark == "artifact":
                artifacts += 1
            elif not seen or seen[-1] != mark:
                assert isinstance(mark, int)
                seen.append(mark)
        if not (inside or "artifact" in stack) or operator in (b"q", b"Q", b"BT", b"ET"):
            kept.append((operands, operator))
    assert not stack, f"page {number + 1}: marked content left open"
    stream.operations = kept
    page.replace_contents(stream)
    return seen, artifacts


def _struct_text(blocks: list[dict[str, Any]], into: list[tuple[str, str]], role: str) -> None:
    for block in blocks:
        if block["type"] == 2:
            _struct_text(block["blocks"], into, block["std"])
        elif block["type"] == 0:
            text = " ".join(
                "".join(span["text"] for span in line["spans"]) for line in block["lines"]
            )
            into.append((role, _words(text)))


def read_tagged(pdf: bytes, pages: int | None = None) -> Reading:
    """The document as a screen reader reads it, after checking the plumbing: /MarkInfo
    /Marked true, a /Lang, a structure tree whose MCIDs on each page run 0, 1, 2... in
    tree order and in the order the text is drawn (so the tree reads as the page does),
    every piece of text marked (an MCID or an artifact), each page naming its entry in the
    /ParentTree, and MuPDF reading every word of the page through the structure.
    ``pages``: check only the first pages (an eROP package's own), not the filed ones."""
    flags = pymupdf.TEXTFLAGS_TEXT & ~pymupdf.TEXT_PRESERVE_LIGATURES
    copy = PdfWriter(clone_from=io.BytesIO(pdf))
    drawn: list[tuple[list[int], int]] = [
        _marks(page, copy, number) if pages is None or number < pages else ([], 0)
        for number, page in enumerate(copy.pages)
    ]
    buffer = io.BytesIO()
    copy.write(buffer)
    with (
        pymupdf.open(stream=pdf, filetype="pdf") as doc,
        pymupdf.open(stream=buffer.getvalue(), filetype="pdf") as content,
    ):
        catalog = doc.pdf_catalog()
        assert doc.xref_get_key(catalog, "MarkInfo/Marked") == ("bool", "true")
        kind, lang = doc.xref_get_key(catalog, "Lang")
        assert kind == "string" and lang, "no /Lang"
        roles, order, alts, titles = _walk_tree(doc)
        reading = Reading(lang, roles, alts=alts, titles=titles)
        for number, page in enumerate(doc):
            if pages is not None and number >= pages:
                assert number not in order, f"page {number + 1} is not ours but is tagged"
                continue
            mcids = order.get(number, [])
            assert mcids == list(range(len(mcids))), f"page {number + 1}: MCIDs {mcids}"
            marks, artifacts = drawn[number]
            assert marks == mcids, f"page {number + 1}: drawn {marks}, tree {mcids}"
            reading.artifacts.append(artifacts)
            if mcids:
                assert doc.xref_get_key(page.xref, "StructParents")[0] == "int"
            # MuPDF reads the page without its artifacts through the structure: every word
            # in an element, in the order the page shows them.
            found: list[tuple[str, str]] = []
            structured = content[number].get_text(
                "dict", flags=flags | pymupdf.TEXT_COLLECT_STRUCTURE, sort=False
            )
            _struct_text(structured["blocks"], found, "")
            assert all(role for role, _ in found), f"page {number + 1}: text outside the tree"
            reading.blocks.append(found)
            plain = _words(content[number].get_text("text", flags=flags, sort=False))
            assert _words(" ".join(text for _, text in found)) == plain
    return reading


def tagged_words(reading: Reading, page: int) -> str:
    return _words(" ".join(text for _, text in reading.blocks[page]))
