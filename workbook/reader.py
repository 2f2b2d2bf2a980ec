"""读取活动工作簿 — an .xlsx file to a ``RoundPlan``, or every problem in it, placed by sheet, row and column.

The whole file is refused when anything is wrong: ``read_workbook`` raises ``WorkbookRejected`` listing every
problem it found, both the cells it could not read and every rule of the plan the contents break
(``evaluation.round_plan.plan_problems``). When a sheet or a column is missing, only those problems are
listed: the rest would be consequences of them.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from evaluation.instrument import DEFAULT_LEVELS, Instrument, Weighting
from evaluation.roster import Listed, RosterError, _find_header, _parse_body
from evaluation.round_plan import (
    LIVE,
    PlannedScore,
    PlannedSitting,
    PlanProblem,
    RoundPlan,
    item_type,
    plan_problems,
)
from evaluation.setup_rules import sitting_date
from workbook.instrument_sheet import NO_WORDS, YES_WORDS, InstrumentRows
from workbook.opening import Rows, Unreadable, read_sheets
from workbook.sheets import (
    AGENDA_SEPARATORS,
    CATEGORIES,
    DEPARTMENTS,
    GROUPS,
    OTHER_SCORES,
    REPRESENTATIVES,
    ROUND,
    ROUND_ITEMS,
    SITTINGS,
    VENUES,
    WEIGHTINGS,
    Sheet,
    find,
    normalised,
)
from workbook.tables import Problem, WorkbookRejected, decimal, or_default

_LINE_PREFIX = re.compile(r"^第 \d+ 行(（表头）)?：")


def read_workbook(data: bytes, filename: str) -> RoundPlan:
    """The plan in an uploaded workbook; raises WorkbookRejected with every problem if there is any, in
    the order of the sheets in the file and of the rows in each."""
    try:
        sheets = read_sheets(data)
    except Unreadable as unusable:
        raise WorkbookRejected([Problem("", None, None, f"{filename}：{unusable.message}")]) from None
    reader = _Reader(sheets)
    plan = reader.plan()
    if reader.problems:
        order = {name: index for index, name in enumerate(sheets)}
        raise WorkbookRejected(sorted(reader.problems, key=lambda p: (order.get(p.sheet, -1), p.row or 0)))
    return plan


class _Reader(InstrumentRows):
    def __init__(self, sheets: dict[str, Rows]) -> None:
        super().__init__(sheets)
        self.round_rows: dict[str, int] = {}

    def plan(self) -> RoundPlan:
        round_items = self._round_items()
        levels, criteria = self._instrument_rows()
        weights, scores = self._other_scores()
        instrument = Instrument(
            kind="criteria" if criteria is not None else "levels",
            levels=tuple(levels) if levels is not None else DEFAULT_LEVELS,
            criteria=tuple(criteria or ()),
            satisfied_threshold=or_default(self._number(round_items, "satisfied_threshold"), Decimal(60)),
            weighting=self._weighting(round_items),
            trim=int(or_default(self._number(round_items, "trim", integer=True), Decimal(0))),
            min_valid_votes=int(
                or_default(self._number(round_items, "min_valid_votes", integer=True), Decimal(1))
            ),
            unknown_label=round_items.get("unknown_label", ("", 0))[0] or "不了解",
            components={LIVE: 1 - sum(weights.values(), Decimal(0)), **weights},
        )
        year = self._number(round_items, "year", integer=True)
        plan = RoundPlan(
            key=round_items.get("key", ("", 0))[0],
            title=round_items.get("title", ("", 0))[0],
            year=int(year) if year is not None else None,
            instrument=instrument,
            categories=self._listed(CATEGORIES, share="1"),
            groups=self._listed(GROUPS),
            venues=self._listed(VENUES),
            sittings=tuple(self._sittings()),
            departments=self._listed(DEPARTMENTS),
            representatives=tuple(self._representatives()),
            other_scores=tuple(scores),
            check_in_required=self._check_in(round_items),
        )
        if not self.missing:
            read = {(p.sheet, p.row, p.column) for p in self.problems}
            for problem in plan_problems(plan):
                located = self._locate(problem)
                if located is not None and (located.sheet, located.row, located.column) not in read:
                    self.problems.append(located)
        return plan

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

    def _listed(self, sheet: Sheet, **blank: str) -> tuple[Any, ...]:
        """The sheet's items as the plan's part holds them (each column is a field); ``blank`` gives the value
        of a field whose cell is left blank."""
        item = item_type(sheet.part)
        return tuple(
            item(**{f: text or blank.get(f, "") for f, text in cells.items()})
            for _, cells in self._items(sheet)
        )

    def _sittings(self) -> list[PlannedSitting]:
        found = []
        for _, cells in self._items(SITTINGS):
            agenda = tuple(
                k for k in (part.strip() for part in AGENDA_SEPARATORS.split(cells["agenda"])) if k
            )
            found.append(
                PlannedSitting(cells["key"], cells["name"], self._date(cells), cells["half_day"], agenda)
            )
        return found

    def _representatives(self) -> list[Listed]:
        name = find(self.names, REPRESENTATIVES)
        if name is None or not self.sheets[name]:
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
        return [Listed(r.name, r.category, r.venue, r.sitting, r.phone) for r in rows]

    def _other_scores(self) -> tuple[dict[str, Decimal], list[PlannedScore]]:
        weights: dict[str, Decimal] = {}
        scores: list[PlannedScore] = []
        rows = self._table(OTHER_SCORES, optional=True) or []
        lines = []
        for number, cells in rows:
            weight = self._cell_number(OTHER_SCORES, number, cells, "weight")
            component, sheet = cells["component"], self.where["other_scores"][0]
            if not component or component == LIVE:
                reserved = f"「{LIVE}」是现场评议的名称，" if component else ""
                self._cell_problem(
                    sheet, number, "component", f"{reserved}请填写这项得分的名称（如 日常考核）"
                )
            elif weight is not None and weights.setdefault(component, weight) != weight:
                self._cell_problem(sheet, number, "weight", f"与项目「{component}」前面写的权重不同")
            if cells["department"] or cells["score"]:
                scores.append(PlannedScore(component, cells["department"], cells["score"]))
                lines.append(number)
        self.lines["other_scores"] = lines
        return weights, scores

    # --- cells ------------------------------------------------------------------------------------------

    def _number(self, items: dict[str, tuple[str, int]], field: str, integer: bool = False) -> Decimal | None:
        """The number on the 活动 sheet's row for ``field``; None if left blank (or unreadable: a problem)."""
        text, number = items.get(field, ("", 0))
        value = decimal(text, integer) if text else None
        if text and value is None:
            self._cell_problem(
                self.where["round"][0], number, "value", f"「{text}」不是{'整数' if integer else '数'}"
            )
        return value

    def _weighting(self, items: dict[str, tuple[str, int]]) -> Weighting:
        text, number = items.get("weighting", ("", 0))
        if not text:
            return "per_category"
        for label, weighting in WEIGHTINGS.items():
            if normalised(text) in (normalised(label), weighting):
                return weighting  # type: ignore[return-value]
        self._cell_problem(self.where["round"][0], number, "value", f"计分方式「{text}」应为“按类别”或“按票”")
        return "per_category"

    def _check_in(self, items: dict[str, tuple[str, int]]) -> bool:
        """评分前须先签到: 是 unless the row says 否 (a workbook without the row: as every new round)."""
        text, number = items.get("check_in_required", ("", 0))
        if not text or normalised(text) in YES_WORDS | NO_WORDS:
            return not text or normalised(text) in YES_WORDS
        self._cell_problem(
            self.where["round"][0], number, "value", f"评分前须先签到「{text}」应填写“是”或“否”"
        )
        return True

    def _date(self, cells: dict[str, str]) -> str:
        """The date as the setup form reads it (``setup_rules.sitting_date``: 2027-03-15, 2027/3/15 …); one that
        is not a day of the calendar is kept as written, for ``plan_problems`` to refuse it by the same rule."""
        return sitting_date(cells["date"]) or cells["date"]

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
