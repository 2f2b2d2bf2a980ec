"""代表会话表 — the table of representatives' sessions (web/platform/representative_sessions.py keeps it),
declared here because the ballot writer reads it too: a ballot whose session ended is refused inside the
writer, by one query per batch (``live_among``) that runs after the ballot reached the web, so an end
committed before it is always seen, whatever the web process's cache held.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

IDLE = timedelta(minutes=60)
"""A session with no request for this long is over. Three times the tablet's own hand-back after 20 minutes
untouched (web/tablet/page.py ``IDLE_MINUTES``), so a tablet in use never meets it, and longer than a hall's
Wi-Fi outage that a sitting carries on through; a copied cookie of a tablet switched off unreturned dies in
an hour, not at the end of a half-day sitting."""

TABLE = """
CREATE TABLE IF NOT EXISTS web_representative_sessions (
    session_id         text PRIMARY KEY,
    representative_id  uuid NOT NULL,
    round_key          text NOT NULL,
    started_at         timestamptz NOT NULL DEFAULT now(),
    last_seen          timestamptz NOT NULL DEFAULT now(),
    ended_at           timestamptz,
    ended_by           text,
    ended_why          text
);
CREATE INDEX IF NOT EXISTS web_representative_sessions_live
    ON web_representative_sessions (representative_id) WHERE ended_at IS NULL
"""
"""The one declaration of the sessions table."""

LIVE_WHERE = "ended_at IS NULL AND last_seen > now() - $2::interval"
"""A session goes on: not ended, and not idle (``$2`` the idle limit)."""

LIVE_AMONG = SQL(
    "SELECT session_id FROM {schema}.web_representative_sessions "
    "WHERE session_id = ANY(%s) AND ended_at IS NULL AND last_seen > now() - %s::interval"
)


def live_among(datastore: Any, sessions: set[str], idle: timedelta = IDLE) -> set[str]:
    """Which of ``sessions`` go on, as committed now (the writer's psycopg pool, its deployment's schema)."""
    statement = LIVE_AMONG.format(schema=Identifier(datastore.schema))
    with datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
        curs.execute(statement, (list(sessions), idle), prepare=True)
        return {row[0] for row in curs.fetchall()}
