"""其他得分表 — reading a file of another result component (e.g. 日常考核): one row per department, its score.

Pure: bytes in, scores and problems out. Columns 部门 (the department's code, name or short name) and 得分
(0 to 100); a title row may precede the header. Every bad row is reported with its line as Excel shows it.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

from evaluation.roster import RosterError, RowProblem, Table, _csv_table, _decode, _xlsx_table

MAX_ROWS = 2_000
HEADER_SEARCH = 10
ALIASES = {
    "department": ("部门", "部门名称", "部门代码", "被评议部门", "单位", "department"),
    "score": ("得分", "分数", "成绩", "分值", "score"),
}
_FIELD_OF = {alias: field for field, aliases in ALIASES.items() for alias in aliases}


class ComponentFileError(Exception):
    """The file cannot be read as a score table at all, or some rows are wrong; ``problems`` lists them."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__("；".join(p.message for p in problems))


def parse_component_file(data: bytes, filename: str, departments: dict[str, set[str]]) -> dict[str, str]:
    """Department key → score as exact decimal text; ``departments`` maps each key to the names it may be
    written as. Raises ``ComponentFileError`` with every problem: nothing is returned half-read."""
    try:
        return _parse(data, filename, departments)
    except RosterError as unusable:  # the roster reader's file checks (empty, image, .xls, damaged, ...)
        raise ComponentFileError(
            [RowProblem(p.line, p.message.replace("不是名单", "不是成绩表")) for p in unusable.problems]
        ) from None


def _parse(data: bytes, filename: str, departments: dict[str, set[str]]) -> dict[str, str]:
    if not data.strip():
        raise ComponentFileError([RowProblem(0, "文件是空的")])
    is_xlsx = data.startswith((b"PK\x03\x04", b"PK\x05\x06"))
    table = _xlsx_table(data) if is_xlsx else _csv_table(_decode(data, filename))
    columns = _header(table)
    key_of = {name: key for key, names in departments.items() for name in {key, *names}}
    scores: dict[str, str] = {}
    seen: dict[str, int] = {}
    problems: list[RowProblem] = []
    for line, cells in table:
        if not any(cells):
            continue
        if len(seen) + len(problems) > MAX_ROWS:
            raise ComponentFileError([RowProblem(line, f"超过 {MAX_ROWS} 行，不像是部门成绩表")])
        name, raw = (cells[columns[f]] if columns[f] < len(cells) else "" for f in ("department", "score"))
        wrong = []
        key = key_of.get(name)
        if not name:
            wrong.append("缺少部门")
        elif key is None:
            wrong.append(f"没有名为「{name}」的部门")
        elif key in seen:
            wrong.append(f"部门「{name}」与第 {seen[key]} 行重复")
        score = _score(raw)
        if isinstance(score, str):
            wrong.append(score)
        if wrong:
            problems += [RowProblem(line, f"第 {line} 行：{message}") for message in wrong]
        elif key is not None and isinstance(score, Decimal):
            seen[key] = line
            scores[key] = str(score)
    if problems:
        raise ComponentFileError(problems)
    if not scores:
        raise ComponentFileError([RowProblem(0, "文件中只有表头，没有部门的得分")])
    return scores


def _score(raw: str) -> Decimal | str:
    """The score, or what is wrong with it."""
    if not raw:
        return "缺少得分"
    try:
        number = Decimal(unicodedata.normalize("NFKC", raw))
    except InvalidOperation:
        return f"得分「{raw}」不是数字"
    if not number.is_finite() or not 0 <= number <= 100:
        return f"得分「{raw}」须在 0 到 100 之间"
    if number.as_tuple().exponent < -3:  # type: ignore[operator]
        return f"得分「{raw}」最多保留 3 位小数"
    return Decimal(int(number)) if number == number.to_integral_value() else number


def _header(table: Table) -> dict[str, int]:
    for searched, (line, cells) in enumerate(table, 1):
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            field = _FIELD_OF.get(unicodedata.normalize("NFKC", cell).replace(" ", "").casefold())
            if field and field not in columns:
                columns[field] = index
        if len(columns) == 2:
            return columns
        if columns:
            missing = "「部门」" if "score" in columns else "「得分」"
            raise ComponentFileError([RowProblem(line, f"第 {line} 行（表头）：缺少{missing}列")])
        if searched == HEADER_SEARCH:
            break
    raise ComponentFileError([RowProblem(0, "找不到表头：第一行应是列名，包含「部门」和「得分」两列")])
