"""演示文本 — the tables behind the demo round, read from the data files in ``demo/data/``.

``round.toml`` holds the round's configuration (groups, categories, venues, sittings), ``names.toml`` the names
the roster draws from, ``texts.toml`` the comments and report frame every department shares, and
``departments/<group>.toml`` each group's departments with their reports and citizens' comments. Nothing here is
random: ``demo.round`` and ``demo.ballots`` draw from these tables with a seeded generator.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")


def _read(name: str) -> dict[str, Any]:
    with (DATA / name).open("rb") as file:
        return tomllib.load(file)


@dataclass(frozen=True)
class DepartmentText:
    """One department as the organiser would register it, with the material of its 述职报告."""

    key: str
    name: str
    short_name: str
    group: str
    head: str
    theme: str
    summary: str
    work: tuple[str, ...]
    """一、主要工作: each item starts with a short heading sentence, then the facts."""
    problems: tuple[str, ...]
    """二、存在问题"""
    plans: tuple[str, ...]
    """三、下一步打算"""
    comments: str
    """One comment a line: "+" praise, "-" complaint, "?" suggestion; "{place}" becomes the commenter's district."""


def _department(group: str, table: dict[str, Any]) -> DepartmentText:
    """A department of ``departments/<group>.toml``: its group is the file's."""
    lists = {name: tuple(table[name]) for name in ("work", "problems", "plans")}
    return DepartmentText(**{**table, **lists, "group": group})


def _pairs(rows: list[list[Any]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(row) for row in rows)


_round = _read("round.toml")
_names = _read("names.toml")
_texts = _read("texts.toml")

YEAR: int = _round["year"]
ROUND_TITLE: str = _round["title"]
GROUPS: tuple[tuple[str, str], ...] = _pairs(_round["groups"])
CATEGORIES: tuple[tuple[str, str, str], ...] = _pairs(_round["categories"])
CATEGORY_MIX_MAIN: dict[str, int] = _round["category_mix"]["main"]
CATEGORY_MIX_SUB: dict[str, int] = _round["category_mix"]["sub"]
SELF_INTRODUCTION: dict[str, str] = _round["self_introduction"]
MAIN_VENUE: tuple[str, str] = tuple(_round["main_venue"])
SUB_VENUES: tuple[tuple[str, str, str, int], ...] = _pairs(_round["sub_venues"])
SITTING_TIMES: tuple[tuple[str, str], ...] = _pairs(_round["sitting_times"])
SITTING_ORDINALS: tuple[str, ...] = tuple(_round["sitting_ordinals"])

SURNAMES: tuple[tuple[str, int], ...] = _pairs(_names["surnames"])
GIVEN_SINGLE_MALE: str = _names["single_male"]
GIVEN_SINGLE_FEMALE: str = _names["single_female"]
GIVEN_DOUBLE_MALE: tuple[str, ...] = tuple(_names["double_male"])
GIVEN_DOUBLE_FEMALE: tuple[str, ...] = tuple(_names["double_female"])
GIVEN_FIRST_MALE: str = _names["first_male"]
GIVEN_SECOND_MALE: str = _names["second_male"]
GIVEN_FIRST_FEMALE: str = _names["first_female"]
GIVEN_SECOND_FEMALE: str = _names["second_female"]
MONGOLIAN_NAMES: tuple[str, ...] = tuple(_names["mongolian"])
MONGOLIAN_SURNAMES: str = _names["mongolian_surnames"]

GENERIC_PRAISE: tuple[str, ...] = tuple(_texts["comments"]["praise"])
GENERIC_COMPLAINTS: tuple[str, ...] = tuple(_texts["comments"]["complaints"])
GENERIC_SUGGESTIONS: tuple[str, ...] = tuple(_texts["comments"]["suggestions"])
UNKNOWN_COMMENTS: tuple[str, ...] = tuple(_texts["comments"]["unknown"])
PRAISE_ENDINGS: tuple[str, ...] = tuple(_texts["endings"]["praise"])
COMPLAINT_ENDINGS: tuple[str, ...] = tuple(_texts["endings"]["complaint"])
SUGGESTION_ENDINGS: tuple[str, ...] = tuple(_texts["endings"]["suggestion"])
SIGNED_DETAILS: tuple[str, ...] = tuple(_texts["signed"]["details"])
SIGNED_ENDINGS: tuple[str, ...] = tuple(_texts["signed"]["endings"])
OPENINGS: tuple[str, ...] = tuple(_texts["report"]["openings"])
CLOSINGS: tuple[str, ...] = tuple(_texts["report"]["closings"])
ORDINALS: tuple[str, ...] = tuple(_texts["report"]["ordinals"])

DEPARTMENTS: tuple[DepartmentText, ...] = tuple(
    _department(group, table)
    for group, _ in GROUPS
    for table in _read(f"departments/{group}.toml")["departments"]
)
"""Every department, group by group in the agenda's order of groups, each group in its file's order."""
