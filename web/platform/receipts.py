"""回执状态 — whether each receipt's ballot version counts, never what it chose: for the public receipt check
and for the tablet, which asks about the receipts it keeps."""

from __future__ import annotations

from typing import Any

from evaluation.keys import normalise_code
from web.platform.database import ReadModels
from web.platform.reads import RECEIPTS

LABELS = {
    "counted": "已计入：这是该评议票最后一次提交的版本，计入结果",
    "superseded": "已被取代：之后又修改过评分，以最后一次提交为准",
    "voided": "已作废：该评议票经组织方核实后作废，不计入结果",
    "not_counted": "未计入结果",
    "shared": "该回执码对应不止一张评议票，无法据此确认，请联系组织方核实",
    "unknown": "未找到该回执码（刚提交的评分需几秒钟后才能查到，请核对后再试）",
}


def status_of(row: Any) -> str:
    if row["voided"]:
        return "voided"
    if row["latest"] != row["receipt"]:
        return "superseded"
    return "counted" if row["counted"] else "not_counted"


async def receipt_statuses(reads: ReadModels, codes: list[str]) -> dict[str, dict[str, Any]]:
    """Each code (normalised) → its status; codes not found are ``unknown``."""
    wanted = [c for c in dict.fromkeys(normalise_code(code) for code in codes) if 0 < len(c) <= 16]
    found: dict[str, list[Any]] = {}
    for row in await reads.fetch(RECEIPTS, wanted) if wanted else []:
        found.setdefault(row["receipt"], []).append(row)
    answers = {}
    for code in wanted:
        rows = found.get(code, [])
        row = rows[0] if len(rows) == 1 else None
        status = "shared" if len(rows) > 1 else status_of(row) if row is not None else "unknown"
        answers[code] = {"receipt": code, "status": status, "label": LABELS[status]}
        if row is not None:
            answers[code]["department"] = row["department_name"] or row["department"]
            answers[code]["round"] = row["round_title"] or ""
    return answers
