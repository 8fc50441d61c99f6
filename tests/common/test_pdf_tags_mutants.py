# mypy: disable-error-code="no-untyped-call"
"""common.pdf_tags.tag_stream: each run of text of a content stream wrapped in the marked
content of the block its origin falls in, running text outside the body an artifact, and
drawing an artifact; the positions worked out by hand from the PDF operators (ISO 32000-1
sections 8.3.4, 9.4.2: a point maps through the text matrix, then the CTM)."""

from __future__ import annotations

import pymupdf
import pytest

from common import pdf_tags
from common.pdf_tags import (
    ARTIFACT,
    Box,
    Node,
    Positions,
    _operators,
    _operators_fast,
    _State,
    artifacts_only,
    tag_html,
    tag_page,
    tag_stream,
    write_structure,
)

PAGE_HEIGHT = 792.0
ROLES = {"head": "H1", "body": "P"}
FOOTER = b"/Artifact <</Type/Pagination/Subtype/Footer>> BDC\n"


class Layout:
    """Blocks by distance from the page's top: a heading, the body, then the footer."""

    def __init__(self) -> None:
        self.asked: list[tuple[float, float]] = []

    def __call__(self, x: float, y: float) -> str | None:
        self.asked.append((x, y))
        if y < 100:
            return "head"
        if y < 300:
            return "body"
        return None


def _tag(data: bytes, state: _State | None = None) -> tuple[bytes, list[tuple[int, str]], Layout]:
    layout = Layout()
    out, marks = tag_stream(data, layout, PAGE_HEIGHT, state or _State(), ROLES.__getitem__)
    return out, marks, layout


STREAM = (
    b"q 2 0 0 2 10 20 cm\n"
    b"BT /F1 12 Tf 1 0 0 1 50 300 Tm (Title) Tj ET\n"
    b"Q\n"
    b"BT 2 0 0 2 100 650 Tm 5 -10 Td (a) Tj 14 TL T* [(b) 3 (c)] TJ 0 -20 TD (d) Tj"
    b" (e) ' 1 2 (f) \" ET\n"
    b"q 0 1 -1 0 300 0 cm BT 1 0 0 1 50 100 Tm (g) Tj ET Q\n"
    b"0 0 m 10 10 l S\n"
    b"/Im1 Do\n"
)


def test_each_text_origin_through_the_text_matrix_and_the_ctm() -> None:
    _, _, layout = _tag(STREAM)
    assert layout.asked == [
        (110.0, 172.0),  # (50, 300) scaled by 2 and moved (10, 20): 620 from the bottom
        (110.0, 162.0),  # Tm at (100, 650) scale 2, then Td (5, -10) in text space
        (110.0, 190.0),  # T* with a leading of 14, scaled by 2
        (110.0, 230.0),  # TD (0, -20) sets the leading to 20
        (110.0, 270.0),  # ' moves to the next line first
        (110.0, 310.0),  # " too
        (200.0, 742.0),  # under a quarter turn: x' = -y + 300, y' = x
    ]


