"""密钥核对 — the store refuses keys that are not its own.

Ballots are found again by an id derived from the pseudonym key, and the chain, the login codes and the
signatures from the server key. Opened with other keys (a backup restored without ``keys/``, a
``DATABASE_URL`` beside another data folder's keys), the platform would not fail: it would take a
representative's changed vote as a second ballot, and ``sanmin verify`` would call every event tampered.

So the store keeps, per key, a check value — ``HMAC(key, LABEL ‖ name)``, never the key, of no use for
deriving anything — in the table ``sanmin_key_checks`` of its schema, recorded at its first use, and
every process that opens it compares its keys with them before anything else
(``storage.settings.Settings.from_environment``). A store with events but no check value yet (made by an
earlier version) records them at its next start, after the server key is seen to reproduce the last
link of the event chain; keys made just now are never recorded into a store that already has events.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import psycopg
from psycopg import sql

from storage.chain import GENESIS, chain_key, link
from storage.refused import StartRefused

TABLE = "sanmin_key_checks"
LABEL = b"sanmin key check\x1f"
EVENTS = "evaluation_events"
NAMES = {"server": "server.key", "pseudonym": "pseudonym.key"}
"""Each check value's name and the key file it checks (or its variable: ``where``)."""


class KeysRefused(StartRefused):
    """The keys are not the store's."""


def check_value(key: bytes, name: str) -> bytes:
    return hmac.new(key, LABEL + name.encode(), hashlib.sha256).digest()


def check_keys(
    url: str, schema: str, keys: dict[str, bytes], created: list[str], where: str, renew: str = ""
) -> None:
    """Compares ``keys`` (name → key: ``server``, ``pseudonym``) with the store's check values, recording
    those it lacks; ``created``: the names of the keys made by this process just now; ``where``: where the
    keys come from, for the message; ``renew``: a name whose check value is replaced by this key's
    (``sanmin keys new-pseudonym``, after the pseudonym key was destroyed on purpose). Raises
    KeysRefused on any mismatch."""
    mine = {name: check_value(key, name) for name, key in keys.items()}
    with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
        # One process at a time: `sanmin run` starts its web workers and the projection together, and two
        # concurrent CREATE … IF NOT EXISTS of one table collide (pg_type's unique index) on a fresh store.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{schema}.{TABLE}",))
        ident = sql.Identifier(schema)
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(ident))
        conn.execute(
            sql.SQL("CREATE TABLE IF NOT EXISTS {}.{} (name text PRIMARY KEY, value bytea NOT NULL)").format(
                ident, sql.Identifier(TABLE)
            )
        )
        stored = _stored(conn, schema)
        missing = [name for name in mine if name not in stored]
        if missing:
            if _has_events(conn, schema):
                fresh = [NAMES[name] for name in missing if name in created]
                if fresh:
                    raise KeysRefused(_fresh_message(fresh, where))
                if "server" in missing and not _chain_agrees(conn, schema, keys["server"]):
                    raise KeysRefused(_wrong_message(["server.key"], where))
            insert = sql.SQL("INSERT INTO {}.{} (name, value) VALUES (%s, %s) ON CONFLICT DO NOTHING")
            for name in missing:
                conn.execute(insert.format(ident, sql.Identifier(TABLE)), (name, mine[name]))
            stored = _stored(conn, schema)
        if renew and hmac.compare_digest(stored["server"], mine["server"]):
            replace = sql.SQL("UPDATE {}.{} SET value = %s WHERE name = %s")
            conn.execute(replace.format(ident, sql.Identifier(TABLE)), (mine[renew], renew))
            stored[renew] = mine[renew]
    wrong = [name for name, value in mine.items() if not hmac.compare_digest(stored[name], value)]
    if [name for name in wrong if name not in created]:
        raise KeysRefused(_wrong_message([NAMES[name] for name in wrong], where))
    if wrong:
        raise KeysRefused(_fresh_message([NAMES[name] for name in wrong], where))


def _stored(conn: psycopg.Connection[Any], schema: str) -> dict[str, bytes]:
    query = sql.SQL("SELECT name, value FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(TABLE))
    return {str(name): bytes(value) for name, value in conn.execute(query).fetchall()}


def _has_events(conn: psycopg.Connection[Any], schema: str) -> bool:
    if conn.execute("SELECT to_regclass(%s)", (f'"{schema}"."{EVENTS}"',)).fetchone() == (None,):
        return False
    query = sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(schema, EVENTS))
    row = conn.execute(query).fetchone()
    return bool(row and row[0])


def _chain_agrees(conn: psycopg.Connection[Any], schema: str, server_key: bytes) -> bool:
    """The server key reproduces the chain's value of the last event (storage/chain.py); no chain: True."""
    chain = sql.Identifier(schema, f"{EVENTS}_chain")
    events = sql.Identifier(schema, EVENTS)
    if conn.execute("SELECT to_regclass(%s)", (f'"{schema}"."{EVENTS}_chain"',)).fetchone() == (None,):
        return True
    last = conn.execute(
        sql.SQL(
            "SELECT e.notification_id, e.originator_id, e.originator_version, e.topic, e.state, c.link "
            "FROM {} e JOIN {} c USING (notification_id) ORDER BY notification_id DESC LIMIT 1"
        ).format(events, chain)
    ).fetchone()
    if last is None:
        return True
    position, originator, version, topic, state, stored = last
    before = conn.execute(
        sql.SQL(
            "SELECT link FROM {} WHERE notification_id < %s ORDER BY notification_id DESC LIMIT 1"
        ).format(chain),
        (position,),
    ).fetchone()
    previous = bytes(before[0]) if before else GENESIS
    expected = link(chain_key(server_key), previous, position, originator, version, topic, bytes(state))
    return hmac.compare_digest(expected, bytes(stored))


def _wrong_message(files: list[str], where: str) -> str:
    return (
        f"拒绝启动：{where}中的 {'、'.join(files)} 不是这个数据库的密钥（与数据库记录的核对值不符）。"
        "请放回与这个数据库一起备份的密钥，不要换用别的密钥。" + _destroyed(files)
    )


def _fresh_message(files: list[str], where: str) -> str:
    return (
        f"拒绝启动：{where}中没有这个数据库的 {'、'.join(files)}（刚才新建的密钥已删除）。"
        "请放回与这个数据库一起备份的密钥（或设置 SANMIN_KEY_DIR 指向存放它们的文件夹）。" + _destroyed(files)
    )


def _destroyed(files: list[str]) -> str:
    if files != ["pseudonym.key"]:
        return ""
    return "若是按 docs/security.md 有意销毁了化名密钥，运行 sanmin keys new-pseudonym 为以后的活动启用新的化名密钥。"
