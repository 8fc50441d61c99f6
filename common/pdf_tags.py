"""Tagged PDF (ISO 32000 section 14.8) for the documents the court makes: orders, notices
and the eROP index.

PyMuPDF lays our documents out but writes no structure tree, so we add it ourselves, with
PyMuPDF's object API (nothing new to install or to freeze into the desktop build):

1. :func:`tag_html` gives every block of the document's HTML (paragraph, heading, list item,
   table cell) an ``id`` and returns the logical structure (:class:`Node`) in the HTML's
   order, which is the reading order.
2. While the story is placed, :class:`Positions` records where each block landed on which
   page (``Story.element_positions``).
3. :func:`tag_page` rewrites a page's content streams: each run of text is wrapped in a
   marked-content sequence (``/P <</MCID n>> BDC ... EMC``) of the block whose box holds the
   text's origin; running footers, draft marks, rules and borders become artifacts. Text
   operators are left byte for byte; only the marked-content operators are inserted.
4. :func:`write_structure` builds ``/StructTreeRoot`` (with its ``/ParentTree``) from the
   nodes and their marks, sets ``/MarkInfo``, ``/Lang`` and ``DisplayDocTitle``.

Everything is deterministic (same input, same bytes), which issued orders rely on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pymupdf import mupdf

# Roles of the HTML elements we tag. Anything else (b, i, em, span, a, br) is inline: its
# text belongs to the block around it.
_ROLES = {
    "p": "P",
    "h1": "H1",
    "h2": "H2",
    "h3": "H3",
    "h4": "H4",
    "h5": "H5",
    "h6": "H6",
    "table": "Table",
    "tr": "TR",
    "td": "TD",
    "th": "TH",
    "ul": "L",
    "ol": "L",
    "li": "LI",
    "div": "Div",
    "blockquote": "BlockQuote",
    "pre": "P",
}
# A table used only to place two blocks side by side (an order's caption) reads as blocks.
_LAYOUT_ROLES = {"table": "Div", "tr": "Div", "td": "P", "th": "P"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s[^>]*)?)(/?)>")
_CLASS = re.compile(r"""\sclass\s*=\s*["']([^"']*)["']""")

ARTIFACT = None  # what ``assign`` answers for text that is not content (a running footer)
_FOOTER = b"/Artifact <</Type/Pagination/Subtype/Footer>> BDC\n"
_ARTIFACT = b"/Artifact BMC\n"


@dataclass
class Node:
    """One structure element: its role (``P``, ``H1``, ``Table``...), its children in
    reading order and its marked content as ``(page index, MCID)`` pairs."""

    role: str
    key: str = ""
    kids: list[Node] = field(default_factory=list)
    marks: list[tuple[int, int]] = field(default_factory=list)
    alt: str | None = None  # /Alt, for a Figure
    title: str | None = None  # /T, a section's title

    def walk(self) -> Iterator[Node]:
        yield self
        for kid in self.kids:
            yield from kid.walk()


@dataclass(frozen=True)
class TaggedHtml:
    html: str  # the HTML with an ``id`` on every tagged element
    root: Node  # the ``Document`` node
    nodes: dict[str, Node]  # by id


def tag_html(html: str, *, prefix: str = "t", layout_tables: Sequence[str] = ()) -> TaggedHtml:
    """Give each block element of ``html`` an id and return the structure it makes.

    ``html`` is our own generated HTML (text escaped, no raw user HTML), so its tags can be
    found by pattern. Tables whose class is in ``layout_tables`` are layout, not data.
    """
    root = Node("Document")
    stack: list[tuple[str, Node, bool]] = [("", root, False)]
    nodes: dict[str, Node] = {}
    out: list[str] = []
    last = 0
    for match in _TAG.finditer(html):
        closing, name, attrs, _ = match.groups()
        name = name.lower()
        if name not in _ROLES:
            continue
        if closing:
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth][0] == name:
                    del stack[depth:]
                    break
            continue
        layout = stack[-1][2]
        if name == "table":
            found = _CLASS.search(attrs)
            layout = any(c in layout_tables for c in (found.group(1).split() if found else ()))
        role = _LAYOUT_ROLES.get(name, _ROLES[name]) if layout else _ROLES[name]
        key = f"{prefix}{len(nodes)}"
        node = Node(role, key)
        if role == "LI":  # a list item's text is its body (PDF/UA: LI holds Lbl/LBody)
            body = Node("LBody", key)
            node.kids.append(body)
            nodes[key] = body
        else:
            nodes[key] = node
        stack[-1][1].kids.append(node)
        if not match.group(4):  # <p/> has no content to hold
            stack.append((name, nodes[key], layout))
        out.append(html[last : match.end(2)])
        out.append(f' id="{key}"')
        last = match.end(2)
    out.append(html[last:])
    return TaggedHtml("".join(out), root, nodes)


@dataclass(frozen=True)
class Box:
    key: str
    depth: int
    x0: float
    y0: float
    x1: float
    y1: float


class Positions:
    """Where the story placed each tagged block, page by page (top-down coordinates, as the
    story draws). Call :meth:`record` after each ``story.place`` and before its ``draw``
    (which forgets them), with the page's index."""

    def __init__(self) -> None:
        self.pages: dict[int, dict[tuple[str, int], Box]] = {}

    def record(self, story: Any, page: int) -> None:
        boxes = self.pages.setdefault(page, {})

        def seen(position: Any) -> None:
            key = str(position.id or "")
            if key:
                x0, y0, x1, y1 = position.rect
                boxes[(key, int(position.rect_num))] = Box(key, position.depth, x0, y0, x1, y1)

        story.element_positions(seen, {})

    def assign(self, page: int, body_bottom: float) -> Callable[[float, float], str | None]:
        """For text starting at ``(x, y)`` (top-down) on ``page``: the id of the innermost
        block holding it; below ``body_bottom``, the running footer (an artifact)."""
        boxes = sorted(self.pages.get(page, {}).values(), key=lambda b: -b.depth)
        slack = 2.0

        def where(x: float, y: float) -> str | None:
            if y > body_bottom:
                return ARTIFACT
            for box in boxes:
                if box.x0 - slack <= x <= box.x1 + slack and box.y0 - slack <= y <= box.y1 + slack:
                    return box.key
            # Not inside any box (a list's bullet left of its item): the nearest block on
            # the same line, else the nearest above.
            best: tuple[float, str] | None = None
            for box in boxes:
                dy = 0.0 if box.y0 <= y <= box.y1 else min(abs(y - box.y0), abs(y - box.y1))
                dx = 0.0 if box.x0 <= x <= box.x1 else min(abs(x - box.x0), abs(x - box.x1))
                score = dy * 1000 + dx
                if best is None or score < best[0]:
                    best = (score, box.key)
            return best[1] if best else ARTIFACT

        return where


