"""读取活动工作簿 — an .xlsx file to a ``RoundPlan``, or every problem in it, placed by sheet, row and column.

The whole file is refused when anything is wrong: ``read_workbook`` raises ``WorkbookRejected`` listing every
problem it found, both the cells it could not read and every rule of the plan the contents break
(``evaluation.round_plan.plan_problems``). When a sheet or a column is missing, only those problems are
listed: the rest would be consequences of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from evaluation.errors import EvaluationError
from evaluation.instrument import DEFAULT_LEVELS, Criterion, Instrument, Level, Weighting
from evaluation.roster import _CONTROL, RosterError, _find_header, _parse_body
from evaluation.round_plan import (
    LIVE,
    PlannedCategory,
    PlannedDepartment,
    PlannedGroup,
    PlannedRepresentative,
    PlannedScore,
    PlannedSitting,
    PlannedVenue,
    PlanProblem,
    RoundPlan,
    plan_problems,
)
from workbook.opening import Rows, Unreadable, read_sheets
from workbook.sheets import (
    AGENDA_SEPARATORS,
    CATEGORIES,
    CRITERIA,
    DEPARTMENTS,
    GROUPS,
    LEVELS,
    NO,
    OTHER_SCORES,
    REPRESENTATIVES,
    ROUND,
    ROUND_ITEMS,
    SITTINGS,
    VENUES,
    WEIGHTINGS,
    YES,
    Sheet,
    find,
    normalised,
)

_TRUE = {normalised(word) for word in (YES, "yes", "true", "1", "✓")}
_FALSE = {normalised(word) for word in (NO, "no", "false", "0")}
_LINE_PREFIX = re.compile(r"^第 \d+ 行：")


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

    code, status, template = "workbook_rejected", 422, "工作簿有 {count} 处错误，未创建任何内容"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(count=len(problems))


def read_workbook(data: bytes, filename: str) -> RoundPlan:
    """The plan in an uploaded workbook; raises WorkbookRejected with every problem if there is any."""
    try:
        sheets = read_sheets(data)
    except Unreadable as unusable:
        raise WorkbookRejected([Problem("", None, None, f"{filename}：{unusable.message}")]) from None
    reader = _Reader(sheets)
    plan = reader.plan()
    if reader.problems:
        raise WorkbookRejected(reader.problems)
    return plan


Items = list[tuple[int, dict[str, str]]]


class _Reader:
    def __init__(self, sheets: dict[str, Rows]) -> None:
        self.sheets = sheets
        self.names = {normalised(name): name for name in sheets}
        self.problems: list[Problem] = []
        self.missing = False
        """A sheet or column is missing: the plan's own rules are not checked."""
        self.damaged: set[str] = set()
        """Sheets with cells that could not be read: problems about the sheet as a whole are left out."""
        self.where: dict[str, tuple[str, dict[str, str]]] = {}
        """Part of the plan → its sheet's name and each field's column title, as written in the file."""
        self.lines: dict[str, list[int]] = {}
        """Part of the plan → the row of each of its items."""
        self.round_rows: dict[str, int] = {}
        self.instrument_sheet = LEVELS

    def plan(self) -> RoundPlan:
        round_items = self._round_items()
        levels, criteria = self._instrument_rows()
        weights, scores = self._other_scores()
        instrument = Instrument(
            kind="criteria" if criteria is not None else "levels",
            levels=tuple(levels) if levels is not None else DEFAULT_LEVELS,
            criteria=tuple(criteria or ()),
            satisfied_threshold=_or(self._number(round_items, "satisfied_threshold"), Decimal(60)),
            weighting=self._weighting(round_items),
            trim=int(_or(self._number(round_items, "trim", integer=True), Decimal(0))),
            min_valid_votes=int(_or(self._number(round_items, "min_valid_votes", integer=True), Decimal(1))),
            unknown_label=round_items.get("unknown_label", ("", 0))[0] or "不了解",
            components={LIVE: 1 - sum(weights.values(), Decimal(0)), **weights},
        )
        year = self._number(round_items, "year", integer=True)
        plan = RoundPlan(
            key=round_items.get("key", ("", 0))[0],
            title=round_items.get("title", ("", 0))[0],
            year=int(year) if year is not None else None,
            instrument=instrument,
            categories=tuple(
                PlannedCategory(i["key"], i["name"], i["share"]) for _, i in self._items(CATEGORIES)
            ),
            groups=tuple(PlannedGroup(i["key"], i["name"]) for _, i in self._items(GROUPS)),
            venues=tuple(PlannedVenue(i["key"], i["name"]) for _, i in self._items(VENUES)),
            sittings=tuple(self._sittings()),
            departments=tuple(
                PlannedDepartment(i["key"], i["name"], i["short_name"], i["group"], i["head"])
                for _, i in self._items(DEPARTMENTS)
            ),
            representatives=tuple(self._representatives()),
            other_scores=tuple(scores),
        )
        if not self.missing:
            self.problems += [
                located for p in plan_problems(plan) if (located := self._locate(p)) is not None
            ]
        return plan

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

    def _round_items(self) -> dict[str, tuple[str, int]]:
        """The 活动 sheet's values by field, each with its row."""
        found: dict[str, tuple[str, int]] = {}
        rows = self._table(ROUND)
        if rows is None:
            return found
        known = {normalised(n): item for item in ROUND_ITEMS for n in item.names()}
        name = self.where["round"][0]
        for number, cells in rows:
            item = known.get(normalised(cells["item"]))
            if item is None:
                self._cell_problem(name, number, "item", f"未知的项目「{cells['item']}」")
            elif item.field in found:
                self._cell_problem(name, number, "item", f"项目「{item.title}」重复")
            else:
                found[item.field] = (cells["value"], number)
        for item in ROUND_ITEMS:
            if item.required and item.field not in found:
                self._missing(Problem(name, None, "项目", f"缺少「{item.title}」一行"))
        self.round_rows = {field: number for field, (_, number) in found.items()}
        return found

    def _instrument_rows(self) -> tuple[list[Level] | None, list[Criterion] | None]:
        levels_rows, criteria_rows = self._table(LEVELS, optional=True), self._table(CRITERIA, optional=True)
        if levels_rows is None and criteria_rows is None:
            self._missing(
                Problem(LEVELS.title, None, None, f"缺少工作表「{LEVELS.title}」（或「{CRITERIA.title}」）")
            )
        if levels_rows is not None and criteria_rows is not None:
            self._missing(
                Problem(CRITERIA.title, None, None, f"「{LEVELS.title}」和「{CRITERIA.title}」只能有一个")
            )
        self.instrument_sheet = LEVELS if levels_rows is not None else CRITERIA
        levels, criteria = None, None
        if levels_rows is not None:
            levels = []
            for number, cells in levels_rows:
                points = self._cell_number(LEVELS, number, cells, "points", integer=True)
                satisfied = self._yes_no(number, cells)
                if points is not None and satisfied is not None:
                    levels.append(Level(cells["key"], cells["name"], int(points), satisfied))
        if criteria_rows is not None:
            criteria = []
            for number, cells in criteria_rows:
                most = self._cell_number(CRITERIA, number, cells, "max_score", integer=True)
                weight = self._cell_number(CRITERIA, number, cells, "weight")
                if most is not None and weight is not None:
                    criteria.append(Criterion(cells["key"], cells["name"], int(most), weight))
        self._codes(self.instrument_sheet, levels_rows or criteria_rows or [])
        return levels, criteria

    def _sittings(self) -> list[PlannedSitting]:
        found = []
        for number, cells in self._items(SITTINGS):
            agenda = tuple(
                k for k in (part.strip() for part in AGENDA_SEPARATORS.split(cells["agenda"])) if k
            )
            found.append(
                PlannedSitting(
                    cells["key"], cells["name"], self._date(number, cells), cells["half_day"], agenda
                )
            )
        return found

    def _representatives(self) -> list[PlannedRepresentative]:
        name = find(self.names, REPRESENTATIVES)
        if name is None:
            return []
        table = iter(self.sheets[name])
        try:
            columns, titles = _find_header(table)
            rows, wrong = _parse_body(table, columns, titles)
        except RosterError as unusable:
            rows, wrong, titles = [], unusable.problems, {}
            self.missing = True
        self.where["representatives"] = (name, titles)
        self.problems += [Problem(name, p.line or None, None, _LINE_PREFIX.sub("", p.message)) for p in wrong]
        self.damaged.update([name] if wrong else [])
        self.lines["representatives"] = [row.line for row in rows]
        return [PlannedRepresentative(r.name, r.category, r.venue, r.sitting, r.phone) for r in rows]

    def _other_scores(self) -> tuple[dict[str, Decimal], list[PlannedScore]]:
        weights: dict[str, Decimal] = {}
        scores: list[PlannedScore] = []
        rows = self._table(OTHER_SCORES, optional=True) or []
        lines = []
        for number, cells in rows:
            weight = self._cell_number(OTHER_SCORES, number, cells, "weight")
            component = cells["component"]
            if weight is not None and weights.setdefault(component, weight) != weight:
                self._cell_problem(
                    self.where["other_scores"][0], number, "weight", f"与项目「{component}」前面写的权重不同"
                )
            if cells["department"] or cells["score"]:
                scores.append(PlannedScore(component, cells["department"], cells["score"]))
                lines.append(number)
        self.lines["other_scores"] = lines
        return weights, scores

    # --- cells ------------------------------------------------------------------------------------------

    def _number(self, items: dict[str, tuple[str, int]], field: str, integer: bool = False) -> Decimal | None:
        """The number on the 活动 sheet's row for ``field``; None if left blank (or unreadable: a problem)."""
        text, number = items.get(field, ("", 0))
        value = _decimal(text, integer) if text else None
        if text and value is None:
            self._cell_problem(
                self.where["round"][0], number, "value", f"「{text}」不是{'整数' if integer else '数'}"
            )
        return value

    def _cell_number(
        self, sheet: Sheet, number: int, cells: dict[str, str], field: str, integer: bool = False
    ) -> Decimal | None:
        value = _decimal(cells[field], integer)
        if value is None:
            what = "整数" if integer else "数"
            message = f"「{cells[field]}」不是{what}" if cells[field] else f"不能为空，应填写{what}"
            self._cell_problem(self.where[sheet.part][0], number, field, message)
        return value

    def _yes_no(self, number: int, cells: dict[str, str]) -> bool | None:
        text = normalised(cells["satisfied"])
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        self._cell_problem(
            self.where["levels"][0], number, "satisfied", f"「{cells['satisfied']}」应填写“{YES}”或“{NO}”"
        )
        return None

    def _weighting(self, items: dict[str, tuple[str, int]]) -> Weighting:
        text, number = items.get("weighting", ("", 0))
        if not text:
            return "per_category"
        for label, weighting in WEIGHTINGS.items():
            if normalised(text) in (normalised(label), weighting):
                return weighting  # type: ignore[return-value]
        self._cell_problem(self.where["round"][0], number, "value", f"计分方式「{text}」应为“按类别”或“按票”")
        return "per_category"

    def _date(self, number: int, cells: dict[str, str]) -> str:
        text = cells["date"].replace("/", "-").replace(".", "-")
        if not text:
            return ""
        try:
            return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-"))).isoformat()
        except ValueError:
            self._cell_problem(
                self.where["sittings"][0], number, "date", f"「{cells['date']}」不是日期（如 2026-12-15）"
            )
            return cells["date"]

    def _codes(self, sheet: Sheet, rows: Items) -> None:
        """Levels and criteria: each with a code and a name, no code twice."""
        seen: dict[str, int] = {}
        name = self.where.get(sheet.part, ("", {}))[0]
        for number, cells in rows:
            if not cells["key"]:
                self._cell_problem(name, number, "key", "代码不能为空")
            elif (earlier := seen.setdefault(cells["key"], number)) != number:
                self._cell_problem(name, number, "key", f"代码「{cells['key']}」与第 {earlier} 行重复")
            if not cells["name"]:
                self._cell_problem(name, number, "name", "名称不能为空")

    # --- problems ---------------------------------------------------------------------------------------

    def _missing(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.missing = True

    def _cell_problem(self, name: str, number: int, field: str, message: str) -> None:
        part = next((p for p, (n, _) in self.where.items() if n == name), "")
        column = self.where.get(part, (name, {}))[1].get(field, field)
        self.problems.append(Problem(name, number, column, message))
        self.damaged.add(name)

    def _locate(self, problem: PlanProblem) -> Problem | None:
        if problem.part == "round":
            name, titles = self.where["round"]
            return Problem(name, self.round_rows.get(problem.field), titles.get("value"), problem.message)
        if problem.part == "instrument":
            sheet = OTHER_SCORES if problem.field == "components" else self.instrument_sheet
            name = self.where.get(sheet.part, (sheet.title, {}))[0]
            return None if name in self.damaged else Problem(name, None, None, problem.message)
        name, titles = self.where.get(problem.part, ("", {}))
        if problem.index is None:
            return None if name in self.damaged else Problem(name, None, None, problem.message)
        row = self.lines[problem.part][problem.index]
        return Problem(name, row, titles.get(problem.field), problem.message)


def _or(value: Decimal | None, default: Decimal) -> Decimal:
    return default if value is None else value


def _decimal(text: str, integer: bool) -> Decimal | None:
    try:
        value = Decimal(normalised(text))
    except InvalidOperation:
        return None
    if not value.is_finite() or (integer and value != value.to_integral_value()):
        return None
    return value.to_integral_value() if integer else value
