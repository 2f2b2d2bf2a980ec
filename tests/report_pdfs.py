"""Real small PDFs for the report tests, made with fpdf2 (already the platform's PDF writer), and files that
only look like one."""

from __future__ import annotations

import io

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter


def small_pdf(title: str = "Work report 2026", pages: int = 2) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=14)
    for page in range(pages):
        pdf.add_page()
        pdf.cell(text=f"{title} - page {page + 1}")
    return bytes(pdf.output())


def renamed_docx() -> bytes:
    """A .docx is a zip: what a renamed Word file starts with."""
    return b"PK\x03\x04\x14\x00\x06\x00" + b"word/document.xml" + bytes(500)


def truncated_pdf() -> bytes:
    whole = small_pdf()
    return whole[: len(whole) // 2]


def forged_header() -> bytes:
    """The PDF header followed by garbage, and even an end marker."""
    return b"%PDF-1.7\n" + b"\x8f garbage " * 400 + b"\n%%EOF\n"


def pdf_of_size(size: int) -> bytes:
    """A real PDF of exactly ``size`` bytes: a small one with an embedded file that fills it up."""

    def build(payload: int) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(small_pdf())))
        writer.add_attachment("padding.bin", bytes(payload))
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    first = build(size - 10_000)
    made = build(size - 10_000 + size - len(first))
    assert len(made) == size
    return made
