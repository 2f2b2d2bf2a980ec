"""满意度评价 on the public page follow k = 5: a department's counts appear only once 5 signers have rated."""

from __future__ import annotations

from projections.public_numbers import RATINGS_WITHHELD, public_ratings


def test_fewer_than_five_ratings_show_no_count() -> None:
    for counts in [(0, 0, 0), (0, 0, 1), (2, 1, 1)]:
        row = dict(zip(("satisfied", "fairly", "dissatisfied"), counts, strict=True), lead="fgw")
        shown = public_ratings(row)
        assert (shown["satisfied"], shown["fairly"], shown["dissatisfied"]) == (None, None, None), counts
        assert shown["withheld"] == RATINGS_WITHHELD == "评价少于 5 条，不公开"
        assert shown["lead"] == "fgw"


def test_five_ratings_or_more_are_shown_whole() -> None:
    row = {"lead": "fgw", "satisfied": 3, "fairly": 1, "dissatisfied": 1}
    assert public_ratings(row) == {**row, "withheld": None}