# --- content streams ---------------------------------------------------------------------

_TOKEN = re.compile(
    rb"""
    (?P<ws>[\x00\t\n\x0c\r ]+)
  | (?P<comment>%[^\r\n]*)
  | (?P<dict><<|>>)
  | (?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)
  | (?P<arr>[\[\]{}])
  | (?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)
  | (?P<str>\()
  | (?P<word>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)
    """,
    re.X,
)
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)\Z")
_TEXT_SHOW = {b"Tj", b"TJ", b"'", b'"'}
_PATH = {b"m", b"l", b"c", b"v", b"y", b"h", b"re"}
_PAINT = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n"}
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF order: a point p maps to p·m·n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _string_end(data: bytes, start: int) -> int:
    """The end of the literal string opening at ``start`` (balanced, with escapes)."""
    depth, i, size = 0, start, len(data)
    while i < size:
        char = data[i]
        if char == 0x5C:  # backslash: the next byte is escaped
            i += 2
            continue
        if char == 0x28:
            depth += 1
        elif char == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unterminated string in a content stream")


# The same tokens in one pass (``finditer``): strings without nested parentheses, which
# is how MuPDF and our own code write them; anything else falls back to the loop above.
_FAST = re.compile(
    rb"""
    (?P<ws>[\x00\t\n\x0c\r ]+|%[^\r\n]*)
  | (?P<num>[+-]?(?:\d+\.?\d*|\.\d+))(?=[\x00\t\n\x0c\r ()<>\[\]{}/%]|\Z)
  | (?P<op>(?!(?:true|false|null)(?:[\x00\t\n\x0c\r ()<>\[\]{}/%]|\Z))
        [A-Za-z'"*][^\x00\t\n\x0c\r ()<>\[\]{}/%]*)
  | (?P<other>\((?:\\.|[^\\()])*\)|<<|>>|<[0-9A-Fa-f\x00\t\n\x0c\r ]*>|[\[\]{}]
        |/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*|true|false|null)
  | (?P<bad>.)
    """,
    re.X | re.S,
)


