"""待交留名建议 — signed suggestions held apart from the event log until their department's window closes.

A signed suggestion carries a name. Recorded when it arrives, it would sit in the log (and in every read
model's positions) right beside the anonymous ballot its author cast a moment before, and one join on the
smallest position gap would name the voter. So a suggestion is first *held* here: one
row per suggestion, with no position, no time and no serial column, keyed by the suggestion's keyed hash
(a resend finds it). When the department's window closes (or, for one whose window had already closed,
when the round's results are locked), ``evaluation.signed_suggestions`` takes every row held for it, records them as
``Suggestion.Submitted`` events in one save together with the close, in a random order, and releases the
rows here. After that the table holds nothing of that department.
"""

from __future__ import annotations

from evaluation.suggestion import HeldSuggestion
from storage.side_table import SideTable

SCHEMA = """
CREATE TABLE IF NOT EXISTS held_suggestions (
    key text PRIMARY KEY,
    round_key text NOT NULL,
    department text NOT NULL,
    representative_id uuid NOT NULL,
    text text NOT NULL
)"""


class HeldSuggestions(SideTable):
    """The store behind ``evaluation.suggestion.SuggestionHold``: a table outside the event log."""

    SCHEMA = SCHEMA

    def hold(self, s: HeldSuggestion) -> None:
        """Held once: a resend with the same key changes nothing."""
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO held_suggestions (key, round_key, department, representative_id, text)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (s.key, s.round_key, s.department, s.representative_id, s.text),
            )

    def is_held(self, key: str) -> bool:
        with self._connect() as conn:
            return (
                conn.execute("SELECT 1 FROM held_suggestions WHERE key = %s", (key,)).fetchone() is not None
            )

    def held(self, round_key: str, department: str | None = None) -> list[HeldSuggestion]:
        """Those held for one department of the round (every department's with ``None``), in key order
        (a keyed hash: no trace of arrival); the caller shuffles them anyway."""
        query = "SELECT key, round_key, department, representative_id, text FROM held_suggestions WHERE round_key = %s"
        params: tuple[str, ...] = (round_key,)
        if department is not None:
            query += " AND department = %s"
            params += (department,)
        with self._connect() as conn:
            rows = conn.execute(query + " ORDER BY key", params).fetchall()
        return [HeldSuggestion(*row) for row in rows]

    def release(self, keys: list[str]) -> None:
        """Once their events are committed: the rows go."""
        if keys:
            with self._connect() as conn:
                conn.execute("DELETE FROM held_suggestions WHERE key = ANY(%s)", (keys,))
