"""suggestions_view's answer, the day it was first given and the opinion the suggestion becomes: the same
whether the answer came in the batch that wrote the row or in later ones, across a restart, and after a
rebuild (``projections.fold_votes``; what reads them: ``projections.opinion_answers``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate

from evaluation.application import EvaluationApp
from evaluation.opinion import opinion_id
from evaluation.opinion_handling import OpinionSource, source_key
from projections.maintenance import rebuild_views
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_projection_helpers import dump_views, query


class Clock:
    """The events' clock, set to a day (a suggestion's answer is stamped with its day only)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def day(self, day: int, hour: int = 10, minute: int = 30) -> None:
        """The moment ``day`` December 2026 at ``hour``:``minute`` UTC."""
        moment = datetime(2026, 12, day, hour, minute, tzinfo=UTC)
        self.monkeypatch.setattr(Aggregate.Event, "create_timestamp", staticmethod(lambda: moment))


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    yield Clock(monkeypatch)


def signed(app: EvaluationApp, round_: SmallRound) -> tuple[UUID, UUID]:
    """Alice and Bob each sign a suggestion for fgw, recorded at the window's close."""
    app.open_window(round_.key, "fgw", by=ORGANISER)
    alice = app.sign_suggestion(round_.alice, "fgw", uuid4().hex, "建议增设夜间办事窗口")
    bob = app.sign_suggestion(round_.bob, "fgw", uuid4().hex, "建议周末开放政务大厅")
    app.close_window(round_.key, "fgw", by=ORGANISER)
    return alice, bob


def rows(settings: Settings) -> dict[UUID, dict[str, object]]:
    found = query(settings, "SELECT suggestion_id, answer, answered_on, opinion_id FROM suggestions_view")
    return {r["suggestion_id"]: r for r in found}


def test_the_first_answer_s_day_and_the_last_answer_are_kept_in_every_batch_and_rebuilt_alike(
    app: EvaluationApp, small_round: SmallRound, settings: Settings, clock: Clock
) -> None:
    with Projector(settings) as projector:
        alice, _ = signed(app, small_round)
        projector.catch_up()  # Alice's row is written before it is answered
        clock.day(1)
        app.answer_suggestion(alice, "fgw", "第一次答复", by="department:fgw")
        projector.catch_up()
        clock.day(3)
        app.answer_suggestion(alice, "fgw", "第二次答复", by="department:fgw")
        clock.day(5)
        app.answer_suggestion(alice, "fgw", "第三次答复", by="department:fgw")
        projector.catch_up()
    with Projector(settings) as projector:  # a restart: the state is read back from the views
        clock.day(2)
        app.open_window(small_round.key, "kjj", by=ORGANISER)
        carol = app.sign_suggestion(small_round.carol, "kjj", uuid4().hex, "建议公布科技项目申报时间")
        app.close_window(small_round.key, "kjj", by=ORGANISER)
        app.answer_suggestion(
            carol, "kjj", "已公布", by="department:kjj"
        )  # twice before the projection catches up
        clock.day(4)
        app.answer_suggestion(carol, "kjj", "已在网站公布", by="department:kjj")
        projector.catch_up()
    found = rows(settings)
    assert (found[alice]["answer"], found[alice]["answered_on"]) == ("第三次答复", "2026-12-01")
    assert (found[carol]["answer"], found[carol]["answered_on"]) == ("已在网站公布", "2026-12-02")
    unanswered = [r for s, r in found.items() if s not in (alice, carol)]
    assert [(r["answer"], r["answered_on"]) for r in unanswered] == [(None, None)]

    app.collect_opinions(
        small_round.key, [OpinionSource("suggestion", str(alice), "fgw", "建议增设夜间办事窗口")], ORGANISER
    )
    with Projector(settings) as projector:
        projector.catch_up()
    collected = query(settings, "SELECT opinion_id FROM opinions_view")
    assert [r["opinion_id"] for r in collected] == [found[alice]["opinion_id"]]
    assert all(
        r["opinion_id"] == opinion_id(source_key("r2026", "suggestion", str(s))) for s, r in found.items()
    )

    projected = dump_views(settings)
    rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == projected


def test_an_answer_given_early_in_the_morning_in_beijing_is_dated_by_beijing_s_day(
    app: EvaluationApp, small_round: SmallRound, settings: Settings, clock: Clock
) -> None:
    """06:05 on 8 December in Beijing is still 7 December in UTC: the answer (and its event's day stamp) is
    the 8th's, the day the department answered on, as its deadline is counted."""
    alice, _ = signed(app, small_round)
    clock.day(7, hour=22, minute=5)
    app.answer_suggestion(alice, "fgw", "已增设夜间窗口", by="department:fgw")
    stamp = list(app.repository.event_store.get(alice))[-1].timestamp
    assert stamp == datetime(2026, 12, 7, 16, 0, tzinfo=UTC)  # 00:00 on the 8th in Beijing
    with Projector(settings) as projector:
        projector.catch_up()
    assert rows(settings)[alice]["answered_on"] == "2026-12-08"
