"""Workbooks for the tests, written cell by cell as an organiser would fill them in Excel."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

Sheets = dict[str, list[list[Any]]]


def good_sheets() -> Sheets:
    """A small round with a non-default instrument, shares, two sittings, representatives and daily scores."""
    return {
        "活动": [
            ["项目", "值"],
            ["活动代码", "r2027"],
            ["活动名称", "2027年度三民活动"],
            ["年度", 2027],
            ["计分方式", "按票"],
            ["去掉最高最低分个数", 1],
            ["最少有效票数", 3],
            ["不了解选项名称", "不清楚"],
        ],
        "评价等级": [
            ["代码", "名称", "分值", "计入满意"],
            ["good", "满意", 100, "是"],
            ["fair", "基本满意", 70, "是"],
            ["bad", "不满意", 0, "否"],
        ],
        "代表类别": [["代码", "名称", "权重"], ["npc", "人大代表", 2], ["resident", "社区居民", 1]],
        "部门组": [["代码", "名称"], ["econ", "经济发展组"], ["city", "城市管理组"]],
        "会场": [["代码", "名称"], ["main", "主会场"], ["kdl", "昆都仑区分会场"]],
        "场次": [
            ["代码", "名称", "日期", "时段", "议程"],
            ["s1", "第一场", "2027-12-15", "上午", "fgw、swj"],
            ["s2", "第二场", "2027-12-15", "下午", "kjj, zjj"],
        ],
        "部门": [
            ["代码", "名称", "简称", "部门组", "负责人"],
            ["fgw", "市发展和改革委员会", "市发改委", "econ", "张建华"],
            ["swj", "市水务局", "", "city", "李明"],
            ["kjj", "市科技局", "", "econ", ""],
            ["zjj", "市住房和城乡建设局", "市住建局", "city", "王芳"],
        ],
        "代表": [
            ["姓名", "类别", "会场", "场次", "手机"],
            ["李秀英", "npc", "main", "s1", "13900000001"],
            ["王建国", "社区居民", "昆都仑区分会场", "第一场", ""],
            ["张丽", "resident", "main", "s2", ""],
        ],
        "其他得分": [
            ["项目", "权重", "部门", "得分"],
            ["daily", 0.3, "fgw", 90],
            ["daily", 0.3, "swj", 85.5],
            ["daily", 0.3, "kjj", 70],
            ["daily", 0.3, "zjj", 60],
        ],
    }


def xlsx(sheets: Sheets) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        page = book.create_sheet(title)
        for row in rows:
            page.append(row)
            for cell in page[page.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # typed text, as Excel keeps '=1+1, not a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cells(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's cell values, as a reader of the file sees them."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return {page.title: list(page.iter_rows(values_only=True)) for page in book.worksheets}
    finally:
        book.close()
