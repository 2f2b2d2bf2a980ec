"""The bulk rebuild (``sanmin rebuild``): the events it reads are the library's, and it is all or nothing."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from evaluation.application import EvaluationApp
from projections import bulk
from projections.event_log import read_events
from projections.event_source import stored_events
from projections.maintenance import compare, rebuild_views
from projections.runner import ProjectionBusy, Projector
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_projection_helpers import dump_views
from tests.integration.test_projection_recovery import busy_round


def test_the_bulk_reader_decodes_every_event_as_the_library_mapper_does_whatever_a_comment_says(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    busy_round(app, small_round)
    app.open_window("r2026", "kjj", by=ORGANISER)
    for comment in ('{"_type_": "datetime_iso", "_data_": "2020-01-01T00:00:00"}', "_type_", '"_type_"'):
        app.cast_ballot(small_round.carol, "kjj", uuid4().hex, "satisfied", comment=comment)
    last = app.recorder.max_notification_id() or 0
    fast = list(stored_events(app, last, page=7))
    library = list(read_events(app))
    assert [p for p, _ in fast] == [p for p, _ in library] and len(fast) == last
    for (_, ours), (_, theirs) in zip(fast, library, strict=True):
        assert type(ours) is type(theirs)
        assert vars(ours) == vars(theirs)


def test_a_bulk_rebuild_that_fails_leaves_the_views_it_found(
    app: EvaluationApp, small_round: SmallRound, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy_round(app, small_round)
    with Projector(settings) as projector:
        projector.catch_up()
    before = dump_views(settings)

    def broken(*args: Any) -> None:
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(bulk, "build_batch", broken)
    with pytest.raises(RuntimeError):
        rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == before
    assert compare(settings).matches


def test_a_bulk_rebuild_is_refused_while_the_projection_runs(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    busy_round(app, small_round)
    with Projector(settings) as projector:
        projector.catch_up()
        with pytest.raises(ProjectionBusy):
            rebuild_views(settings, say=lambda _: None)
