"""common.pdf_preflight's refusals at their limits, each with the filer's whole message.

Hostile and odd PDFs are written byte by byte (``pdf_factory.raw_pdf``) so that each sits
exactly at a limit or one step past it: the header and end-of-file windows (1 KiB each),
the page tree's depth (32 levels), the pages a file's size can hold (one per 40 bytes),
a stream's inflation (16 MiB, beyond which the 400-times ratio applies), scripts in XFA
templates, and links and remote targets spelled with PDF string escapes, hex and UTF-16.
"""

from __future__ import annotations

import random
import tracemalloc
import zlib
from pathlib import Path

import pytest

from common import pdf_preflight
from common.pdf_preflight import (
    TOO_COMPLEX_MESSAGE,
    Detail,
    Inspection,
    PreflightCode,
    inspect_pdf,
    load_intake_limits,
    preflight_pdf,
)
from common.pdf_preflight import _out_of_memory as _out_of_memory
from common.resources import DataFileError
from tests import pdf_factory

MIB = 1024 * 1024
CATALOG = b"<</Type/Catalog/Pages 2 0 R>>"
ONE_PAGE_TREE = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"
PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>"
ONE_PAGE_PDF = pdf_factory.raw_pdf({1: CATALOG, 2: ONE_PAGE_TREE, 3: PAGE})
PRINT_AGAIN = "Print it to a new PDF (Print to PDF) and upload that copy."


def check(data: bytes, *, max_pages: int = 2000, max_bytes: int = 25 * MIB) -> list[str]:
    """The codes of the problems, in the order reported."""
    report = preflight_pdf(data, max_bytes=max_bytes, max_pages=max_pages)
    return [problem.code.value for problem in report.problems]


def messages(data: bytes, *, max_pages: int = 2000, max_bytes: int = 25 * MIB) -> dict[str, str]:
    report = preflight_pdf(data, max_bytes=max_bytes, max_pages=max_pages)
    return {problem.code.value: problem.message for problem in report.problems}


