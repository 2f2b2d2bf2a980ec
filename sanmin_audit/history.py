"""完整事件历史的核验 — a full event history (``sanmin history-export``) against signed checkpoints.

Each line of the history is one stored event row: ``{"position", "originator_id", "version", "topic",
"state"}`` with ``state`` the stored bytes in base64. The plain chain is
``plain(n) = SHA-256(plain(n-1) ‖ 0x1f position ‖ 0x1f originator_id ‖ 0x1f version ‖ 0x1f topic ‖ 0x1f state)``
from 32 zero bytes, over the rows in position order; each checkpoint signed its value (``plain_head``) and
the number of rows (``count``) at its position. No secret is needed.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from sanmin_audit.signature import valid

GENESIS = b"\x00" * 32
Say = Callable[[str], None]


def plain_link(previous: bytes, row: dict[str, Any]) -> bytes:
    digest = hashlib.sha256(previous)
    for part in (str(row["position"]), str(row["originator_id"]), str(row["version"]), str(row["topic"])):
        digest.update(b"\x1f" + part.encode())
    digest.update(b"\x1f" + base64.b64decode(row["state"]))
    return digest.digest()


def rows_of(lines: Iterable[str]) -> Iterable[dict[str, Any]]:
    for line in lines:
        if line.strip():
            row: dict[str, Any] = json.loads(line)
            yield row


def check(
    rows: Iterable[dict[str, Any]], checkpoints: list[Any], public_key: str | None = None, say: Say = print
) -> bool:
    """True when every signed checkpoint's plain chain value and row count match the history."""
    wanted: dict[int, dict[str, Any]] = {}
    problems: list[str] = []
    for document in checkpoints:
        payload = document.get("payload") if isinstance(document, dict) else None
        key = public_key or (document.get("public_key") if isinstance(document, dict) else None)
        if not isinstance(payload, dict) or not valid(document, key):
            problems.append("有一个检查点的签名无效")
        elif "plain_head" not in payload:
            say(f"事件位置 {payload.get('position')} 的检查点早于明链，没有 plain_head，跳过")
        else:
            wanted[int(payload["position"])] = payload
    value, counted, last = GENESIS, 0, 0
    for row in rows:
        position = int(row["position"])
        if position <= last:
            problems.append(f"事件位置 {position} 的顺序不对（重复或倒序）")
            continue
        value, counted, last = plain_link(value, row), counted + 1, position
        payload = wanted.pop(position, None)
        if payload is None:
            continue
        if payload["plain_head"] != value.hex():
            problems.append(f"事件位置 {position}：明链值与签名检查点不符（之前的事件被改动、插入或删除）")
        elif int(payload["count"]) != counted:
            problems.append(
                f"事件位置 {position}：检查点记有 {payload['count']} 条事件，历史中有 {counted} 条"
            )
    for position in sorted(wanted):
        problems.append(f"事件位置 {position}：检查点所在的事件不在历史中（尾部被删除）")
    for problem in problems:
        say(problem)
    say(
        f"已核验 {counted} 条事件："
        + ("与签名检查点一致" if not problems else f"发现 {len(problems)} 处问题")
    )
    return not problems
