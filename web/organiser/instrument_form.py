"""评议表表单 — the instrument form both ways: the instrument a posted form gives (``instrument_from``), and
the fields the page fills the form with (``instrument_fields``): the round's instrument, or what was typed
when the form was refused, so that it comes back exactly as it was sent."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.datastructures import FormData

from evaluation.errors import InvalidInput
from evaluation.instrument import Criterion, Instrument, Level, Weighting
from web.platform.forms import text

ROWS = 40
"""At most this many levels or criteria are read and shown."""
SPARE = 2
"""Empty rows the form shows after the last filled one, for another level or criterion."""
LIST_FIELDS = {"levels": "level_label_", "criteria": "criterion_label_"}
"""The rows of each list in the form, counted by their first field (``level_label_0``, ``level_label_1``…)."""


def instrument_from(form: FormData, current: Instrument) -> Instrument:
    """评议表 as the form gives it; a row left empty is no row. Codes left empty are made up."""
    kind = text(form, "kind")
    if kind not in ("levels", "criteria"):
        raise InvalidInput("请选择评价方式：评价等次或评价指标")
    weighting = text(form, "weighting")
    if weighting not in ("per_category", "per_ballot"):
        raise InvalidInput("请选择计分方式：按类别或按票")
    levels, criteria = [], []
    for n in range(ROWS):
        label, code = text(form, f"level_label_{n}"), text(form, f"level_key_{n}") or f"level{n + 1}"
        if label:
            points = whole(text(form, f"level_points_{n}"), f"等次「{label}」的分值", negative=True)
            levels.append(Level(code, label, points, text(form, f"level_satisfied_{n}") == "yes"))
        label, code = text(form, f"criterion_label_{n}"), text(form, f"criterion_key_{n}") or f"c{n + 1}"
        if label:
            maximum = whole(text(form, f"criterion_max_{n}"), f"指标「{label}」的满分")
            weight = _decimal(text(form, f"criterion_weight_{n}"), f"指标「{label}」的权重")
            criteria.append(Criterion(code, label, maximum, weight))
    return Instrument(
        kind="criteria" if kind == "criteria" else "levels",
        levels=tuple(levels),
        criteria=tuple(criteria),
        satisfied_threshold=current.satisfied_threshold,
        weighting=_weighting(weighting),
        trim=whole(text(form, "trim") or "0", "去掉最高最低分个数"),
        min_valid_votes=whole(text(form, "min_valid_votes") or "1", "最少有效票数"),
        unknown_label=text(form, "unknown_label") or "不了解",
        components=current.components,
    )


def instrument_fields(instrument: Instrument, typed: dict[str, str] | None = None) -> dict[str, Any]:
    """What the page puts in the form: ``fields``, each field's value by its name (a ticked box: "yes"), and
    how many rows of ``levels`` and ``criteria`` to show. ``typed``: the refused form as it was sent, shown as
    it was; else the instrument."""
    if typed is not None:
        return {"fields": typed, **{part: _rows(typed, part) for part in LIST_FIELDS}}
    fields = {
        "kind": instrument.kind,
        "weighting": instrument.weighting,
        "trim": str(instrument.trim),
        "min_valid_votes": str(instrument.min_valid_votes),
        "unknown_label": instrument.unknown_label,
    }
    for n, level in enumerate(instrument.levels):
        fields |= {f"level_label_{n}": level.label, f"level_points_{n}": str(level.points)}
        fields |= {f"level_key_{n}": level.key} | ({f"level_satisfied_{n}": "yes"} if level.satisfied else {})
    for n, c in enumerate(instrument.criteria):
        fields |= {f"criterion_label_{n}": c.label, f"criterion_max_{n}": str(c.max_score)}
        fields |= {f"criterion_weight_{n}": str(c.weight), f"criterion_key_{n}": c.key}
    return {"fields": fields, **{part: _rows(fields, part) for part in LIST_FIELDS}}


def _rows(fields: dict[str, str], part: str) -> int:
    """The rows of ``part`` to show: every row the fields have (a browser sends every row it showed, filled
    or not), and at least ``SPARE`` empty ones after the last filled one."""
    prefix = LIST_FIELDS[part]
    labels = {
        int(n): label
        for name, label in fields.items()
        if (n := name.removeprefix(prefix)) != name and n.isascii() and n.isdigit()
    }
    last = max(labels, default=-1)
    last_filled = max((n for n, label in labels.items() if label), default=-1)
    return min(max(last + 1, last_filled + 1 + SPARE), ROWS)


def _weighting(value: str) -> Weighting:
    return "per_ballot" if value == "per_ballot" else "per_category"


def whole(value: str, what: str, negative: bool = False) -> int:
    """A whole number typed in a form (``negative``: it may be below zero), else the refusal naming ``what``."""
    digits = value.removeprefix("-") if negative else value
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 9):
        raise InvalidInput(f"{what}「{value}」必须是整数")
    return int(value)


def _decimal(value: str, what: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise InvalidInput(f"{what}「{value}」必须是数字") from None
    if not number.is_finite() or number <= 0:
        raise InvalidInput(f"{what}「{value}」必须是正数")
    return number
