"""意见汇总表格 — a department's comment summary as Excel (.xlsx) and as CSV (UTF-8 with BOM).

Contents: the round, the department, its sitting, how many scored it, the counts per level, keywords,
themes, the anonymous comments with their level, and the signed suggestions (the only names). No venue,
no time finer than the sitting. Every comment is kept as text: in the workbook each cell is a string
cell (``=1+1`` is never a formula), and in the CSV a cell starting with = + - @ tab or CR gets a leading
single quote, so a spreadsheet opening it evaluates nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from projections.feedback import Feedback

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = ["部分", "项目", "内容", "数量", "答复"]


@dataclass(frozen=True)
class Summary:
    """A department's comment summary and the names it is shown under."""

    round_title: str
    department: str
    feedback: Feedback


def overview(s: Summary) -> list[tuple[str, str]]:
    return [
        ("评议活动", s.round_title),
        ("部门", s.department),
        ("场次", s.feedback.sitting),
        ("评议人数", str(s.feedback.returned)),
    ]


def neutral(value: Any) -> Any:
    """CSV cell: text that a spreadsheet would read as a formula is prefixed with a single quote."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def csv_rows(s: Summary) -> Iterator[list[Any]]:
    f = s.feedback
    yield CSV_HEADER
    yield from (["概况", item, value, "", ""] for item, value in overview(s))
    yield from (["等次票数", label, "", count, ""] for label, count in f.level_counts)
    yield from (["关键词", word, "", weight, ""] for word, weight in f.keywords)
    yield from (["意见主题", theme, "", count, ""] for theme, count in f.themes)
    yield from (["市民意见", c.level, c.text, "", ""] for c in f.comments)
    yield from (["留名建议", g.name, g.text, "", g.answer or ""] for g in f.suggestions)


def csv_bytes(s: Summary) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv_rows(s):
        writer.writerow([neutral(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def put_rows(sheet: Worksheet, rows: list[list[Any]]) -> None:
    """Strings stay strings (never formulas), with the characters Excel refuses removed."""
    for r, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            if isinstance(value, str):
                cell = sheet.cell(r, column, ILLEGAL_CHARACTERS_RE.sub("", value))
                cell.data_type = "s"
            else:
                sheet.cell(r, column, value)


def sheets(s: Summary) -> list[tuple[str, list[list[Any]], list[int]]]:
    """(sheet title, rows, column widths) of the workbook."""
    f = s.feedback
    first: list[list[Any]] = [[k, v] for k, v in overview(s)]
    first += [[], ["等次", "票数"], *([label, n] for label, n in f.level_counts)]
    first += [[], ["关键词", "权重"], *([w, x] for w, x in f.keywords)]
    first += [[], ["意见主题", "条数"], *([t, n] for t, n in f.themes)]
    comments: list[list[Any]] = [
        ["序号", "等次", "意见"],
        *([i, c.level, c.text] for i, c in enumerate(f.comments, 1)),
    ]
    signed = [["姓名", "建议", "答复"], *([g.name, g.text, g.answer or ""] for g in f.suggestions)]
    return [
        ("意见汇总", first, [16, 60]),
        ("市民意见", comments, [8, 12, 100]),
        ("留名建议", signed, [12, 80, 80]),
    ]


def xlsx_bytes(s: Summary) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    for title, rows, widths in sheets(s):
        sheet = book.create_sheet(title)
        put_rows(sheet, rows)
        for index, width in enumerate(widths):
            sheet.column_dimensions["ABC"[index]].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
