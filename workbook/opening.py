"""Opening an uploaded workbook safely: its size, its kind and its zip are checked before openpyxl reads it.

An .xlsx file is a zip of XML files. A small file can unpack to gigabytes (a "zip bomb"), so the zip's own
directory (the sizes each entry declares, which the zip reader then holds it to) is checked first; openpyxl
then reads in read-only mode, a row at a time. Every cell comes back as text, as the roster import reads it.
"""

from __future__ import annotations

import io
import zipfile

from evaluation.roster import _cell_text
from evaluation.workbook_limits import UNREADABLE, opened_workbook

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
MAX_ENTRIES = 1_000
MAX_ROWS = 200_000
"""Rows read from any one sheet (the roster import's own limit)."""

Rows = list[tuple[int, list[str]]]
"""A sheet's non-empty rows: (row number as Excel shows it, each cell's text)."""


class Unreadable(Exception):
    """The file cannot be read as a workbook at all; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_sheets(data: bytes) -> dict[str, Rows]:
    """Every worksheet's non-empty rows by sheet name, in the workbook's order."""
    if len(data) > MAX_BYTES:
        raise Unreadable(
            f"文件有 {len(data) / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限"
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable("这是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 后再上传")
    if not data.startswith(b"PK\x03\x04"):
        raise Unreadable("这不是 Excel（.xlsx）文件：请上传从本平台下载或在 Excel 中保存的 .xlsx 工作簿")
    _check_zip(data)
    if (book := opened_workbook(data)) is None:
        raise Unreadable(UNREADABLE)
    try:
        return {sheet.title: _rows(sheet) for sheet in book.worksheets}
    except Unreadable:
        raise
    except Exception:
        raise Unreadable("Excel 文件内容已损坏，无法读取") from None
    finally:
        book.close()


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Unreadable("无法读取这个 Excel 文件：文件可能已损坏") from None
    if len(entries) > MAX_ENTRIES:
        raise Unreadable(f"这个 Excel 文件含有 {len(entries)} 个部件，不像是工作簿，未读取")
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED:
        raise Unreadable(f"这个 Excel 文件解压后超过 {MAX_UNPACKED // 1024 // 1024} MB，不像是工作簿，未读取")
    if not any(entry.filename == "xl/workbook.xml" for entry in entries):
        raise Unreadable("这个压缩文件不是 Excel 工作簿：请上传 .xlsx 文件")


def _rows(sheet: object) -> Rows:
    sheet.reset_dimensions()  # type: ignore[attr-defined]  # some writers record a wrong size
    rows: Rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):  # type: ignore[attr-defined]
        cells = [_cell_text(value) for value in values]
        if any(cells):
            if len(rows) == MAX_ROWS:
                raise Unreadable(f"工作表「{sheet.title}」超过 {MAX_ROWS:,} 行的上限")  # type: ignore[attr-defined]
            rows.append((number, cells))
    return rows