def test_the_stream_with_its_marks() -> None:
    state = _State(mcid=4)
    out, marks, _ = _tag(STREAM, state)
    assert marks == [(4, "body"), (5, "body")]
    assert state.mcid == 6
    assert state.saved == [] and state.ctm == (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    assert out == (
        b"q 2 0 0 2 10 20 cm\n"
        b"BT /F1 12 Tf 1 0 0 1 50 300 Tm /P <</MCID 4>> BDC\n(Title) Tj EMC\nET\n"
        b"Q\n"
        b"BT 2 0 0 2 100 650 Tm 5 -10 Td /P <</MCID 5>> BDC\n(a) Tj 14 TL T* [(b) 3 (c)] TJ"
        b" 0 -20 TD (d) Tj (e) ' EMC\n" + FOOTER + b'1 2 (f) " EMC\nET\n'
        b"q 0 1 -1 0 300 0 cm BT 1 0 0 1 50 100 Tm " + FOOTER + b"(g) Tj EMC\nET Q\n"
        b"/Artifact BMC\n0 0 m 10 10 l S\nEMC\n"
        b"/Artifact BMC\n/Im1 Do\nEMC\n"
    )


def test_a_heading_then_the_body_are_two_sequences() -> None:
    out, marks, layout = _tag(b"BT 1 0 0 1 72 742 Tm (H) Tj 0 -200 Td (B) Tj ET")
    assert layout.asked == [(72.0, 50.0), (72.0, 250.0)]
    assert marks == [(0, "head"), (1, "body")]
    assert out == (
        b"BT 1 0 0 1 72 742 Tm /H1 <</MCID 0>> BDC\n(H) Tj 0 -200 Td "
        b"EMC\n/P <</MCID 1>> BDC\n(B) Tj EMC\nET"
    )


def test_text_left_open_and_a_path_left_unpainted_are_closed_at_the_end() -> None:
    out, marks, _ = _tag(b"BT 1 0 0 1 72 600 Tm (x) Tj")
    assert marks == [(0, "body")]
    assert out == b"BT 1 0 0 1 72 600 Tm /P <</MCID 0>> BDC\n(x) Tj\nEMC\n"
    out, marks, _ = _tag(b"0 0 m 5 5 l")
    assert (out, marks) == (b"/Artifact BMC\n0 0 m 5 5 l\nEMC\n", [])


def test_a_path_inside_text_is_not_an_artifact_and_a_shading_outside_is() -> None:
    out, _, _ = _tag(b"BT 1 0 0 1 72 600 Tm (x) Tj 0 0 m 5 5 l S ET /Sh1 sh")
    assert out == (
        b"BT 1 0 0 1 72 600 Tm /P <</MCID 0>> BDC\n(x) Tj 0 0 m 5 5 l S EMC\nET "
        b"/Artifact BMC\n/Sh1 sh\nEMC"
    )


def test_one_artifact_for_a_path_of_several_segments() -> None:
    out, _, _ = _tag(b"0 0 m 1 1 l 2 2 l h f 3 3 4 4 re n")
    assert out == (b"/Artifact BMC\n0 0 m 1 1 l 2 2 l h f\nEMC /Artifact BMC\n3 3 4 4 re n\nEMC")


def test_nothing_to_mark_leaves_the_stream_as_it_is() -> None:
    data = b"q 1 0 0 1 5 5 cm 0.5 g Q"
    out, marks, layout = _tag(data)
    assert out is data and marks == [] and layout.asked == []


def test_q_without_a_saved_state_restores_the_identity() -> None:
    _, _, layout = _tag(b"1 0 0 1 40 40 cm Q BT 1 0 0 1 72 600 Tm (x) Tj ET")
    assert layout.asked == [(72.0, 192.0)]
    _, _, layout = _tag(b"q 1 0 0 1 40 40 cm q 1 0 0 1 1 1 cm Q BT 1 0 0 1 72 600 Tm (x) Tj ET")
    assert layout.asked == [(112.0, 152.0)]


def test_strings_with_parentheses_escapes_and_inline_images() -> None:
    # Nested parentheses, an escaped one, a hex string, a dictionary and an inline image:
    # the tokens the fast reader leaves to the careful one; the text operators still count,
    # and the image's bytes are skipped whole (its "EI" is no operator of the stream).
    data = (
        b"BT 1 0 0 1 72 600 Tm (a (nested) \\) b) Tj <414243> Tj ET\n"
        b"/Span <</ActualText (x)>> BDC EMC\n"
        b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI\n"
        b"BT 1 0 0 1 72 750 Tm [(y) -250 (z)] TJ ET"
    )
    out, marks, layout = _tag(data)
    assert layout.asked == [(72.0, 192.0), (72.0, 192.0), (72.0, 42.0)]
    assert marks == [(0, "body"), (1, "head")]
    assert out == (
        b"BT 1 0 0 1 72 600 Tm /P <</MCID 0>> BDC\n(a (nested) \\) b) Tj <414243> Tj EMC\nET\n"
        b"/Span <</ActualText (x)>> BDC EMC\n"
        b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI\n"
        b"BT 1 0 0 1 72 750 Tm /H1 <</MCID 1>> BDC\n[(y) -250 (z)] TJ EMC\nET"
    )


# A string with nested parentheses sends the whole stream to the careful tokenizer.
NESTED = b" BT 1 0 0 1 72 600 Tm (a (b) c) Tj ET"


def test_the_careful_reader_finds_what_the_fast_one_finds() -> None:
    base = (
        b"% a comment (x) Tj\n"
        b"q 0 1 -1 0 400 400 cm 0 1 -1 0 0 0 cm"  # two quarter turns: a half turn about (200, 200)
        b" BT /F1 12 Tf 1 0 0 1 100 -200 Tm true false null 1 pop (\\)) Tj ET Q"
        b" BT 1 0 0 1 72 700 Tm\n% note\n(y) Tj ET"
    )
    fast, fast_marks, fast_layout = _tag(base)
    careful, careful_marks, careful_layout = _tag(base + NESTED)
    assert fast_layout.asked == [(300.0, 192.0), (72.0, 92.0)]
    assert careful_layout.asked == [*fast_layout.asked, (72.0, 192.0)]
    assert careful_marks == [*fast_marks, (2, "body")]
    assert fast == (
        b"% a comment (x) Tj\n"
        b"q 0 1 -1 0 400 400 cm 0 1 -1 0 0 0 cm"
        b" BT /F1 12 Tf 1 0 0 1 100 -200 Tm true false null 1 pop /P <</MCID 0>> BDC\n"
        b"(\\)) Tj EMC\nET Q"
        b" BT 1 0 0 1 72 700 Tm\n% note\n/H1 <</MCID 1>> BDC\n(y) Tj EMC\nET"
    )
    assert careful == fast + b" BT 1 0 0 1 72 600 Tm /P <</MCID 2>> BDC\n(a (b) c) Tj EMC\nET"


def test_the_careful_reader_from_the_first_byte() -> None:
    out, _, _ = _tag(b"0 0 m 5 5 l S" + NESTED)
    assert out.startswith(b"/Artifact BMC\n0 0 m 5 5 l S\nEMC BT ")


def test_the_careful_reader_skips_each_inline_image_to_its_own_end() -> None:
    data = (
        b"/EIx gs BI /W 1 /H 1 ID ab EI"
        b" BT 1 0 0 1 72 600 Tm (x) Tj ET"
        b" BI /W 1 /H 1 ID cd EI" + NESTED
    )
    _, marks, layout = _tag(data)
    assert layout.asked == [(72.0, 192.0), (72.0, 192.0)]
    assert marks == [(0, "body"), (1, "body")]


def test_unterminated_strings_and_images_are_refused() -> None:
    with pytest.raises(ValueError) as caught:
        _tag(b"BT (a (b) c" + NESTED)
    assert str(caught.value) == "unterminated string in a content stream"
    with pytest.raises(ValueError) as caught:
        _tag(b"BI /W 1 ID abc" + NESTED)
    assert str(caught.value) == "unterminated inline image"


def test_moves_compose_with_the_line_matrix_and_bt_starts_afresh() -> None:
    data = (
        b"BT 2 0 0 2 100 600 Tm 10 0 Td 10 0 Td (a) Tj T* (b) Tj ET"  # no TL: T* stays put
        b" BT (c) Tj ET"  # BT: the text matrix is the identity again
        b" BT 1 0.5 0 1 100 600 Tm 10 0 Td 10 0 Td (d) Tj 0 0 1 1 2 2 c (e) Tj ET"
    )
    _, _, layout = _tag(data)
    assert layout.asked == [
        (140.0, 192.0),  # each Td moves by 10 units of a text space scaled by 2
        (140.0, 192.0),
        (0.0, 792.0),
        (120.0, 182.0),  # a sheared text space: each 10 across rises 5
        (120.0, 182.0),  # a curve's six operands leave the text matrix alone
    ]


def test_a_sheared_line_matrix_carries_each_move() -> None:
    # Tm leans the text space (x' = x + 0.5 y): each Td of 10 up is 5 across as well, so
    # the line matrix keeps its lean through the first move for the second.
    _, _, layout = _tag(b"BT 1 0 0.5 1 100 600 Tm 0 10 Td 0 10 Td (x) Tj ET")
    assert layout.asked == [(110.0, 172.0)]


def test_the_fast_reader_leaves_inline_images_and_stray_bytes_to_the_careful_one() -> None:
    assert _operators_fast(b"0 0 m (x) Tj") == [
        (b"m", [b"0", b"0"], 0, 5),
        (b"Tj", [b"(x)"], 6, 12),
    ]
    assert _operators_fast(b"q BI /W 1 ID x EI Q") is None
    assert _operators_fast(b"BT ) Tj ET") is None
    # Without the careful reader the image's bytes would read as a line of text.
    data = b"BI /W 1 /H 1 ID (x) Tj EI BT 1 0 0 1 72 600 Tm (y) Tj ET"
    out, marks, layout = _tag(data)
    assert (layout.asked, marks) == ([(72.0, 192.0)], [(0, "body")])
    assert out == (
        b"BI /W 1 /H 1 ID (x) Tj EI BT 1 0 0 1 72 600 Tm /P <</MCID 0>> BDC\n(y) Tj EMC\nET"
    )


class _NoCarefulReader:
    def match(self, data: bytes, pos: int) -> None:
        raise AssertionError(f"the careful reader was used at byte {pos}")


def test_a_stream_the_fast_reader_reads_never_goes_through_the_careful_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf_tags, "_TOKEN", _NoCarefulReader())
    assert list(_operators(b"q 1 0 0 1 5 5 cm (x) Tj Q")) == [
        (b"q", [], 0, 1),
        (b"cm", [b"1", b"0", b"0", b"1", b"5", b"5"], 2, 16),
        (b"Tj", [b"(x)"], 17, 23),
        (b"Q", [], 24, 25),
    ]


