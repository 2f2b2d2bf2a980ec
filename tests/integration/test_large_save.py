"""A save of many megabytes ends: psycopg's pipeline left such a statement half-sent and both ends waited.

A round created from a workbook with 18,000 representatives is one save of about 15 MB; before
``storage.recorder.send_all`` it hung for ever, PostgreSQL waiting in ClientRead for the rest of the
statement (here: the 24 MB save hung; 8 MB went out whole on this machine's loopback).
"""

from __future__ import annotations

import os
import threading
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent

from evaluation.application import EvaluationApp
from storage.settings import Settings


@pytest.mark.parametrize("events", [20_000, 60_000])
def test_a_save_of_megabytes_is_written_whole_and_chained(
    app: EvaluationApp, settings: Settings, events: int
) -> None:
    stored = [StoredEvent(uuid4(), 1, "tests.large:Filler", os.urandom(400)) for _ in range(events)]
    recorder: Any = app.recorder
    outcome: dict[str, Any] = {}

    def save() -> None:
        outcome["ids"] = recorder.insert_events(stored)

    saving = threading.Thread(target=save, daemon=True)
    saving.start()
    saving.join(timeout=60)
    assert not saving.is_alive(), f"a save of {events * 400 / 1e6:.0f} MB did not end within a minute"
    assert len(outcome["ids"]) == events
    with psycopg.connect(settings.database_url, options=settings.pg_options) as conn:
        written = conn.execute("SELECT count(*) FROM evaluation_events WHERE topic = 'tests.large:Filler'")
        chained = conn.execute(
            "SELECT count(*) FROM evaluation_events e JOIN evaluation_events_chain c USING (notification_id)"
            " WHERE e.topic = 'tests.large:Filler'"
        )
        assert (written.fetchone() or [0])[0] == events
        assert (chained.fetchone() or [0])[0] == events
