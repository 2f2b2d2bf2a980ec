"""A workbook with problems is refused whole: every problem listed by sheet, row and column, nothing created."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import AlreadyExists
from evaluation.round import Round, round_id
from evaluation.round_plan import PlannedSitting, PlanRejected
from evaluation.setup_rules import MAX_NAME, MAX_TITLE
from tests.conftest import ORGANISER
from tests.workbook.books import Sheets, good_sheets, xlsx
from workbook import Problem, WorkbookRejected, import_workbook, read_workbook


def refused(app: EvaluationApp, data: bytes, filename: str = "活动.xlsx") -> list[Problem]:
    """The problems a refused import lists; checks that it created nothing at all."""
    with pytest.raises(WorkbookRejected) as refusal:
        import_workbook(app, data, filename, by=ORGANISER)
    assert app.find(Round, round_id("r2027")) is None
    assert not app.recorder.max_notification_id()
    return refusal.value.problems


def changed(edit: dict[tuple[str, int, int], object]) -> bytes:
    """The good workbook with some cells changed: (sheet, row as Excel numbers it, column from 0) → value."""
    sheets: Sheets = good_sheets()
    for (sheet, row, column), value in edit.items():
        sheets[sheet][row - 1][column] = value
    return xlsx(sheets)


def test_a_missing_sheet_is_named_and_its_consequences_are_not_listed(app: EvaluationApp) -> None:
    sheets = good_sheets()
    del sheets["部门"]
    assert refused(app, xlsx(sheets)) == [Problem("部门", None, None, "缺少工作表「部门」")]


def test_a_missing_column_is_named_with_the_header_row(app: EvaluationApp) -> None:
    sheets = good_sheets()
    for row in sheets["部门"]:
        del row[3]
    assert refused(app, xlsx(sheets)) == [Problem("部门", 1, "部门组", "缺少「部门组」列")]


def test_an_unknown_department_in_an_agenda(app: EvaluationApp) -> None:
    problems = refused(app, changed({("场次", 3, 4): "kjj、zjj、tjj"}))
    assert problems == [Problem("场次", 3, "议程", "议程中的部门「tjj」不在部门表中")]


def test_a_department_in_two_sittings(app: EvaluationApp) -> None:
    problems = refused(app, changed({("场次", 3, 4): "kjj，zjj，fgw"}))
    assert problems == [Problem("场次", 3, "议程", "部门「fgw」已安排在场次「s1」")]


def test_duplicate_codes_name_both_rows(app: EvaluationApp) -> None:
    sheets = good_sheets()
    sheets["评价等级"][3][0] = "good"
    sheets["部门"].append(["swj", "市水务局（重复）", "", "city", ""])
    assert refused(app, xlsx(sheets)) == [
        Problem("评价等级", 4, "代码", "代码「good」与第 2 行重复"),
        Problem("部门", 6, "代码", "代码「swj」重复"),
    ]


def test_shares_must_be_positive(app: EvaluationApp) -> None:
    problems = refused(app, changed({("代表类别", 2, 2): 0, ("代表类别", 3, 2): -1}))
    assert problems == [
        Problem("代表类别", 2, "权重", "权重「0」必须是正数"),
        Problem("代表类别", 3, "权重", "权重「-1」必须是正数"),
    ]


def test_points_must_be_whole_numbers(app: EvaluationApp) -> None:
    problems = refused(
        app, changed({("评价等级", 3, 2): "七十", ("评价等级", 4, 2): 0.5, ("评价等级", 2, 3): "对"})
    )
    assert problems == [
        Problem("评价等级", 2, "计入满意", "「对」应填写“是”或“否”"),
        Problem("评价等级", 3, "分值", "「七十」不是整数"),
        Problem("评价等级", 4, "分值", "「0.5」不是整数"),
    ]


def test_criteria_weights_must_sum_to_one(app: EvaluationApp) -> None:
    sheets = good_sheets()
    del sheets["评价等级"]
    sheets["评价指标"] = [
        ["代码", "名称", "满分", "权重"],
        ["work", "工作实绩", 10, 0.6],
        ["law", "依法行政", 5, 0.3],
    ]
    assert refused(app, xlsx(sheets)) == [Problem("评价指标", None, None, "各评价指标的权重之和必须等于 1")]


def test_every_problem_is_listed_at_once(app: EvaluationApp) -> None:
    data = changed(
        {
            ("活动", 6, 1): "两个",
            ("部门", 3, 3): "nosuch",
            ("代表", 3, 2): "火星分会场",
            ("代表", 4, 4): "1390000",
            ("其他得分", 3, 3): 120,
        }
    )
    problems = refused(app, data)
    assert problems == [
        Problem("活动", 6, "值", "「两个」不是整数"),
        Problem("部门", 3, "部门组", "没有代码为「nosuch」的部门组"),
        Problem("代表", 3, "会场", "没有名为「火星分会场」的会场"),
        Problem("代表", 4, None, "手机「1390000」不是 11 位数字"),
        Problem("其他得分", 3, "得分", "得分「120」应为 0 到 100 之间的数"),
    ]
    assert str(problems[0]) == "工作表「活动」第 6 行「值」列：「两个」不是整数"


def test_a_renamed_xls_file(app: EvaluationApp) -> None:
    old_excel = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
    [problem] = refused(app, old_excel, "活动.xlsx")
    assert "旧版 Excel（.xls）" in problem.message and "另存为 .xlsx" in problem.message


@pytest.mark.parametrize("content", [b"%PDF-1.7 report", "代码,名称\nfgw,市发改委\n".encode(), b""])
def test_a_file_that_is_not_a_workbook(app: EvaluationApp, content: bytes) -> None:
    [problem] = refused(app, content, "活动.xlsx")
    assert "不是 Excel（.xlsx）文件" in problem.message


def test_a_zip_that_is_not_a_workbook(app: EvaluationApp) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("report.txt", "hello")
    [problem] = refused(app, out.getvalue())
    assert "不是 Excel 工作簿" in problem.message


def test_a_50_mb_file_is_refused_for_its_size(app: EvaluationApp) -> None:
    big = xlsx(good_sheets()) + bytes(50 * 1024 * 1024)
    [problem] = refused(app, big)
    assert "超过 20 MB 的上限" in problem.message


def test_an_xlsx_bomb_is_refused_before_it_is_unpacked(app: EvaluationApp) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(io.BytesIO(xlsx(good_sheets()))) as good:
            for entry in good.infolist():
                archive.writestr(entry.filename, good.read(entry))
        with archive.open("xl/sharedStrings2.xml", "w") as huge:
            chunk = bytes(1024 * 1024)
            for _ in range(256):
                huge.write(chunk)
    assert len(out.getvalue()) < 2 * 1024 * 1024
    [problem] = refused(app, out.getvalue())
    assert "解压后超过 200 MB" in problem.message


def test_a_workbook_of_too_many_parts_is_refused(app: EvaluationApp) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(1_500):
            archive.writestr(f"xl/part{n}.xml", "")
    [problem] = refused(app, out.getvalue())
    assert "1501 个部件" in problem.message


def test_a_plan_with_problems_given_to_the_domain_creates_nothing(app: EvaluationApp) -> None:
    plan = read_workbook(xlsx(good_sheets()), "r2027.xlsx")
    twice = replace(plan, sittings=(*plan.sittings, PlannedSitting("s3", "第三场", "", "", ("fgw",))))
    with pytest.raises(PlanRejected) as refusal:
        app.create_round_from_plan(twice, by=ORGANISER)
    assert [p.message for p in refusal.value.problems] == ["部门「fgw」已安排在场次「s1」"]
    assert not app.recorder.max_notification_id()


def test_a_round_key_already_taken_creates_nothing_more(app: EvaluationApp) -> None:
    import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)
    stored = app.recorder.max_notification_id()
    with pytest.raises(AlreadyExists):
        import_workbook(app, changed({("部门", 2, 1): "改了名字"}), "again.xlsx", by=ORGANISER)
    assert app.recorder.max_notification_id() == stored
    assert app.department("r2027", "fgw").name == "市发展和改革委员会"


def test_other_scores_need_their_own_name_one_weight_and_known_departments(app: EvaluationApp) -> None:
    sheets = good_sheets()
    sheets["其他得分"] += [["live", 0.2, "fgw", 80], ["daily", 0.4, "fgw", 80], ["", 0.1, "swj", 75]]
    assert refused(app, xlsx(sheets)) == [
        Problem("其他得分", 6, "项目", "「live」是现场评议的名称，请填写这项得分的名称（如 日常考核）"),
        Problem("其他得分", 7, "权重", "与项目「daily」前面写的权重不同"),
        Problem("其他得分", 7, "部门", "部门「fgw」在项目「daily」中重复"),
        Problem("其他得分", 8, "项目", "请填写这项得分的名称（如 日常考核）"),
    ]


def test_other_scores_weigh_less_than_the_live_evaluation_in_all(app: EvaluationApp) -> None:
    sheets = good_sheets()
    sheets["其他得分"] += [["survey", 0.7, "fgw", 80]]
    assert refused(app, xlsx(sheets)) == [
        Problem("其他得分", None, None, "其他得分的权重须为正数，且合计小于 1")
    ]


def test_the_representatives_sheet_is_read_by_the_roster_imports_rules(app: EvaluationApp) -> None:
    sheets = good_sheets()
    for row in sheets["代表"]:
        del row[0]
    assert refused(app, xlsx(sheets)) == [
        Problem("代表", 1, None, "缺少「姓名」列（列名可写作：姓名、代表姓名、name）")
    ]


def test_a_workbook_whose_codes_have_a_slash_or_other_signs_is_refused_whole(app: EvaluationApp) -> None:
    """The department codes a tester uploaded (the agenda's 开始评分 then posted to /organiser/windows/a/b/open,
    a 404, and the department could never be scored), and a category, group, venue and sitting code of the
    same kinds: each named on its row, by the setup forms' rule, and nothing is created."""
    sheets = good_sheets()
    codes = ["a/b", "q?x#y", "中文码", "bad key"]
    sheets["部门"] += [[code, f"第{n}部门", "", "econ", ""] for n, code in enumerate(codes)]
    sheets["代表类别"].append(["media?", "媒体代表", 1])
    sheets["部门组"].append(["econ/2", "经济二组"])
    sheets["会场"].append(["青山", "青山区分会场"])
    sheets["场次"].append(["s#3", "第三场", "2027-12-16", "上午", ""])
    rule = "须由 1 到 40 个字母、数字、- 或 _ 组成"
    assert refused(app, xlsx(sheets)) == [
        Problem("代表类别", 4, "代码", f"代表类别代码「media?」{rule}"),
        Problem("部门组", 4, "代码", f"部门组代码「econ/2」{rule}"),
        Problem("会场", 4, "代码", f"会场代码「青山」{rule}"),
        Problem("场次", 4, "代码", f"场次代码「s#3」{rule}"),
        *(Problem("部门", 6 + n, "代码", f"部门代码「{code}」{rule}") for n, code in enumerate(codes)),
    ]


