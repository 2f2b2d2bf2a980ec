"""活动工作簿的工作表和列 — their Chinese names as written on export; English keys are accepted too.

Each sheet gives one part of a ``RoundPlan`` (``Sheet.part``), each column one field of its items
(``Column.field``). The ``活动`` sheet is a list of 项目 / 值 pairs, one per field of the round (``ROUND_ITEMS``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from evaluation.roster import ALIASES as ROSTER_ALIASES


@dataclass(frozen=True)
class Column:
    field: str
    title: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    """A required column must be in the header; an optional one may be left out."""
    number: bool = False
    """Written as a number (the field holds a number as text)."""

    def names(self) -> tuple[str, ...]:
        return (self.title, self.field, *self.aliases)


@dataclass(frozen=True)
class Sheet:
    part: str
    title: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.title, self.part, *self.aliases)

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


KEY = Column("key", "代码", ("code",))
NAME = Column("name", "名称", ("label",))

ROUND = Sheet("round", "活动", (Column("item", "项目"), Column("value", "值")))
ROUND_ITEMS = (
    Column("key", "活动代码", ("round_key",)),
    Column("title", "活动名称"),
    Column("year", "年度", required=False),
    Column("weighting", "计分方式", required=False),
    Column("trim", "去掉最高最低分个数", required=False),
    Column("min_valid_votes", "最少有效票数", required=False),
    Column("unknown_label", "不了解选项名称", required=False),
    Column("satisfied_threshold", "满意分数线", required=False),
    Column("check_in_required", "评分前须先签到", required=False),
)
WEIGHTINGS = {"按类别": "per_category", "按票": "per_ballot"}
YES, NO = "是", "否"

LEVELS = Sheet(
    "levels",
    "评价等级",
    (KEY, NAME, Column("points", "分值"), Column("satisfied", "计入满意")),
)
CRITERIA = Sheet(
    "criteria",
    "评价指标",
    (KEY, NAME, Column("max_score", "满分", ("max",)), Column("weight", "权重")),
)
CATEGORIES = Sheet("categories", "代表类别", (KEY, NAME, Column("share", "权重", ("weight",), number=True)))
GROUPS = Sheet("groups", "部门组", (KEY, NAME))
VENUES = Sheet("venues", "会场", (KEY, NAME))
SITTINGS = Sheet(
    "sittings",
    "场次",
    (
        KEY,
        NAME,
        Column("date", "日期", required=False),
        Column("half_day", "时段", required=False),
        Column("agenda", "议程"),
    ),
)
DEPARTMENTS = Sheet(
    "departments",
    "部门",
    (
        KEY,
        NAME,
        Column("short_name", "简称", required=False),
        Column("group", "部门组"),
        Column("head", "负责人", required=False),
    ),
)
REPRESENTATIVES = Sheet(
    "representatives",
    "代表",
    tuple(
        Column(field, aliases[0], aliases[1:], required=field != "phone")
        for field, aliases in ROSTER_ALIASES.items()
    ),
)
"""Read by the roster import's own rules (evaluation/roster.py), whose columns these are."""
OTHER_SCORES = Sheet(
    "other_scores",
    "其他得分",
    (
        Column("component", "项目"),
        Column("weight", "权重"),
        Column("department", "部门"),
        Column("score", "得分"),
    ),
    ("components",),
)

LISTS = (CATEGORIES, GROUPS, VENUES, SITTINGS, DEPARTMENTS, REPRESENTATIVES)
"""The sheets that list a part of the plan one item a row, each column a field of the item, in file order."""
REQUIRED_SHEETS = (ROUND, CATEGORIES, GROUPS, VENUES, SITTINGS, DEPARTMENTS)
"""Besides these, one of LEVELS or CRITERIA."""
OPTIONAL_SHEETS = (REPRESENTATIVES, OTHER_SCORES)

AGENDA_SEPARATORS = re.compile(r"[、,，;；\n]")
_NOISE = re.compile(r"[*\s]|\(.*?\)")  # "代码*", "简称（选填）"


def normalised(name: str) -> str:
    """How a sheet or column name is compared: full-width forms, spaces, marks and notes forgiven."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", name)).casefold()


def find(names: dict[str, str], wanted: Column | Sheet) -> str | None:
    """The name in ``names`` (normalised → as written) that means ``wanted``, if any."""
    for name in wanted.names():
        if (written := names.get(normalised(name))) is not None:
            return written
    return None
