"""A round run partly with the shared organiser code (events recorded before staff accounts) and partly by
named staff (sign-ins, a check-in by check-in staff, a publication proposed by one results officer and
confirmed by another): the incremental projection and the bulk rebuild give the same views, the recount
matches, and the history keeps each ``by`` as recorded."""

from __future__ import annotations

from datetime import UTC, datetime

from evaluation.application import EvaluationApp
from projections.maintenance import compare, rebuild_views
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_projection_helpers import dump_views, query

ADMIN = "operator:test"


def test_a_round_run_by_named_staff_rebuilds_and_recounts_identically(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    desk, desk_code = app.add_staff("刘洋", "checkin", ADMIN, round_key="r2026", venue="kdl")
    first, first_code = app.add_staff("孙敏", "results_officer", ADMIN, round_key="r2026")
    second, _ = app.add_staff("周杰", "results_officer", ADMIN, round_key="r2026")
    assert app.staff_sign_in(desk_code) is not None and app.staff_sign_in(first_code) is not None
    app.check_in(small_round.bob, by=f"staff:{desk}")
    for department in ("fgw", "swj", "kjj", "zjj"):
        app.open_window("r2026", department, by=ORGANISER)  # the shared code's events, as before
    app.cast_ballot(small_round.alice, "fgw", "alice-ballot-0001", "satisfied")
    app.cast_ballot(small_round.bob, "fgw", "bob-ballot-0001", "dissatisfied")
    for department in ("fgw", "swj", "kjj", "zjj"):
        app.close_window("r2026", department, by=ORGANISER)
    app.lock_results("r2026", by=f"staff:{first}")
    now = datetime.now(UTC)
    assert app.publish_as_officer("r2026", f"staff:{first}", now) is False
    assert app.publish_as_officer("r2026", f"staff:{second}", now) is True

    with Projector(settings) as projector:
        projector.catch_up()
    incremental = dump_views(settings)
    rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == incremental
    assert compare(settings).matches
    rows = query(settings, "SELECT kind, actor FROM history_view WHERE round_key = 'r2026' ORDER BY position")
    actors = [(r["kind"], r["actor"]) for r in rows]
    assert ("Representative.CheckedIn", f"staff:{desk}") in actors
    assert ("Round.PublicationProposed", f"staff:{first}") in actors
    assert ("Round.ResultsPublished", f"staff:{second}") in actors
    assert ("ScoringWindow.Opened", ORGANISER) in actors
