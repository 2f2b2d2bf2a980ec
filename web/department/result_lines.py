"""本部门评议结果 — the lines of a department's published result, as its page and its three downloads show
them: one function, so the page and the files cannot say different things.

The numbers come already under the k = 5 rule (``projections.public_numbers.public_tally`` and
``public_line``, in ``web.department.feedback.results``): a suppressed number reads as its status, never as
a number. ``weighting_note`` says in one sentence why the 满意率 is not the plain ratio of the counts beside
it when the round weighs its representative categories (docs/scoring.md §3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evaluation.instrument import Instrument
from evaluation.small_groups import SUPPRESSED

NONE = "—"


def _rank(line: Mapping[str, Any] | None) -> str:
    if line and line.get("rank"):
        return f"第 {line['rank']} 名（共 {line['of']} 个部门）"
    return str(line.get("status") or NONE) if line else NONE


def result_lines(tally: Mapping[str, Any] | None, line: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(item, value) of the department's result: rank in its group of N, score, satisfaction rate, the other
    components and the final score, how many were to score it and did, valid votes and abstentions."""
    if not tally:
        return []
    rate = tally.get("satisfaction_rate")
    lines = [
        ("组内名次", _rank(line)),
        ("得分", str(tally.get("score") or NONE)),
        ("满意率", f"{rate}%" if rate else NONE),
        *((str(part), str(value)) for part, value in (tally.get("components") or {}).items()),
    ]
    if tally.get("final") and tally.get("final") != tally.get("score"):
        lines.append(("综合得分", str(tally["final"])))
    lines.append(("应评 / 实评人数", f"{tally.get('eligible')} / {tally.get('returned')}"))
    if tally.get("suppressed"):
        votes = str(line.get("status") or SUPPRESSED) if line else "不公布"
    else:
        votes = f"{tally.get('valid_votes')} / {tally.get('abstentions')}"
    lines.append(("有效票 / 弃权（不了解）", votes))
    return lines


def weighting_note(instrument: Instrument, categories: Mapping[str, Any] | None) -> str:
    """The sentence beside the numbers; empty when every valid vote weighs the same (satisfied / valid)."""
    if instrument.weighting != "per_category":
        return ""
    shares = "、".join(
        f"{c.get('name') or key} {c.get('share') or 1}" for key, c in (categories or {}).items()
    )
    weights = f"各类别权重：{shares}" if shares else "各类别权重相同"
    return f"得分和满意率按代表类别加权计算（{weights}），不是各档票数的简单比例。"
