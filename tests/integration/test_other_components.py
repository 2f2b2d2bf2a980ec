"""其他组成部分: a score file (e.g. 日常考核) with its weight in the composite; bad files refused whole."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import InvalidInput, ReasonRequired
from evaluation.other_components import ComponentRejected
from tests.conftest import ORGANISER, SmallRound

GOOD = "部门,得分\n市发改委,92.5\nswj,88\n市科技局,90\n市住建局,75\n"


def xlsx(rows: list[list[object]]) -> bytes:
    import io

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_score_file_is_planned_then_imported_with_its_weight(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    plan = app.plan_component("r2026", "日常考核", "20", GOOD.encode(), "日常考核.csv")
    assert plan.scores == {"fgw": "92.5", "swj": "88", "kjj": "90", "zjj": "75"}
    assert plan.weights == {"live": Decimal("0.8"), "日常考核": Decimal("0.2")}
    assert not plan.replaces
    assert app.round("r2026").components == {}  # planning records nothing
    app.import_component_scores("r2026", "日常考核", "20%", plan.scores, ORGANISER, "")
    round_ = app.round("r2026")
    assert round_.components == {"日常考核": plan.scores}
    assert round_.instrument.components == {"live": Decimal("0.8"), "日常考核": Decimal("0.2")}


def test_replacing_needs_a_reason_and_may_change_the_weight(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.import_component_scores("r2026", "日常考核", "20", {"fgw": "90"}, ORGANISER, "")
    with pytest.raises(ReasonRequired):
        app.import_component_scores("r2026", "日常考核", "30", {"fgw": "91"}, ORGANISER, " ")
    app.import_component_scores("r2026", "日常考核", "30", {"fgw": "91"}, ORGANISER, "考核办更正")
    round_ = app.round("r2026")
    assert round_.components["日常考核"] == {"fgw": "91"}
    assert round_.instrument.components["live"] == Decimal("0.7")
    assert app.plan_component("r2026", "日常考核", "30", GOOD.encode(), "a.csv").replaces


def test_a_bad_file_lists_every_problem_and_records_nothing(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    bad = "部门,得分\n市发改委,120\n市外星局,80\nswj,优秀\n市科技局,\n市发改委,60\n"
    with pytest.raises(ComponentRejected) as refused:
        app.plan_component("r2026", "日常考核", "20", bad.encode(), "bad.csv")
    lines = [line for line, _ in refused.value.problems]
    messages = " ".join(m for _, m in refused.value.problems)
    assert lines == [2, 3, 4, 5]
    assert "120" in messages and "市外星局" in messages and "不是数字" in messages and "缺少得分" in messages
    for data, name, said in [
        (b"", "a.csv", "空"),
        (b"%PDF-1.4 junk", "a.pdf", "PDF"),
        (b"PK\x03\x04broken", "a.xlsx", "Excel"),
        ("部门,备注\nfgw,1\n".encode(), "a.csv", "得分"),
    ]:
        with pytest.raises(ComponentRejected) as refused:
            app.plan_component("r2026", "日常考核", "20", data, name)
        assert said in refused.value.problems[0][1]
    assert app.round("r2026").components == {}


def test_an_xlsx_with_a_title_row_and_the_weights_limits(app: EvaluationApp, small_round: SmallRound) -> None:
    data = xlsx([["2026年日常考核"], ["部门代码", "分数"], ["fgw", 95], ["swj", 80.25]])
    assert app.plan_component("r2026", "daily", "10", data, "d.xlsx").scores == {"fgw": "95", "swj": "80.25"}
    for weight in ("0", "100", "abc", "150"):
        with pytest.raises(InvalidInput, match="权重"):
            app.plan_component("r2026", "daily", weight, data, "d.xlsx")
    with pytest.raises(InvalidInput, match="现场评议"):
        app.plan_component("r2026", "live", "10", data, "d.xlsx")
    app.import_component_scores("r2026", "daily", "60", {"fgw": "95"}, ORGANISER, "")
    with pytest.raises(InvalidInput, match="现场评议须保留权重"):
        app.import_component_scores("r2026", "other", "40", {"fgw": "95"}, ORGANISER, "")
    with pytest.raises(InvalidInput, match="0 到 100"):
        app.import_component_scores("r2026", "other", "10", {"fgw": "101"}, ORGANISER, "")
