"""Excel 压缩炸弹 — an .xlsx is a zip, and a few hundred kilobytes of it can unpack to gigabytes of sheet XML
that would hold the parser's memory and CPU for minutes. Before openpyxl opens one, its zip directory is
read and refused if it unpacks to more than a roster can need. The sizes it declares are what Python's
zipfile will ever unpack (an entry longer than declared fails its check), so they bound openpyxl's reading.
Then ``opened_workbook`` opens it, the one way a roster, a score file and a round's workbook are opened."""

from __future__ import annotations

import io
import warnings
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

MAX_ENTRIES = 200
"""Excel writes about a dozen parts; a hundred sheets with their relations stay under this."""
MAX_UNPACKED = 64 * 1024 * 1024
"""A 20,000-row roster's sheet and shared strings unpack to about 6 MB."""
UNREADABLE = "无法读取这个 Excel 文件：文件可能已损坏，或不是 .xlsx 格式"


def workbook_problem(data: bytes) -> str | None:
    """Why this workbook is refused before it is parsed, in words for the organiser; None if it may be."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None  # not readable as a zip: openpyxl's own refusal says the file is damaged
    if len(entries) > MAX_ENTRIES:
        return f"Excel 文件内部包含 {len(entries)} 个部件，超过 {MAX_ENTRIES} 个，不像名单文件，未读取"
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED:
        return (
            f"Excel 文件解压后有 {unpacked // (1024 * 1024)} MB，超过 {MAX_UNPACKED // (1024 * 1024)} MB 的上限，"
            "不像名单文件，未读取：请删去多余的工作表和内容后另存再上传"
        )
    return None


def opened_workbook(data: bytes) -> Workbook | None:
    """The workbook read-only, with cell values (not formulas); None when openpyxl cannot read it."""
    # imported here: a CSV's parse, in a fresh child process each (storage/confined.py), spares ~90 ms of it
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops (data validation, ...)
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a damaged or foreign zip
        return None