def test_true_false_and_null_are_operands_for_the_careful_reader_too() -> None:
    data = b"/A true false null x (a (b)) Tj"
    assert list(_operators(data)) == [
        (b"x", [b"/A", b"true", b"false", b"null"], 0, 20),
        (b"Tj", [b"(a (b))"], 21, 31),
    ]


def test_an_unreadable_stream_names_the_byte() -> None:
    with pytest.raises(ValueError) as caught:
        _tag(b"BT ) Tj ET")
    assert str(caught.value) == "unreadable content stream at byte 3"


def test_the_careful_reader_ends_an_inline_image_at_its_ei() -> None:
    assert list(_operators(b"q BI /W 1 ID ab EI Q")) == [
        (b"q", [], 0, 1),
        (b"BI", [], 2, 18),
        (b"Q", [], 19, 20),
    ]


def test_text_before_any_bt_starts_from_the_identity() -> None:
    out, _, layout = _tag(b"(x) Tj")
    assert layout.asked == [(0.0, 792.0)]
    assert out == FOOTER + b"(x) Tj\nEMC\n"


def test_next_line_moves_keep_the_whole_line_matrix() -> None:
    # Text space (2, 1, 0.5, 2, 100, 500): a move (x, y) adds (2x + 0.5y, x + 2y). T*, '
    # and " each move (0, -10), the leading; every Td after them moves in the same space.
    data = (
        b"BT 2 1 0.5 2 100 500 Tm 10 TL T* 3 4 Td (a) Tj"  # (95, 480), then (103, 491)
        b" (b) ' 5 6 Td (c) Tj"  # (98, 471), then (111, 488)
        b' 1 2 (d) " 7 8 Td (e) Tj ET'  # (106, 468), then (124, 491)
    )
    _, _, layout = _tag(data)
    assert layout.asked == [
        (103.0, 301.0),
        (98.0, 321.0),
        (111.0, 304.0),
        (106.0, 324.0),
        (124.0, 301.0),
    ]


