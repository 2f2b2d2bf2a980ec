"""Excel 压缩炸弹 — the attack: an organiser's upload (or whoever has the organiser's page) sends a roster
.xlsx of a few hundred kilobytes whose sheet unpacks to over 100 MB, to tie up the web process that also
takes ballots. The workbook's zip directory is read first: the file is refused at once, in Chinese, without
the sheet ever being unpacked."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

from evaluation.workbook_limits import MAX_ENTRIES, workbook_problem
from tests.web.conftest import Web
from tests.web.test_bad_input_imports import recorded, signed_in_organiser, upload, xlsx

SHEET = "xl/worksheets/sheet1.xml"
ROW = b'<row><c t="inlineStr"><is><t>\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e</t></is></c></row>'


def workbook_bomb(unpacked_mb: int = 110) -> bytes:
    """A real workbook (openpyxl's), its first sheet replaced by one of ``unpacked_mb`` MB of rows."""
    made = zipfile.ZipFile(
        io.BytesIO(xlsx([["姓名", "类别", "会场", "场次"], ["王小明", "npc", "main", "s1"]]))
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for entry in made.infolist():
            if entry.filename != SHEET:
                bomb.writestr(entry, made.read(entry))
        with bomb.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/')
            sheet.write(b'spreadsheetml/2006/main"><sheetData>')
            chunk = ROW * (1024 * 1024 // len(ROW))
            for _ in range(unpacked_mb):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_an_xlsx_bomb_is_refused_at_once_without_unpacking_it(web: Web) -> None:
    bomb = workbook_bomb()
    unpacked = sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(bomb)).infolist())
    assert len(bomb) < 1024 * 1024 and unpacked > 100 * 1024 * 1024  # a bomb indeed
    csrf = signed_in_organiser(web)
    before = recorded(web)

    tracemalloc.start()
    started = time.perf_counter()
    try:
        answer = upload(web, csrf, "名单.xlsx", bomb)
        took = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert took < 3, f"refused in {took:.1f} s"  # parsing it took 90 s
    assert peak < 30 * 1024 * 1024, f"the upload's handling peaked at {peak / 2**20:.0f} MB"
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "解压后有" in answer.text and "不像名单文件，未读取" in answer.text  # type: ignore[attr-defined]
    assert recorded(web) == before


def test_a_workbook_of_too_many_parts_is_refused_before_it_is_parsed() -> None:
    made = zipfile.ZipFile(io.BytesIO(xlsx([["姓名", "类别", "会场", "场次"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as many:
        for entry in made.infolist():
            many.writestr(entry, made.read(entry))
        for n in range(MAX_ENTRIES):
            many.writestr(f"xl/media/part{n}.xml", b"<x/>")
    assert "个部件，超过 200 个" in (workbook_problem(out.getvalue()) or "")
    assert workbook_problem(xlsx([["姓名", "类别", "会场", "场次"]])) is None
