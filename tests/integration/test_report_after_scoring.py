"""述职报告在评分开始后、结果锁定后: once the department's scoring window has opened a revision is still taken
(a typo) but marked, and every page knows which revision the representatives scored; once the round's results
are locked no revision is taken from anyone, the organiser's 代为提交 included."""

from __future__ import annotations

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import RoundNotEditable
from projections.maintenance import rebuild_views
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER, prepare_round
from tests.integration.test_projection_helpers import query
from tests.report_pdfs import small_pdf

FGW = "department:fgw"


@pytest.fixture
def round_(app: EvaluationApp) -> EvaluationApp:
    prepare_round(app)
    app.submit_report("r2026", "fgw", "一稿", "摘要", "全文", by=FGW)
    app.submit_report("r2026", "fgw", "二稿", "摘要", "全文", by=FGW)
    return app


def test_before_scoring_a_revision_is_an_ordinary_one(round_: EvaluationApp) -> None:
    report = round_.report("r2026", "fgw")
    assert report is not None
    assert report.scored_revision is None
    assert [r.after_scoring for r in report.revisions] == [False, False]


def test_after_scoring_began_a_revision_is_taken_and_marked_with_the_scored_revision(
    round_: EvaluationApp,
) -> None:
    app = round_
    app.open_window("r2026", "fgw", by=ORGANISER)
    app.close_window("r2026", "fgw", by=ORGANISER)
    assert app.submit_report("r2026", "fgw", "三稿（改错字）", "摘要", "全文", by=FGW) == 3
    assert app.submit_report("r2026", "fgw", "四稿", "摘要", "全文", by=FGW) == 4
    report = app.report("r2026", "fgw")
    assert report is not None
    assert report.scored_revision == 2, "the version the representatives scored stays the one before"
    assert [r.after_scoring for r in report.revisions] == [False, False, True, True]


def test_once_results_are_locked_no_revision_is_taken_not_even_on_the_departments_behalf(
    round_: EvaluationApp,
) -> None:
    app = round_
    for dept in app.round("r2026").departments:
        app.open_window("r2026", dept, by=ORGANISER)
        app.close_window("r2026", dept, by=ORGANISER)
    app.lock_results("r2026", by=ORGANISER)
    with pytest.raises(RoundNotEditable) as refused:
        app.submit_report("r2026", "fgw", "锁定后改", "摘要", "", by=FGW, file=("报告.pdf", small_pdf()))
    assert (
        refused.value.message == "评议结果已锁定，不能再修改：述职报告的各稿已存档，评分时的那一稿即评议依据"
    )
    with pytest.raises(RoundNotEditable):
        app.submit_report("r2026", "fgw", "代为提交", "摘要", "", by=ORGANISER, on_behalf=True)
    app.publish_results("r2026", by=ORGANISER)
    with pytest.raises(RoundNotEditable):
        app.submit_report("r2026", "fgw", "结果发布后修改", "摘要", "", by=FGW)
    report = app.report("r2026", "fgw")
    assert report is not None and [r.title for r in report.revisions] == ["一稿", "二稿"]


def test_the_current_report_in_the_read_model_says_which_revision_was_scored_and_rebuilds_identically(
    round_: EvaluationApp, settings: Settings
) -> None:
    app = round_
    app.open_window("r2026", "fgw", by=ORGANISER)
    app.submit_report("r2026", "fgw", "三稿", "摘要", "全文", by=FGW)
    app.submit_report("r2026", "fgw", "四稿", "摘要", "全文", by=FGW)
    app.submit_report("r2026", "swj", "水务局报告", "摘要", "", by="department:swj")
    with Projector(settings) as projector:
        projector.wait(app.recorder.max_notification_id() or 0)
    sql = "SELECT department, report FROM departments_view WHERE report IS NOT NULL ORDER BY department"
    fgw, swj = query(settings, sql)
    assert fgw["report"]["title"] == "四稿" and fgw["report"]["scored_revision"] == 2
    assert fgw["report"]["revised_at"][:4] >= "2026"
    assert "scored_revision" not in swj["report"], "a department not yet scored has no note"
    before = query(settings, "SELECT * FROM departments_view ORDER BY 1, 2")
    rebuild_views(settings, say=lambda *_: None)
    assert query(settings, "SELECT * FROM departments_view ORDER BY 1, 2") == before
