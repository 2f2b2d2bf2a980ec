"""活动设置的边界 on every path: a script's ``Preparation``, a plan, and the aggregates themselves hold the codes,
dates, names and instrument bounds that the setup forms and the workbook hold, and a refusal writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from functools import partial

import pytest

from evaluation.application import EvaluationApp
from evaluation.department import Department
from evaluation.errors import InvalidInput, NotFound
from evaluation.instrument import (
    DEFAULT_LEVELS,
    MAX_MIN_VALID_VOTES,
    MAX_POINTS,
    Criterion,
    Instrument,
    Level,
)
from evaluation.round import Round, round_id
from evaluation.setup_rules import MAX_NAME, MAX_TITLE
from tests.conftest import ORGANISER

CODE_RULE = "须由 1 到 40 个字母、数字、- 或 _ 组成"
DATE_RULE = "应是实际存在的日期，写成 2027-03-15 的形式"


def refused(app: EvaluationApp, command: Callable[[], object], words: str) -> None:
    """``command`` is refused with ``words`` in its message, and nothing at all is recorded."""
    before = app.recorder.max_notification_id()
    with pytest.raises(InvalidInput) as refusal:
        command()
    assert words in refusal.value.message
    assert app.recorder.max_notification_id() == before


@pytest.fixture
def r1(app: EvaluationApp) -> EvaluationApp:
    app.create_round("r1", "2026年度三民活动", by=ORGANISER)
    app.define_group("r1", "econ", "经济发展组", by=ORGANISER)
    app.register_department("r1", "fgw", "市发改委", "econ", by=ORGANISER)
    return app


@pytest.mark.parametrize("code", ["a/b", "中文码", "q?x#y", "bad key", "x" * 41])
def test_a_script_cannot_create_a_round_with_a_code_no_form_takes(app: EvaluationApp, code: str) -> None:
    refused(app, lambda: app.create_round(code, "活动", by=ORGANISER), f"活动代码「{code}」{CODE_RULE}")
    assert app.find(Round, round_id(code)) is None


@pytest.mark.parametrize("code", ["a/b", "中文码"])
def test_a_script_cannot_give_an_item_a_code_no_form_takes(r1: EvaluationApp, code: str) -> None:
    app = r1
    refused(app, lambda: app.define_category("r1", code, "人大代表", by=ORGANISER), f"代表类别代码「{code}」")
    refused(app, lambda: app.define_group("r1", code, "城市管理组", by=ORGANISER), f"部门组代码「{code}」")
    refused(app, lambda: app.define_venue("r1", code, "主会场", by=ORGANISER), f"会场代码「{code}」")
    refused(app, lambda: app.define_sitting("r1", code, "第一场", [], by=ORGANISER), f"场次代码「{code}」")
    register = lambda: app.register_department("r1", code, "市审计局", "econ", by=ORGANISER)  # noqa: E731
    refused(app, register, f"部门代码「{code}」{CODE_RULE}")
    round_ = app.round("r1")
    assert (set(round_.categories), set(round_.groups), set(round_.venues)) == (set(), {"econ"}, set())
    assert (set(round_.sittings), set(round_.departments)) == (set(), {"fgw"})
    with pytest.raises(NotFound):
        app.department("r1", code)


@pytest.mark.parametrize("date", ["2027-02-30", "2027-13-45", "２０２７-０３-１６", "明天"])
def test_a_script_cannot_date_a_sitting_off_the_calendar(r1: EvaluationApp, date: str) -> None:
    define = lambda: r1.define_sitting("r1", "s1", "第一场", ["fgw"], by=ORGANISER, date=date)  # noqa: E731
    refused(r1, define, f"日期「{date}」{DATE_RULE}")
    assert r1.round("r1").sittings == {}
    r1.define_sitting("r1", "s1", "第一场", ["fgw"], by=ORGANISER, date="2027-03-15", half_day="上午")
    assert r1.round("r1").sittings["s1"]["date"] == "2027-03-15"


def test_a_script_cannot_give_a_name_longer_than_the_form_allows(r1: EvaluationApp) -> None:
    app, long, longest = r1, "名" * (MAX_NAME + 1), "名" * MAX_NAME
    refused(app, lambda: app.create_round("r2", "题" * (MAX_TITLE + 1), by=ORGANISER), "活动名称「题")
    refused(
        app,
        lambda: app.define_group("r1", "city", long, by=ORGANISER),
        f"部门组名称「{long}」须有 1 到 100 个字",
    )
    refused(app, lambda: app.define_venue("r1", "main", long, by=ORGANISER), "会场名称")
    refused(app, lambda: app.define_category("r1", "npc", long, by=ORGANISER), "代表类别名称")
    refused(app, lambda: app.define_sitting("r1", "s1", long, [], by=ORGANISER), "场次名称")
    for name, short, head, words in [
        (long, "", "", "部门名称"),
        ("市审计局", long, "", f"部门简称「{long}」最多 100 个字"),
        ("市审计局", "", long, "部门负责人"),
    ]:
        register = partial(app.register_department, "r1", "sjj", name, "econ", ORGANISER, short, head)
        refused(app, register, words)
    app.define_group("r1", "city", longest, by=ORGANISER)
    assert app.round("r1").groups["city"] == longest


def test_a_department_s_details_are_held_to_the_same_bounds_when_changed_or_rejoined(
    r1: EvaluationApp,
) -> None:
    """The aggregate itself, asked directly: its change of details and its rejoining refuse a long head."""
    department: Department = r1.department("r1", "fgw")
    with pytest.raises(InvalidInput, match="部门负责人"):
        department.change_details("市发改委", "", "econ", "长" * (MAX_NAME + 1), ORGANISER, "")
    with pytest.raises(InvalidInput, match="部门简称"):
        department.rejoin("市发改委", "简" * (MAX_NAME + 1), "econ", "", ORGANISER)
    assert department.pending_events == []


LEVELS = DEFAULT_LEVELS[1:]


@pytest.mark.parametrize(
    ("instrument", "words"),
    [
        (
            Instrument(levels=(Level("top", "满意", MAX_POINTS + 1, True), *LEVELS)),
            "分值「1001」须是 -1000 到 1000",
        ),
        (Instrument(levels=(Level("top", "满意", -999999999, True), *LEVELS)), "分值「-999999999」"),
        (
            Instrument(min_valid_votes=MAX_MIN_VALID_VOTES + 1),
            "最少有效票数「100001」须是 1 到 100000 之间的整数",
        ),
        (Instrument(min_valid_votes=0), "最少有效票数「0」"),
        (
            Instrument(kind="criteria", criteria=(Criterion("work", "工作实绩", 1001, Decimal(1)),)),
            "指标「工作实绩」的满分「1001」须是 1 到 1000 之间的整数",
        ),
        (
            Instrument(
                kind="criteria",
                criteria=(
                    Criterion("work", "工作实绩", 10, Decimal(2)),
                    Criterion("law", "依法行政", 10, Decimal(-1)),
                ),
            ),
            "指标「依法行政」的权重「-1」须大于 0",
        ),
    ],
)
def test_an_instrument_beyond_its_bounds_is_refused_on_creation_and_on_change(
    r1: EvaluationApp, instrument: Instrument, words: str
) -> None:
    refused(r1, lambda: r1.create_round("r2", "活动", by=ORGANISER, instrument=instrument), words)
    refused(r1, lambda: r1.change_instrument("r1", instrument, by=ORGANISER, reason=""), words)
    refused(r1, lambda: r1.set_instrument("r1", instrument, by=ORGANISER), words)
    assert r1.round("r1").instrument == Instrument()


def test_the_bounds_themselves_are_good(r1: EvaluationApp) -> None:
    widest = replace(
        Instrument(),
        levels=(Level("top", "满意", MAX_POINTS, True), Level("low", "不满意", -MAX_POINTS, False)),
        min_valid_votes=MAX_MIN_VALID_VOTES,
    )
    r1.change_instrument("r1", widest, by=ORGANISER, reason="")
    assert r1.round("r1").instrument == widest
