"""防篡改 — every event row is chained at write time: chain(n) = HMAC(key, chain(n-1) ‖ row n).

The chain rows are written by the recorder in the same transaction as the events, under the event
table's lock, so they follow commit order. The key is derived from the server secret, which is not in
the database: someone who can only edit the database cannot forge the chain, so ``verify`` finds any
altered, inserted, reordered or deleted event row.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

GENESIS = b"\x00" * 32


def chain_key(secret: bytes) -> bytes:
    return hmac.new(secret, b"event-chain", hashlib.sha256).digest()


def link(
    key: bytes,
    previous: bytes,
    notification_id: int,
    originator_id: UUID | str,
    version: int,
    topic: str,
    state: bytes,
) -> bytes:
    """The chain value of one event row, covering the previous value and every column of the row."""
    mac = hmac.new(key, previous, hashlib.sha256)
    for part in (str(notification_id), str(originator_id), str(version), topic):
        mac.update(b"\x1f" + part.encode())
    mac.update(b"\x1f" + state)
    return mac.digest()


def plain_link(
    previous: bytes, notification_id: int, originator_id: UUID | str, version: int, topic: str, state: bytes
) -> bytes:
    """明链 — the same chain without a key: SHA-256 over the previous value and the row's stored bytes.

    Signed checkpoints commit to it (``plain_head``), so whoever is later given the full history can
    check it against them without the server secret (``python -m sanmin_audit --history``)."""
    digest = hashlib.sha256(previous)
    for part in (str(notification_id), str(originator_id), str(version), topic):
        digest.update(b"\x1f" + part.encode())
    digest.update(b"\x1f" + state)
    return digest.digest()


@dataclass(frozen=True)
class Finding:
    """One thing ``verify`` found wrong, at an event position."""

    position: int
    problem: str


def compare(
    key: bytes, rows: Iterator[tuple[int, UUID, int, str, bytes]], chain: dict[int, bytes]
) -> list[Finding]:
    """Recomputes the chain over the event rows (in position order) and compares it with the stored one."""
    findings: list[Finding] = []
    order = sorted(chain)
    before = {p: chain[order[i - 1]] if i else GENESIS for i, p in enumerate(order)}
    seen: set[int] = set()
    for position, originator, version, topic, state in rows:
        seen.add(position)
        stored = chain.get(position)
        if stored is None:
            findings.append(Finding(position, "事件行不在哈希链中（被插入）"))
            continue
        expected = link(key, before[position], position, originator, version, topic, state)
        if not hmac.compare_digest(expected, stored):
            findings.append(Finding(position, "事件行内容或顺序与哈希链不符（被修改或调换）"))
    findings += [
        Finding(p, "哈希链中有此事件，但事件行已不存在（被删除）") for p in sorted(set(chain) - seen)
    ]
    return sorted(findings, key=lambda f: f.position)