def test_an_operator_reads_its_own_last_operands() -> None:
    # Stray operands before an operator (a damaged or odd stream) are passed over.
    data = b"/X 2 0 0 2 10 20 cm BT /Y 1 0 0 1 50 300 Tm /Z 5 -10 Td 99 14 TL T* (a) Tj ET"
    _, _, layout = _tag(data)
    # Tm (50, 300), Td (55, 290), T* (55, 276); scaled by 2 and moved (10, 20): (120, 572).
    assert layout.asked == [(120.0, 220.0)]
    _, _, layout = _tag(b"BT 1 0 0 1 72 600 Tm 3 14 TD (a) Tj 1 2 3 4 5 6 7 Td (b) Tj ET")
    assert layout.asked == [(75.0, 178.0), (81.0, 171.0)]


# --- the HTML's blocks, where they land, and the structure tree ---------------------------


def test_each_block_gets_an_id_and_its_role_in_reading_order() -> None:
    html = (
        '<p class="agency">A <b>bold</b> word</p>'
        '<TABLE class="wide caption"><tr><td>Left</td><td><div>Right</div></td></tr></TABLE>'
        '<table class="data"><tr><th>Head</th><td><table><tr><td>In</td></tr></table></td></tr>'
        "</table>"
        "<ul><li>One</li></ul><p/><div><h2>Title</h2><p>x</div><p>After</p></p>"
    )
    tagged = tag_html(html, prefix="n", layout_tables=("caption",))
    assert tagged.html == (
        '<p id="n0" class="agency">A <b>bold</b> word</p>'
        '<TABLE id="n1" class="wide caption"><tr id="n2"><td id="n3">Left</td><td id="n4">'
        '<div id="n5">Right</div></td></tr></TABLE>'
        '<table id="n6" class="data"><tr id="n7"><th id="n8">Head</th><td id="n9">'
        '<table id="n10"><tr id="n11"><td id="n12">In</td></tr></table></td></tr></table>'
        '<ul id="n13"><li id="n14">One</li></ul><p id="n15"/><div id="n16"><h2 id="n17">Title'
        '</h2><p id="n18">x</div><p id="n19">After</p></p>'
    )

    def shape(node: Node) -> object:
        kids = [shape(kid) for kid in node.kids]
        return (node.role, node.key, kids) if kids else (node.role, node.key)

    # The layout table reads as blocks (a division of paragraphs), a table inside it as
    # a table; a data table as a table; a list item's text as its body; <p/> holds nothing,
    # and a closing tag closes what it left open.
    assert shape(tagged.root) == (
        "Document",
        "",
        [
            ("P", "n0"),
            ("Div", "n1", [("Div", "n2", [("P", "n3"), ("P", "n4", [("Div", "n5")])])]),
            (
                "Table",
                "n6",
                [
                    (
                        "TR",
                        "n7",
                        [
                            ("TH", "n8"),
                            ("TD", "n9", [("Table", "n10", [("TR", "n11", [("TD", "n12")])])]),
                        ],
                    )
                ],
            ),
            ("L", "n13", [("LI", "n14", [("LBody", "n14")])]),
            ("P", "n15"),
            ("Div", "n16", [("H2", "n17"), ("P", "n18")]),
            ("P", "n19"),
        ],
    )
    assert list(tagged.nodes) == [f"n{i}" for i in range(20)]
    assert tagged.nodes["n14"].role == "LBody"  # the item's text is marked on its body
    assert tagged.nodes["n3"] is tagged.root.kids[1].kids[0].kids[0]
    assert [n.role for n in tagged.root.walk()][:4] == ["Document", "P", "Div", "Div"]
    # Without layout tables every table is data; the default prefix is "t".
    plain = tag_html('<table class="caption"><tr><td>x</td></tr></table>')
    assert (
        plain.html == '<table id="t0" class="caption"><tr id="t1"><td id="t2">x</td></tr></table>'
    )
    assert [n.role for n in plain.root.walk()] == ["Document", "Table", "TR", "TD"]
    assert tag_html("no blocks <b>at all</b>").html == "no blocks <b>at all</b>"
    # Outside any table nothing is layout: a row is a row.
    assert [n.role for n in tag_html("<tr><td>x</td></tr>").root.walk()] == ["Document", "TR", "TD"]


