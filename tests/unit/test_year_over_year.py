"""历年对比 as projections/year_over_year.py computes it: followed by code, else by name, else as the organiser
says; numbers only from published rounds and at or above k = 5; no change across a change of rule."""

from __future__ import annotations

from typing import Any

from evaluation.year_over_year import NO_MATCH, LinkedRound
from projections.year_over_year import RoundResults, department_years, round_years, rule_digest

LEVELS = {"kind": "levels", "levels": [["satisfied", "满意", 100, True]], "components": {"live": "1"}}
CATEGORIES = {"npc": {"name": "人大代表", "share": "1"}}


def line(department: str, rank: int, score: str, rate: str, returned: int = 6) -> dict[str, Any]:
    return {
        "department": department,
        "rank": rank,
        "position": rank,
        "status": "",
        "score": score,
        "final": score,
        "satisfaction_rate": rate,
        "valid_votes": returned,
        "returned": returned,
    }


def round_results(
    key: str,
    year: int,
    lines: list[dict[str, Any]],
    published: bool = True,
    **departments: tuple[str, str, str],
) -> RoundResults:
    known = departments or {x["department"]: (f"部门{x['department']}", "", "econ") for x in lines}
    return RoundResults(
        round_key=key,
        title=f"{year}年度三民活动",
        year=year,
        published=published,
        rule=rule_digest(LEVELS, CATEGORIES),
        groups={"econ": "经济发展组"},
        departments=known,
        rankings={"econ": lines} if published else {},
    )


def chain(*links: tuple[str, str], **matches: dict[str, str]) -> list[LinkedRound]:
    return [LinkedRound(key, None, previous, matches.get(key, {})) for key, previous in links]


def test_a_department_is_followed_by_its_code_with_the_change_from_each_round_to_the_next() -> None:
    results = {
        "y26": round_results(
            "y26", 2026, [line("fgw", 1, "92.500", "97.50"), line("swj", 2, "90.000", "95.00")]
        ),
        "y25": round_results(
            "y25", 2025, [line("swj", 1, "91.000", "96.00"), line("fgw", 2, "88.000", "96.00")]
        ),
    }
    lines = department_years(chain(("y26", "y25"), ("y25", "")), results, "fgw")
    assert [(x.year, x.rank, x.score) for x in lines] == [(2026, 1, "92.500"), (2025, 2, "88.000")]
    assert lines[0].change == {
        "score": "+4.500",
        "final": "+4.500",
        "satisfaction_rate": "+1.50",
        "rank": "1",
    }
    assert lines[0].change_words == "得分 +4.500，满意率 +1.50 个百分点，名次上升 1 位"
    assert lines[1].earliest and lines[1].change_words == "（最早一轮）"
    assert round_years(chain(("y26", "y25"), ("y25", "")), results)["swj"][0].change_words.endswith(
        "名次下降 1 位"
    )


def test_a_round_not_yet_published_gives_no_number_and_no_change() -> None:
    results = {
        "y26": round_results("y26", 2026, [line("fgw", 1, "92.500", "97.50")], published=False),
        "y25": round_results("y25", 2025, [line("fgw", 1, "88.000", "96.00")]),
    }
    newest, older = department_years(chain(("y26", "y25"), ("y25", "")), results, "fgw")
    assert (newest.published, newest.score, newest.rank, newest.status) == (False, None, None, "尚未公布")
    assert newest.change == {} and newest.change_words == "—"
    assert older.score == "88.000"


def test_below_five_ballots_a_round_shows_no_number_and_no_change_from_or_to_it() -> None:
    results = {
        "y26": round_results("y26", 2026, [line("fgw", 1, "92.500", "97.50")]),
        "y25": round_results("y25", 2025, [line("fgw", 1, "100.000", "100.00", returned=4)]),
    }
    newest, older = department_years(chain(("y26", "y25"), ("y25", "")), results, "fgw")
    assert older.suppressed and (older.score, older.rank, older.satisfaction_rate) == (None, None, None)
    assert "不足" in older.status
    assert newest.change == {}


def test_a_change_of_rule_between_two_rounds_is_flagged_and_not_computed() -> None:
    results = {
        "y26": round_results("y26", 2026, [line("fgw", 1, "92.500", "97.50")]),
        "y25": round_results("y25", 2025, [line("fgw", 1, "88.000", "96.00")]),
    }
    other = {**LEVELS, "components": {"live": "0.8", "daily": "0.2"}}
    results["y25"] = RoundResults(**{**vars(results["y25"]), "rule": rule_digest(other, CATEGORIES)})
    newest, _ = department_years(chain(("y26", "y25"), ("y25", "")), results, "fgw")
    assert newest.rule_changed and newest.change == {}
    assert newest.change_words == "评议办法有变化，不作直接比较"
    shares = {"npc": {"name": "人大代表", "share": "2"}}
    assert rule_digest(LEVELS, shares) != rule_digest(LEVELS, CATEGORIES)


def test_a_new_code_is_matched_by_the_same_name_and_the_organiser_overrides_or_unlinks() -> None:
    renamed = {"xzsp": ("市行政审批局", "审批局", "econ")}
    before = {"spj": ("市行政审批局", "审批局", "econ"), "fgw": ("市发改委", "发改委", "econ")}
    results = {
        "y26": round_results("y26", 2026, [line("xzsp", 1, "92.500", "97.50")], **renamed),
        "y25": round_results(
            "y25", 2025, [line("spj", 1, "90.000", "95.00"), line("fgw", 2, "80.000", "90.00")], **before
        ),
    }
    by_name = department_years(chain(("y26", "y25"), ("y25", "")), results, "xzsp")
    assert [x.department for x in by_name] == ["xzsp", "spj"]
    overridden = chain(("y26", "y25"), ("y25", ""), y26={"xzsp": "fgw"})
    assert [x.department for x in department_years(overridden, results, "xzsp")] == ["xzsp", "fgw"]
    unlinked = chain(("y26", "y25"), ("y25", ""), y26={"xzsp": NO_MATCH})
    assert [x.department for x in department_years(unlinked, results, "xzsp")] == ["xzsp"]


def test_a_round_that_follows_no_other_compares_with_nothing() -> None:
    results = {"y26": round_results("y26", 2026, [line("fgw", 1, "92.500", "97.50")])}
    (only,) = department_years(chain(("y26", "")), results, "fgw")
    assert only.earliest and only.change == {}
