"""审计包核验 — read a bundle, check its signatures and digest, recount it, list every difference."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from sanmin_audit import online
from sanmin_audit.ballot_file import read_ballots
from sanmin_audit.recount import Ballot, count, order_key
from sanmin_audit.signature import valid

Say = Callable[[str], None]
FILES = ("rule.json", "counts.json", "ballots.csv", "components.csv", "results.json", "checkpoints.json")
NUMBERS = (
    ("group", "部门组"),
    ("returned", "实评人数"),
    ("valid_votes", "有效票"),
    ("abstentions", "弃权（不了解）"),
    ("score", "得分"),
    ("satisfaction_rate", "满意率"),
    ("final", "综合得分"),
    ("status", "排名状态"),
)


class Unreadable(Exception):
    """The bundle cannot be read at all (not a zip, a file missing, bad JSON)."""


def read(path: str) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as bundle:
            names = set(bundle.namelist())
            missing = [name for name in FILES if name not in names]
            if missing:
                raise Unreadable(f"审计包缺少文件：{'、'.join(missing)}")
            return {name: bundle.read(name) for name in (*FILES, online.FILE) if name in names}
    except (OSError, zipfile.BadZipFile) as error:
        raise Unreadable(f"无法读取审计包：{error}") from None


def check(path: str, public_key: str | None = None, say: Say = print) -> bool:
    """True only when every signature holds, the rule's digest matches and every number recounts.

    Without ``public_key`` the signatures are checked against the key the files carry, which a forger
    replaces with their own: True then means only that the bundle agrees with itself, and no 「通过」 is
    said (``python -m sanmin_audit`` exits ``SIGNER_UNCHECKED`` and says how to check the signer)."""
    try:
        files = read(path)
        document = _json(files, "results.json")
        rule = _json(files, "rule.json")
        counts = _json(files, "counts.json")
        checkpoints = _json(files, "checkpoints.json")
    except Unreadable as problem:
        say(str(problem))
        return False
    payload = document.get("payload") if isinstance(document, dict) else None
    if not isinstance(payload, dict) or not isinstance(payload.get("departments"), list):
        say("results.json 不是签名结果文件（缺少 payload 或 departments）")
        return False
    differences: list[str] = []
    say(
        f"评议活动：{payload.get('title')}（{payload.get('round')}），按事件位置 {payload.get('event_position')} 计算"
    )
    key = document.get("public_key")
    say(f"results.json 的公钥：{key}")
    if valid(document, public_key):
        say(
            "签名：有效，结果文件自签名后未被改动"
            + (
                "，签名人就是 --public-key 给出的公钥"
                if public_key
                else "（签名人未核对：没有给出 --public-key）"
            )
        )
    else:
        differences.append(
            "results.json 的签名无效：文件在签名后被改动过"
            + ("，或不是用 --public-key 指定的公钥签名" if public_key else "")
        )
    digest = hashlib.sha256(files["rule.json"]).hexdigest()
    if payload.get("rule_sha256") != digest:
        differences.append(
            f"rule.json 的 SHA-256 为 {digest}，与签名结果中的 rule_sha256（{payload.get('rule_sha256')}）不符："
            "计分规则被改动过"
        )
    try:
        ballots, problems = read_ballots(files["ballots.csv"], rule, "ballots.csv")
        components = _components(files["components.csv"])
        recounted = count(rule, ballots, components)
        differences += problems
        differences += _compare(payload["departments"], recounted, rule, counts, ballots)
        signer = public_key if public_key is not None else key if isinstance(key, str) else None
        differences += _checkpoints(checkpoints, payload, signer, public_key is not None, say)
        entries = {e.get("department"): e for e in payload["departments"] if isinstance(e, dict)}
        found, checked = online.check(
            files, rule, counts, payload, lambda d: _who(entries.get(d, {"department": d}))
        )
        differences += found
        if checked:
            say(checked)
    except (AttributeError, KeyError, TypeError, ValueError, ZeroDivisionError) as error:
        say(f"审计包中的文件格式不对，无法复核：{error!r}")
        say("结论：未通过")
        return False
    if differences:
        say(f"复核结果：与结果文件不符 {len(differences)} 处：")
        for difference in differences:
            say(f"  {difference}")
        say("结论：未通过")
        return False
    hidden = sum(1 for e in payload["departments"] if e.get("suppressed") is True)
    say(
        f"复核计票：{len(recounted) - hidden} 个部门的每个数字都与结果文件一致"
        + (
            f"（另有 {hidden} 个部门计票不足 {rule.get('suppression_k')} 张，按规定不公布，未复核）"
            if hidden
            else ""
        )
    )
    if public_key is not None:
        say("结论：通过")
    return True


def _json(files: dict[str, bytes], name: str) -> Any:
    try:
        return json.loads(files[name].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise Unreadable(f"{name} 不是有效的 JSON：{error}") from None


def _components(data: bytes) -> dict[str, dict[str, Fraction]]:
    found: dict[str, dict[str, Fraction]] = {}
    for row in csv.DictReader(io.StringIO(data.decode("utf-8"))):
        found.setdefault(row["component"], {})[row["department"]] = Fraction(row["score"])
    return found


def _compare(
    entries: list[Any],
    recounted: dict[str, dict[str, Any]],
    rule: dict[str, Any],
    counts: dict[str, Any],
    ballots: list[Ballot],
) -> list[str]:
    found: list[str] = []
    published = {e["department"]: e for e in entries if isinstance(e, dict) and "department" in e}
    for department in sorted(recounted.keys() - published.keys()):
        found.append(f"结果文件中缺少部门 {department}（计分规则中有此部门）")
    for department in sorted(published.keys() - recounted.keys()):
        found.append(f"结果文件中多出部门 {department}（计分规则中没有）")
    k = int(rule.get("suppression_k", 0))
    with_ballots = {b.department for b in ballots}
    for department in sorted(published.keys() & recounted.keys()):
        entry, truth, who = published[department], recounted[department], _who(published[department])
        if entry.get("suppressed") is True:
            if department in with_ballots:
                found.append(f"{who} 标为不公布（计票不足 {k} 张），ballots.csv 中却有它的票")
            if entry.get("group") != truth["group"]:
                found.append(
                    f"{who} 部门组：结果文件中为 {entry.get('group')}，计分规则中为 {truth['group']}"
                )
            continue
        if 0 < truth["returned"] < k:
            found.append(f"{who} 只有 {truth['returned']} 张计票，少于 {k} 张，本应不公布")
        if not isinstance(counts.get(department), dict) or counts[department].get("suppressed") is not False:
            found.append(f"{who} counts.json 中缺少它的作废、改票数")
        for key, label in NUMBERS:
            if not _same(entry.get(key), truth[key]):
                found.append(
                    f"{who} {label}：结果文件中为 {_shown(entry.get(key))}，复核为 {_shown(truth[key])}"
                )
        claimed = entry.get("level_counts")
        levels: dict[str, Any] = claimed if isinstance(claimed, dict) else {}
        for choice in sorted(set(levels) | set(truth["level_counts"])):
            if not _same(levels.get(choice), truth["level_counts"].get(choice)):
                found.append(
                    f"{who}「{choice}」票数：结果文件中为 {_shown(levels.get(choice))}，"
                    f"复核为 {_shown(truth['level_counts'].get(choice))}"
                )
    found += _ranking(published, recounted)
    return found


def _ranking(published: dict[str, Any], recounted: dict[str, dict[str, Any]]) -> list[str]:
    """§4 within each group. A suppressed department (fewer than k ballots) shows no place and no rank, and
    its ballots are not in the bundle: every other one must stand in the recounted order among the shown
    ones, and its rank must leave room for no more departments than are hidden above it."""
    found: list[str] = []
    groups: dict[str, list[str]] = {}
    for department, truth in recounted.items():
        if department in published:
            groups.setdefault(truth["group"], []).append(department)
    for group, members in sorted(groups.items()):
        open_ = [d for d in members if published[d].get("suppressed") is not True]
        hidden = len(members) - len(open_)
        places = {d: published[d].get("position") for d in open_}
        numbers = [p for p in places.values() if isinstance(p, int) and not isinstance(p, bool)]
        if (
            len(numbers) != len(open_)
            or len(set(numbers)) != len(numbers)
            or not set(numbers) <= set(range(1, len(members) + 1))
        ):
            found.append(f"部门组 {group}：排列位置应为 1 到 {len(members)} 之间互不相同的整数")
            continue
        shown = sorted(open_, key=lambda d: places[d])
        expected = sorted(open_, key=lambda d: order_key(recounted[d], d))
        if shown != expected:
            found.append(
                f"部门组 {group}：排列顺序应为 {'、'.join(expected)}（复核），结果文件中为 {'、'.join(shown)}"
            )
        ranked = [d for d in shown if recounted[d].get("status") == "ranked"]
        for department in shown:
            entry, truth = published[department], recounted[department]
            if truth.get("status") != "ranked":
                if entry.get("rank") is not None:
                    found.append(
                        f"{_who(entry)} 组内名次：结果文件中为 {entry.get('rank')}，复核为 无（不排名）"
                    )
                continue
            better = sum(1 for d in ranked if recounted[d]["final"] > truth["final"])
            lowest, highest = better + 1, ranked.index(department) + 1 + hidden
            rank = entry.get("rank")
            if not isinstance(rank, int) or isinstance(rank, bool) or not lowest <= rank <= highest:
                allowed = str(lowest) if lowest == highest else f"{lowest} 到 {highest}"
                found.append(f"{_who(entry)} 组内名次：结果文件中为 {_shown(rank)}，复核为 {allowed}")
    return found


def _checkpoints(
    documents: Any, payload: dict[str, Any], key: str | None, given: bool, say: Say
) -> list[str]:
    """Each checkpoint signed with ``key`` (the --public-key when ``given``, else the results' own key);
    the one at the results' position has its chain value."""
    if not isinstance(documents, list):
        return ["checkpoints.json 应为签名检查点的列表"]
    found = []
    for document in documents:
        inner = document.get("payload") if isinstance(document, dict) else None
        where = inner.get("position") if isinstance(inner, dict) else "?"
        if key is None or not valid(document, key):
            whose = "--public-key 给出的公钥" if given else "结果文件的公钥"
            found.append(f"事件位置 {where} 的检查点签名无效，或不是用{whose}签名")
        elif (
            isinstance(inner, dict)
            and where == payload.get("event_position")
            and inner.get("head") != payload.get("chain_head")
        ):
            found.append(f"事件位置 {where} 的检查点链头与结果文件中的链值不符")
    if not found:
        whose = "都是 --public-key 给出的公钥签的" if given else "与结果文件的公钥一致（签名人未核对）"
        say(f"检查点：{len(documents)} 个，签名都有效，{whose}")
    return found


def _same(claimed: Any, actual: Any) -> bool:
    return type(claimed) is type(actual) and bool(claimed == actual)


def _who(entry: dict[str, Any]) -> str:
    name, key = entry.get("name"), entry.get("department")
    return f"{name}（{key}）" if name and name != key else str(key)


def _shown(value: Any) -> str:
    return "无" if value is None else "参与排名" if value == "ranked" else str(value)
