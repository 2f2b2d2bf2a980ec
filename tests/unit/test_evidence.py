"""证明材料的检查：扩展名须是 PDF、PNG 或 JPG，内容的开头与之相符，不超过 10 MB；图片须真能读出（不只是文件头）。"""

from __future__ import annotations

import io
import zlib

import pytest
from PIL import Image

from evaluation.errors import InvalidInput
from evaluation.evidence import EVIDENCE_LIMIT, claimed_type, file_name
from storage.image_check import readable_image
from tests.report_pdfs import small_pdf


def photo(kind: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, kind)
    return out.getvalue()


def test_a_pdf_and_photos_are_taken_by_what_their_name_and_first_bytes_say() -> None:
    assert claimed_type("整改报告.pdf", small_pdf()) == "application/pdf"
    assert claimed_type("现场.PNG", photo()) == "image/png"
    assert claimed_type("现场.jpeg", photo("JPEG")) == claimed_type("现场.jpg", photo("JPEG")) == "image/jpeg"
    assert file_name("C:\\Users\\科员\\现场.jpg") == "现场.jpg"


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("整改.docx", b"PK\x03\x04", "须是 PDF、PNG 或 JPG"),
        ("没有扩展名", b"%PDF-1.4", "须是 PDF、PNG 或 JPG"),
        ("改名的照片.pdf", photo(), "内容与扩展名不符"),
        ("改名的文档.png", small_pdf(), "内容与扩展名不符"),
        ("空的.pdf", b"", "空文件"),
        ("", b"%PDF-1.4", "须有文件名"),
        ("太大.pdf", b"%PDF-" + b"0" * EVIDENCE_LIMIT, "不能超过 10 MB"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_in_plain_chinese(
    name: str, content: bytes, said: str
) -> None:
    with pytest.raises(InvalidInput, match=said):
        claimed_type(name, content)


def test_an_image_must_decode_as_its_type_not_only_start_like_one() -> None:
    assert readable_image(photo(), "image/png") and readable_image(photo("JPEG"), "image/jpeg")
    assert not readable_image(photo()[:60], "image/png"), "truncated"
    assert not readable_image(b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "image/png"), "a forged header"
    assert not readable_image(photo("JPEG"), "image/png"), "a JPEG named .png"
    assert not readable_image(photo(), "image/gif")


def test_an_image_of_absurd_size_is_refused_before_its_pixels_are_decoded() -> None:
    # a 1×1 PNG whose header (checksum fixed) says 8,000 × 8,000 (64 megapixels): refused by its header alone
    forged = bytearray(photo("PNG", (1, 1)))
    forged[16:24] = (8_000).to_bytes(4, "big") * 2
    forged[29:33] = zlib.crc32(bytes(forged[12:29])).to_bytes(4, "big")
    with Image.open(io.BytesIO(bytes(forged))) as opened:
        assert opened.size == (8_000, 8_000)
    assert not readable_image(bytes(forged), "image/png")
