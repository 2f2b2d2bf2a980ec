"""无记名: a copy of the database alone cannot tell who cast which ballot."""

from __future__ import annotations

import psycopg

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound


def dump_events(settings: Settings) -> list[tuple[str, str]]:
    with psycopg.connect(settings.database_url, options=settings.pg_options) as conn:
        rows = conn.execute("SELECT topic, convert_from(state, 'UTF8') FROM evaluation_events").fetchall()
    return [(topic, state) for topic, state in rows]


def test_ballot_events_hold_no_trace_of_who_cast_them(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    app.open_window(small_round.key, "fgw", by=ORGANISER)
    app.cast_ballot(small_round.alice, "fgw", "client-0001", "satisfied", comment="很好")
    app.cast_ballot(small_round.bob, "fgw", "client-0002", "dissatisfied")
    app.cast_ballot(small_round.bob, "fgw", "client-0003", "basically_satisfied")
    reps = [app.representative(r) for r in (small_round.alice, small_round.bob, small_round.carol)]
    traces = [
        t for rep in reps for t in (str(rep.id), rep.id.hex, rep.name, rep.phone, rep.credential_hash) if t
    ]
    traces.append(small_round.alice_code)
    ballots = [state for topic, state in dump_events(settings) if ":Ballot." in topic]
    assert len(ballots) == 3
    for state in ballots:
        for trace in traces:
            assert trace not in state


def test_ballot_timestamps_are_cut_to_the_minute(app: EvaluationApp, small_round: SmallRound) -> None:
    app.open_window(small_round.key, "fgw", by=ORGANISER)
    receipt = app.cast_ballot(small_round.alice, "fgw", "client-0001", "satisfied")
    (event,) = app.repository.event_store.get(receipt.ballot_id)
    assert event.timestamp.second == 0 and event.timestamp.microsecond == 0