def _operators_fast(data: bytes) -> list[tuple[bytes, list[bytes], int, int]] | None:
    out: list[tuple[bytes, list[bytes], int, int]] = []
    operands: list[bytes] = []
    first = -1
    for match in _FAST.finditer(data):
        kind = match.lastgroup
        if kind == "ws":
            continue
        if kind == "bad":
            return None
        if first < 0:
            first = match.start()
        if kind == "op":
            token = match.group()
            if token == b"BI":
                return None
            out.append((token, operands, first, match.end()))
            operands, first = [], -1
        else:
            operands.append(match.group())
    return out


def _operators(data: bytes) -> Iterator[tuple[bytes, list[bytes], int, int]]:
    """Each operator of a content stream: (operator, operands, start of its first operand
    or of itself, end of the operator)."""
    fast = _operators_fast(data)
    if fast is not None:
        yield from fast
        return
    operands: list[bytes] = []
    first = -1
    pos, size = 0, len(data)
    while pos < size:
        match = _TOKEN.match(data, pos)
        if match is None:
            raise ValueError(f"unreadable content stream at byte {pos}")
        kind = match.lastgroup
        start, pos = match.start(), match.end()
        if kind in ("ws", "comment"):
            continue
        if kind == "str":
            pos = _string_end(data, start)
        token = data[start:pos]
        if first < 0:
            first = start
        if (
            kind == "word"
            and not _NUMBER.match(token)
            and token not in (b"true", b"false", b"null")
        ):
            if token == b"BI":  # an inline image: skip to its end
                end = data.find(b"EI", data.find(b"ID", pos))
                if end < 0:
                    raise ValueError("unterminated inline image")
                pos = end + 2
            yield token, operands, first, pos
            operands, first = [], -1
        else:
            operands.append(token)


@dataclass
class _State:
    ctm: Matrix = _IDENTITY
    saved: list[Matrix] = field(default_factory=list)
    mcid: int = 0


def _numbers(operands: list[bytes], count: int) -> list[float]:
    return [float(x) for x in operands[-count:]]


def tag_stream(
    data: bytes,
    assign: Callable[[float, float], str | None],
    page_height: float,
    state: _State,
    roles: Callable[[str], str],
) -> tuple[bytes, list[tuple[int, str]]]:
    """``data`` with marked content around its text and artifacts around its drawing, and
    the MCIDs it used with the block each belongs to."""
    inserts: list[tuple[int, bytes]] = []
    marks: list[tuple[int, str]] = []
    tm = tlm = _IDENTITY
    leading = 0.0
    current: str | None = None  # the block whose sequence is open, "" for an artifact
    in_path = False
    for op, operands, first, end in _operators(data):
        if op == b"q":
            state.saved.append(state.ctm)
        elif op == b"Q":
            state.ctm = state.saved.pop() if state.saved else _IDENTITY
        elif op == b"cm" and len(operands) >= 6:
            a, b, c, d, e, f = _numbers(operands, 6)
            state.ctm = _mul((a, b, c, d, e, f), state.ctm)
        elif op == b"BT":
            tm = tlm = _IDENTITY
        elif op == b"ET":
            if current is not None:
                inserts.append((first, b"EMC\n"))
                current = None
        elif op == b"Tm" and len(operands) >= 6:
            a, b, c, d, e, f = _numbers(operands, 6)
            tm = tlm = (a, b, c, d, e, f)
        elif op in (b"Td", b"TD") and len(operands) >= 2:
            tx, ty = _numbers(operands, 2)
            if op == b"TD":
                leading = -ty
            tm = tlm = _mul((1, 0, 0, 1, tx, ty), tlm)
        elif op == b"TL" and operands:
            leading = _numbers(operands, 1)[0]
        elif op == b"T*":
            tm = tlm = _mul((1, 0, 0, 1, 0, -leading), tlm)
        elif op in _TEXT_SHOW:
            if op in (b"'", b'"'):
                tm = tlm = _mul((1, 0, 0, 1, 0, -leading), tlm)
            origin = _mul(tm, state.ctm)  # the text space's origin in default user space
            key = assign(origin[4], page_height - origin[5])
            want = "" if key is None else key
            if want != current:
                opening = b"EMC\n" if current is not None else b""
                if key is None:
                    opening += _FOOTER
                else:
                    role = roles(key)
                    opening += f"/{role} <</MCID {state.mcid}>> BDC\n".encode("ascii")
                    marks.append((state.mcid, key))
                    state.mcid += 1
                inserts.append((first, opening))
                current = want
            # the text matrix advances along the line; a new line sets it again
        elif op in _PATH and current is None and not in_path:
            inserts.append((first, _ARTIFACT))
            in_path = True
        elif op in _PAINT and in_path:
            inserts.append((end, b"\nEMC"))
            in_path = False
        elif op in (b"Do", b"sh") and current is None:
            inserts.append((first, _ARTIFACT))
            inserts.append((end, b"\nEMC"))
    if current is not None:
        inserts.append((len(data), b"\nEMC\n"))
    if in_path:
        inserts.append((len(data), b"\nEMC\n"))
    if not inserts:
        return data, marks
    parts, last = [], 0
    for at, text in inserts:
        parts.append(data[last:at])
        parts.append(text)
        last = at
    parts.append(data[last:])
    return b"".join(parts), marks


