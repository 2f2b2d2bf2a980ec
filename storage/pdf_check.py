"""PDF 校验 — whether uploaded bytes really are a PDF: the header, and pypdf reading its cross-reference
table, its page tree and its first page. A renamed .docx, a truncated download or bytes after a forged
``%PDF-`` header do not parse. Nothing is decompressed (a page's content streams are not read), so a small
file cannot make the check expand megabytes."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a lenient read's warnings are not the operator's concern


def readable_pdf(content: bytes) -> bool:
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        return False
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if len(reader.pages) < 1:
            return False
        _ = reader.pages[0].mediabox
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        return False
    return True
