"""工作表的读取 — a sheet's rows by its columns' fields, and problems placed by sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from evaluation.errors import EvaluationError
from evaluation.roster import _CONTROL
from workbook.opening import Rows
from workbook.sheets import Sheet, find, normalised


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = (f"工作表「{self.sheet}」" if self.sheet else "") + (f"第 {self.row} 行" if self.row else "")
        where += f"「{self.column}」列" if self.column else ""
        return f"{where}：{self.message}" if where else self.message


class WorkbookRejected(EvaluationError):
    """工作簿被拒绝 — nothing was created; ``problems`` lists every problem found."""

    code, template = "workbook_rejected", "工作簿有 {count} 处错误，未创建任何内容"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(count=len(problems))


class UpdateWorkbookRejected(WorkbookRejected):
    """工作簿被拒绝 while updating a round (workbook/updating.py): the round was left as it was. The same
    code and problems; only what the message says was not done differs."""

    template = "工作簿有 {count} 处错误，未作任何修改"


Items = list[tuple[int, dict[str, str]]]
"""A sheet's rows below its header: (row number, field → cell text)."""


class SheetReader:
    """Reads sheets by their columns and collects the problems found, each where it is in the file."""

    def __init__(self, sheets: dict[str, Rows]) -> None:
        self.sheets = sheets
        self.names = {normalised(name): name for name in sheets}
        self.problems: list[Problem] = []
        self.missing = False
        """A sheet or column is missing: the plan's own rules are not checked."""
        self.damaged: set[str] = set()
        """Sheets with cells that could not be read: the plan's problems about a sheet as a whole, or about a
        cell already found wrong, are left out (they would follow from what was already said)."""
        self.where: dict[str, tuple[str, dict[str, str]]] = {}
        """Part of the plan → its sheet's name and each field's column title, as written in the file."""
        self.lines: dict[str, list[int]] = {}
        """Part of the plan → the row of each of its items."""

    # --- sheets -----------------------------------------------------------------------------------------

    def _table(self, sheet: Sheet, optional: bool = False) -> Items | None:
        """The sheet's rows below its header, each as field → cell text; None if the sheet is missing."""
        name = find(self.names, sheet)
        if name is None:
            if not optional:
                self._missing(Problem(sheet.title, None, None, f"缺少工作表「{sheet.title}」"))
            return None
        rows = self.sheets[name]
        if not rows:
            self._missing(Problem(name, None, None, "工作表是空的：第一行应是列名"))
            return None
        line, header = rows[0]
        positions = {normalised(title): index for index, title in enumerate(header) if title}
        columns: dict[str, int] = {}
        for column in sheet.columns:
            index = next((positions[n] for n in map(normalised, column.names()) if n in positions), None)
            if index is not None:
                columns[column.field] = index
            elif column.required:
                self._missing(Problem(name, line, column.title, f"缺少「{column.title}」列"))
        self.where[sheet.part] = (name, {field: header[index] for field, index in columns.items()})
        items: Items = []
        for number, cells in rows[1:]:
            item = {
                c.field: cells[columns[c.field]] if columns.get(c.field, len(cells)) < len(cells) else ""
                for c in sheet.columns
            }
            for field, text in item.items():
                if _CONTROL.search(text):
                    self._cell_problem(name, number, field, "含有不可见的控制字符，请删去后再上传")
            items.append((number, item))
        self.lines[sheet.part] = [number for number, _ in items]
        return items

    def _items(self, sheet: Sheet) -> Items:
        return self._table(sheet) or []

    def _cell_number(
        self, sheet: Sheet, number: int, cells: dict[str, str], field: str, integer: bool = False
    ) -> Decimal | None:
        value = decimal(cells[field], integer)
        if value is None:
            what = "整数" if integer else "数"
            message = f"「{cells[field]}」不是{what}" if cells[field] else f"不能为空，应填写{what}"
            self._cell_problem(self.where[sheet.part][0], number, field, message)
        return value

    def _missing(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.missing = True

    def _cell_problem(self, name: str, number: int, field: str, message: str) -> None:
        part = next((p for p, (n, _) in self.where.items() if n == name), "")
        column = self.where.get(part, (name, {}))[1].get(field, field)
        self.problems.append(Problem(name, number, column, message))
        self.damaged.add(name)


def or_default(value: Decimal | None, default: Decimal) -> Decimal:
    return default if value is None else value


def decimal(text: str, integer: bool) -> Decimal | None:
    try:
        value = Decimal(normalised(text))
    except InvalidOperation:
        return None
    if not value.is_finite() or (integer and value != value.to_integral_value()):
        return None
    return value.to_integral_value() if integer else value