def tag_page(
    doc: Any,
    page_index: int,
    assign: Callable[[float, float], str | None],
    nodes: dict[str, Node],
    *,
    xrefs: Sequence[int] | None = None,
    state: _State | None = None,
) -> _State:
    """Tag the content streams of page ``page_index`` of ``doc`` (a pymupdf Document, its
    streams in order, or only ``xrefs``), recording each MCID on its node. Returns the
    page's state, to tag streams added later with the MCIDs that follow."""
    page = doc[page_index]
    height = float(page.mediabox.height)
    state = state or _State()
    for xref in xrefs if xrefs is not None else page.get_contents():
        data = doc.xref_stream(xref)
        tagged, marks = tag_stream(data, assign, height, state, lambda k: nodes[k].role)
        if tagged != data:
            doc.update_stream(xref, tagged, compress=False)  # saving compresses it
        for mcid, key in marks:
            nodes[key].marks.append((page_index, mcid))
    return state


def artifacts_only(_x: float, _y: float) -> str | None:
    """``assign`` for streams that carry no content (a draft mark, a stamp)."""
    return ARTIFACT


# --- the structure tree ------------------------------------------------------------------


def _prune(node: Node) -> bool:
    """Drop elements with no content under them; True if ``node`` keeps any."""
    node.kids = [kid for kid in node.kids if _prune(kid)]
    return bool(node.kids or node.marks or node.alt)