def _story_positions() -> Positions:
    story = pymupdf.Story(
        html='<h2>Untagged</h2><div id="d"><p id="a">First block</p><p id="b">Second</p></div>'
        "<p>untagged</p>"
    )
    positions = Positions()
    story.place(pymupdf.Rect(72, 72, 540, 720))
    positions.record(story, 3)
    return positions


def test_positions_are_recorded_per_page_with_their_depth() -> None:
    boxes = _story_positions().pages[3]
    # By id and the rectangle the story placed it in; an element without id is left out.
    assert sorted(boxes) == [("a", 1), ("b", 1), ("d", 1)]
    a, b, d = boxes["a", 1], boxes["b", 1], boxes["d", 1]
    assert (a.key, b.key, d.key) == ("a", "b", "d")
    assert d.depth < a.depth == b.depth
    assert a.x0 == d.x0 >= 72.0 and a.y0 == d.y0 >= 72.0 and d.x1 <= 540.0
    assert a.y1 <= b.y0 and b.y1 <= d.y1 and a.x1 <= d.x1
    where = _story_positions().assign(3, 700.0)
    assert where(80.0, (a.y0 + a.y1) / 2) == "a"  # the innermost block holding the point
    assert where(80.0, (b.y0 + b.y1) / 2) == "b"