def flate(length: int, byte: bytes = b"\0") -> bytes:
    """``length`` repetitions of ``byte``, deflated piece by piece (never held whole)."""
    packer = zlib.compressobj(9)
    piece = byte * MIB
    parts = [packer.compress(piece) for _ in range(length // MIB)]
    parts.append(packer.compress(byte * (length % MIB)))
    return b"".join(parts) + packer.flush()


def stream(data: bytes, dictionary: bytes = b"/Filter/FlateDecode") -> bytes:
    return b"<<" + dictionary + b"/Length %d>>stream\n" % len(data) + data + b"\nendstream"


def with_streams(*streams: bytes) -> bytes:
    """One page whose contents are the given stream objects."""
    first = 4
    refs = b" ".join(b"%d 0 R" % (first + i) for i in range(len(streams)))
    objects = {
        1: CATALOG,
        2: ONE_PAGE_TREE,
        3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents[" + refs + b"]>>",
    }
    objects.update({first + i: s for i, s in enumerate(streams)})
    return pdf_factory.raw_pdf(objects)


def stored_as(inflated: int, stored: int) -> bytes:
    """A Flate stream of ``inflated`` zero bytes whose stored data is exactly ``stored``
    bytes (deflated data, then filler after its end, which no reader inflates)."""
    data = flate(inflated)
    assert len(data) <= stored
    return data + b"\n" * (stored - len(data))


# -- the byte-level windows ------------------------------------------------------------------


def test_the_header_may_start_anywhere_in_the_first_kib() -> None:
    pdf = pdf_factory.valid_pdf()
    assert "not_pdf" not in check(b" " * 1019 + pdf)  # "%PDF-" ends at byte 1024
    assert check(b" " * 1020 + pdf) == ["not_pdf"]


def test_the_end_of_file_mark_must_be_in_the_last_kib() -> None:
    pdf = pdf_factory.valid_pdf()
    after_mark = len(pdf) - pdf.rindex(b"%%EOF") - len(b"%%EOF")
    inside = inspect_pdf(pdf + b" " * (1019 - after_mark), 10)
    outside = inspect_pdf(pdf + b" " * (1020 - after_mark), 10)
    assert Detail.CUT_SHORT not in inside.details
    assert Detail.CUT_SHORT in outside.details


def test_each_fixed_refusal_reads_in_full() -> None:
    assert messages(b"") == {
        "empty": "The file is empty (0 bytes). Upload it again; if it is still empty, "
        "save a new copy."
    }
    assert messages(pdf_factory.not_a_pdf()) == {
        "not_pdf": "The file is not a PDF. Save or print the document as PDF and upload the "
        "PDF; renaming a file to .pdf does not convert it."
    }
    assert messages(pdf_factory.encrypted_pdf()) == {
        "encrypted": "The PDF is password-protected or encrypted. Save a copy without a "
        "password or security restrictions and upload that copy."
    }
    assert messages(pdf_factory.javascript_pdf()) == {
        "javascript": "The PDF contains JavaScript, which the court does not accept. Print "
        "it to a new PDF (this removes scripts) and upload that copy."
    }
    assert messages(pdf_factory.launch_pdf()) == {
        "launch_action": "The PDF contains an action that starts another program, which the "
        "court does not accept. Print it to a new PDF (this removes actions) and upload that "
        "copy."
    }
    assert messages(pdf_factory.embedded_file_pdf()) == {
        "embedded_files": "The PDF has files attached inside it. Remove the attachments "
        "(print it to a new PDF), and file any attachment the court needs as its own PDF."
    }
    assert messages(pdf_factory.inflation_bomb()) == {
        "inflation": "Part of the PDF expands to far more data than any document needs (a "
        "compression bomb). " + PRINT_AGAIN
    }
    no_pages = pdf_factory.raw_pdf({1: CATALOG, 2: b"<</Type/Pages/Kids[]/Count 0>>"})
    assert messages(no_pages) == {
        "empty": "The PDF has no pages. Check that you chose the right file and upload it again."
    }


def test_a_damaged_file_names_every_fault_found() -> None:
    assert messages(pdf_factory.truncated_pdf()) == {
        "damaged": "The PDF is damaged (its end is missing, as if the upload was cut short; "
        "its cross-reference table is broken and had to be repaired; part of it cannot be "
        "read). Open it in a PDF reader, save or print a fresh copy as PDF, and upload that "
        "copy."
    }
    assert messages(b"%PDF-1.7\n%%EOF") == {
        "damaged": "The PDF is damaged (it cannot be opened). Open it in a PDF reader, save "
        "or print a fresh copy as PDF, and upload that copy."
    }


def test_an_encrypted_file_that_opens_without_a_password_is_still_counted() -> None:
    report = preflight_pdf(
        pdf_factory.encrypted_pdf(user_password=""), max_bytes=25 * MIB, max_pages=1
    )
    assert [p.code for p in report.problems] == [
        PreflightCode.ENCRYPTED,
        PreflightCode.TOO_MANY_PAGES,
    ]
    assert report.page_count == 2


# -- sizes and page counts in the messages ---------------------------------------------------


@pytest.mark.parametrize(
    ("size", "limit", "expected"),
    [
        (1001, 1000, "The file is 1001 bytes; the limit is 1000 bytes. "),
        (1025, 1023, "The file is 1.1 KB; the limit is 1023 bytes. "),
        (3 * 1024, 1024, "The file is 3 KB; the limit is 1 KB. "),
        (1536 + 1, 1536, "The file is 1.6 KB; the limit is 1.5 KB. "),
        (MIB + 1, MIB, "The file is 1.1 MB; the limit is 1 MB. "),
    ],
)
def test_a_file_too_large_shows_both_sizes_rounded_up(size: int, limit: int, expected: str) -> None:
    data = b"%PDF-" + b"x" * (size - 5)
    text = messages(data, max_bytes=limit)["too_large"]
    parts = -(-size // limit)
    assert text == expected + (
        f"Split it into at least {parts} numbered parts (Part 1 of {parts}, …) and file each part."
    )


def test_a_file_exactly_at_the_size_limit_is_accepted() -> None:
    pdf = pdf_factory.valid_pdf()
    assert check(pdf, max_bytes=len(pdf)) == []
    assert check(pdf, max_bytes=len(pdf) - 1) == ["too_large"]


def test_pages_exactly_at_the_limit_are_accepted() -> None:
    assert check(pdf_factory.valid_pdf(pages=3), max_pages=3) == []
    assert messages(pdf_factory.valid_pdf(pages=3), max_pages=2) == {
        "too_many_pages": "The PDF has 3 pages; the limit is 2. Split it into at least 2 "
        "numbered parts (Part 1 of 2, …) and file each part."
    }


def test_the_page_message_groups_thousands() -> None:
    def inspector(raw: bytes, max_pages: int) -> Inspection:
        assert max_pages == 2000
        return Inspection((PreflightCode.TOO_MANY_PAGES,), (), 4001)

    report = preflight_pdf(b"%PDF-1.7", max_bytes=MIB, max_pages=2000, inspect=inspector)
    assert report.page_count == 4001
    assert report.problems[0].message == (
        "The PDF has 4,001 pages; the limit is 2,000. Split it into at least 3 numbered "
        "parts (Part 1 of 3, …) and file each part."
    )


def test_too_many_pages_without_a_count_says_one_more_than_the_limit() -> None:
    def inspector(raw: bytes, max_pages: int) -> Inspection:
        return Inspection((PreflightCode.TOO_MANY_PAGES,), (), None)

    report = preflight_pdf(b"%PDF-1.7", max_bytes=MIB, max_pages=10, inspect=inspector)
    assert report.page_count is None
    assert report.problems[0].message.startswith("The PDF has 11 pages; the limit is 10. ")


def test_the_box_s_answers_become_the_filer_s_messages() -> None:
    def inspector(raw: bytes, max_pages: int) -> Inspection:
        return Inspection(
            (PreflightCode.TOO_COMPLEX, PreflightCode.EXTERNAL_ACTION, PreflightCode.PAGE_TREE),
            (Detail.SUBMIT_FORM, Detail.LINK_SCHEME, Detail.PAGE_COUNT),
            None,
        )

    report = preflight_pdf(b"%PDF-1.7", max_bytes=MIB, max_pages=10, inspect=inspector)
    assert not report.ok
    assert {p.code.value: p.message for p in report.problems} == {
        "too_complex": TOO_COMPLEX_MESSAGE,
        "external_action": "The PDF has a button that sends form data to another computer "
        "and a link to a network path, a local file or a script rather than a web page, "
        "which the court does not accept in a filed document. Print it to a new PDF (this "
        "removes buttons and links) and upload that copy.",
        "page_tree": "The PDF's list of pages is malformed (it claims more pages than the "
        "file could hold). " + PRINT_AGAIN,
    }
    assert TOO_COMPLEX_MESSAGE == (
        "This PDF is too complex to check; save it again as a plain PDF (Print to PDF) and "
        "upload that."
    )


# -- the page tree ---------------------------------------------------------------------------


def test_a_page_32_levels_down_is_accepted_and_33_is_refused() -> None:
    # 31 nested page-tree nodes put the page at level 32; 32 nodes put it at 33.
    assert check(pdf_factory.deep_page_tree_pdf(31)) == []
    assert messages(pdf_factory.deep_page_tree_pdf(32)) == {
        "page_tree": "The PDF's list of pages is malformed (its pages are nested more than "
        "32 levels deep). " + PRINT_AGAIN
    }


def _counted(count: int, fillers: int = 1000) -> bytes:
    """A one-page tree claiming ``count`` pages (a fixed-width number), with ``fillers``
    empty objects so that MuPDF's own check (no more pages than objects) lets it pass."""
    objects = {1: CATALOG, 2: b"<</Type/Pages/Kids[3 0 R]/Count %07d>>" % count, 3: PAGE}
    objects.update({number: b"null" for number in range(4, 4 + fillers)})
    return pdf_factory.raw_pdf(objects)


def test_a_file_may_claim_one_page_per_40_bytes_and_no_more() -> None:
    most = len(_counted(1)) // 40 + 1
    at_most = inspect_pdf(_counted(most), 10**6)
    assert at_most.codes == () and at_most.page_count == most
    beyond = inspect_pdf(_counted(most + 1), 10**6)
    assert beyond.codes == (PreflightCode.PAGE_TREE,)
    assert beyond.details == (Detail.PAGE_COUNT,)


def test_a_loop_through_an_indirect_kids_array_is_found() -> None:
    pdf = pdf_factory.raw_pdf(
        {
            1: CATALOG,
            2: b"<</Type/Pages/Kids 5 0 R/Count 2>>",
            3: PAGE,
            4: b"<</Type/Pages/Parent 2 0 R/Kids[2 0 R]/Count 1>>",
            5: b"[3 0 R 4 0 R]",
        }
    )
    assert messages(pdf) == {
        "page_tree": "The PDF's list of pages is malformed (a page or a group of pages is "
        "listed inside itself or twice). " + PRINT_AGAIN
    }


def test_a_page_listed_twice_is_a_fault() -> None:
    pdf = pdf_factory.raw_pdf(
        {1: CATALOG, 2: b"<</Type/Pages/Kids[3 0 R 3 0 R]/Count 2>>", 3: PAGE}
    )
    assert inspect_pdf(pdf, 10).details == (Detail.PAGE_LOOP,)


def test_an_ordinary_tree_of_several_levels_passes() -> None:
    pdf = pdf_factory.raw_pdf(
        {
            1: CATALOG,
            2: b"<</Type/Pages/Kids[4 0 R 5 0 R]/Count 3>>",
            3: b"<</Type/Page/Parent 4 0 R/MediaBox[0 0 612 792]>>",
            4: b"<</Type/Pages/Parent 2 0 R/Kids 7 0 R/Count 2>>",
            5: b"<</Type/Pages/Parent 2 0 R/Kids[8 0 R]/Count 1>>",
            6: b"<</Type/Page/Parent 4 0 R/MediaBox[0 0 612 792]>>",
            7: b"[3 0 R 6 0 R]",
            8: b"<</Type/Page/Parent 5 0 R/MediaBox[0 0 612 792]>>",
        }
    )
    assert inspect_pdf(pdf, 10) == Inspection((), (), 3)


# -- inflation -------------------------------------------------------------------------------


def test_a_stream_may_inflate_to_16_mib_whatever_its_ratio() -> None:
    assert check(with_streams(stream(flate(16 * MIB)))) == []
    assert check(with_streams(stream(flate(16 * MIB + 1)))) == ["inflation"]


def test_beyond_16_mib_a_stream_may_inflate_400_times_its_stored_size() -> None:
    stored = 45_000  # 400 times: 18,000,000 bytes, beyond the 16 MiB floor
    assert check(with_streams(stream(stored_as(400 * stored, stored)))) == []
    assert check(with_streams(stream(stored_as(400 * stored + 1, stored)))) == ["inflation"]


@pytest.mark.parametrize(
    "filters",
    [
        b"/Filter/FlateDecode",
        b"/Filter/Fl",
        b"/Filter[/AHx/Fl]",
        b"/Filter[/ASCIIHexDecode/FlateDecode]",
        b"/Filter[/A85/Fl]",
        b"/Filter[/ASCII85Decode/FlateDecode]",
        b"/Filter 9 0 R",
    ],
)
def test_a_bomb_is_found_behind_any_text_filter(filters: bytes) -> None:
    data = flate(20 * MIB)
    if b"AHx" in filters or b"ASCIIHex" in filters:
        data = data.hex().encode() + b">"
    elif b"85" in filters:
        data = zlib_a85(data)
    pdf = pdf_factory.raw_pdf(
        {
            1: CATALOG,
            2: ONE_PAGE_TREE,
            3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>",
            4: stream(data, filters),
            9: b"[/FlateDecode]",
        }
    )
    assert check(pdf) == ["inflation"]


def zlib_a85(data: bytes) -> bytes:
    import base64

    return base64.a85encode(data, adobe=False) + b"~>"


def test_no_stream_may_inflate_beyond_256_mib_whatever_its_stored_size() -> None:
    # 700,000 stored bytes allow 400 times that, 280 MB: the 256 MiB cap still applies.
    bomb = stored_as(256 * MIB + 1, 700_000)
    assert check(with_streams(stream(bomb))) == ["inflation"]


def test_a_bomb_is_inflated_a_mib_at_a_time_never_whole() -> None:
    # The server checks uploads in its own memory budget: a 20 MiB bomb must not be
    # inflated into one 20 MiB buffer on its way to being refused.
    pdf = with_streams(stream(flate(20 * MIB)))
    tracemalloc.start()
    try:
        assert check(pdf) == ["inflation"]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MIB


def test_a_twice_deflated_bomb_is_counted_at_each_stage() -> None:
    twice = zlib.compress(flate(20 * MIB), 9)
    assert check(with_streams(stream(twice, b"/Filter[/Fl/Fl]"))) == ["inflation"]
    once = zlib.compress(flate(MIB), 9)
    assert check(with_streams(stream(once, b"/Filter[/Fl/Fl]"))) == []


def padded_deflate(padding: int, length: int) -> bytes:
    """A zlib stream of ``length`` zero bytes whose deflate data starts with ``padding``
    bytes of empty stored blocks (5 bytes each, inflating to nothing)."""
    empty_block = b"\x00\x00\x00\xff\xff"  # not final, stored, LEN 0, NLEN 0xFFFF
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, byte-aligned start
    piece = b"\0" * MIB
    body = [packer.compress(piece) for _ in range(length // MIB)]
    body += [packer.compress(b"\0" * (length % MIB)), packer.flush()]
    checksum = 1
    for _ in range(length // MIB):
        checksum = zlib.adler32(piece, checksum)
    checksum = zlib.adler32(b"\0" * (length % MIB), checksum)
    blocks = empty_block * -(-padding // len(empty_block))
    return b"\x78\x9c" + blocks + b"".join(body) + checksum.to_bytes(4, "big")


def test_a_twice_deflated_bomb_is_counted_past_the_first_mib_of_its_first_stage() -> None:
    # The outer stage inflates to 1.5 MiB of empty blocks, then a 17 MiB bomb: its second
    # stage must read every 1 MiB piece the first hands it, not stop after the first.
    inner = padded_deflate(MIB + MIB // 2, 17 * MIB)
    assert zlib.decompress(inner) == b"\0" * (17 * MIB)
    twice = zlib.compress(inner, 9)
    assert len(twice) * 400 < 16 * MIB  # the 16 MiB floor is the cap, not the ratio
    assert check(with_streams(stream(twice, b"/Filter[/Fl/Fl]"))) == ["inflation"]
    small = zlib.compress(padded_deflate(MIB + MIB // 2, 15 * MIB), 9)
    assert check(with_streams(stream(small, b"/Filter[/Fl/Fl]"))) == []


def test_a_text_filter_after_the_flate_stage_is_not_decoded() -> None:
    # The zeros are inflated by Flate and then "hex-decoded": a reader would fail there,
    # the inflation still counts the 20 MiB.
    assert check(with_streams(stream(flate(20 * MIB), b"/Filter[/Fl/AHx]"))) == ["inflation"]


def test_an_image_codec_stream_is_not_inflated() -> None:
    data = flate(20 * MIB)
    assert check(with_streams(stream(data, b"/Filter[/DCTDecode/FlateDecode]"))) == []


def test_broken_flate_data_is_left_to_the_pdf_reader() -> None:
    data = bytes(random.Random(7).randbytes(4096))
    assert "inflation" not in check(with_streams(stream(data)))
    hexed = stream(b"zz not hex >", b"/Filter[/AHx/Fl]")
    assert "inflation" not in check(with_streams(hexed))


# -- XFA scripts -----------------------------------------------------------------------------


def xfa_pdf(xfa: bytes, *extra: tuple[int, bytes]) -> bytes:
    objects = {
        1: b"<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[]/XFA " + xfa + b">>>>",
        2: ONE_PAGE_TREE,
        3: PAGE,
    }
    objects.update(dict(extra))
    return pdf_factory.raw_pdf(objects)


TEMPLATE = b'<template><subform><event><script contentType="application/x-javascript">'


@pytest.mark.parametrize("element", [b"<script>", b"<SCRIPT contentType='x'>", b"<xfa:script>"])
def test_an_xfa_script_element_in_any_spelling_is_refused(element: bytes) -> None:
    template = stream(zlib.compress(b"<template>" + element + b"1+1</template>"))
    assert check(xfa_pdf(b"[(template)4 0 R]", (4, template))) == ["javascript"]


def test_an_xfa_template_without_scripts_passes() -> None:
    template = stream(zlib.compress(b"<template><subform name='f'/></template>"))
    assert check(xfa_pdf(b"[(template)4 0 R]", (4, template))) == []


def test_a_script_split_across_two_inflated_pieces_is_found() -> None:
    # Inflated text arrives in 1 MiB pieces; "<script" straddles the first boundary.
    text = b" " * (MIB - 3) + TEMPLATE + b"1</script></event></subform></template>"
    template = stream(zlib.compress(text))
    assert check(xfa_pdf(b"[(template)4 0 R]", (4, template))) == ["javascript"]


def test_an_xfa_script_after_a_packet_that_is_no_stream_is_found() -> None:
    template = stream(zlib.compress(TEMPLATE + b"1</script>"))
    pdf = xfa_pdf(b"[(preamble)5 0 R(template)4 0 R]", (4, template), (5, b"<</Note 1>>"))
    assert check(pdf) == ["javascript"]


def test_an_indirect_xfa_array_and_a_single_xfa_stream_are_read() -> None:
    template = stream(zlib.compress(TEMPLATE + b"1</script>"))
    indirect = xfa_pdf(b"6 0 R", (4, template), (6, b"[(template)4 0 R]"))
    assert check(indirect) == ["javascript"]
    single = xfa_pdf(b"4 0 R", (4, template))
    assert check(single) == ["javascript"]


# -- links and remote targets ----------------------------------------------------------------


@pytest.mark.parametrize(
    "uri",
    [
        b"(\\152avascript:alert\\(1\\))",  # an octal escape for the j
        b"(java\\tscript:alert(1))",  # a tab a reader skips
        b"<FEFF00660069006C0065003A002F002F0078>",  # "file://x" in UTF-16
        b"<6A617661736372697074 3A61>",  # hex with spaces
        b"<736D623A2F2F68>",  # "smb://h"
        b"(//server/share/a.pdf)",
        b"(ftp://files.example/a.pdf)",
        b"(\\\\\\\\server\\\\share)",
        b"(\\\\)",  # a lone backslash: the root of the reader's drive
        # Control characters, which a reader skips, before a network path: MuPDF keeps
        # them as octal escapes (a printable one it writes as itself) or escape letters.
        b"(\\001//server/share)",
        b"(\\001\\001//server/share)",
        b"(\\037//server/share)",
        b"(\\n//server/share)",
        b"( //server/share)",
        b"<FEFF002F002F007300>",  # "//s" in UTF-16 and a stray byte
        b"(javascript:)",  # the scheme alone, its colon the string's last character
    ],
)
def test_a_link_leaving_the_web_is_refused_however_it_is_spelled(uri: bytes) -> None:
    pdf = pdf_factory.link_pdf(b"<</S/URI/URI" + uri + b">>")
    assert messages(pdf) == {
        "external_action": "The PDF has a link to a network path, a local file or a script "
        "rather than a web page, which the court does not accept in a filed document. Print "
        "it to a new PDF (this removes buttons and links) and upload that copy."
    }


@pytest.mark.parametrize(
    "uri",
    [
        b"(HTTPS://WWW.JUSTICE.GOV/EOIR)",
        b"( https://www.justice.gov/eoir)",
        b"(exhibits/b.pdf)",
        b"(#page=2)",
        b"<FEFF0068007400740070003A002F002F0078>",  # "http://x" in UTF-16
        b"<6874747073 3A2F2F782E6578616D706C65>",  # "https://x.example"
        b"(https://x.example/a\\)b)",
        b"(mailto:clerk@court.example)",
        b"(\\377//server/share)",  # y-umlaut first: a relative path, not a network one
    ],
)
def test_a_web_link_is_accepted_however_it_is_spelled(uri: bytes) -> None:
    assert check(pdf_factory.link_pdf(b"<</S/URI/URI" + uri + b">>")) == []


@pytest.mark.parametrize(
    ("action", "refused"),
    [
        (b"<</S/ImportData/F(/etc/answers.fdf)>>", True),
        (b"<</S/GoToR/F(C:/exhibits/a.pdf)>>", True),
        (b"<</S/GoToR/F(smb\\\n://host/a.pdf)>>", True),  # a line continued inside
        (b"<</S/GoToR/UF(\\\\\\\\host\\\\a.pdf)>>", True),
        (b"<</S/GoToR/F(ftp://host/a.pdf)>>", True),
        (b"<</S/GoToR/F<2F6574632F61>>>", True),  # "/etc/a" in hex
        (b"<</S/GoToR/F(https://x.example/a.pdf)>>", False),
        (b"<</S/GoToR/F(HTTP://x.example/a.pdf)>>", False),
        (b"<</S/GoToR/F()>>", False),
        (b"<</S/GoToR/F(  )>>", False),
        (b"<</S/GoTo/D[0/Fit]/F(/etc/a.pdf)>>", False),  # not a remote action
    ],
)
def test_a_remote_target_outside_the_document_s_folder_is_refused(
    action: bytes, refused: bool
) -> None:
    expected = (
        {
            "external_action": "The PDF has a link that opens a file outside the document (a "
            "network or local path), which the court does not accept in a filed document. "
            "Print it to a new PDF (this removes buttons and links) and upload that copy."
        }
        if refused
        else {}
    )
    assert messages(pdf_factory.link_pdf(action)) == expected


def test_a_form_that_submits_and_a_remote_link_are_named_together() -> None:
    pdf = pdf_factory.raw_pdf(
        {
            1: CATALOG,
            2: ONE_PAGE_TREE,
            3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Annots[4 0 R 5 0 R]>>",
            4: b"<</Type/Annot/Subtype/Link/Rect[0 0 9 9]/A<</S/SubmitForm/F(https://x)>>>>",
            5: b"<</Type/Annot/Subtype/Link/Rect[0 0 9 9]/A<</S/GoToR/F(/etc/a.pdf)>>>>",
        }
    )
    assert messages(pdf)["external_action"].startswith(
        "The PDF has a button that sends form data to another computer and a link that opens "
        "a file outside the document (a network or local path), which"
    )


@pytest.mark.parametrize(
    "spec",
    [
        b"<</Type/Annot/Subtype/FileAttachment/Rect[0 0 9 9]>>",
        b"<</Type/EmbeddedFile/Length 0>>stream\n\nendstream",
        b"<</Type/Filespec/F(a.txt)/EF<</F 9 0 R>>>>",
        b"<</Type/Filespec/F(a.txt)/EF 9 0 R>>",
        b"<</S/GoToE/T<</R/C/N(a.pdf)>>>>",
    ],
)
def test_any_way_of_carrying_a_file_counts_as_an_attachment(spec: bytes) -> None:
    pdf = pdf_factory.raw_pdf({1: CATALOG, 2: ONE_PAGE_TREE, 3: PAGE, 4: spec, 9: b"<<>>"})
    assert check(pdf) == ["embedded_files"]


@pytest.mark.parametrize(
    "action",
    [b"<</S /JavaScript/JS(1)>>", b"<</JS 9 0 R>>", b"<</Names[(a)9 0 R]/JavaScript 9 0 R>>"],
)
def test_a_script_in_any_dictionary_is_refused(action: bytes) -> None:
    pdf = pdf_factory.raw_pdf({1: CATALOG, 2: ONE_PAGE_TREE, 3: PAGE, 4: action, 9: b"(1)"})
    assert check(pdf) == ["javascript"]


def test_a_launch_action_with_a_space_is_refused() -> None:
    pdf = pdf_factory.raw_pdf(
        {1: CATALOG, 2: ONE_PAGE_TREE, 3: PAGE, 4: b"<</S /Launch/F(calc.exe)>>"}
    )
    assert check(pdf) == ["launch_action"]


# -- a parse beyond memory -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "out_of_memory"),
    [
        (MemoryError(), True),
        (RuntimeError("code=2: malloc (16 bytes) failed"), True),  # MuPDF in the box
        (RuntimeError("Out of memory in pdf_load_object"), True),
        (RuntimeError("code=7: Invalid number of pages"), False),
        (ValueError("bad xref"), False),
    ],
)
def test_only_a_failed_allocation_means_too_complex(error: Exception, out_of_memory: bool) -> None:
    """How an exception of a parse is read: running out of the box's memory is the file's
    complexity (``too_complex``), anything else its damage. The MuPDF message is the one
    a parse of ``pdf_factory.object_stream_bomb`` under a 200 MB address-space limit
    raises."""
    assert _out_of_memory(error) is out_of_memory


# -- the inspection's wire form --------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        '["codes", "details", "page_count"]',
        '{"codes": "javascript", "details": [], "page_count": 1}',
        '{"codes": [], "details": "cut_short", "page_count": 1}',
        '{"codes": [], "details": {}, "page_count": 1}',
        '{"codes": {}, "details": [], "page_count": 1}',
        '{"codes": [], "details": 7, "page_count": 1}',
        '{"codes": [1], "details": [], "page_count": 1}',
        '{"codes": ["damaged"], "details": [2], "page_count": 1}',
        '{"codes": ["damaged"], "details": ["cut_short", "cut_short"], "page_count": 1}',
        '{"codes": [], "details": [], "page_count": 1000000001}',
        '{"codes": [], "details": [], "page_count": "3"}',
        '{"codes": [], "details": [], "page_count": 2.5}',
    ],
)
def test_a_malformed_answer_is_not_an_inspection(answer: str) -> None:
    with pytest.raises(ValueError):
        Inspection.from_json(answer)


def test_an_answer_nested_too_deep_is_not_an_inspection() -> None:
    # A checker's answer may be up to 64 KiB: as thousands of open brackets, Python's JSON
    # reader runs out of recursion, and the box must still read it as "not ours".
    with pytest.raises(ValueError):
        Inspection.from_json("[" * 60_000)
    with pytest.raises(ValueError):
        Inspection.from_json(b'{"codes": ' + b"[" * 60_000)


@pytest.mark.parametrize("pages", [None, 0, 1_000_000_000])
def test_an_answer_at_the_edges_is_read(pages: int | None) -> None:
    text = (
        '{"codes": ["page_tree", "damaged"], "details": ["page_loop", "repaired"], '
        f'"page_count": {"null" if pages is None else pages}}}'
    )
    assert Inspection.from_json(text) == Inspection(
        (PreflightCode.PAGE_TREE, PreflightCode.DAMAGED),
        (Detail.PAGE_LOOP, Detail.REPAIRED),
        pages,
    )
    assert Inspection.from_json(text.encode()).page_count == pages


def test_an_inspection_written_is_the_one_read() -> None:
    inspection = Inspection(
        (PreflightCode.EXTERNAL_ACTION, PreflightCode.JAVASCRIPT), (Detail.SUBMIT_FORM,), 7
    )
    assert inspection.to_json() == (
        '{"codes": ["external_action", "javascript"], "details": ["submit_form"], "page_count": 7}'
    )
    assert Inspection.too_complex() == Inspection((PreflightCode.TOO_COMPLEX,), (), None)


# -- edges the PDF library keeps out of reach: budgets and failures simulated ----------------


def test_the_file_s_streams_may_inflate_to_the_file_budget_together_and_not_a_byte_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The 1 GiB file budget, brought down so that three 1 MiB Flate streams reach it
    (at 1 GiB the edge takes four 256 MiB streams, tens of seconds): what the streams
    inflate to together may reach the budget exactly, not a byte more. The last stream is
    refused for what the first two used; the cross-reference stream after them is no
    Flate stream and is not capped."""
    pdf = with_streams(stream(flate(MIB)), stream(flate(MIB)), stream(flate(MIB)))
    monkeypatch.setattr(pdf_preflight, "MAX_TOTAL_INFLATED", 3 * MIB)
    assert check(pdf) == []
    monkeypatch.setattr(pdf_preflight, "MAX_TOTAL_INFLATED", 3 * MIB - 1)
    assert messages(pdf) == {"inflation": pdf_preflight._INFLATION}
    monkeypatch.setattr(pdf_preflight, "MAX_TOTAL_INFLATED", 2 * MIB)
    assert check(pdf) == ["inflation"]


class _RaisingMuPdf:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def open(self, **_: object) -> object:
        raise self.error


def test_a_file_the_pdf_library_runs_out_of_memory_opening_is_too_complex(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What the box's memory limit does to MuPDF, which no file does reliably in a test.
    monkeypatch.setattr(pdf_preflight, "_MUPDF", _RaisingMuPdf(MemoryError()))
    assert inspect_pdf(ONE_PAGE_PDF, 10) == Inspection((PreflightCode.TOO_COMPLEX,), (), None)
    monkeypatch.setattr(pdf_preflight, "_MUPDF", _RaisingMuPdf(RuntimeError("bad header")))
    assert inspect_pdf(ONE_PAGE_PDF, 10) == Inspection(
        (PreflightCode.DAMAGED,), (Detail.CANNOT_OPEN,), None
    )


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            RuntimeError("code=2: malloc (16 bytes) failed"),
            Inspection((PreflightCode.TOO_COMPLEX,), (), None),
        ),
        (
            RuntimeError("code=7: object out of range"),
            Inspection((PreflightCode.DAMAGED,), (Detail.UNREADABLE,), None),
        ),
    ],
)
def test_a_file_the_pdf_library_runs_out_of_memory_reading_is_too_complex(
    monkeypatch: pytest.MonkeyPatch, error: Exception, expected: Inspection
) -> None:
    def walk(doc: object) -> None:
        raise error

    monkeypatch.setattr(pdf_preflight, "_page_tree_fault", walk)
    assert inspect_pdf(ONE_PAGE_PDF, 10) == expected


class _EncryptedDocument:
    """A one-page document MuPDF calls encrypted, opened without a password, whose
    metadata names no encryption: the encryption flag alone must count."""

    is_repaired = False
    is_encrypted = True
    needs_pass = False
    metadata = None
    page_count = 1

    def pdf_catalog(self) -> int:
        return 1

    def xref_get_key(self, xref: int, key: str) -> tuple[str, str]:
        return ("null", "null")

    def embfile_count(self) -> int:
        return 0

    def xref_length(self) -> int:
        return 1

    def close(self) -> None:
        pass


def test_the_library_s_encryption_flag_alone_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    class MuPdf:
        def open(self, **_: object) -> object:
            return _EncryptedDocument()

    monkeypatch.setattr(pdf_preflight, "_MUPDF", MuPdf())
    assert inspect_pdf(ONE_PAGE_PDF, 10) == Inspection((PreflightCode.ENCRYPTED,), (), 1)


def test_two_page_tree_faults_are_both_named() -> None:
    def inspector(raw: bytes, max_pages: int) -> Inspection:
        return Inspection((PreflightCode.PAGE_TREE,), (Detail.PAGE_LOOP, Detail.PAGE_DEPTH), None)

    report = preflight_pdf(b"%PDF-1.7", max_bytes=MIB, max_pages=10, inspect=inspector)
    assert [p.message for p in report.problems] == [
        "The PDF's list of pages is malformed (a page or a group of pages is listed inside "
        "itself or twice; its pages are nested more than 32 levels deep). " + PRINT_AGAIN
    ]


@pytest.mark.parametrize(
    ("content", "fault"),
    [
        ('{"version": "1", "max_bytes": "25 MB", "max_pages": 2000}', "'max_bytes' must be int"),
        ('{"version": "1", "max_bytes": 1024}', "missing field 'max_pages'"),
    ],
)
def test_a_malformed_limits_file_is_named_in_the_error(
    tmp_path: Path, content: str, fault: str
) -> None:
    path = tmp_path / "intake_limits.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        load_intake_limits(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert fault in str(raised.value)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("[" * 60_000, "not an inspection"),
        ('["codes", "details", "page_count"]', "not an inspection"),
        ('{"codes": "javascript", "details": [], "page_count": 1}', "not an inspection"),
        ('{"codes": [1], "details": [], "page_count": 1}', "bad codes"),
        ('{"codes": ["damaged", "damaged"], "details": [], "page_count": 1}', "bad codes"),
        ('{"codes": ["damaged"], "details": [2], "page_count": 1}', "bad details"),
        ('{"codes": [], "details": ["cut_short"], "page_count": 1}', "a detail without its code"),
        ('{"codes": [], "details": [], "page_count": -1}', "bad page count"),
    ],
)
def test_a_malformed_answer_says_what_is_wrong_with_it(answer: str, reason: str) -> None:
    with pytest.raises(ValueError) as raised:
        Inspection.from_json(answer)
    assert str(raised.value) == reason


@pytest.mark.parametrize(
    ("token", "text"),
    [
        (b"(a\\\nb)", "ab"),  # a backslash before a line break continues the line
        (b"(a\\\rb)", "ab"),
        (b"(a\\)", "a\\"),  # a lone backslash at the end is kept
        (b"(x\\n)", "x\n"),
        (b"<6a 6B>", "jk"),  # hex digits in either case
        (b"<616>", "a`"),  # an odd last digit is followed by 0
    ],
)
def test_a_string_is_read_in_any_spelling_the_pdf_format_allows(token: bytes, text: str) -> None:
    """MuPDF re-writes strings before the scan sees them (continued lines joined, hex in
    upper case and even), so these spellings are read here directly: the scan must not
    depend on MuPDF's choice of spelling."""
    assert pdf_preflight._pdf_string(token) == text
