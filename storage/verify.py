"""核验 — recompute the event chain from the stored rows and compare it with the chain written at save time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import psycopg

from evaluation.application import EvaluationApp
from storage.bootstrap import checkpoints_of
from storage.chain import Finding, chain_key, compare
from storage.checkpoints import compare_checkpoints
from storage.recorder import GuardedApplicationRecorder
from storage.settings import Settings
from storage.signing import public_key_text

PAGE = 5_000


def verify_events(
    app: EvaluationApp,
    settings: Settings,
    kept: list[dict[str, Any]] | None = None,
    each_kept: Callable[[dict[str, Any], list[Finding]], None] | None = None,
) -> tuple[int, list[Finding]]:
    """Returns how many event rows were checked and every finding (empty when the history is intact):
    the chain recomputed, and the chain held against every signed checkpoint (storage/checkpoints.py),
    those stored and those ``kept`` by the auditor. ``each_kept(document, findings)`` is told, for each
    kept checkpoint, what was found against it alone (nothing: it matched)."""
    recorder = app.recorder
    assert isinstance(recorder, GuardedApplicationRecorder)
    with psycopg.connect(settings.database_url, options=settings.pg_options) as conn:
        rows = conn.execute(f'SELECT notification_id, link FROM "{recorder.chain_table}"').fetchall()
        checkpoints = checkpoints_of(recorder, settings).stored(conn) + (kept or [])
    chain = {int(position): bytes(value) for position, value in rows}
    counted = [0]
    findings = compare(chain_key(settings.secret), _event_rows(recorder, counted), chain)
    key = public_key_text(settings.secret)
    findings += compare_checkpoints(chain, checkpoints, key)
    for document in kept or []:
        if each_kept is not None:
            each_kept(document, compare_checkpoints(chain, [document], key))
    return counted[0], sorted(findings, key=lambda f: f.position)


def _event_rows(
    recorder: GuardedApplicationRecorder, counted: list[int]
) -> Iterator[tuple[int, UUID, int, str, bytes]]:
    """Every event row in position order, read through the library (never our own SQL on events)."""
    start = 1
    while True:
        page = recorder.select_notifications(start=start, limit=PAGE)
        for n in page:
            counted[0] += 1
            yield n.id, UUID(str(n.originator_id)), n.originator_version, n.topic, n.state
        if len(page) < PAGE:
            return
        start = page[-1].id + 1
