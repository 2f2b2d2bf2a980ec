"""网络评议的复核 — the online component recounted from online_ballots.csv (docs/scoring.md §6a).

A round with an online channel has ``online`` in rule.json, online_ballots.csv, an ``online`` part in each
department's counts.json entry and the file's SHA-256 in the signed results (``online_ballots_sha256``).
Each department's online score is the mean points of its online ballots as one category (§1-§4: the
hall's instrument, ``trim`` highest and lowest left out when there are more than 2·trim valid votes),
rounded to 3 decimals, and only for a department with at least ``min_ballots`` online ballots. When the
online result is in the composite (``weight`` not null), components.csv's ``网络评议`` value of each
department must be that score: the recount of the finals (``sanmin_audit.recount``) then carries it into
the signed numbers. A bundle without ``online`` in its rule (a round without an online channel, or a
bundle made before) has nothing of this to check.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from sanmin_audit.ballot_file import read_ballots
from sanmin_audit.recount import Ballot, after_trim, points_of, rounded

FILE = "online_ballots.csv"


def check(
    files: dict[str, bytes],
    rule: dict[str, Any],
    counts: dict[str, Any],
    payload: dict[str, Any],
    who: Callable[[str], str],
) -> tuple[list[str], str | None]:
    """Every difference found, and a line saying what was checked (None when the rule has no online part).
    ``who(department)``: how to name a department."""
    online = rule.get("online")
    signed_digest = payload.get("online_ballots_sha256")
    if online is None:
        if FILE in files or signed_digest is not None:
            return [f"rule.json 没有网络评议的计分规则（online），审计包却有 {FILE} 或其摘要"], None
        return [], None
    if FILE not in files:
        return [f"rule.json 有网络评议的计分规则，审计包中却缺少 {FILE}"], None
    found: list[str] = []
    digest = hashlib.sha256(files[FILE]).hexdigest()
    if signed_digest != digest:
        found.append(
            f"{FILE} 的 SHA-256 为 {digest}，与签名结果中的 online_ballots_sha256（{signed_digest}）不符："
            "网上评议票被改动过"
        )
    ballots, problems = read_ballots(files[FILE], rule, FILE, str(online.get("category", "")))
    found += problems
    recounted = count(rule, online, ballots)
    component, weight = online["component"], online.get("weight")
    declared = rule["components"].get(component)
    if weight != declared:
        found.append(
            f"rule.json 中网络评议的权重（online.weight）为 {weight}，"
            f"综合结果各部分的权重（components）中为 {declared}"
        )
    entered = _component(files["components.csv"], component)
    k = int(online["min_ballots"])
    checked = hidden = 0
    for department in sorted(rule["departments"]):
        name, mine = who(department), recounted[department]
        part = counts.get(department, {}).get("online") if isinstance(counts.get(department), dict) else None
        claimed = entered.get(department)
        if not isinstance(part, dict):
            found.append(f"{name} counts.json 中缺少它的网络评议作废、改票数（online）")
        elif part.get("suppressed") is True:
            hidden += 1
            if mine["returned"]:
                found.append(f"{name} 网络评议标为不公布（不足 {k} 张），{FILE} 中却有它的票")
            if claimed is not None:
                found.append(
                    f"{name} 网络评议票不足 {k} 张，不应有网络评议得分，components.csv 中却为 {claimed}"
                )
            continue
        if 0 < mine["returned"] < k:
            found.append(f"{name} 只有 {mine['returned']} 张网络评议票，少于 {k} 张，本应不公布")
        expected = mine["score"] if mine["returned"] >= k else None
        if declared is None and weight is None:
            continue  # the online result is not in the composite: nothing was published to compare with
        checked += 1
        if claimed is None and expected is not None:
            found.append(f"{name} 网络评议得分：components.csv 中没有，按 {FILE} 复核为 {expected}")
        elif claimed is not None and expected is None:
            found.append(
                f"{name} 网络评议得分：components.csv 中为 {claimed}，"
                f"按 {FILE} 复核为 无（{mine['returned']} 张票，{mine['valid_votes']} 张有效）"
            )
        elif claimed is not None and expected is not None and Fraction(claimed) != Fraction(expected):
            found.append(f"{name} 网络评议得分：components.csv 中为 {claimed}，按 {FILE} 复核为 {expected}")
    said = (
        f"网络评议：{len(ballots)} 张网上评议票，{checked} 个部门的网络评议得分与 components.csv 核对"
        if declared is not None or weight is not None
        else f"网络评议：{len(ballots)} 张网上评议票（未计入综合结果，无得分可核对）"
    ) + (f"（另有 {hidden} 个部门网上票不足 {k} 张，按规定不公布）" if hidden else "")
    return found, said


def count(rule: dict[str, Any], online: dict[str, Any], ballots: list[Ballot]) -> dict[str, dict[str, Any]]:
    """Per department of the rule: its online ballots, valid votes and score (§6a; None without a valid vote)."""
    abstain, trim = rule["abstention"]["key"], int(online["trim"])
    found: dict[str, dict[str, Any]] = {}
    for department in rule["departments"]:
        mine = [b for b in ballots if b.department == department]
        points = [points_of(rule, b)[0] for b in mine if b.choice != abstain]
        kept = after_trim(points, trim)
        score = rounded(sum(kept, Fraction(0)) / len(kept), 3) if kept else None
        found[department] = {"returned": len(mine), "valid_votes": len(points), "score": score}
    return found


def _component(data: bytes, component: str) -> dict[str, str]:
    """components.csv's values of one component, as written."""
    return {
        row["department"]: row["score"]
        for row in csv.DictReader(io.StringIO(data.decode("utf-8")))
        if row["component"] == component
    }
