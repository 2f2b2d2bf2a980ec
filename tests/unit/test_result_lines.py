"""部门评议结果的各行（页面和三种下载共用）：不足 5 票的数字读作其状态；按类别加权时说明满意率不是简单比例。"""

from __future__ import annotations

from dataclasses import replace

from evaluation.instrument import Instrument
from evaluation.small_groups import SUPPRESSED
from web.department.result_lines import result_lines, weighting_note

TALLY = {"returned": 1946, "eligible": 2000, "score": "94.256", "satisfaction_rate": "98.62", "final": "94.256",
         "valid_votes": 1908, "abstentions": 38, "components": {}, "suppressed": False}  # fmt: skip


def test_a_shown_result_reads_rank_of_n_score_rate_and_votes() -> None:
    lines = dict(result_lines(TALLY, {"rank": 2, "of": 12}))
    assert lines["组内名次"] == "第 2 名（共 12 个部门）" and lines["得分"] == "94.256"
    assert lines["满意率"] == "98.62%" and lines["有效票 / 弃权（不了解）"] == "1908 / 38"
    assert lines["应评 / 实评人数"] == "2000 / 1946" and "综合得分" not in lines


def test_a_suppressed_result_shows_its_status_and_no_number() -> None:
    hidden = {**TALLY, "returned": 3, "score": None, "satisfaction_rate": None, "final": None,
              "valid_votes": None, "abstentions": None, "suppressed": True}  # fmt: skip
    lines = dict(result_lines(hidden, {"rank": None, "status": SUPPRESSED, "of": 12}))
    assert lines["组内名次"] == SUPPRESSED and lines["有效票 / 弃权（不了解）"] == SUPPRESSED
    assert lines["得分"] == "—" and lines["满意率"] == "—"
    assert result_lines(None, None) == []


def test_the_weighting_sentence_names_the_shares_and_is_left_out_when_every_vote_weighs_the_same() -> None:
    levels = Instrument.from_dict(
        {"kind": "levels", "levels": [["satisfied", "满意", "100", True], ["no", "不满意", "0", False]],
         "criteria": [], "satisfied_threshold": "0", "weighting": "per_category", "trim": 0,
         "min_valid_votes": 1, "components": {}}
    )  # fmt: skip
    shares = {"npc": {"name": "人大代表", "share": "2"}, "resident": {"name": "社区居民", "share": "1"}}
    note = weighting_note(levels, shares)
    assert (
        note
        == "得分和满意率按代表类别加权计算（各类别权重：人大代表 2、社区居民 1），不是各档票数的简单比例。"
    )
    per_ballot = replace(levels, weighting="per_ballot")
    assert weighting_note(per_ballot, shares) == ""