def _positions(*boxes: Box) -> Positions:
    positions = Positions()
    positions.pages[0] = {(box.key, 0): box for box in boxes}
    return positions


def test_text_goes_to_the_innermost_block_within_two_points() -> None:
    where = _positions(
        Box("outer", 1, 72.0, 90.0, 540.0, 300.0), Box("inner", 2, 100.0, 100.0, 200.0, 110.0)
    ).assign(0, 720.0)
    assert where(150.0, 105.0) == "inner"
    assert where(150.0, 200.0) == "outer"
    for x, y, key in [
        (98.5, 105.0, "inner"),
        (97.5, 105.0, "outer"),
        (201.5, 105.0, "inner"),
        (202.5, 105.0, "outer"),
        (150.0, 98.5, "inner"),
        (150.0, 97.5, "outer"),
        (150.0, 111.5, "inner"),
        (150.0, 112.5, "outer"),
    ]:
        assert where(x, y) == key, (x, y)
    # The slack's edges are inside.
    assert [where(98.0, 105.0), where(202.0, 105.0)] == ["inner", "inner"]
    assert [where(150.0, 98.0), where(150.0, 112.0)] == ["inner", "inner"]
    # Below the body's bottom: the running footer, an artifact, even inside a box.
    low = _positions(Box("page", 1, 0.0, 0.0, 612.0, 792.0)).assign(0, 720.0)
    assert (low(100.0, 720.0), low(100.0, 720.5)) == ("page", ARTIFACT)
    # A page with no blocks has only artifacts.
    assert _positions().assign(0, 720.0)(100.0, 100.0) is ARTIFACT
    assert Positions().assign(5, 720.0)(100.0, 100.0) is ARTIFACT


def test_text_outside_every_block_goes_to_the_nearest_on_its_line_first() -> None:
    where = _positions(
        Box("a", 2, 72.0, 100.0, 200.0, 110.0), Box("b", 2, 400.0, 120.0, 540.0, 130.0)
    ).assign(0, 720.0)
    assert where(250.0, 105.0) == "a"  # on a's line, 50 points right of it
    assert where(60.0, 125.0) == "b"  # on b's line, far left of it
    assert where(390.0, 112.0) == "a"  # 2 points below a beats 8 points above b
    assert where(450.0, 300.0) == "b"  # below both: the nearer one, above
    assert where(100.0, 95.0) == "a"
    assert where(470.0, 135.0) == "b"


def _document(pages: int = 2, height: float = 792.0) -> pymupdf.Document:
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page(width=612, height=height)
        page.insert_text((72, 100), f"Head {number}", fontsize=12)
        page.insert_text((72, 200), f"Body {number}", fontsize=12)
        page.draw_line((72, 300), (200, 300))
    return doc


def _by_line(x: float, y: float) -> str | None:
    del x
    return "h" if y < 150 else "b" if y < 250 else None


def test_a_page_s_streams_are_tagged_and_each_mark_recorded_on_its_node() -> None:
    doc = _document(height=700.0)  # text origins are taken from the page's own height
    nodes = {"h": Node("H1", "h"), "b": Node("P", "b")}
    first = doc[1].get_contents()
    state = tag_page(doc, 1, _by_line, nodes, xrefs=first[:1])
    assert state.mcid == 1 and nodes["h"].marks == [(1, 0)] and nodes["b"].marks == []
    # The rest of the page's streams, later, continue its MCIDs.
    assert tag_page(doc, 1, _by_line, nodes, xrefs=first[1:], state=state) is state
    assert state.mcid == 2 and nodes["b"].marks == [(1, 1)]
    assert [doc.xref_stream(x) for x in first] == [
        b"\nq\nBT\n1 0 0 1 72 600 Tm\n/helv 12 Tf /H1 <</MCID 0>> BDC\n[<486561642031>]TJ\nEMC\n"
        b"ET\nQ\n",
        b"\nq\nBT\n1 0 0 1 72 500 Tm\n/helv 12 Tf /P <</MCID 1>> BDC\n[<426f64792031>]TJ\nEMC\n"
        b"ET\nQ\n",
        b"\nq\n/Artifact BMC\n72 400 m\n200 400 l\n0 G S\nEMC\nQ\n",
    ]
    # Every stream of the page when none is named; a stamp's streams: artifacts only.
    fresh = tag_page(doc, 0, artifacts_only, {})
    assert fresh.mcid == 0
    assert doc.xref_stream(doc[0].get_contents()[0]) == (
        b"\nq\nBT\n1 0 0 1 72 600 Tm\n/helv 12 Tf /Artifact <</Type/Pagination/Subtype/Footer>>"
        b" BDC\n[<486561642030>]TJ\nEMC\nET\nQ\n"
    )
    assert artifacts_only(1.0, 2.0) is ARTIFACT


