"""写出活动工作簿 — a round's plan as the .xlsx file ``read_workbook`` reads back to the same plan.

Codes, names, dates and phone numbers are written as text (Excel would turn "007" into 7 and a phone
number into 1.39E+10); numbers as numbers, unless a number has more digits than Excel keeps.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Protocol

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from evaluation.round_plan import LIVE, RoundPlan
from workbook.sheets import (
    CRITERIA,
    LEVELS,
    LISTS,
    NO,
    OTHER_SCORES,
    REQUIRED_SHEETS,
    ROUND,
    ROUND_ITEMS,
    WEIGHTINGS,
    YES,
    Column,
    Sheet,
)

Cell = str | int | float
_LABEL_OF = {weighting: label for label, weighting in WEIGHTINGS.items()}


class PlanSource(Protocol):
    def round_plan(self, round_key: str) -> RoundPlan: ...


def export_workbook(app: PlanSource, round_key: str) -> bytes:
    """The round's whole set-up as an .xlsx file (raises the domain's NotFound for an unknown round)."""
    return write_workbook(app.round_plan(round_key))


def write_workbook(plan: RoundPlan) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    instrument = plan.instrument
    round_values: dict[str, Cell] = {
        "key": plan.key,
        "title": plan.title,
        "year": plan.year if plan.year is not None else "",
        "weighting": _LABEL_OF[instrument.weighting],
        "trim": instrument.trim,
        "min_valid_votes": instrument.min_valid_votes,
        "unknown_label": instrument.unknown_label,
        "satisfied_threshold": _number(instrument.satisfied_threshold),
        "check_in_required": YES if plan.check_in_required else NO,
    }
    _sheet(book, ROUND, [[item.title, round_values[item.field]] for item in ROUND_ITEMS])
    if instrument.kind == "criteria":
        rows = [[c.key, c.label, c.max_score, _number(c.weight)] for c in instrument.criteria]
        _sheet(book, CRITERIA, rows)
    else:
        _sheet(
            book,
            LEVELS,
            [[lv.key, lv.label, lv.points, YES if lv.satisfied else NO] for lv in instrument.levels],
        )
    for sheet in LISTS:
        items = getattr(plan, sheet.part)
        if items or sheet in REQUIRED_SHEETS:
            _sheet(
                book,
                sheet,
                [[_cell(column, getattr(item, column.field)) for column in sheet.columns] for item in items],
            )
    others = {k: w for k, w in instrument.components.items() if k != LIVE}
    if others:
        scored = {s.component for s in plan.other_scores}
        rows = [
            [s.component, _number(others[s.component]), s.department, _number(Decimal(s.score))]
            for s in plan.other_scores
        ]
        rows += [[k, _number(w), "", ""] for k, w in others.items() if k not in scored]
        _sheet(book, OTHER_SCORES, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book: openpyxl.Workbook, sheet: Sheet, rows: list[list[Cell]]) -> None:
    page: Worksheet = book.create_sheet(sheet.title)
    page.append([column.title for column in sheet.columns])
    for row in rows:
        page.append(
            [
                _text(page, value) if isinstance(value, str) and value.startswith("=") else value
                for value in row
            ]
        )


def _cell(column: Column, value: str | tuple[str, ...] | None) -> Cell:
    """A field's value as its column holds it: an agenda joined by 、, no phone as a blank cell."""
    if isinstance(value, tuple):
        return "、".join(value)
    if value is None:
        return ""
    return _number(Decimal(value)) if column.number else value


def _text(page: Worksheet, value: str) -> WriteOnlyCell:
    """Text that openpyxl would otherwise write as a formula ("=1+1" stays that text)."""
    cell = WriteOnlyCell(page, value)
    cell.data_type = "s"
    return cell


def _number(value: Decimal) -> Cell:
    """As a number when Excel keeps it exactly; else as text, which the reader takes as the same number."""
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)
