"""A ballots file of the bundle read line by line: ballots.csv (the hall's, each line naming its category)
and online_ballots.csv (the online channel's, all of the channel's one category)."""

from __future__ import annotations

import csv
import io
from typing import Any

from sanmin_audit.recount import Ballot, choices


def read_ballots(
    data: bytes, rule: dict[str, Any], name: str, category: str | None = None
) -> tuple[list[Ballot], list[str]]:
    """The lines of the file ``name`` that are ballots the rule offers, and what is wrong with the others.
    Its columns: department, category (not when ``category`` is every line's), choice, then the criteria."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    header = rows[0] if rows else []
    leading = ["department", "choice"] if category is not None else ["department", "category", "choice"]
    criteria = {c["key"]: c["max"] for c in rule["criteria"]} if rule["kind"] == "criteria" else {}
    if header[: len(leading)] != leading or set(header[len(leading) :]) != set(criteria):
        return [], [f"{name} 的表头 {header} 与计分规则不符"]
    offered = set(choices(rule))
    ballots: list[Ballot] = []
    problems: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        fields = dict(zip(header, row, strict=False))
        department, choice = fields.get("department", ""), fields.get("choice", "")
        where = f"{name} 第 {number} 行"
        if department not in rule["departments"]:
            problems.append(f"{where}：部门 {department} 不在计分规则中")
            continue
        if choice not in offered:
            problems.append(f"{where}：选择「{choice}」不是计分规则提供的选项")
            continue
        scores = None
        if choice == "scored":
            try:
                scores = {key: int(fields[key]) for key in criteria}
            except (KeyError, ValueError):
                problems.append(f"{where}：指标得分不是整数")
                continue
            if any(not 0 <= scores[key] <= top for key, top in criteria.items()):
                problems.append(f"{where}：指标得分超出范围")
                continue
        line_category = fields.get("category", "") if category is None else category
        ballots.append(Ballot(department, line_category, choice, scores))
    return ballots, problems
