"""防篡改: verify finds any event row altered, inserted, reordered or deleted with SQL."""

from __future__ import annotations

import psycopg
import pytest

from evaluation.application import EvaluationApp
from storage.settings import Settings
from storage.verify import verify_events
from tests.conftest import ORGANISER, SmallRound


def sql(settings: Settings, statement: str) -> None:
    with psycopg.connect(settings.database_url, autocommit=True, options=settings.pg_options) as conn:
        conn.execute(statement)


@pytest.fixture
def scored(app: EvaluationApp, small_round: SmallRound) -> EvaluationApp:
    app.open_window("r2026", "fgw", by=ORGANISER)
    app.cast_ballot(small_round.alice, "fgw", "client-0001", "dissatisfied")
    app.cast_ballot(small_round.bob, "fgw", "client-0002", "satisfied")
    app.close_window("r2026", "fgw", by=ORGANISER)
    return app


def ballot_positions(app: EvaluationApp) -> list[int]:
    return [n.id for n in app.recorder.select_notifications(start=1, limit=10_000) if ":Ballot." in n.topic]


def test_an_untouched_history_verifies(scored: EvaluationApp, settings: Settings) -> None:
    checked, findings = verify_events(scored, settings)
    assert checked > 20 and findings == []


def test_an_altered_ballot_is_found(scored: EvaluationApp, settings: Settings) -> None:
    position = ballot_positions(scored)[0]
    sql(
        settings,
        f"UPDATE evaluation_events SET state = convert_to(replace(convert_from(state, 'UTF8'), 'dissatisfied', 'satisfied'), 'UTF8') "
        f"WHERE notification_id = {position}",
    )
    assert [f.position for f in verify_events(scored, settings)[1]] == [position]


def test_a_deleted_row_is_found(scored: EvaluationApp, settings: Settings) -> None:
    position = ballot_positions(scored)[0]
    sql(settings, f"DELETE FROM evaluation_events WHERE notification_id = {position}")
    findings = verify_events(scored, settings)[1]
    assert position in [f.position for f in findings] and "删除" in findings[-1].problem


def test_an_inserted_row_is_found(scored: EvaluationApp, settings: Settings) -> None:
    first = ballot_positions(scored)[0]
    sql(
        settings,
        "INSERT INTO evaluation_events (originator_id, originator_version, topic, state) "
        f"SELECT gen_random_uuid(), 1, topic, state FROM evaluation_events WHERE notification_id = {first}",
    )
    findings = verify_events(scored, settings)[1]
    assert len(findings) == 1 and "插入" in findings[0].problem


def test_two_swapped_rows_are_found(scored: EvaluationApp, settings: Settings) -> None:
    a, b = ballot_positions(scored)[:2]
    sql(settings, f"UPDATE evaluation_events SET notification_id = -1 WHERE notification_id = {a}")
    sql(settings, f"UPDATE evaluation_events SET notification_id = {a} WHERE notification_id = {b}")
    sql(settings, f"UPDATE evaluation_events SET notification_id = {b} WHERE notification_id = -1")
    assert {f.position for f in verify_events(scored, settings)[1]} >= {a, b}
