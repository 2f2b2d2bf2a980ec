"""活动设置的取值规则 — codes, sitting dates, category shares and the instrument's bounds: one rule each, the
same whether the value comes from a setup form or from a round's workbook."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from evaluation.instrument import DEFAULT_LEVELS, MAX_TRIM, Criterion, Instrument, Level
from evaluation.setup_rules import date_problem, key_problem, share_problem, sitting_date

BAD_CODES = ["a/b", "q?x#y", "中文码", "bad key", "", "x" * 41, "ａｂｃ", "a\n"]


@pytest.mark.parametrize("code", BAD_CODES)
def test_a_code_is_only_ascii_letters_digits_dash_and_underscore(code: str) -> None:
    assert key_problem(code, "部门") == f"部门代码「{code}」须由 1 到 40 个字母、数字、- 或 _ 组成"


@pytest.mark.parametrize("code", ["fgw", "s-1", "A_2", "x" * 40])
def test_ordinary_codes_are_good(code: str) -> None:
    assert key_problem(code, "部门") is None


@pytest.mark.parametrize(
    "written", ["2027-02-30", "2027-13-45", "２０２７-０３-１６", "2027-3-1x", "明天", "20270316"]
)
def test_a_sitting_date_is_a_day_of_the_calendar_in_ascii_digits(written: str) -> None:
    assert sitting_date(written) is None
    assert date_problem(written) == f"日期「{written}」应是实际存在的日期，写成 2027-03-15 的形式"


def test_a_date_written_as_people_write_it_is_kept_as_2027_03_05_and_none_stays_none() -> None:
    assert [sitting_date(d) for d in ("2027-03-05", "2027/3/5", "2027.3.5", "2028-02-29", "")] == [
        "2027-03-05",
        "2027-03-05",
        "2027-03-05",
        "2028-02-29",
        "",
    ]
    assert date_problem("2027-03-05") is None and date_problem("") is None
    assert date_problem("2027/3/5") is not None  # a plan keeps dates as the round does


@pytest.mark.parametrize("share", ["1", "2", "1.5", "0.25", "30", "100", "0.0001", "1.50000"])
def test_shares_are_relative_weights_so_more_than_one_is_fine(share: str) -> None:
    assert share_problem(share) is None


@pytest.mark.parametrize("share", ["0", "-1", "abc", "NaN", "inf", ""])
def test_a_share_that_is_no_positive_number_is_refused_as_before(share: str) -> None:
    assert share_problem(share) == f"权重「{share}」必须是正数"


@pytest.mark.parametrize("share", ["1e30", "101", "0.00001", "２", "1E+1"])
def test_a_share_beyond_100_or_finer_than_four_places_or_not_plainly_written_is_refused(share: str) -> None:
    assert share_problem(share) == f"权重「{share}」须是不大于 100 的数，最多 4 位小数（如 1、1.5、30）"


def problems(**changes: object) -> list[str]:
    return replace(Instrument(), **changes).problems()  # type: ignore[arg-type]


def test_the_default_instrument_and_the_widest_trim_are_good() -> None:
    assert problems() == [] and problems(trim=MAX_TRIM) == []


def test_a_trim_count_the_rule_could_never_use_is_refused() -> None:
    assert problems(trim=999999999) == ["去掉最高最低分个数「999999999」须是 0 到 10 之间的整数"]
    assert problems(trim=MAX_TRIM + 1) == ["去掉最高最低分个数「11」须是 0 到 10 之间的整数"]
    assert problems(trim=-1) == ["去掉最高最低分个数「-1」须是 0 到 10 之间的整数"]


def test_a_level_name_longer_than_the_form_allows_is_refused() -> None:
    long = "非常" * 30
    levels = (Level("good", long, 100, True), *DEFAULT_LEVELS[1:])
    assert problems(levels=levels) == [f"评价等次名称「{long}」须有 1 到 20 个字"]
    assert problems(levels=(Level("good", "满" * 20, 100, True), *DEFAULT_LEVELS[1:])) == []
    assert problems(unknown_label="说" * 21) == [f"“不了解”选项名称「{'说' * 21}」须有 1 到 20 个字"]


def test_levels_need_two_and_one_that_counts_as_satisfied() -> None:
    assert problems(levels=(Level("good", "满意", 100, True),)) == ["评价等次至少要有两个（如 满意、不满意）"]
    none_satisfied = (Level("good", "好", 100, False), Level("bad", "差", 0, False))
    assert problems(levels=none_satisfied) == ["至少要有一个评价等次计入满意"]
    assert problems(levels=()) == ["评价等次至少要有两个（如 满意、不满意）"]


def test_level_and_criterion_codes_follow_the_code_rule() -> None:
    levels = (Level("不了解 <x>", "不了解", 0, False), *DEFAULT_LEVELS)
    assert problems(levels=levels) == ["评价等次代码「不了解 <x>」须由 1 到 40 个字母、数字、- 或 _ 组成"]
    criteria = (Criterion("工作/实绩", "工作实绩", 10, Decimal(1)),)
    assert problems(kind="criteria", levels=(), criteria=criteria) == [
        "评价指标代码「工作/实绩」须由 1 到 40 个字母、数字、- 或 _ 组成"
    ]


def test_a_criteria_threshold_no_ballot_can_reach_is_refused() -> None:
    criteria = (Criterion("work", "工作实绩", 10, Decimal(1)),)
    assert problems(kind="criteria", criteria=criteria, satisfied_threshold=Decimal(100)) == []
    assert problems(kind="criteria", criteria=criteria, satisfied_threshold=Decimal(1000)) == [
        "满意分数线「1000」须在 0 到 100 之间"
    ]
