"""The web's read path: an asyncpg pool over the read models (never the event table)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg

from storage.settings import Settings

T = TypeVar("T")


class ReadModels:
    """Queries of the read-model tables. Each page module adds its own queries as functions taking this."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    @classmethod
    async def connect(cls, settings: Settings, size: int = 10) -> ReadModels:
        pool = await asyncpg.create_pool(
            settings.database_url,
            min_size=1,
            max_size=size,
            server_settings={"search_path": settings.schema},
            init=codecs,
        )
        return cls(pool)

    async def close(self) -> None:
        await self.pool.close()

    async def run(self, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        """``work`` on one connection (several queries of one page or snapshot). Read-only: the standby's
        read path (web/platform/standby.py) may run it there, or run it again on the primary."""
        async with self.pool.acquire() as conn:
            return await work(conn)

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.run(lambda conn: conn.fetch(query, *args))
        return rows

    async def fetchrow(self, query: str, *args: Any) -> asyncpg.Record | None:
        row: asyncpg.Record | None = await self.run(lambda conn: conn.fetchrow(query, *args))
        return row

    async def fetchval(self, query: str, *args: Any) -> Any:
        return await self.run(lambda conn: conn.fetchval(query, *args))

    async def create_own_table(self, name: str, *statements: str) -> None:
        """One of the web's own small tables: ``statements`` (its declaration, then any clean-up) in one
        transaction under an advisory lock on its name. Several processes (and requests) may come at once, and
        two concurrent ``CREATE TABLE IF NOT EXISTS`` collide in PostgreSQL's catalogue."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", name)
            for statement in statements:
                await conn.execute(statement)

    async def execute(self, query: str, *args: Any) -> str:
        """Only for the web's own small tables (login throttling), never for read models or events."""
        async with self.pool.acquire() as conn:
            status: str = await conn.execute(query, *args)
            return status


async def codecs(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    await conn.set_type_codec("json", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
