"""意见汇总: the 5-representative threshold, anonymity of comments, keywords, themes, signed suggestions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from evaluation.instrument import DEFAULT_LEVELS, Criterion, Instrument
from projections.feedback import MIN_RETURNED, Feedback, NotEnough, department_feedback
from projections.keywords import keywords, themes

BALLOTS = [
    ("satisfied", "供水服务热情，停水通知及时"),
    ("dissatisfied", "停水太频繁，供水管网老化严重"),
    ("fairly_satisfied", ""),
    ("unknown", "不太了解这个部门"),
    ("basically_satisfied", "供水管网改造进度慢，希望加快"),
    ("satisfied", "  "),
]


def test_nothing_is_shown_below_five_returned_ballots() -> None:
    shown = department_feedback(
        "swj", Instrument(), BALLOTS[: MIN_RETURNED - 1], [("王建国", "请回复", None)]
    )
    assert shown == NotEnough("swj")
    assert "5" in shown.message


def test_from_five_ballots_comments_are_anonymous_and_sorted_by_text() -> None:
    shown = department_feedback("swj", Instrument(), BALLOTS, sitting="第一场")
    assert isinstance(shown, Feedback)
    assert shown.returned == 6 and shown.sitting == "第一场"
    assert [c.text for c in shown.comments] == sorted(t.strip() for _, t in BALLOTS if t.strip())
    assert {c.level for c in shown.comments} <= {lv.label for lv in DEFAULT_LEVELS} | {"不了解"}
    assert shown.level_counts == [("满意", 2), ("比较满意", 1), ("基本满意", 1), ("不满意", 1), ("不了解", 1)]
    assert not hasattr(shown.comments[0], "venue") and not hasattr(shown.comments[0], "at")


def test_keywords_leave_out_stop_words_and_themes_count_comments() -> None:
    shown = department_feedback("swj", Instrument(), BALLOTS)
    assert isinstance(shown, Feedback)
    words = [w for w, _ in shown.keywords]
    assert "停水" in words and "管网" in " ".join(words)
    assert not {"希望", "的", "部门", "这个"} & set(words)
    assert dict(shown.themes)["公用设施"] == 3


def test_signed_suggestions_are_kept_apart_with_their_signer() -> None:
    shown = department_feedback(
        "swj",
        Instrument(),
        BALLOTS,
        [("李秀英", "建议公布管网改造时间表", "已在官网公布"), ("王建国", "希望夜间施工减少噪音", None)],
    )
    assert isinstance(shown, Feedback)
    assert [(s.name, s.answer) for s in shown.suggestions] == [("王建国", None), ("李秀英", "已在官网公布")]
    assert all("李秀英" not in c.text for c in shown.comments)


def test_criteria_ballots_are_labelled_as_scored() -> None:
    instrument = Instrument(kind="criteria", levels=(), criteria=(Criterion("work", "工作实绩", 10, 1),))  # type: ignore[arg-type]
    shown = department_feedback("swj", instrument, [("scored", "好")] * 4 + [("unknown", "")])
    assert isinstance(shown, Feedback)
    assert shown.level_counts == [("按指标评分", 4), ("不了解", 1)]


def test_empty_texts_give_no_keywords_or_themes() -> None:
    assert keywords(["", "  "]) == []
    assert themes(["", "今天天气不错"]) == []


def test_jieba_is_silent_and_needs_no_network() -> None:
    code = "from projections.keywords import keywords; print(keywords(['供水管网改造要加快'])[:1])"
    root = str(Path(__file__).parents[2])
    offline = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": root,
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=root, env=offline
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("[(")
