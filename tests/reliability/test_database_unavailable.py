"""While PostgreSQL is down, the tablet API answers 503 ``database_unavailable`` (send it again), never a
server error; once it is back the same ballot is accepted at the first try (the connections it cut are
retried, not answered as errors) and counts once."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest

from evaluation.application import EvaluationApp
from scripts.bench.servers import free_port
from storage.embedded import EmbeddedPostgres
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.integration.test_projection_helpers import query
from tests.web.conftest import Web, running


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    """A PostgreSQL of this module's own, to stop and start (the session's server is shared)."""
    database = EmbeddedPostgres(tmp_path_factory.mktemp("pg") / "data", port=free_port()).start()
    yield database
    database.stop()


@pytest.fixture(scope="module")
def database_url(server: EmbeddedPostgres) -> str:
    return server.url


@pytest.fixture
def web(settings: Settings, app: EvaluationApp, small_round: SmallRound) -> Iterator[Web]:
    yield from running(settings, app, small_round)


def test_a_ballot_sent_while_postgresql_is_down_is_answered_503_and_counts_once_when_sent_again(
    web: Web, server: EmbeddedPostgres, settings: Settings
) -> None:
    token = web.as_alice()
    web.open("fgw")
    web.projector.stop()  # the in-process projection is not what this test is about
    client_id = uuid4().hex
    server.stop()
    try:
        refused = web.cast("fgw", token=token, client_id=client_id)
    finally:
        server.start()
    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "database_unavailable"
    assert refused.headers["Retry-After"] == "2"

    accepted = web.cast("fgw", token=token, client_id=client_id)  # the pool's cut connections are retried
    assert accepted.status_code == 200, accepted.text
    again = web.cast("fgw", token=token, client_id=client_id)
    assert again.json()["resent"] is True
    (ballots,) = query(
        settings, "SELECT count(*) AS n FROM evaluation_events WHERE topic LIKE %s", "%:Ballot.%"
    )
    assert ballots["n"] == 1


def test_a_tablet_s_state_asked_while_postgresql_is_down_is_answered_503_and_its_session_goes_on(
    web: Web, server: EmbeddedPostgres
) -> None:
    """Her session is checked on the server (web/platform/representative_sessions.py): that check meeting
    no database is a 503 like any other, never a server error, and the session has not ended for it."""
    web.as_alice()
    web.projector.stop()
    server.stop()
    try:
        refused = web.get("/api/state")
    finally:
        server.start()
    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "database_unavailable"
    assert web.get("/api/state").status_code == 200
