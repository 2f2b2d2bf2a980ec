"""公示文件的标题 — a city's full title stays on one line of notice.pdf: at 20 points 「2026年度“向市民报告、
听市民意见、请市民评议”活动」 broke inside a word (「…评 / 议”活动」), seen by the sitting-day tester."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from projections.public_notice import Notice
from web.public.notice_pdf import notice_pdf

TITLE = "2026年度“向市民报告、听市民意见、请市民评议”活动"


def test_a_long_title_is_printed_whole_on_one_line(tmp_path: Path) -> None:
    notice = Notice("r2026", TITLE, date(2026, 12, 1), date(2026, 12, 7), (("现场评议", "100"),), (), "")
    path = tmp_path / "notice.pdf"
    path.write_bytes(notice_pdf(notice, "公钥", "https://sanmin.example.gov.cn"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    lines = [line.strip() for line in text.stdout.splitlines()]
    assert TITLE in lines, lines[:4]