def test_a_plan_with_a_department_code_of_another_shape_given_to_the_domain_creates_nothing(
    app: EvaluationApp,
) -> None:
    plan = read_workbook(xlsx(good_sheets()), "r2027.xlsx")
    odd = replace(plan, departments=(*plan.departments, replace(plan.departments[0], key="a/b")))
    with pytest.raises(PlanRejected) as refusal:
        app.create_round_from_plan(odd, by=ORGANISER)
    assert [(p.part, p.index, p.message) for p in refusal.value.problems] == [
        ("departments", 4, "部门代码「a/b」须由 1 到 40 个字母、数字、- 或 _ 组成")
    ]
    assert not app.recorder.max_notification_id()


def test_a_sitting_date_off_the_calendar_is_refused_by_the_setup_form_s_rule(app: EvaluationApp) -> None:
    """2027-02-30, 2027-13-45 and full-width digits: the message the setup form gives too."""
    sheets = good_sheets()
    sheets["场次"][1][2], sheets["场次"][2][2] = "2027-02-30", "２０２７-１２-１５"
    sheets["场次"].append(["s3", "第三场", "2027-13-45", "上午", ""])
    rule = "应是实际存在的日期，写成 2027-03-15 的形式"
    assert refused(app, xlsx(sheets)) == [
        Problem("场次", 2, "日期", f"日期「2027-02-30」{rule}"),
        Problem("场次", 3, "日期", f"日期「２０２７-１２-１５」{rule}"),
        Problem("场次", 4, "日期", f"日期「2027-13-45」{rule}"),
    ]


