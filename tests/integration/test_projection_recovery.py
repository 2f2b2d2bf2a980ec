"""Exactly once across crashes and restarts: a projection stopped mid-stream resumes to the same views as a rebuild."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from typing import Any
from uuid import uuid4

import pytest

from evaluation.application import EvaluationApp
from projections.audit import recount_events, recount_listing
from projections.batch import Batch
from projections.maintenance import compare, rebuild_views
from projections.projection import ProjectionStopped, ViewsProjection
from projections.runner import Projector
from projections.view_store import ViewRecorder
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_projection_helpers import dump_views, query


class SimulatedCrash(Exception):
    pass


class SmallBatches(ViewsProjection):
    """Deterministic batches of 20 events, written by the runner's thread only."""

    max_batch = 20
    linger = 60.0


class CrashOnThirdBatch(ViewRecorder):
    """Raises inside the third batch's transaction, after every row was written, before the commit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batches = 0

    def before_commit(self, batch: Batch) -> None:
        self.batches += 1
        if self.batches == 3:
            raise SimulatedCrash(f"crash at position {batch.position}")


def busy_round(app: EvaluationApp, small: SmallRound, voters: int = 12) -> None:
    """Ballots, amendments, a void, a revocation and a reopened window in sitting s1."""
    reps = [small.alice, small.bob]
    reps += [
        app.register_representative("r2026", f"代表{i}", "resident", "main", "s1", by=ORGANISER)[0]
        for i in range(voters)
    ]
    choices = itertools.cycle(
        ["satisfied", "fairly_satisfied", "dissatisfied", "unknown", "basically_satisfied"]
    )
    for department in ("fgw", "swj"):
        app.open_window("r2026", department, by=ORGANISER)
        receipts = [
            app.cast_ballot(rep, department, uuid4().hex, next(choices), comment="意见") for rep in reps
        ]
        app.cast_ballot(reps[2], department, uuid4().hex, "satisfied")
        app.void_ballot(receipts[3].ballot_id, by=ORGANISER, reason="举报属实")
        app.close_window("r2026", department, by=ORGANISER)
    app.reopen_window("r2026", "swj", by=ORGANISER, reason="设备故障补评")
    app.cast_ballot(reps[5], "swj", uuid4().hex, "dissatisfied")
    app.revoke_credential(reps[-1], by=ORGANISER, reason="证件遗失")
    app.close_window("r2026", "swj", by=ORGANISER)


def events_with_history(app: EvaluationApp) -> int:
    topics = [n.topic for n in app.recorder.select_notifications(start=1, limit=100_000)]
    return sum(1 for t in topics if "CredentialIndex" not in t)


def history_lines(views: dict[str, list[dict[str, Any]]]) -> int:
    """The lines of the organiser's history: history_view rows, and receipts_view rows (ballot versions)."""
    return len(views["history"]) + len(views["receipts"])


LAST_IN_HISTORY = (
    "SELECT greatest((SELECT max(position) FROM history_view),"
    " (SELECT max(position) FROM receipts_view)) AS p"
)


def test_a_crash_inside_a_batch_then_a_restart_gives_the_views_of_a_clean_rebuild(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    busy_round(app, small_round)
    last = app.recorder.max_notification_id() or 0
    with (
        pytest.raises((SimulatedCrash, ProjectionStopped)),
        Projector(settings, projection_class=SmallBatches, view_class=CrashOnThirdBatch) as crashing,
    ):
        crashing.wait(last, timeout=10)
    (tracked,) = query(
        settings, "SELECT notification_id FROM views_tracking WHERE application_name = 'evaluation'"
    )
    assert tracked["notification_id"] < last
    assert query(settings, LAST_IN_HISTORY)[0]["p"] == tracked["notification_id"]

    with Projector(settings, projection_class=SmallBatches) as restarted:
        assert restarted.projection.position == tracked["notification_id"]
        restarted.stop()  # a graceful stop writes what is pending
    with Projector(settings) as resumed:
        resumed.catch_up()
    resumed_views = dump_views(settings)
    assert history_lines(resumed_views) == events_with_history(app)
    assert compare(settings).matches

    rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == resumed_views


def test_a_projection_stopped_while_ballots_keep_coming_resumes_without_counting_twice(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    with Projector(settings) as first:
        busy_round(app, small_round, voters=4)
        first.wait(app.recorder.max_notification_id() or 0)
    app.open_window("r2026", "kjj", by=ORGANISER)
    app.cast_ballot(small_round.carol, "kjj", uuid4().hex, "fairly_satisfied")  # while no projector runs
    with Projector(settings) as second:
        position = app.cast_ballot(small_round.carol, "kjj", uuid4().hex, "satisfied").position
        second.wait(position)
    (kjj,) = query(settings, "SELECT returned, tally FROM results_view WHERE department = 'kjj'")
    assert (kjj["returned"], kjj["tally"]["score"]) == (1, "100.000")
    assert recount_listing(recount_events(app)) == compare(settings).from_views
    assert history_lines(dump_views(settings)) == events_with_history(app)


@pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="uses the public schema of the database"
)
def test_the_projection_process_resumes_after_sigterm(database_url: str, tmp_path: Any) -> None:
    from storage.bootstrap import build_app

    settings = Settings(database_url, tmp_path, b"a test secret that is long enough")  # public schema
    app = build_app(settings)
    key = f"p{uuid4().hex[:8]}"
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SANMIN_DATA_DIR": str(tmp_path),
        "SANMIN_SECRET": settings.secret.decode(),
    }
    try:
        app.create_round(key, "进程测试", by=ORGANISER, check_in_required=False)
        for attempt in range(2):
            process = subprocess.Popen(
                [sys.executable, "-m", "projections.process"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            app.define_group(key, f"g{attempt}", f"组{attempt}", by=ORGANISER)
            position = app.recorder.max_notification_id() or 0
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not _tracked(settings, position):
                time.sleep(0.1)
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=30)
            assert process.returncode == 0, err
            assert "读模型投影已停止" in out
        (row,) = query(settings, "SELECT groups FROM rounds_view WHERE round_key = %s", key)
        assert row["groups"] == {"g0": "组0", "g1": "组1"}
    finally:
        app.close()


def _tracked(settings: Settings, position: int) -> bool:
    try:
        rows = query(
            settings, "SELECT notification_id FROM views_tracking WHERE application_name = 'evaluation'"
        )
    except Exception:  # noqa: BLE001 - the table appears when the process starts
        return False
    return bool(rows) and rows[0]["notification_id"] >= position
