"""The web's read path: an asyncpg pool over the read models (never the event table)."""

from __future__ import annotations

import json
from typing import Any

import asyncpg

from storage.settings import Settings


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
            init=_codecs,
        )
        return cls(pool)

    async def close(self) -> None:
        await self.pool.close()

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        async with self.pool.acquire() as conn:
            rows: list[asyncpg.Record] = await conn.fetch(query, *args)
            return rows

    async def fetchrow(self, query: str, *args: Any) -> asyncpg.Record | None:
        async with self.pool.acquire() as conn:
            row: asyncpg.Record | None = await conn.fetchrow(query, *args)
            return row

    async def fetchval(self, query: str, *args: Any) -> Any:
        async with self.pool.acquire() as conn:
            return await conn.fetchval(query, *args)

    async def execute(self, query: str, *args: Any) -> str:
        """Only for the web's own small tables (login throttling), never for read models or events."""
        async with self.pool.acquire() as conn:
            status: str = await conn.execute(query, *args)
            return status


async def _codecs(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    await conn.set_type_codec("json", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