def write_structure(doc: Any, root: Node, *, lang: str, page_xrefs: Sequence[int] = ()) -> None:
    """Write ``root`` (a ``Document`` node whose nodes carry their marks) as the document's
    structure tree and declare it: ``/MarkInfo``, ``/Lang`` and the title shown in the
    window. ``page_xrefs``: the pages the marks' page indexes name (default: every page).

    A document that has a tree already (a notice with a page added) keeps it: ``root``'s
    children are added after the existing ``Document`` element's, and their pages after
    its ``/ParentTree`` entries.

    Written through MuPDF's object API: a package has an element per page, and the
    string-based ``xref_*`` helpers would parse and re-serialise each one."""
    _prune(root)
    pdf = mupdf.pdf_document_from_fz_document(doc.this)
    names: dict[str, Any] = {}

    def name(text: str) -> Any:
        found = names.get(text)
        if found is None:
            found = names[text] = mupdf.pdf_new_name(text)
        return found

    pages = list(page_xrefs) or [doc[i].xref for i in range(doc.page_count)]
    catalog = mupdf.pdf_dict_get(mupdf.pdf_trailer(pdf), name("Root"))
    existing = mupdf.pdf_dict_get(catalog, name("StructTreeRoot"))
    if mupdf.pdf_is_dict(existing):
        tree = mupdf.pdf_to_num(existing)
        top = mupdf.pdf_dict_get(existing, name("K"))
        kept = mupdf.pdf_dict_get(top, name("K"))
        nums = mupdf.pdf_dict_get(mupdf.pdf_dict_get(existing, name("ParentTree")), name("Nums"))
        next_key = mupdf.pdf_to_int(mupdf.pdf_dict_get(existing, name("ParentTreeNextKey")))
        elements = [node for kid in root.kids for node in kid.walk()]
        num_of = {id(node): mupdf.pdf_create_object(pdf) for node in elements}
        num_of[id(root)] = mupdf.pdf_to_num(top)
    else:
        tree, kept, nums, next_key = mupdf.pdf_create_object(pdf), None, None, 0
        elements = list(root.walk())
        num_of = {id(node): mupdf.pdf_create_object(pdf) for node in elements}
    refs = {key: mupdf.pdf_new_indirect(pdf, num, 0) for key, num in num_of.items()}
    page_refs = [mupdf.pdf_new_indirect(pdf, xref, 0) for xref in pages]
    tree_ref = mupdf.pdf_new_indirect(pdf, tree, 0)
    parent_of: dict[int, Any] = {}
    for node in [root, *elements]:
        for kid in node.kids:
            parent_of[id(kid)] = refs[id(node)]
    by_page: dict[int, dict[int, Any]] = {}
    for node in elements:
        element = mupdf.pdf_new_dict(pdf, 7)
        mupdf.pdf_dict_put(element, name("Type"), name("StructElem"))
        mupdf.pdf_dict_put(element, name("S"), name(node.role))
        mupdf.pdf_dict_put(element, name("P"), parent_of.get(id(node), tree_ref))
        mark_pages = {page for page, _ in node.marks}
        if len(mark_pages) == 1:
            mupdf.pdf_dict_put(element, name("Pg"), page_refs[next(iter(mark_pages))])
        if node.alt is not None:
            mupdf.pdf_dict_put_text_string(element, name("Alt"), node.alt)
        if node.title is not None:
            mupdf.pdf_dict_put_text_string(element, name("T"), node.title)
        kids = mupdf.pdf_dict_put_array(element, name("K"), len(node.marks) + len(node.kids))
        for page, mcid in node.marks:
            by_page.setdefault(page, {})[mcid] = refs[id(node)]
            if len(mark_pages) == 1:
                mupdf.pdf_array_push_int(kids, mcid)
            else:
                mcr = mupdf.pdf_array_push_dict(kids, 3)
                mupdf.pdf_dict_put(mcr, name("Type"), name("MCR"))
                mupdf.pdf_dict_put(mcr, name("Pg"), page_refs[page])
                mupdf.pdf_dict_put_int(mcr, name("MCID"), mcid)
        for kid in node.kids:
            mupdf.pdf_array_push(kids, refs[id(kid)])
        mupdf.pdf_update_object(pdf, num_of[id(node)], element)
    if kept is not None:  # the existing Document element: its children, then the new ones
        for kid in root.kids:
            mupdf.pdf_array_push(kept, refs[id(kid)])
    if nums is None:
        nums = mupdf.pdf_new_array(pdf, 2 * len(by_page))
    structparents = name("StructParents")
    for number, page in enumerate(sorted(by_page), start=next_key):
        owners = by_page[page]
        if len(owners) != max(owners) + 1:
            raise ValueError("a page's MCIDs must run from 0 without gaps")
        mupdf.pdf_array_push_int(nums, number)
        owned = mupdf.pdf_array_push_array(nums, len(owners))
        for mcid in range(len(owners)):
            mupdf.pdf_array_push(owned, owners[mcid])
        page_object = mupdf.pdf_load_object(pdf, pages[page])
        mupdf.pdf_dict_put_int(page_object, structparents, number)
    next_key += len(by_page)
    if kept is None:
        tree_dict = mupdf.pdf_new_dict(pdf, 4)
        mupdf.pdf_dict_put(tree_dict, name("Type"), name("StructTreeRoot"))
        mupdf.pdf_dict_put(tree_dict, name("K"), refs[id(root)])
        parent_tree = mupdf.pdf_dict_put_dict(tree_dict, name("ParentTree"), 1)
        mupdf.pdf_dict_put(parent_tree, name("Nums"), nums)
        mupdf.pdf_update_object(pdf, tree, tree_dict)
        mupdf.pdf_dict_put(catalog, name("StructTreeRoot"), tree_ref)
    mupdf.pdf_dict_put_int(
        existing if kept is not None else tree_dict, name("ParentTreeNextKey"), next_key
    )
    mark_info = mupdf.pdf_dict_put_dict(catalog, name("MarkInfo"), 1)
    mupdf.pdf_dict_put_bool(mark_info, name("Marked"), 1)
    mupdf.pdf_dict_put_text_string(catalog, name("Lang"), lang)
    preferences = mupdf.pdf_dict_put_dict(catalog, name("ViewerPreferences"), 1)
    mupdf.pdf_dict_put_bool(preferences, name("DisplayDocTitle"), 1)
