"""中文字体 — the CJK TrueType/OpenType font embedded (subset) in every PDF the platform produces.

Looked up at run time among Debian's packages (fonts-wqy-microhei, fonts-noto-cjk), or the file named by
``SANMIN_CJK_FONT``; without one no PDF is made, and the organiser is told what to install.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from fpdf import FPDF

from evaluation.errors import EvaluationError

CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # index 2: Simplified Chinese
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
)
FAMILY = "cjk"


class FontMissing(EvaluationError):
    code = "font_missing"
    template = "服务器没有安装中文字体，无法生成 PDF：请安装 fonts-wqy-microhei 或 fonts-noto-cjk"


@cache
def cjk_font() -> tuple[Path, int]:
    """(font file, index in the collection) of the first CJK font found."""
    if chosen := os.environ.get("SANMIN_CJK_FONT"):
        if Path(chosen).is_file():
            return Path(chosen), 0
        raise FontMissing(f"SANMIN_CJK_FONT 指向的文件 {chosen} 不存在")
    for path, index in CANDIDATES:
        if Path(path).is_file():
            return Path(path), index
    raise FontMissing()


def new_pdf(title: str) -> FPDF:
    """An A4 portrait document (mm) with the CJK font as its one font; page breaks are the caller's."""
    path, index = cjk_font()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("三民评议平台")
    pdf.add_font(FAMILY, "", str(path), collection_font_number=index)
    pdf.set_font(FAMILY, size=10)
    return pdf
