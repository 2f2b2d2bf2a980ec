"""意见办理得分：按时答复率占 60%、满意度得分（满意 100、基本满意 60、不满意 0）占 40%；没有评价时只看按时答复率；
没有到期的意见时没有得分。"""

from __future__ import annotations

from decimal import Decimal

from projections.handling_score import component_scores, handling_score, handling_scores


def test_on_time_and_ratings_make_the_figure() -> None:
    s = handling_score("fgw", due=4, on_time=3, ratings=(1, 1, 0))
    # 0.6 × 75 + 0.4 × (100 + 60) / 2 = 45 + 32 = 77
    assert (s.on_time_rate, s.rating_score, s.score) == (Decimal("75.0"), Decimal("80.0"), Decimal("77.00"))


def test_without_ratings_the_on_time_rate_alone_counts() -> None:
    s = handling_score("fgw", due=3, on_time=2, ratings=(0, 0, 0))
    assert s.rating_score is None and s.score == Decimal("66.67")


def test_nothing_due_gives_no_figure_and_is_left_out_of_the_import() -> None:
    rows = [{"department": "fgw", "due": 2, "on_time": 2, "satisfied": 0, "fairly": 0, "dissatisfied": 1}]
    scores = handling_scores(rows, ["fgw", "swj"])
    assert [s.department for s in scores] == ["fgw", "swj"]
    assert scores[1].score is None and scores[1].due == 0
    assert component_scores(scores) == {"fgw": "60.00"}  # 0.6 × 100 + 0.4 × 0


def test_the_figure_stays_within_0_and_100() -> None:
    assert handling_score("a", 5, 5, (7, 0, 0)).score == Decimal("100.00")
    assert handling_score("a", 5, 0, (0, 0, 7)).score == Decimal("0.00")
