"""历年对比的对应关系 (evaluation/year_over_year.py): a round follows the round its organiser names; each
department's match may be confirmed or overridden; every change is an event with who and why."""

from __future__ import annotations

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import InvalidInput, NotFound
from evaluation.year_over_year import (
    NO_MATCH,
    AlreadyMatched,
    Lineage,
    LineageCycle,
    NoPreviousRound,
    lineage_id,
)
from projections.maintenance import rebuild_views
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER, prepare_round
from tests.integration.test_projection_helpers import dump_views, query


@pytest.fixture
def three_years(app: EvaluationApp) -> EvaluationApp:
    for key, year in (("y24", 2024), ("y25", 2025), ("y26", 2026)):
        prepare_round(app, key)
        app.save_basics(key, f"{year}年度三民活动", year, by=ORGANISER)
    return app


def test_a_round_follows_the_round_its_organiser_names_back_to_the_first(three_years: EvaluationApp) -> None:
    app = three_years
    assert [(r.round_key, r.previous) for r in app.lineage("y26")] == [("y26", "")]
    app.follow_round("y25", "y24", by=ORGANISER)
    app.follow_round("y26", "y25", by=ORGANISER, reason="同一城市")
    assert [(r.round_key, r.year) for r in app.lineage("y26")] == [
        ("y26", 2026),
        ("y25", 2025),
        ("y24", 2024),
    ]
    app.follow_round("y26", "", by=ORGANISER, reason="不再比较")
    assert [r.round_key for r in app.lineage("y26")] == ["y26"]


def test_a_round_cannot_follow_itself_a_later_round_or_one_that_does_not_exist(
    three_years: EvaluationApp,
) -> None:
    app = three_years
    app.follow_round("y26", "y25", by=ORGANISER)
    with pytest.raises(LineageCycle):
        app.follow_round("y26", "y26", by=ORGANISER)
    with pytest.raises(LineageCycle):
        app.follow_round("y25", "y26", by=ORGANISER)
    with pytest.raises(NotFound):
        app.follow_round("y26", "nope", by=ORGANISER)
    assert app.lineage("y25")[0].previous == ""


def test_a_match_is_recorded_with_who_and_why_and_a_new_previous_round_drops_the_old_matches(
    three_years: EvaluationApp,
) -> None:
    app = three_years
    with pytest.raises(NoPreviousRound):
        app.match_department("y26", "fgw", "fgw", by=ORGANISER)
    app.follow_round("y26", "y25", by=ORGANISER)
    with pytest.raises(InvalidInput):
        app.match_department("y26", "nope", "fgw", by=ORGANISER)
    with pytest.raises(InvalidInput):
        app.match_department("y26", "fgw", "nope", by=ORGANISER)
    app.match_department("y26", "fgw", "swj", by="staff:会务组", reason="机构改革：职能划入")
    app.match_department("y26", "kjj", NO_MATCH, by=ORGANISER, reason="新设部门")
    assert app.lineage("y26")[0].matches == {"fgw": "swj", "kjj": NO_MATCH}
    events = app.repository.event_store.get(lineage_id("y26"))
    matched = [e for e in events if type(e).__qualname__ == "Lineage.DepartmentMatched"]
    assert [(e.by, e.reason) for e in matched] == [
        ("staff:会务组", "机构改革：职能划入"),
        (ORGANISER, "新设部门"),
    ]  # type: ignore[attr-defined]
    app.follow_round("y26", "y24", by=ORGANISER)
    assert app.lineage("y26")[0].matches == {}
    assert isinstance(app.repository.get(lineage_id("y26")), Lineage)


def test_one_previous_department_is_the_predecessor_of_one_department_only(
    three_years: EvaluationApp,
) -> None:
    """Matched by hand with fgw, y25's swj cannot be zjj's too: both would show swj's results as their own."""
    app = three_years
    app.follow_round("y26", "y25", by=ORGANISER)
    app.match_department("y26", "fgw", "swj", by=ORGANISER, reason="职能划入")
    with pytest.raises(AlreadyMatched, match="上一轮的「市水务局」已对应本活动的「市发改委」"):
        app.match_department("y26", "zjj", "swj", by=ORGANISER, reason="也划入")
    assert app.lineage("y26")[0].matches == {"fgw": "swj"}
    app.match_department("y26", "fgw", NO_MATCH, by=ORGANISER, reason="改为新设")
    app.match_department("y26", "zjj", "swj", by=ORGANISER, reason="职能划入")
    assert app.lineage("y26")[0].matches == {"fgw": NO_MATCH, "zjj": "swj"}


def test_the_links_are_lines_of_the_round_s_history_and_a_rebuild_gives_the_same_views(
    three_years: EvaluationApp, settings: Settings
) -> None:
    app = three_years
    app.follow_round("y26", "y25", by=ORGANISER, reason="同一城市")
    app.match_department("y26", "zjj", "swj", by=ORGANISER, reason="职能划转")
    with Projector(settings) as projector:
        projector.catch_up(timeout=30)
    rows = query(
        settings,
        "SELECT kind, department, reason, summary FROM history_view WHERE kind LIKE 'Lineage.%%' ORDER BY position",
    )
    assert [(r["kind"], r["department"], r["reason"], r["summary"]) for r in rows] == [
        ("Lineage.Created", None, "", "建立历年对比的对应关系"),
        ("Lineage.PreviousSet", None, "同一城市", "设置上一轮评议活动「y25」"),
        ("Lineage.DepartmentMatched", "zjj", "职能划转", "部门 zjj 对应上一轮的部门「swj」"),
    ]
    incremental = dump_views(settings)
    rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == incremental
