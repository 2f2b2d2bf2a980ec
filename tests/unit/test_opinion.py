"""意见 — the Opinion aggregate alone: its life from collection to the signer's rating, and its refusals."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from evaluation.errors import InvalidInput, ReasonRequired
from evaluation.opinion import Opinion, OpinionRefused, add_working_days
from evaluation.personal_data import find_personal_data, proposed_redaction

BY = "organiser:test"


def collected(text: str = "停车难，希望增加车位", source: str = "suggestion") -> Opinion:
    return Opinion(uuid4().hex, "r", source, ["zjj"], text, BY)


def kinds(opinion: Opinion) -> list[str]:
    return [type(e).__name__ for e in opinion.collect_events()]


def test_an_opinion_goes_from_collection_to_the_signers_rating() -> None:
    o = collected()
    o.classify("城市管理", BY)
    o.redact(o.text, BY)
    o.assign("zjj", ["swj", "zjj"], date(2026, 12, 7), BY)
    assert (o.lead, o.cooperating, o.deadline) == ("zjj", ["swj"], "2026-12-28")
    o.give_answer("zjj", "已新增车位 200 个", "改造停车场", "办理中", "department:zjj")
    o.return_answer("请写明完成时间", BY)
    assert o.review == "returned"
    o.give_answer("zjj", "已新增车位 200 个，年底完成", "改造停车场", "已办结", "department:zjj")
    o.accept_answer(BY)
    o.publish(BY)
    o.rate("基本满意", "representative")
    assert o.rating == "基本满意" and o.published
    assert kinds(o) == [
        "Collected",
        "Classified",
        "Redacted",
        "Assigned",
        "Answered",
        "AnswerReturned",
        "Answered",
        "AnswerAccepted",
        "Published",
        "Rated",
    ]


def test_fifteen_working_days_skip_weekends() -> None:
    assert add_working_days(date(2026, 12, 7), 15) == date(2026, 12, 28)
    assert add_working_days(date(2026, 12, 11), 1) == date(2026, 12, 14)


def test_the_deadline_is_configurable_within_limits() -> None:
    o = collected()
    o.assign("zjj", [], date(2026, 12, 7), BY, working_days=5)
    assert o.deadline == "2026-12-14"
    with pytest.raises(InvalidInput):
        collected().assign("zjj", [], date(2026, 12, 7), BY, working_days=0)


def test_personal_data_must_be_confirmed_before_a_department_sees_it() -> None:
    o = collected("我叫王小明，电话13812345678，路灯坏了")
    with pytest.raises(OpinionRefused, match="脱敏"):
        o.assign("zjj", [], date(2026, 12, 7), BY, needs_redaction=True)
    o.redact(proposed_redaction(o.text), BY)
    o.assign("zjj", [], date(2026, 12, 7), BY, needs_redaction=True)
    assert o.shown_text == "我叫［姓名］，电话［电话］，路灯坏了"
    assert o.text.startswith("我叫王小明")


def test_phone_id_and_names_are_found_and_ordinary_words_are_not() -> None:
    found = find_personal_data("联系人：刘德华 0471-5123456 身份证 150202198801011234；张科长很负责")
    assert [(f.kind, f.text) for f in found] == [
        ("姓名", "刘德华"),
        ("电话", "0471-5123456"),
        ("身份证号", "150202198801011234"),
        ("姓名", "张"),
    ]
    assert find_personal_data("王府井附近停车难，希望多建停车场") == []


def test_not_an_opinion_needs_a_reason_and_cannot_be_assigned() -> None:
    o = collected("哈哈哈")
    with pytest.raises(ReasonRequired):
        o.mark_not_opinion(" ", BY)
    o.mark_not_opinion("无实质内容", BY)
    with pytest.raises(OpinionRefused):
        o.assign("zjj", [], date(2026, 12, 7), BY)
    o.restore(BY, "误判")
    o.assign("zjj", [], date(2026, 12, 7), BY)


def test_merge_and_split_before_assignment_only() -> None:
    lead, other = collected(), collected()
    other.merge_into(lead.id, BY)
    assert other.group == lead.id
    other.split(BY)
    assert other.group is None
    with pytest.raises(OpinionRefused):
        other.split(BY)
    other.merge_into(lead.id, BY)
    other.assign("zjj", [], date(2026, 12, 7), BY)
    with pytest.raises(OpinionRefused):
        other.split(BY)


def test_only_the_lead_department_answers_or_asks_for_reassignment() -> None:
    o = collected()
    o.assign("zjj", ["swj"], date(2026, 12, 7), BY)
    with pytest.raises(OpinionRefused):
        o.give_answer("swj", "不归我们管", "", "已答复", "department:swj")
    with pytest.raises(OpinionRefused):
        o.request_reassignment("swj", "不归我们管", "department:swj")
    with pytest.raises(ReasonRequired):
        o.request_reassignment("zjj", "", "department:zjj")
    o.request_reassignment("zjj", "属于水务局职责", "department:zjj")
    assert o.reassignment == "属于水务局职责"
    o.assign("swj", [], date(2026, 12, 8), BY)
    assert o.lead == "swj" and o.reassignment is None


def test_an_answer_needs_text_and_a_known_state() -> None:
    o = collected()
    o.assign("zjj", [], date(2026, 12, 7), BY)
    with pytest.raises(InvalidInput):
        o.give_answer("zjj", " ", "", "已答复", "d")
    with pytest.raises(InvalidInput):
        o.give_answer("zjj", "好", "", "完成了", "d")


def test_publication_needs_an_accepted_answer_and_ratings_need_publication() -> None:
    o = collected()
    o.assign("zjj", [], date(2026, 12, 7), BY)
    with pytest.raises(OpinionRefused):
        o.publish(BY)
    with pytest.raises(OpinionRefused):
        o.accept_answer(BY)
    o.give_answer("zjj", "已处理", "", "已办结", "d")
    with pytest.raises(OpinionRefused):
        o.rate("满意", "rep")
    o.accept_answer(BY)
    with pytest.raises(OpinionRefused):
        o.give_answer("zjj", "改一下", "", "已办结", "d")
    o.publish(BY)
    with pytest.raises(InvalidInput):
        o.rate("非常满意", "rep")
    with pytest.raises(OpinionRefused):
        o.classify("其他", BY)


def test_an_anonymous_comment_cannot_be_rated() -> None:
    o = collected(source="comment")
    o.assign("zjj", [], date(2026, 12, 7), BY)
    o.give_answer("zjj", "已处理", "", "已办结", "d")
    o.accept_answer(BY)
    o.publish(BY)
    with pytest.raises(OpinionRefused):
        o.rate("满意", "rep")
