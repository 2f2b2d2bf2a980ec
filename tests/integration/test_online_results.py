"""网络评议结果 through the projection: counts of the channel, each department's online tally by
docs/scoring.md (one category), voids and amendments, and a rebuild giving the same views."""

from __future__ import annotations

from datetime import UTC, datetime

from evaluation.application import EvaluationApp
from evaluation.online import OnlineCast
from projections.maintenance import rebuild_views
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_projection_helpers import dump_views, query

OPENS, CLOSES = datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 24, tzinfo=UTC)
DURING = datetime(2026, 12, 10, tzinfo=UTC)
CHOICES = ["satisfied", "satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied", "unknown"]


def online_round(app: EvaluationApp, key: str) -> list[str]:
    """Six invited citizens score fgw as ``CHOICES``; the first amends to 不满意; the last is voided."""
    app.set_online_period(key, OPENS, CLOSES, None, by=ORGANISER, reason="")
    codes = app.invite_online(key, 8, by=ORGANISER)
    people = [app.redeem_invitation(key, code, DURING) for code in codes[:6]]
    for n, (who, choice) in enumerate(zip(people, CHOICES, strict=True)):
        app.cast_online_ballot(OnlineCast(key, who, "fgw", f"client-{n:04d}", choice), DURING)
    app.cast_online_ballot(OnlineCast(key, people[0], "fgw", "client-amend", "dissatisfied"), DURING)
    app.void_online_voters(key, [people[5]], by=ORGANISER, reason="同一地址短时大量投票")
    return people


def test_the_online_result_is_the_rule_over_the_online_ballots_and_counts_the_response(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    online_round(app, small_round.key)
    with Projector(settings) as projector:
        projector.catch_up()
    (row,) = query(settings, "SELECT * FROM online_results_view WHERE department = 'fgw'")
    tally = row["tally"]
    # amended 不满意 0, 满意 100, 比较满意 80, 基本满意 60, 不满意 0 → 240 / 5 = 48; satisfied 3 of 5
    # (the voided citizen's 不了解 is not returned)
    assert (row["returned"], tally["valid_votes"], tally["score"], tally["satisfaction_rate"]) == (
        5,
        5,
        "48.000",
        "60.00",
    )
    (channel,) = query(settings, "SELECT * FROM online_channels_view")
    assert (channel["issued"], channel["redeemed"], channel["verified"]) == (8, 6, 0)
    live = query(settings, "SELECT returned FROM results_view WHERE department = 'fgw'")
    assert live == [{"returned": 0}]  # online ballots never enter the live tally


def test_no_citizen_act_is_listed_in_the_history_but_the_period_and_voids_are(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    online_round(app, small_round.key)
    with Projector(settings) as projector:
        projector.catch_up()
    kinds = [r["kind"] for r in query(settings, "SELECT kind FROM history_view ORDER BY position")]
    online = [k for k in kinds if k.startswith(("Online", "Invitation"))]
    assert online == ["OnlineChannel.PeriodSet", "Invitation.Voided", "OnlineBallot.Voided"]


def test_a_rebuild_gives_the_same_online_views(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    online_round(app, small_round.key)
    with Projector(settings) as projector:
        projector.catch_up()
    incremental = dump_views(settings)
    rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == incremental
    assert incremental["online_ballots"] and incremental["online_results"]


def test_a_restarted_projection_goes_on_counting_the_online_ballots_it_loaded(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    """The department's multiset of online kinds is made again from the views at a start: an amendment and a
    void after a restart take the right kinds out of it (the rebuild's views are the same)."""
    key = small_round.key
    app.set_online_period(key, OPENS, CLOSES, None, by=ORGANISER, reason="")
    people = [app.redeem_invitation(key, code, DURING) for code in app.invite_online(key, 4, by=ORGANISER)]
    for n, who in enumerate(people):
        app.cast_online_ballot(OnlineCast(key, who, "fgw", f"client-{n:04d}", "satisfied"), DURING)
    with Projector(settings) as projector:
        projector.catch_up()
    app.cast_online_ballot(OnlineCast(key, people[0], "fgw", "client-amend", "dissatisfied"), DURING)
    app.void_online_voters(key, [people[1]], by=ORGANISER, reason="同一地址短时大量投票")
    with Projector(settings) as projector:  # its state loaded from the views
        projector.catch_up()
    (row,) = query(settings, "SELECT * FROM online_results_view WHERE department = 'fgw'")
    assert (row["returned"], row["tally"]["level_counts"]) == (
        3,
        {"satisfied": 2, "fairly_satisfied": 0, "basically_satisfied": 0, "dissatisfied": 1, "unknown": 0},
    )
    incremental = dump_views(settings)
    rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == incremental