def test_a_share_of_1e30_is_refused(app: EvaluationApp) -> None:
    problems = refused(app, changed({("代表类别", 2, 2): "1e30", ("代表类别", 3, 2): 0.00001}))
    assert problems == [
        Problem("代表类别", 2, "权重", "权重「1e30」须是不大于 100 的数，最多 4 位小数（如 1、1.5、30）"),
        Problem("代表类别", 3, "权重", "权重「1e-05」须是不大于 100 的数，最多 4 位小数（如 1、1.5、30）"),
    ]


def test_an_instrument_that_cannot_work_is_refused(app: EvaluationApp) -> None:
    """A level code with a space and a sign, a 60-character level name, each on its row; then, on their own,
    a trim count no category could reach (on its own row of 活动), and levels of which none counts as satisfied."""
    long = "非常" * 30
    problems = refused(app, changed({("评价等级", 2, 0): "不了解 <x>", ("评价等级", 3, 1): long}))
    assert problems == [
        Problem("评价等级", 2, "代码", "评价等次代码「不了解 <x>」须由 1 到 40 个字母、数字、- 或 _ 组成"),
        Problem("评价等级", 3, "名称", f"评价等次名称「{long}」须有 1 到 20 个字"),
    ]
    none_satisfied = {("评价等级", row, 3): "否" for row in (2, 3)}
    assert refused(app, changed({("活动", 6, 1): 999999999, **none_satisfied})) == [
        Problem("活动", 6, "值", "去掉最高最低分个数「999999999」须是 0 到 10 之间的整数"),
        Problem("评价等级", None, None, "至少要有一个评价等次计入满意"),
    ]


