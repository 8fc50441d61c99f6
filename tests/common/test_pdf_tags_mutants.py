"""common.pdf_tags.tag_stream: each run of text of a content stream wrapped in the marked
content of the block its origin falls in, running text outside the body an artifact, and
drawing an artifact; the positions worked out by hand from the PDF operators (ISO 32000-1
sections 8.3.4, 9.4.2: a point maps through the text matrix, then the CTM)."""

from __future__ import annotations

import pytest

from common.pdf_tags import _State, tag_stream

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
