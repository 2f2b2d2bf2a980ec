"""The events of readiness — a representative edited, a component imported with its weight, a round updated
by its workbook — are projected into the views and rebuilt identically; the recount agrees."""

from __future__ import annotations

import copy

from evaluation.application import EvaluationApp
from evaluation.roster import Listed
from projections.maintenance import compare, rebuild_views
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_projection_helpers import dump_views, query
from tests.workbook.books import good_sheets, xlsx
from workbook import import_workbook, update_from_workbook


def test_edits_components_and_a_workbook_update_project_and_rebuild_alike(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    app.edit_representative(
        "r2026", small_round.bob, Listed("王建军", "npc", "main", "s2", None), ORGANISER, "报名表录错"
    )
    app.import_component_scores("r2026", "日常考核", "20", {"fgw": "90", "swj": "80"}, ORGANISER, "")
    import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)
    sheets = copy.deepcopy(good_sheets())
    sheets["活动"][2] = ["活动名称", "2027年度三民活动（修订）"]
    sheets["部门"][2] = ["swj", "市水务局", "水务", "econ", "周强"]
    update_from_workbook(app, "r2027", xlsx(sheets), "修订.xlsx", ORGANISER)
    app.open_window("r2026", "fgw", by=ORGANISER)
    app.cast_ballot(small_round.alice, "fgw", "alice-ballot-1", "satisfied")
    with Projector(settings) as projector:
        projector.catch_up(timeout=30)
    (bob,) = query(
        settings, "SELECT * FROM representatives_view WHERE representative_id = %s", small_round.bob
    )
    assert (bob["name"], bob["category"], bob["venue"], bob["sitting"]) == ("王建军", "npc", "main", "s2")
    (r2027,) = query(settings, "SELECT title FROM rounds_view WHERE round_key = 'r2027'")
    assert r2027["title"] == "2027年度三民活动（修订）"
    (swj,) = query(
        settings, "SELECT * FROM departments_view WHERE round_key = 'r2027' AND department = 'swj'"
    )
    assert (swj["short_name"], swj["group_key"], swj["head"]) == ("水务", "econ", "周强")
    (econ,) = query(
        settings, "SELECT ranking FROM rankings_view WHERE round_key = 'r2027' AND group_key = 'econ'"
    )
    assert "swj" in [line["department"] for line in econ["ranking"]]
    (fgw,) = query(
        settings, "SELECT eligible, tally FROM results_view WHERE round_key = 'r2026' AND department = 'fgw'"
    )
    assert fgw["eligible"] == 1  # 王建军 moved to s2: only 李秀英 sits in s1
    assert fgw["tally"]["components"] == {"日常考核": "90"}
    history = query(settings, "SELECT summary, reason FROM history_view WHERE kind = 'Representative.Edited'")
    assert history[0]["reason"] == "报名表录错" and "王建军" in history[0]["summary"]
    incremental = dump_views(settings)
    rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == incremental
    assert compare(settings).matches
