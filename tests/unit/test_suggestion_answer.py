"""留名建议的答复 — the Suggestion aggregate alone: an answer is at most what the department's form allows."""

from __future__ import annotations

import pytest

from evaluation.errors import InvalidInput
from evaluation.suggestion import ANSWER_LIMIT, Suggestion


def delivered() -> Suggestion:
    return Suggestion("key-1", "r2026", "fgw", "李秀英", "13900000001", "建议增设夜间办事窗口")


def test_an_answer_of_the_form_s_limit_is_taken_and_one_character_more_is_refused() -> None:
    suggestion = delivered()
    with pytest.raises(InvalidInput, match="答复不能超过 5000 字"):
        suggestion.give_answer("答" * (ANSWER_LIMIT + 1), by="department:fgw")
    assert suggestion.answer is None and len(suggestion.collect_events()) == 1  # only its Submitted
    suggestion.give_answer("答" * ANSWER_LIMIT, by="department:fgw")
    assert suggestion.answer == "答" * ANSWER_LIMIT


def test_a_line_break_counts_once_as_the_form_counts_it_though_the_browser_sends_two_characters() -> None:
    suggestion = delivered()
    lines = "\r\n".join(["答" * 99] * 50)  # 4,999 as the textarea counts, 5,048 as sent
    suggestion.give_answer(lines, by="department:fgw")
    assert suggestion.answer == lines
    with pytest.raises(InvalidInput):
        suggestion.give_answer(lines + "\r\n答答", by="department:fgw")


def test_an_empty_answer_is_refused() -> None:
    with pytest.raises(InvalidInput, match="答复内容不能为空"):
        delivered().give_answer(" \r\n ", by="department:fgw")
