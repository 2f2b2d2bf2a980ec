"""A table kept beside the event log (报告附件, 待交留名建议): created if missing, reached by a connection per call."""

from __future__ import annotations

from typing import Any, ClassVar

import psycopg


class SideTable:
    """Creates its ``SCHEMA`` (in the deployment's schema) when made; each call opens its own autocommit
    connection."""

    SCHEMA: ClassVar[str]

    def __init__(self, database_url: str, schema: str = "public") -> None:
        self.database_url = database_url
        self.options = f"-c search_path={schema}"
        with self._connect() as conn:
            conn.execute(self.SCHEMA)

    def _connect(self) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(self.database_url, autocommit=True, options=self.options)
