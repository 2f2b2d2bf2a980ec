"""评价等级 / 评价指标 sheets of the activity workbook — the instrument's levels or criteria, each cell checked by
the instrument's own rules (``evaluation.instrument``) and every problem placed on its sheet, row and column.
A mixin of ``workbook.reader``'s reader: the rest of the workbook is read there."""

from __future__ import annotations

from evaluation.instrument import ITEMS, Criterion, Level, criterion_problems, label_problem, points_problem
from evaluation.setup_rules import key_problem
from workbook.sheets import CRITERIA, LEVELS, NO, YES, Sheet, normalised
from workbook.tables import Items, Problem, SheetReader

YES_WORDS = {normalised(word) for word in (YES, "yes", "true", "1", "✓")}
NO_WORDS = {normalised(word) for word in (NO, "no", "false", "0")}


class InstrumentRows(SheetReader):
    instrument_sheet: Sheet = LEVELS
    """The sheet the workbook gives its instrument on (评价等级, or 评价指标)."""

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
                if points is not None and (problem := points_problem(int(points), cells["name"])):
                    self._cell_problem(self.where["levels"][0], number, "points", problem)
                elif points is not None and satisfied is not None:
                    levels.append(Level(cells["key"], cells["name"], int(points), satisfied))
        if criteria_rows is not None:
            criteria = []
            for number, cells in criteria_rows:
                most = self._cell_number(CRITERIA, number, cells, "max_score", integer=True)
                weight = self._cell_number(CRITERIA, number, cells, "weight")
                if most is not None and weight is not None:
                    for field, problem in criterion_problems(int(most), weight, cells["name"]):
                        self._cell_problem(self.where["criteria"][0], number, field, problem)
                    criteria.append(Criterion(cells["key"], cells["name"], int(most), weight))
        self._codes(self.instrument_sheet, levels_rows or criteria_rows or [])
        return levels, criteria

    def _yes_no(self, number: int, cells: dict[str, str]) -> bool | None:
        text = normalised(cells["satisfied"])
        if text in YES_WORDS or text in NO_WORDS:
            return text in YES_WORDS
        self._cell_problem(
            self.where["levels"][0], number, "satisfied", f"「{cells['satisfied']}」应填写“{YES}”或“{NO}”"
        )
        return None

    def _codes(self, sheet: Sheet, rows: Items) -> None:
        """Levels and criteria: each with a code and a name, no code twice, and each code and name by the
        instrument's own rules (``key_problem``, ``label_problem``), placed on its row."""
        seen: dict[str, int] = {}
        name = self.where.get(sheet.part, ("", {}))[0]
        what, longest = ITEMS[sheet.part]
        for number, cells in rows:
            if not cells["key"]:
                self._cell_problem(name, number, "key", "代码不能为空")
            elif (earlier := seen.setdefault(cells["key"], number)) != number:
                self._cell_problem(name, number, "key", f"代码「{cells['key']}」与第 {earlier} 行重复")
            elif problem := key_problem(cells["key"], what):
                self._cell_problem(name, number, "key", problem)
            if not cells["name"]:
                self._cell_problem(name, number, "name", "名称不能为空")
            elif problem := label_problem(cells["name"], what, longest):
                self._cell_problem(name, number, "name", problem)
