"""签名检查点 — the chain's head and length, signed at every window close, lock and publication.

The chain (storage/chain.py) shows any row altered, inserted or removed *before* the last chain row kept;
someone who deletes the log's tail, events and chain rows together, leaves a shorter chain that is
intact. A checkpoint says "the chain had ``count`` rows and ended at ``position`` with value ``head``",
signed with the results' signing key (storage/signing.py: from the server secret, not in the database).
``sanmin verify`` checks the chain against every checkpoint it can find: the database's table, the copies
written to the data folder's ``checkpoints/`` and any the auditor kept (the projector and the receipts
page show the latest). A tail removed after a checkpoint was taken is then found.

Each checkpoint also commits to the plain SHA-256 chain over the events' stored bytes
(``storage.chain.plain_link``; ``plain_head``), carried on from the previous checkpoint's, so that an
auditor given the full history can check it against the published checkpoints without the server secret.

A checkpoint is taken just after the transaction that recorded a close, a lock or a publication
(its own short transaction, never inside a ballot's), from the chain as committed then.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.utils import get_topic
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from evaluation.round import Round
from evaluation.window import ScoringWindow
from storage.chain import GENESIS, Finding, plain_link
from storage.signing import check, sign

KIND = "sanmin-checkpoint"
TOPICS = {
    get_topic(getattr(ScoringWindow, "Closed")): "window_closed",  # noqa: B009 - made by @event
    get_topic(getattr(Round, "ResultsLocked")): "results_locked",  # noqa: B009
    get_topic(getattr(Round, "ResultsPublished")): "results_published",  # noqa: B009
}


def reason_of(topics: Iterable[str]) -> str | None:
    """Why the save of events with these topics calls for a checkpoint, if it does."""
    return next((TOPICS[t] for t in topics if t in TOPICS), None)


class Checkpoints:
    def __init__(self, schema: str, events_table: str, chain_table: str, secret: bytes, folder: Path) -> None:
        self.secret = secret
        self.folder = folder
        self.table = SQL("{}.{}").format(Identifier(schema), Identifier(f"{events_table}_checkpoints"))
        self.chain = SQL("{}.{}").format(Identifier(schema), Identifier(chain_table))
        self.events = SQL("{}.{}").format(Identifier(schema), Identifier(events_table))

    def create_table(self, cur: psycopg.Cursor[Any]) -> None:
        cur.execute(
            SQL(
                "CREATE TABLE IF NOT EXISTS {} (position bigint PRIMARY KEY, document jsonb NOT NULL)"
            ).format(self.table)
        )

    def take(self, conn: psycopg.Connection[Any], reason: str) -> dict[str, Any] | None:
        """Signs the committed chain's head and length; stores and files the document."""
        with conn.transaction(), conn.cursor(row_factory=tuple_row) as cur:
            self.create_table(cur)
            head = cur.execute(
                SQL("SELECT notification_id, link FROM {} ORDER BY notification_id DESC LIMIT 1").format(
                    self.chain
                )
            ).fetchone()
            if head is None:
                return None
            before = cur.execute(
                SQL("SELECT document FROM {} ORDER BY position DESC LIMIT 1").format(self.table)
            ).fetchone()
            since, counted = (
                (before[0]["payload"]["position"], before[0]["payload"]["count"]) if before else (0, 0)
            )
            plain_since, plain = (
                (since, bytes.fromhex(before[0]["payload"]["plain_head"]))
                if before and "plain_head" in before[0]["payload"]
                else (0, GENESIS)
            )
            position = int(head[0])
            if position <= since:
                return None
            more = cur.execute(
                SQL("SELECT count(*) FROM {} WHERE notification_id > %s AND notification_id <= %s").format(
                    self.chain
                ),
                (since, position),
            ).fetchone()
            plain = self._plain_head(cur, plain, plain_since, position)
            payload = {
                "kind": KIND,
                "position": position,
                "count": counted + int(more[0]) if more else 0,
                "head": bytes(head[1]).hex(),
                "plain_head": plain.hex(),
                "reason": reason,
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            document = sign(payload, self.secret)
            cur.execute(
                SQL("INSERT INTO {} (position, document) VALUES (%s, %s) ON CONFLICT DO NOTHING").format(
                    self.table
                ),
                (position, json.dumps(document)),
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"checkpoint-{position:012d}.json").write_text(json.dumps(document, indent=2))
        return document

    def _plain_head(self, cur: psycopg.Cursor[Any], plain: bytes, since: int, position: int) -> bytes:
        """The plain chain carried on over the event rows after ``since`` up to ``position``."""
        rows = cur.execute(
            SQL(
                "SELECT notification_id, originator_id, originator_version, topic, state FROM {} "
                "WHERE notification_id > %s AND notification_id <= %s ORDER BY notification_id"
            ).format(self.events),
            (since, position),
        )
        for notification_id, originator, version, topic, state in rows:
            plain = plain_link(plain, notification_id, originator, version, topic, bytes(state))
        return plain

    def stored(self, conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
        """Every checkpoint the database and the data folder hold."""
        with conn.cursor(row_factory=tuple_row) as cur:
            self.create_table(cur)
            rows = cur.execute(SQL("SELECT document FROM {}").format(self.table)).fetchall()
        filed = [json.loads(p.read_text()) for p in sorted(self.folder.glob("checkpoint-*.json"))]
        return [row[0] for row in rows] + filed


def compare_checkpoints(
    chain: dict[int, bytes], documents: list[dict[str, Any]], public_key: str
) -> list[Finding]:
    """Each checkpoint against the chain as stored now: its position still there with the same value,
    and as many chain rows up to it as it counted."""
    findings: list[Finding] = []
    positions = sorted(chain)
    for document in documents:
        payload = document.get("payload") if isinstance(document, dict) else None
        if not isinstance(payload, dict) or payload.get("kind") != KIND or not check(document, public_key):
            findings.append(Finding(0, "检查点的签名无效（不是本服务器签发的检查点）"))
            continue
        position, count = int(payload["position"]), int(payload["count"])
        if position not in chain:
            findings.append(
                Finding(position, f"签名检查点（{payload['reason']}）所在的事件已不存在（日志尾部被删除）")
            )
        elif chain[position].hex() != payload["head"]:
            findings.append(Finding(position, "哈希链与签名检查点不符（被改写）"))
        elif bisect_right(positions, position) != count:
            findings.append(Finding(position, f"检查点之前应有 {count} 条事件，现存数目不符（被删除或插入）"))
    return findings
