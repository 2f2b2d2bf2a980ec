"""活动设置的取值规则 — codes, sitting dates and category shares: one rule each, the same whether the value comes
from a setup form or from a round's workbook."""

from __future__ import annotations

import pytest

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