def _tree(doc: pymupdf.Document) -> dict[str, str]:
    """Each object of the structure tree, by role (the catalog and pages by name)."""
    out = {"catalog": doc.xref_object(doc.pdf_catalog(), compressed=True)}
    for number in range(doc.page_count):
        out[f"page {number}"] = doc.xref_object(doc[number].xref, compressed=True)
    for xref in range(1, doc.xref_length()):
        text = doc.xref_object(xref, compressed=True)
        if ("/StructTreeRoot" in text and "/Type/Catalog" not in text) or "/StructElem" in text:
            out[f"{xref}"] = text
    return out


def test_the_structure_tree_written_with_its_parent_tree() -> None:
    doc = _document()
    head, body, inner = Node("H1", "h"), Node("P", "b"), Node("P", "i")
    figure = Node("Figure", "f", alt="The court's seal")
    section = Node("Sect", "s", kids=[inner, Node("Div", "x", kids=[Node("P", "y")])], title="1")
    root = Node("Document", kids=[head, body, figure, section, Node("P", "empty")])
    nodes = {"h": head, "b": body, "i": inner}
    tag_page(doc, 0, _by_line, nodes)
    tag_page(doc, 1, lambda x, y: "b" if y < 150 else "i" if y < 250 else None, nodes)
    write_structure(doc, root, lang="es-US")
    pages = [doc[0].xref, doc[1].xref]
    tree = _tree(doc)
    catalog = tree.pop("catalog")
    assert "/MarkInfo<</Marked true>>/Lang(es-US)/ViewerPreferences<</DisplayDocTitle true>>" in (
        catalog
    )
    number = int(catalog.split("/StructTreeRoot ")[1].split()[0])
    p0, p1 = (tree.pop(f"page {i}") for i in (0, 1))
    assert p0.endswith("/StructParents 0>>") and p1.endswith("/StructParents 1>>")
    # Document, then its kids in reading order; the empty paragraph and division are
    # dropped, the figure kept for its /Alt. An element marked on one page names it (/Pg)
    # and lists its MCIDs; one on two pages lists marked-content references.
    d, h, b, f, s, i = range(number + 1, number + 7)
    assert tree == {
        f"{number}": f"<</Type/StructTreeRoot/K {d} 0 R/ParentTree<</Nums[0[{h} 0 R {b} 0 R]"
        f"1[{b} 0 R {i} 0 R]]>>/ParentTreeNextKey 2>>",
        f"{d}": f"<</Type/StructElem/S/Document/P {number} 0 R/K[{h} 0 R {b} 0 R {f} 0 R "
        f"{s} 0 R]>>",
        f"{h}": f"<</Type/StructElem/S/H1/P {d} 0 R/Pg {pages[0]} 0 R/K[0]>>",
        f"{b}": f"<</Type/StructElem/S/P/P {d} 0 R/K[<</Type/MCR/Pg {pages[0]} 0 R/MCID 1>>"
        f"<</Type/MCR/Pg {pages[1]} 0 R/MCID 0>>]>>",
        f"{f}": f"<</Type/StructElem/S/Figure/P {d} 0 R/Alt(The court's seal)/K[]>>",
        f"{s}": f"<</Type/StructElem/S/Sect/P {d} 0 R/T(1)/K[{i} 0 R]>>",
        f"{i}": f"<</Type/StructElem/S/P/P {s} 0 R/Pg {pages[1]} 0 R/K[1]>>",
    }


