"""Excel 压缩炸弹 — an .xlsx is a zip, and a few hundred kilobytes of it can unpack to gigabytes of sheet XML
that would hold the parser's memory and CPU for minutes. Before openpyxl opens one, its zip directory is
read and refused if it unpacks to more than a roster can need. The sizes it declares are what Python's
zipfile will ever unpack (an entry longer than declared fails its check), so they bound openpyxl's reading."""

from __future__ import annotations

import io
import zipfile

MAX_ENTRIES = 200
"""Excel writes about a dozen parts; a hundred sheets with their relations stay under this."""
MAX_UNPACKED = 64 * 1024 * 1024
"""A 20,000-row roster's sheet and shared strings unpack to about 6 MB."""


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
