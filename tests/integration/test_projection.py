"""The read-model projection against the real PostgreSQL: results, turnout, history, NOTIFY, as-of, recount."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from uuid import uuid4

import asyncpg
import pytest

from evaluation.application import EvaluationApp
from projections.as_of import results_as_of
from projections.audit import recount_events
from projections.feedback import Feedback, NotEnough, department_feedback
from projections.history import ballot_versions_query, history_query
from projections.maintenance import rebuild_views, recount_views
from projections.runner import ProjectionBusy, Projector
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_projection_helpers import cast_worked_example, query, result


@pytest.fixture
def projector(settings: Settings, app: EvaluationApp) -> Iterator[Projector]:
    with Projector(settings) as running:
        yield running


def test_the_worked_example_is_published_through_the_projection(
    app: EvaluationApp, small_round: SmallRound, projector: Projector, settings: Settings
) -> None:
    receipts = cast_worked_example(app)
    projector.wait(receipts[-1].position)
    swj = result(settings, "swj")
    tally = swj["tally"]
    assert (tally["score"], tally["satisfaction_rate"]) == ("60.000", "75.00")
    assert (swj["returned"], tally["valid_votes"], tally["abstentions"]) == (7, 6, 1)
    assert swj["eligible"] == 9  # alice and bob sit in s1 too
    assert tally["level_counts"] == {
        "satisfied": 1,
        "fairly_satisfied": 2,
        "basically_satisfied": 2,
        "dissatisfied": 1,
        "unknown": 1,
    }
    assert [(c["category"], c["mean"], c["satisfied_fraction"]) for c in tally["categories"]] == [
        ("npc", "50", "1/2"),
        ("resident", "70", "1"),
    ]
    (city,) = query(settings, "SELECT ranking FROM rankings_view WHERE group_key = 'city'")
    assert [(line["department"], line["rank"], line["status"]) for line in city["ranking"]] == [
        ("swj", 1, "ranked"),
        ("zjj", None, "无有效票"),
    ]


def test_amendments_voids_and_revocations_change_results_turnout_and_venues(
    app: EvaluationApp, small_round: SmallRound, projector: Projector, settings: Settings
) -> None:
    receipts = cast_worked_example(app)
    app.check_in(small_round.bob, by=ORGANISER)
    app.cast_ballot(small_round.bob, "swj", "bob-device-1", "satisfied")
    app.cast_ballot(small_round.bob, "swj", "bob-device-2", "dissatisfied")  # 改票: the last one counts
    app.void_ballot(receipts[0].ballot_id, by=ORGANISER, reason="冒用他人评议卡")
    app.revoke_credential(small_round.alice, by=ORGANISER, reason="评议卡遗失")
    app.close_window("r2026", "swj", by=ORGANISER)
    projector.catch_up()
    swj = result(settings, "swj")
    assert (swj["eligible"], swj["returned"]) == (8, 7)
    assert swj["tally"]["level_counts"]["satisfied"] == 0
    assert swj["tally"]["level_counts"]["dissatisfied"] == 2
    venues = {row["venue"]: row for row in query(settings, "SELECT * FROM venues_view")}
    assert (venues["main"]["issued"], venues["main"]["checked_in"]) == (8, 0)  # carol sits in s2 at main
    assert (venues["kdl"]["issued"], venues["kdl"]["checked_in"]) == (1, 1)
    assert "returned" not in venues["kdl"]  # a ballot names no venue
    voided = query(
        settings, "SELECT voided, counted FROM ballots_view WHERE ballot_id = %s", receipts[0].ballot_id
    )
    assert voided == [{"voided": True, "counted": False}]
    assert recount_views(settings, say=lambda _: None) == 0


def test_the_projection_notifies_listeners_with_round_and_position(
    app: EvaluationApp, small_round: SmallRound, projector: Projector, settings: Settings
) -> None:
    async def listen() -> str:
        received: asyncio.Queue[str] = asyncio.Queue()
        conn = await asyncpg.connect(settings.database_url)
        await conn.add_listener(settings.channel("sanmin_views"), lambda *args: received.put_nowait(args[3]))
        app.open_window("r2026", "fgw", by=ORGANISER)
        position = (
            await asyncio.to_thread(app.cast_ballot, small_round.alice, "fgw", "notify-01", "satisfied")
        ).position
        try:
            while True:
                payload = await asyncio.wait_for(received.get(), timeout=5)
                round_key, _, at = payload.rpartition(":")
                if round_key == "r2026" and int(at) >= position:
                    return payload
        finally:
            await conn.close()

    assert asyncio.run(listen()).startswith("r2026:")


def test_history_is_filterable_and_never_identifies_a_ballot(
    app: EvaluationApp, small_round: SmallRound, projector: Projector, settings: Settings
) -> None:
    receipts = cast_worked_example(app)
    app.void_ballot(receipts[1].ballot_id, by=ORGANISER, reason="重复投票")
    app.close_window("r2026", "swj", by=ORGANISER)
    projector.catch_up()

    async def fetch(**filters: object) -> list[asyncpg.Record]:
        sql, args = history_query("r2026", **filters)  # type: ignore[arg-type]
        conn = await asyncpg.connect(settings.database_url, server_settings={"search_path": settings.schema})
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    assert asyncio.run(fetch(department="swj", kind="Ballot.Cast")) == []  # never listed one by one

    async def versions() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(settings.database_url, server_settings={"search_path": settings.schema})
        try:
            return list(await conn.fetch(*_flat(ballot_versions_query("r2026", "swj"))))
        finally:
            await conn.close()

    (counted,) = asyncio.run(versions())
    assert (counted["department"], counted["cast"], counted["amended"]) == ("swj", 7, 0)
    assert set(dict(counted)) == {"department", "day", "cast", "amended"}  # no position, no time
    windows = asyncio.run(fetch(kind="ScoringWindow."))
    assert [r["kind"] for r in windows] == [
        "ScoringWindow.Closed",
        "ScoringWindow.Opened",
        "ScoringWindow.Created",
    ]
    (voided,) = asyncio.run(fetch(kind="Ballot.Voided"))
    assert (voided["actor"], voided["reason"], voided["department"]) == (ORGANISER, "重复投票", "swj")
    everything = asyncio.run(fetch(limit=1000))
    assert [r["position"] for r in everything] == sorted((r["position"] for r in everything), reverse=True)
    text = " ".join(str(dict(r)) for r in everything)
    assert "供水管网" not in text and "fairly_satisfied" not in text and receipts[0].code not in text
    older = asyncio.run(fetch(before=everything[0]["position"], limit=1))
    assert older[0]["position"] == everything[1]["position"]


def test_results_as_of_an_earlier_position(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    receipts = cast_worked_example(app)
    app.cast_ballot(small_round.alice, "swj", "alice-late-1", "satisfied")
    app.void_ballot(receipts[1].ballot_id, by=ORGANISER, reason="举报属实")
    then = results_as_of(app, "r2026", receipts[-1].position)["swj"]
    assert (then["score"], then["satisfaction_rate"], then["returned"], then["rank"]) == (
        "60.000",
        "75.00",
        7,
        1,
    )
    now = results_as_of(app, "r2026", app.recorder.max_notification_id() or 0)["swj"]
    assert (now["returned"], now["valid_votes"]) == (7, 6)
    assert now["score"] == "85.000"  # npc: alice 100, satisfied 100 → 100; residents 70
    assert results_as_of(app, "r2026", 1) == {}


def test_feedback_appears_only_from_the_fifth_returned_ballot(
    app: EvaluationApp, small_round: SmallRound, projector: Projector, settings: Settings
) -> None:
    instrument = app.round("r2026").instrument
    app.open_window("r2026", "swj", by=ORGANISER)

    def cast(number: int, comment: str) -> None:
        rep, _ = app.register_representative("r2026", f"代表{number}", "resident", "main", "s1", by=ORGANISER)
        projector.wait(app.cast_ballot(rep, "swj", uuid4().hex, "satisfied", comment=comment).position)

    def feedback() -> Feedback | NotEnough:
        sql = "SELECT choice, comment FROM ballots_view WHERE round_key = %s AND department = %s AND counted"
        rows = query(settings, sql, "r2026", "swj")
        return department_feedback("swj", instrument, [(r["choice"], r["comment"]) for r in rows])

    for number, comment in enumerate(["停水通知要提前", "供水管网改造要加快", "", "办事效率高"]):
        cast(number, comment)
    assert isinstance(feedback(), NotEnough)
    cast(4, "供水服务态度好")
    shown = feedback()
    assert isinstance(shown, Feedback) and shown.returned == 5
    texts = ["停水通知要提前", "供水管网改造要加快", "办事效率高", "供水服务态度好"]
    assert [c.text for c in shown.comments] == sorted(texts)  # by text, not by casting order
    assert shown.level_counts[0] == ("满意", 5)


def test_rebuild_gives_the_same_views_and_recount_catches_a_tampered_view(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    cast_worked_example(app)
    with Projector(settings) as projector:
        projector.catch_up()
    before = query(
        settings, "SELECT department, eligible, returned, tally FROM results_view ORDER BY department"
    )
    said: list[str] = []
    assert rebuild_views(settings, say=said.append).events == app.recorder.max_notification_id()
    assert "个事件/秒" in said[-1]
    assert (
        query(settings, "SELECT department, eligible, returned, tally FROM results_view ORDER BY department")
        == before
    )
    assert recount_views(settings, say=said.append) == 0
    query(
        settings,
        "UPDATE results_view SET tally = jsonb_set(tally, '{score}', '\"61.000\"') WHERE department = 'swj' RETURNING 1",
    )
    assert recount_views(settings, say=said.append) == 1
    assert any("61.000" in line for line in said)
    assert recount_events(app)["r2026"]["swj"]["score"] == "60.000"


def test_only_one_projector_may_write_a_schemas_views(app: EvaluationApp, settings: Settings) -> None:
    with Projector(settings), pytest.raises(ProjectionBusy), Projector(settings):
        pass
    with Projector(settings) as again:
        assert again.projection.failure is None


def test_a_lone_ballot_shows_within_a_fraction_of_a_second(
    app: EvaluationApp, small_round: SmallRound, projector: Projector
) -> None:
    import time

    app.open_window("r2026", "fgw", by=ORGANISER)
    projector.catch_up()
    started = time.perf_counter()
    position = app.cast_ballot(small_round.alice, "fgw", uuid4().hex, "satisfied").position
    projector.wait(position, timeout=2)
    assert time.perf_counter() - started < 0.5


def _flat(query: tuple[str, list[object]]) -> list[object]:
    return [query[0], *query[1]]
