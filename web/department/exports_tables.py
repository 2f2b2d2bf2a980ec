"""意见汇总表格 — a department's comment summary as Excel (.xlsx) and as CSV (UTF-8 with BOM).

Contents: the round, the department, its sitting, how many scored it, its published result as the page shows it
(``web.department.result_lines``: rank in its group of N, score, satisfaction rate, valid votes — each number
only where the k = 5 rule lets it be shown — and the sentence on category weighting), the counts per level,
keywords with their weights, themes of merged comments with their counts, each merged group's representative
sentence, count and levels (only for a group of at least 5: ``projections.comment_groups``), and the signed
suggestions (the only names). No venue, no time finer than the sitting. Every comment is kept as text: in the workbook each cell is a string
cell (``=1+1`` is never a formula), and in the CSV a cell starting with = + - @ tab or CR gets a leading
single quote, so a spreadsheet opening it evaluates nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from projections.comment_groups import CommentGroup
from projections.feedback import Feedback

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = ["部分", "项目", "内容", "数量", "等次分布", "权重", "答复"]


@dataclass(frozen=True)
class Summary:
    """A department's comment summary and the names it is shown under, with its result's lines and the
    weighting sentence (both as its page shows them)."""

    round_title: str
    department: str
    feedback: Feedback
    result: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""


def overview(s: Summary) -> list[tuple[str, str]]:
    return [
        ("评议活动", s.round_title),
        ("部门", s.department),
        ("场次", s.feedback.sitting),
        ("评议人数", str(s.feedback.returned)),
    ]


def levels(group: CommentGroup) -> str:
    """「满意 3、不满意 1」; empty for a group of fewer than 5 (it has no levels)."""
    return "、".join(f"{label} {n}" for label, n in group.levels)


def neutral(value: Any) -> Any:
    """CSV cell: text that a spreadsheet would read as a formula is prefixed with a single quote."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def result_rows(s: Summary) -> list[list[str]]:
    """(item, value) of the result, and the weighting sentence as a 说明 line."""
    return [[item, value] for item, value in s.result] + ([["说明", s.note]] if s.note else [])


def _row(part: str, item: Any = "", content: Any = "", count: Any = "", levels: str = "", weight: Any = "",
         answer: str = "") -> list[Any]:  # fmt: skip
    return [part, item, content, count, levels, weight, answer]


def csv_rows(s: Summary) -> Iterator[list[Any]]:
    f = s.feedback
    yield CSV_HEADER
    yield from (_row("概况", item, value) for item, value in overview(s))
    yield from (_row("评议结果", item, value) for item, value in result_rows(s))
    yield from (_row("等次票数", label, count=count) for label, count in f.level_counts)
    yield from (_row("关键词", word, weight=weight) for word, weight in f.keywords)
    yield from (_row("意见主题", t.theme, count=t.count) for t in f.merged)
    yield from (_row("市民意见", t.theme, g.text, g.count, levels(g)) for t in f.merged for g in t.groups)
    yield from (_row("留名建议", g.name, g.text, answer=g.answer or "") for g in f.suggestions)


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
    if s.result:
        first += [[], ["评议结果", ""], *result_rows(s)]
    first += [[], ["等次", "票数"], *([label, n] for label, n in f.level_counts)]
    first += [[], ["关键词", "权重"], *([w, x] for w, x in f.keywords)]
    first += [[], ["意见主题", "条数"], *([t.theme, t.count] for t in f.merged)]
    comments: list[list[Any]] = [
        ["主题", "条数", "意见（相同或相近的合并）", "等次分布（5 条及以上才列出）"],
        *([t.theme, g.count, g.text, levels(g)] for t in f.merged for g in t.groups),
    ]
    signed = [["姓名", "建议", "答复"], *([g.name, g.text, g.answer or ""] for g in f.suggestions)]
    return [
        ("意见汇总", first, [16, 60]),
        ("市民意见", comments, [12, 8, 90, 30]),
        ("留名建议", signed, [12, 80, 80]),
    ]


def xlsx_bytes(s: Summary) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    for title, rows, widths in sheets(s):
        sheet = book.create_sheet(title)
        put_rows(sheet, rows)
        for index, width in enumerate(widths):
            sheet.column_dimensions["ABCD"[index]].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
