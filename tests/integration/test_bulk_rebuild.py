"""The bulk rebuild (``sanmin rebuild``): the events it reads are the library's, and it is all or nothing;
views an older version wrote are rebuilt with it."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import psycopg
import pytest
from psycopg.sql import SQL, Identifier

from evaluation.application import EvaluationApp
from projections import bulk
from projections.bulk_ballot_process import BallotProcess, BallotSideFailed
from projections.event_decoding import FastMapper
from projections.event_log import EventReader, read_events
from projections.event_source import stored_events
from projections.maintenance import compare, outdated_views, rebuild_views, upgrade_views
from projections.process import Supervisor
from projections.runner import ProjectionBusy, Projector, projection_env
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound, two_ballots_sharing_a_code
from tests.integration.test_projection_helpers import dump_views, query
from tests.integration.test_projection_recovery import busy_round

ViewDump = dict[str, list[dict[str, Any]]]


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


def test_the_projection_reader_decodes_every_event_as_the_library_mapper_does(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    busy_round(app, small_round)
    app.open_window("r2026", "kjj", by=ORGANISER)
    app.cast_ballot(small_round.carol, "kjj", uuid4().hex, "satisfied", comment='"_type_"')
    reader = EventReader(env=projection_env(settings))
    try:
        assert isinstance(reader.mapper, FastMapper)
        ours = list(read_events(reader))
    finally:
        reader.close()
    library = list(read_events(app))
    assert len(ours) == len(library) == app.recorder.max_notification_id()
    for (p, mine), (q, theirs) in zip(ours, library, strict=True):
        assert p == q and type(mine) is type(theirs) and vars(mine) == vars(theirs)


def test_a_rebuild_ending_on_an_event_that_changes_no_view_counts_it_and_tracks_its_position(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    busy_round(app, small_round)
    app.issue_department_credential("r2026", "fgw", by=ORGANISER)  # its CredentialIndex event comes last
    events = list(read_events(app))
    assert type(events[-1][1]).__qualname__ == "CredentialIndex.Indexed"
    rebuilt = rebuild_views(settings, say=lambda _: None)
    assert (rebuilt.position, rebuilt.events) == (events[-1][0], len(events))
    with Projector(settings) as projector:  # nothing left to project
        assert projector.projection.position == events[-1][0]


def test_two_ballots_given_the_same_receipt_code_are_both_projected_and_rebuilt_alike(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    first, shared = two_ballots_sharing_a_code(app, small_round)
    later = app.cast_ballot(small_round.bob, "fgw", uuid4().hex, "dissatisfied")
    with Projector(settings) as projector:
        projector.catch_up(timeout=30)
    holders = query(settings, "SELECT ballot_id FROM receipts_view WHERE receipt = %s", first.code)
    assert sorted(row["ballot_id"] for row in holders) == sorted([first.ballot_id, shared])
    assert query(settings, "SELECT ballot_id FROM receipts_view WHERE receipt = %s", later.code)
    incremental = dump_views(settings)
    rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == incremental


def projected_busy_round(app: EvaluationApp, small_round: SmallRound, settings: Settings) -> ViewDump:
    """``busy_round`` projected by the incremental projection: its views."""
    busy_round(app, small_round)
    with Projector(settings) as projector:
        projector.catch_up()
    return dump_views(settings)


def test_ballots_amended_or_voided_after_their_rows_were_copied_are_rebuilt_as_projected(
    app: EvaluationApp, small_round: SmallRound, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    incremental = projected_busy_round(app, small_round, settings)  # amendments, voids: after their ballots
    monkeypatch.setattr(bulk, "DRAIN", 2)  # rows are sent every 2 events, here and in the ballot processes
    rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == incremental
    assert compare(settings).matches


def test_a_bulk_rebuild_that_fails_leaves_the_views_it_found(
    app: EvaluationApp, small_round: SmallRound, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = projected_busy_round(app, small_round, settings)

    def broken(*args: Any) -> None:
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(bulk, "build_batch", broken)  # after the ballot processes committed their partitions
    with pytest.raises(RuntimeError):
        rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == before
    assert compare(settings).matches
    assert relations(settings, "rebuild_%") == []


def relations(settings: Settings, like: str) -> list[str]:
    """The tables and indexes of the schema whose names are ``LIKE`` it, sorted."""
    rows = query(
        settings,
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND c.relname LIKE %s ORDER BY c.relname",
        settings.schema,
        like,
    )
    return [row["relname"] for row in rows]


def test_a_rebuild_leaves_the_ballots_tables_partitioned_and_named_as_the_projection_creates_them(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    incremental = projected_busy_round(app, small_round, settings)
    created = relations(settings, "%view_%")
    rebuild_views(settings, say=lambda _: None)
    assert relations(settings, "%view_%") == created
    assert "ballots_view_1_pkey" in created and "receipts_view_0_round_key_position_idx" in created
    assert relations(settings, "rebuild_%") == []
    partitions = query(
        settings,
        "SELECT inhrelid::regclass::text AS partition FROM pg_inherits"
        " WHERE inhparent = 'ballots_view'::regclass ORDER BY 1",
    )
    assert [row["partition"] for row in partitions] == ["ballots_view_0", "ballots_view_1"]
    assert dump_views(settings) == incremental


def test_a_ballot_process_that_fails_fails_the_rebuild_and_leaves_the_views_it_found(
    app: EvaluationApp, small_round: SmallRound, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = projected_busy_round(app, small_round, settings)

    class Unreachable(BallotProcess):
        """A ballot process given a port where no database listens."""

        def __init__(self, env: dict[str, str], *args: Any) -> None:
            super().__init__({**env, "POSTGRES_PORT": "1"}, *args)

    monkeypatch.setattr(bulk, "BallotProcess", Unreachable)
    with pytest.raises(BallotSideFailed, match="OperationalError|connection"):
        rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == before


def test_a_bulk_rebuild_is_refused_while_the_projection_runs(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    busy_round(app, small_round)
    with Projector(settings) as projector:
        projector.catch_up()
        with pytest.raises(ProjectionBusy):
            rebuild_views(settings, say=lambda _: None)


def test_views_of_an_older_version_are_rebuilt_from_the_events_when_the_projection_process_starts(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    busy_round(app, small_round)
    for _ in range(2):
        app.issue_department_credential("r2026", "fgw", by=ORGANISER)
    assert outdated_views(settings) == []  # nothing written yet: the projection creates the views
    with Projector(settings) as projector:
        projector.catch_up()
    current = dump_views(settings)
    assert outdated_views(settings) == []
    assert upgrade_views(settings, say=lambda _: None) is None

    with psycopg.connect(settings.database_url, autocommit=True) as conn:  # as an older version wrote them
        conn.execute(
            SQL("ALTER TABLE {}.departments_view DROP COLUMN credential_serial").format(
                Identifier(settings.schema)
            )
        )
    assert outdated_views(settings) == ["departments_view"]
    supervisor = Supervisor(settings)
    supervisor.stop()  # the projector it starts stops at once
    supervisor.run_once()
    assert outdated_views(settings) == []
    assert dump_views(settings) == current
    fgw = query(settings, "SELECT credential_serial FROM departments_view WHERE department = 'fgw'")
    assert fgw == [{"credential_serial": 2}]


def test_ballots_of_a_version_before_their_tables_were_partitioned_are_rebuilt_at_start(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    current = projected_busy_round(app, small_round, settings)
    with psycopg.connect(settings.database_url, autocommit=True) as conn:  # one plain table, as before
        conn.execute(SQL("SET search_path TO {}").format(Identifier(settings.schema)))
        conn.execute("CREATE TABLE plain AS SELECT * FROM ballots_view")
        conn.execute("DROP TABLE ballots_view")
        conn.execute("ALTER TABLE plain RENAME TO ballots_view")
    assert outdated_views(settings) == ["ballots_view"]
    supervisor = Supervisor(settings)
    supervisor.stop()
    supervisor.run_once()
    assert outdated_views(settings) == []
    assert dump_views(settings) == current


def test_receipts_of_a_version_before_ballot_history_moved_there_are_rebuilt_at_start(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    current = projected_busy_round(app, small_round, settings)
    with psycopg.connect(settings.database_url, autocommit=True) as conn:  # receipts without position and at
        table = SQL("{}.receipts_view").format(Identifier(settings.schema))
        conn.execute(SQL("ALTER TABLE {} DROP COLUMN position, DROP COLUMN at").format(table))
    assert outdated_views(settings) == ["receipts_view"]
    supervisor = Supervisor(settings)
    supervisor.stop()
    supervisor.run_once()  # the CREATE cannot run on the old table (its index names position): rebuilt first
    assert outdated_views(settings) == []
    assert dump_views(settings) == current


def statistics_targets(settings: Settings) -> dict[str, int]:
    rows = query(
        settings,
        "SELECT c.relname || '.' || a.attname AS name, a.attstattarget AS target FROM pg_attribute a"
        " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND a.attnum > 0 AND c.relname IN"
        " ('ballots_view', 'ballots_view_1', 'receipts_view', 'receipts_view_0', 'history_view')",
        settings.schema,
    )
    return {row["name"]: row["target"] for row in rows}


def test_the_tables_that_grow_with_every_ballot_are_sampled_lightly_and_keep_it_through_a_rebuild(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    busy_round(app, small_round)
    with Projector(settings) as projector:
        projector.catch_up()
    light = {
        "ballots_view.comment": 0,
        "ballots_view.department": 10,
        "ballots_view_1.comment": 0,
        "receipts_view_0.receipt": 10,
        "history_view.summary": 0,
        "receipts_view.receipt": 10,
    }
    projected = statistics_targets(settings)
    assert {k: projected[k] for k in light} == light
    rebuild_views(settings, say=lambda _: None)
    rebuilt = statistics_targets(settings)
    assert {k: rebuilt[k] for k in light} == light