def test_a_name_longer_than_the_setup_form_allows_is_refused_on_its_row_and_column(
    app: EvaluationApp,
) -> None:
    """The round's title, each item's name and a department's 简称 and 负责人, each as long as its form's
    maxlength (``setup_rules.MAX_TITLE``, ``MAX_NAME``) and no longer."""
    title, name = "题" * (MAX_TITLE + 1), "名" * (MAX_NAME + 1)
    cells = {("活动", 3, 1): title, ("部门组", 2, 1): name, ("会场", 2, 1): name, ("代表类别", 2, 1): name}
    cells |= {("场次", 3, 1): name, ("部门", 2, 1): name, ("部门", 3, 2): name, ("部门", 5, 4): name}
    assert refused(app, changed(cells)) == [
        Problem("活动", 3, "值", f"活动名称「{title}」须有 1 到 100 个字"),
        Problem("代表类别", 2, "名称", f"代表类别名称「{name}」须有 1 到 100 个字"),
        Problem("部门组", 2, "名称", f"部门组名称「{name}」须有 1 到 100 个字"),
        Problem("会场", 2, "名称", f"会场名称「{name}」须有 1 到 100 个字"),
        Problem("场次", 3, "名称", f"场次名称「{name}」须有 1 到 100 个字"),
        Problem("部门", 2, "名称", f"部门名称「{name}」须有 1 到 100 个字"),
        Problem("部门", 3, "简称", f"部门简称「{name}」最多 100 个字"),
        Problem("部门", 5, "负责人", f"部门负责人「{name}」最多 100 个字"),
    ]
    longest = {
        ("活动", 3, 1): "题" * MAX_TITLE,
        ("部门", 2, 1): "名" * MAX_NAME,
        ("部门", 5, 4): "名" * MAX_NAME,
    }
    import_workbook(app, changed(longest), "活动.xlsx", by=ORGANISER)
    assert app.department("r2027", "fgw").name == "名" * MAX_NAME


def test_points_and_a_minimum_of_valid_votes_beyond_their_bounds_are_refused_on_their_rows(
    app: EvaluationApp,
) -> None:
    assert refused(app, changed({("活动", 7, 1): 100001, ("评价等级", 2, 2): 1001})) == [
        Problem("活动", 7, "值", "最少有效票数「100001」须是 1 到 100000 之间的整数"),
        Problem("评价等级", 2, "分值", "等次「满意」的分值「1001」须是 -1000 到 1000 之间的整数"),
    ]
    sheets = good_sheets()
    del sheets["评价等级"]
    sheets["评价指标"] = [
        ["代码", "名称", "满分", "权重"],
        ["work", "工作实绩", 1001, 1.5],
        ["law", "依法行政", 10, -0.5],
    ]
    assert refused(app, xlsx(sheets)) == [
        Problem("评价指标", 2, "满分", "指标「工作实绩」的满分「1001」须是 1 到 1000 之间的整数"),
        Problem("评价指标", 2, "权重", "指标「工作实绩」的权重「1.5」须大于 0，且不大于 1"),
        Problem("评价指标", 3, "权重", "指标「依法行政」的权重「-0.5」须大于 0，且不大于 1"),
    ]
