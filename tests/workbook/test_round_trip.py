"""活动工作簿: a workbook creates the whole round, and a round's export creates the same round again."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from uuid import uuid4

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import InvalidInput
from evaluation.representative import representative_id
from storage.bootstrap import build_app
from storage.settings import Settings
from tests.conftest import ORGANISER, prepare_round
from tests.workbook.books import cells, good_sheets, xlsx
from workbook import WorkbookRejected, export_workbook, import_workbook, read_workbook


def test_a_workbook_creates_the_whole_round_and_names_its_organiser_code(app: EvaluationApp) -> None:
    key, organiser_code = import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)

    assert (key, organiser_code) == ("r2027", app.keys.organiser_code("r2027"))
    round_ = app.round("r2027")
    assert round_.title == "2027年度三民活动"
    instrument = round_.instrument
    assert [(lv.key, lv.label, lv.points, lv.satisfied) for lv in instrument.levels] == [
        ("good", "满意", 100, True),
        ("fair", "基本满意", 70, True),
        ("bad", "不满意", 0, False),
    ]
    assert (instrument.weighting, instrument.trim, instrument.min_valid_votes) == ("per_ballot", 1, 3)
    assert instrument.unknown_label == "不清楚"
    assert instrument.components == {"live": Decimal("0.7"), "daily": Decimal("0.3")}
    assert round_.categories == {
        "npc": {"name": "人大代表", "share": "2"},
        "resident": {"name": "社区居民", "share": "1"},
    }
    assert round_.sittings["s2"] == {
        "name": "第二场",
        "date": "2027-12-15",
        "half_day": "下午",
        "agenda": ["kjj", "zjj"],
    }
    assert round_.components == {"daily": {"fgw": "90", "swj": "85.5", "kjj": "70", "zjj": "60"}}
    assert app.department("r2027", "swj").short_name == "市水务局"
    assert app.department("r2027", "zjj").head == "王芳"
    assert app.round_plan("r2027").year == 2027


def test_representatives_of_the_workbook_are_placed_by_key_or_name_and_can_sign_in(
    app: EvaluationApp,
) -> None:
    import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)

    wang = app.representative(representative_id("r2027", 2))
    assert (wang.name, wang.category, wang.venue, wang.sitting, wang.phone) == (
        "王建国",
        "resident",
        "kdl",
        "s1",
        None,
    )
    code = app.print_cards("r2027", [wang.id], by=ORGANISER, reason="打印评议卡")[wang.id]
    assert app.authenticate(code).id == wang.id
    assert app.representative(representative_id("r2027", 1)).phone == "13900000001"


def test_export_then_import_into_an_empty_database_gives_the_same_workbook(
    app: EvaluationApp, settings: Settings
) -> None:
    import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)
    exported = export_workbook(app, "r2027")

    elsewhere = build_app(replace(settings, schema=f"t_{uuid4().hex[:12]}"))
    try:
        assert import_workbook(elsewhere, exported, "导出.xlsx", by=ORGANISER)[0] == "r2027"
        again = export_workbook(elsewhere, "r2027")
        assert elsewhere.round_plan("r2027") == app.round_plan("r2027")
    finally:
        elsewhere.close()
    assert cells(again) == cells(exported)
    assert list(cells(exported)) == [
        "活动",
        "评价等级",
        "代表类别",
        "部门组",
        "会场",
        "场次",
        "部门",
        "代表",
        "其他得分",
    ]
    assert ("s1", "第一场", "2027-12-15", "上午", "fgw、swj") in cells(exported)["场次"]


def test_a_round_made_by_commands_exports_a_workbook_that_recreates_it(
    app: EvaluationApp, settings: Settings
) -> None:
    prepare_round(app, "r2026")
    app.register_representative("r2026", "李秀英", "npc", "main", "s1", by=ORGANISER, phone="13900000002")
    exported = export_workbook(app, "r2026")
    assert read_workbook(exported, "r2026.xlsx") == app.round_plan("r2026")

    elsewhere = build_app(replace(settings, schema=f"t_{uuid4().hex[:12]}"))
    try:
        import_workbook(elsewhere, exported, "r2026.xlsx", by=ORGANISER)
        assert cells(export_workbook(elsewhere, "r2026")) == cells(exported)
    finally:
        elsewhere.close()


def test_a_date_the_setup_form_takes_comes_back_from_the_round_s_own_workbook(app: EvaluationApp) -> None:
    """One rule for sitting dates: the form once took 2027-02-30 (its pattern checked only the shape, and ``\\d``
    took full-width digits), and the round's exported workbook then failed to import. Now the form refuses
    what the workbook refuses, and what it takes (2027/3/5 too, as a workbook cell) reads back unchanged."""
    prepare_round(app, "r2026")
    for written in ("2027-02-30", "2027-13-45", "２０２７-０３-１６"):
        with pytest.raises(InvalidInput, match=f"日期「{written}」应是实际存在的日期"):
            app.save_sitting("r2026", "s1", "第一场", written, "上午", by=ORGANISER)
    app.save_sitting("r2026", "s1", "第一场", "2027/3/5", "上午", by=ORGANISER)
    app.save_sitting("r2026", "s2", "第二场", "2028-02-29", "下午", by=ORGANISER)
    assert [s["date"] for s in app.round("r2026").sittings.values()] == ["2027-03-05", "2028-02-29"]
    assert read_workbook(export_workbook(app, "r2026"), "r2026.xlsx") == app.round_plan("r2026")


def test_a_criteria_instrument_and_english_headers_are_read(app: EvaluationApp) -> None:
    sheets = good_sheets()
    del sheets["评价等级"]
    sheets["criteria"] = [
        ["code", "name", "max_score", "weight"],
        ["work", "工作实绩", 10, 0.6],
        ["law", "依法行政", 5, 0.4],
    ]
    sheets["groups"] = [["key", "name"], ["econ", "经济发展组"], ["city", "城市管理组"]]
    del sheets["部门组"]
    import_workbook(app, xlsx(sheets), "english.xlsx", by=ORGANISER)
    instrument = app.round("r2027").instrument
    assert instrument.kind == "criteria"
    assert [(c.key, c.max_score, c.weight) for c in instrument.criteria] == [
        ("work", 10, Decimal("0.6")),
        ("law", 5, Decimal("0.4")),
    ]
    assert cells(export_workbook(app, "r2027"))["评价指标"][1:] == [
        ("work", "工作实绩", 10, 0.6),
        ("law", "依法行政", 5, 0.4),
    ]


def test_text_that_looks_like_a_formula_or_a_number_stays_text(app: EvaluationApp) -> None:
    sheets = good_sheets()
    sheets["部门"][2][1:3] = ["=1+1", "007"]
    import_workbook(app, xlsx(sheets), "r2027.xlsx", by=ORGANISER)
    assert (app.department("r2027", "swj").name, app.department("r2027", "swj").short_name) == ("=1+1", "007")
    exported = export_workbook(app, "r2027")
    assert cells(exported)["部门"][2][:3] == ("swj", "=1+1", "007")
    assert read_workbook(exported, "r2027.xlsx") == app.round_plan("r2027")


def test_a_round_that_needs_no_check_in_carries_it_through_its_workbook_into_next_year_s_round(
    app: EvaluationApp,
) -> None:
    """A tester made 2027 from 2026's own workbook: 2026 needed no check-in, 2027 silently did, and on the
    day a representative could not vote until a desk checked them in. The 活动 sheet now says it."""
    import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)
    assert app.round("r2027").check_in_required is True  # no such row: as every new round
    sheets = good_sheets()
    sheets["活动"] = [row if row[0] != "活动代码" else ["活动代码", "r2028"] for row in sheets["活动"]]
    sheets["活动"].append(["评分前须先签到", "否"])
    import_workbook(app, xlsx(sheets), "r2028.xlsx", by=ORGANISER)
    assert app.round("r2028").check_in_required is False
    exported = export_workbook(app, "r2028")
    assert ("评分前须先签到", "否") in cells(exported)["活动"]
    next_year = replace(read_workbook(exported, "r2028.xlsx"), key="r2029", representatives=())
    app.create_round_from_plan(next_year, by=ORGANISER)
    assert app.round("r2029").check_in_required is False


def test_a_check_in_cell_that_is_neither_yes_nor_no_is_refused_on_its_row() -> None:
    sheets = good_sheets()
    sheets["活动"].append(["评分前须先签到", "看情况"])
    with pytest.raises(WorkbookRejected) as refused:
        read_workbook(xlsx(sheets), "r2027.xlsx")
    assert [(p.sheet, p.row, p.message) for p in refused.value.problems] == [
        ("活动", len(sheets["活动"]), "评分前须先签到「看情况」应填写“是”或“否”")
    ]