def test_a_second_tree_joins_the_first_after_it() -> None:
    doc = _document(pages=1)
    head, body = Node("H1", "h"), Node("P", "b")
    tag_page(doc, 0, _by_line, {"h": head, "b": body})
    write_structure(doc, Node("Document", kids=[head, body]), lang="en-US")
    doc.insert_pdf(_document(pages=1))  # a page added, as to the respondent's mailed copy
    added = Node("P", "c")
    tag_page(doc, 1, lambda x, y: "c" if y < 150 else None, {"c": added})
    write_structure(doc, Node("Document", kids=[added]), lang="en-US")
    tree = _tree(doc)
    catalog = tree.pop("catalog")
    number = int(catalog.split("/StructTreeRoot ")[1].split()[0])
    assert tree.pop("page 1").endswith("/StructParents 1>>")
    top = int(tree[f"{number}"].split("/K ")[1].split()[0])
    new = max(int(x) for x in tree if x.isdigit())
    assert tree[f"{number}"] == (
        f"<</Type/StructTreeRoot/K {top} 0 R/ParentTree<</Nums[0[{top + 1} 0 R {top + 2} 0 R]"
        f"1[{new} 0 R]]>>/ParentTreeNextKey 2>>"
    )
    assert tree[f"{top}"].endswith(f"/K[{top + 1} 0 R {top + 2} 0 R {new} 0 R]>>")
    assert tree[f"{new}"] == (f"<</Type/StructElem/S/P/P {top} 0 R/Pg {doc[1].xref} 0 R/K[0]>>")


def test_marks_name_the_pages_given_and_must_run_from_zero() -> None:
    doc = _document()
    node = Node("P", "p", marks=[(0, 0)])
    write_structure(doc, Node("Document", kids=[node]), lang="en-US", page_xrefs=[doc[1].xref])
    tree = _tree(doc)
    assert "/StructParents" not in tree["page 0"]
    assert tree["page 1"].endswith("/StructParents 0>>")
    assert f"/Pg {doc[1].xref} 0 R/K[0]>>" in "".join(tree.values())
    gap = Node("P", "p", marks=[(0, 0), (0, 2)])
    with pytest.raises(ValueError) as caught:
        write_structure(_document(), Node("Document", kids=[gap]), lang="en-US")
    assert str(caught.value) == "a page's MCIDs must run from 0 without gaps"


def _box(key: str, x0: float, y0: float, x1: float, y1: float) -> Box:
    return Box(key, 2, x0, y0, x1, y1)


def _nearest(point: tuple[float, float], *boxes: Box) -> str | None:
    return _positions(*boxes).assign(0, 10_000.0)(*point)


def test_the_nearest_block_weighs_a_line_apart_as_a_thousand_points_across() -> None:
    # Each case: which block the point goes to, its distances worked out by hand as
    # (lines apart x 1000 + points across), the point outside every box and its slack.
    left, right = (
        _box("left", 72.0, 100.0, 200.0, 110.0),
        _box("right", 400.0, 100.0, 540.0, 110.0),
    )
    assert _nearest((250.0, 105.0), right, left) == "left"  # 50 across beats 150
    tall, low = (
        _box("tall", 0.0, 100.0, 100.0, 300.0),
        _box("low", 2000.0, 202.5, 2200.0, 215.0),
    )
    assert _nearest((2100.0, 200.0), tall, low) == "tall"  # 2000 across (on its line) < 2500
    wide = _box("wide", 0.0, 0.0, 1000.0, 10.0)
    narrow = _box("narrow", 499.0, 30.2, 501.0, 40.0)
    assert _nearest((500.0, 20.0), wide, narrow) == "wide"  # 10 lines apart beat 10.2
    under = _box("under", 50.5, 30.0, 200.0, 40.0)
    assert _nearest((50.0, 20.0), wide, under) == "wide"  # 10000 < 10000.5
    short = _box("short", 0.0, 0.0, 100.0, 17.0)
    far = _box("far", 3051.5, 0.0, 3100.0, 40.0)
    assert _nearest((50.0, 20.0), short, far) == "short"  # 3 lines: 3000 < 3001.5 across
    above, below = _box("above", 0.0, 0.0, 100.0, 15.0), _box("below", 0.0, 80.0, 100.0, 90.0)
    assert _nearest((50.0, 50.0), above, below) == "below"  # 30 below it, 35 above
    before, after = (
        _box("before", 0.0, 100.0, 15.0, 110.0),
        _box("after", 80.0, 100.0, 90.0, 110.0),
    )
    assert _nearest((50.0, 105.0), before, after) == "after"  # 30 to its start, 35 from an end
    after = _box("after", 90.0, 100.0, 100.0, 110.0)
    assert _nearest((50.0, 105.0), before, after) == "before"  # 35 from its end, 40 to a start
