"""合并建议 — near-duplicate opinions found exactly (as a brute-force comparison would), grouped as stars per
department, with a theme suggested from the keywords."""

from __future__ import annotations

import itertools
import random

from projections.opinion_similarity import (
    THRESHOLD,
    OpinionText,
    bigrams,
    merge_suggestions,
    normalised,
    similar_pairs,
    suggested_theme,
)
from scripts.bench.opinion_texts import opinions


def test_repeats_and_small_variations_of_a_sentence_are_one_suggestion_per_department() -> None:
    texts = ["审批太慢", "审批太慢了！", "审批 太慢", "网上办事系统老是卡", "停车难"]
    found = merge_suggestions(
        [OpinionText(str(i), "fgw", t) for i, t in enumerate(texts)]
        + [OpinionText("other", "swj", "审批太慢")]
    )
    assert len(found) == 1
    (only,) = found
    assert (only.department, only.count, only.theme) == ("fgw", 3, "办事效率")
    assert sorted(only.opinion_ids) == ["0", "1", "2"]
    assert only.variants[0][0] == "审批太慢"


def test_the_join_finds_exactly_the_pairs_a_brute_force_comparison_finds() -> None:
    rng = random.Random(7)
    texts = sorted({normalised(t) for _, t in itertools.islice(opinions(600, departments=2, seed=3), 600)})
    rng.shuffle(texts)
    sets = [bigrams(t) for t in texts]
    brute = {
        (i, j)
        for i, j in itertools.combinations(range(len(sets)), 2)
        if len(sets[i] & sets[j]) >= THRESHOLD * len(sets[i] | sets[j])
    }
    assert set(similar_pairs(sets)) == brute and brute


def test_a_chain_of_slightly_different_sentences_is_not_one_group() -> None:
    a, b, c = "一二三四五六七八", "一二三四五六七八九十", "三四五六七八九十甲乙"
    found = merge_suggestions([OpinionText(t, "d", t) for t in (a, a, b, c)])
    assert [sorted(s.opinion_ids) for s in found] == [[a, a, b]]


def test_themes_are_suggested_from_the_keywords() -> None:
    assert suggested_theme(["停车太难", "道路拥堵"]) == "城市管理"
    assert suggested_theme(["谢谢"]) is None
