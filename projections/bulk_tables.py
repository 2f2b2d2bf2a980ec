"""重建的表 — what a bulk rebuild opens: the projector's lock on the views, the tracking table, and the view
tables dropped and created again (without their keys and indexes, built once their rows are in)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from projections.bulk_schema import unkeyed_tables
from projections.runner import ProjectionBusy, lock_key
from projections.view_store import ViewRecorder
from storage.settings import Settings


class TrackingOnly(ViewRecorder):
    """The views' recorder as a rebuild opens it: it creates the tracking table only. The rebuild drops and
    creates the view tables; the projection's CREATE run on an older version's tables could fail before they
    are dropped."""

    def _create_table(self, curs: Cursor[DictRow]) -> None:
        super(ViewRecorder, self)._create_table(curs)


@contextmanager
def views_lock(settings: Settings) -> Iterator[None]:
    """The projector's advisory lock on the schema's views (``ProjectionBusy`` if another holds it)."""
    settings.ensure_schema()
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        acquired = conn.execute("SELECT pg_try_advisory_lock(%s)", (lock_key(settings.schema),)).fetchone()
        if not acquired or not acquired[0]:
            raise ProjectionBusy(f"模式 {settings.schema} 的读模型投影已在运行")
        yield


def recreate_tables(curs: Cursor[DictRow], recorder: ViewRecorder) -> None:
    """Drop every view table and the tracking row; create the tables without keys or indexes."""
    recorder.drop_views_in(curs)
    curs.execute(SQL("SET LOCAL search_path TO {}").format(Identifier(recorder.datastore.schema)))
    for statement in unkeyed_tables():
        curs.execute(statement.encode())
