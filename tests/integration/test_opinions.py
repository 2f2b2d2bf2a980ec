"""意见办理 through the application: collection once per source, in an order that says nothing of the sources',
and again beside what was collected before; group answers and reassignments, Beijing's days for deadlines, and
the refusals a department or a signer meets."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import eventsourcing.domain
import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import EvaluationError, NotFound
from evaluation.opinion import Opinion, OpinionRefused
from evaluation.opinion_handling import OpinionSource
from projections.maintenance import rebuild_views
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_projection_helpers import dump_views, query
from tests.report_pdfs import small_pdf


def sources(app: EvaluationApp, round_: SmallRound) -> tuple[list[OpinionSource], UUID]:
    app.open_window(round_.key, "fgw", by=ORGANISER)
    first = app.cast_ballot(round_.alice, "fgw", uuid4().hex, "satisfied", comment="审批太慢")
    second = app.cast_ballot(round_.bob, "fgw", uuid4().hex, "satisfied", comment="审批流程太慢了")
    signed = app.sign_suggestion(round_.bob, "fgw", uuid4().hex, "我叫王建国，电话13900000001，建议网上办")
    app.close_window(round_.key, "fgw", by=ORGANISER)  # a signed suggestion is recorded at the close
    return [
        OpinionSource("comment", str(first.ballot_id), "fgw", "审批太慢"),
        OpinionSource("comment", str(second.ballot_id), "fgw", "审批流程太慢了"),
        OpinionSource("suggestion", str(signed), "fgw", "我叫王建国，电话13900000001，建议网上办"),
    ], signed


def test_collecting_twice_makes_each_source_one_opinion(app: EvaluationApp, small_round: SmallRound) -> None:
    items, _ = sources(app, small_round)
    before = app.recorder.max_notification_id() or 0
    assert app.collect_opinions(small_round.key, items, ORGANISER) == 3
    assert app.collect_opinions(small_round.key, items, ORGANISER) == 0
    events = app.recorder.select_notifications(before + 1, 100)
    ids = [e.originator_id for e in events if e.topic.endswith("Opinion.Collected")]
    assert ids == sorted(ids)
    stored = b"".join(e.state for e in events)
    for item in items:
        assert item.source_id.encode() not in stored


def test_the_loop_with_a_group_answer(app: EvaluationApp, small_round: SmallRound) -> None:
    items, signed = sources(app, small_round)
    app.collect_opinions(small_round.key, items, ORGANISER)
    ids = [
        e.originator_id for e in app.recorder.select_notifications(1, 1000) if "Opinion.Collected" in e.topic
    ]
    opinions = {app.opinion(i).text: app.opinion(i) for i in ids}
    slow, slower = opinions["审批太慢"].id, opinions["审批流程太慢了"].id
    named = opinions["我叫王建国，电话13900000001，建议网上办"].id
    group = app.merge_opinions(small_round.key, [slow, slower], ORGANISER)
    assert group == slow
    with pytest.raises(OpinionRefused, match="脱敏"):
        app.assign_opinions(small_round.key, [named], "fgw", [], ORGANISER)
    app.redact_opinion(small_round.key, named, "我叫［姓名］，电话［电话］，建议网上办", ORGANISER)
    with pytest.raises(NotFound):
        app.assign_opinions(small_round.key, [slow], "nosuch", [], ORGANISER)
    app.assign_opinions(small_round.key, [slow, slower, named], "fgw", ["kjj"], ORGANISER, date(2026, 12, 7))
    with pytest.raises(NotFound):
        app.answer_opinion(small_round.key, slow, "swj", "不是我们的", "", "已答复", "department:swj")
    app.answer_opinion(small_round.key, slow, "fgw", "已简化流程", "", "已办结", "department:fgw", [slower])
    assert app.opinion(slower).answer == app.opinion(slow).answer
    app.answer_opinion(small_round.key, named, "fgw", "已上线网上办理", "", "已办结", "department:fgw")
    app.return_answers(small_round.key, [named], "请写明网址", ORGANISER)
    app.answer_opinion(
        small_round.key, named, "fgw", "已上线网上办理：见政务网", "", "已办结", "department:fgw"
    )
    app.accept_answers(small_round.key, [slow, slower, named], ORGANISER)
    assert app.publish_opinions(small_round.key, [slow, slower, named], ORGANISER) == 3
    with pytest.raises(NotFound):
        app.rate_opinion(named, uuid4(), "满意", "representative")
    app.rate_opinion(named, signed, "满意", "representative")
    rated: Opinion = app.opinion(named)
    assert rated.rating == "满意" and rated.shown_text.startswith("我叫［姓名］")


def test_the_opinions_view_follows_the_events_and_a_rebuild_makes_it_again(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    items, _ = sources(app, small_round)
    app.collect_opinions(small_round.key, items, ORGANISER)
    with Projector(settings) as projector:
        projector.catch_up()
        rows = query(settings, f"SELECT * FROM {settings.schema}.opinions_view ORDER BY text")
        assert [r["text"] for r in rows] == ["审批太慢", "审批流程太慢了", items[2].text]
        slow, slower, named = (r["opinion_id"] for r in rows)
        app.merge_opinions(small_round.key, [slow, slower], ORGANISER)
        app.redact_opinion(small_round.key, named, "建议网上办", ORGANISER)
        app.classify_opinions(small_round.key, [named], "数字政务", ORGANISER)
        app.assign_opinions(small_round.key, [named], "fgw", ["kjj"], ORGANISER, date(2026, 12, 7))
        projector.catch_up()
    with Projector(settings) as projector:  # a restart: the state is read back from the views
        evidence = ("上线通知.pdf", small_pdf())
        app.answer_opinion(
            small_round.key, named, "fgw", "已上线", "", "已办结", "department:fgw", file=evidence
        )
        projector.catch_up()
    projected = dump_views(settings)
    row = next(r for r in projected["opinions"] if r["opinion_id"] == named)
    assert (row["shown"], row["theme"], row["lead"], row["cooperating"]) == (
        "建议网上办",
        "数字政务",
        "fgw",
        ["kjj"],
    )
    assert (
        row["deadline"] == "2026-12-28" and row["answer"]["state"] == "已办结" and row["review"] == "pending"
    )
    assert row["answer"]["evidence"] == {
        "sha256": hashlib.sha256(evidence[1]).hexdigest(),
        "size": len(evidence[1]),
        "name": "上线通知.pdf",
        "media_type": "application/pdf",
    }
    assert app.files.get(row["answer"]["evidence"]["sha256"]) == evidence[1]
    groups = {r["opinion_id"]: r["group_id"] for r in projected["opinions"]}
    assert groups[slow] == groups[slower] == slow
    rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == projected


def test_an_answer_recorded_before_evidence_files_existed_still_replays() -> None:
    """Stored events are rebuilt without calling their __init__ (eventsourcing's mapper): an old Answered
    event has no ``evidence`` attribute and must still apply."""
    opinion = Opinion("key", "r2026", "comment", ["fgw"], "审批太慢", ORGANISER)
    opinion.assign("fgw", [], date(2026, 12, 7), ORGANISER)
    opinion.give_answer("fgw", "已提速", "", "已答复", "department:fgw")
    *earlier, answered = opinion.collect_events()
    old = object.__new__(type(answered))
    old.__dict__.update({k: v for k, v in answered.__dict__.items() if k != "evidence"})
    replayed = None
    for e in [*earlier, old]:
        replayed = e.mutate(replayed)
    assert isinstance(replayed, Opinion) and replayed.answer == {
        "department": "fgw",
        "text": "已提速",
        "measures": "",
        "state": "已答复",
    }


def test_a_later_collection_saves_the_new_sources_beside_those_collected_before(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    """After a later sitting (or once online comments arrive) the sources read hold those collected before and
    the new ones: the new ones are saved, and a repeat finds nothing new."""
    items, _ = sources(app, small_round)
    assert app.collect_opinions(small_round.key, items[:2], ORGANISER) == 2
    assert app.collect_opinions(small_round.key, items, ORGANISER) == 1
    assert app.collect_opinions(small_round.key, items, ORGANISER) == 0
    collected = [
        e.originator_id for e in app.recorder.select_notifications(1, 1000) if "Opinion.Collected" in e.topic
    ]
    assert sorted(app.opinion(i).text for i in collected) == sorted(item.text for item in items)


def grouped_and_assigned(app: EvaluationApp, round_: SmallRound) -> tuple[UUID, UUID]:
    """审批太慢 and 审批流程太慢了, merged (the group's id is the first one's) and assigned to fgw."""
    items, _ = sources(app, round_)
    app.collect_opinions(round_.key, items[:2], ORGANISER)
    ids = [
        e.originator_id for e in app.recorder.select_notifications(1, 1000) if "Opinion.Collected" in e.topic
    ]
    by_text = {app.opinion(i).text: i for i in ids}
    head, member = by_text["审批太慢"], by_text["审批流程太慢了"]
    assert app.merge_opinions(round_.key, [head, member], ORGANISER) == head
    app.assign_opinions(round_.key, [head, member], "fgw", [], ORGANISER, date(2026, 12, 7))
    return head, member


def test_a_group_asks_for_reassignment_and_moves_as_one_when_a_member_is_named(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    head, member = grouped_and_assigned(app, small_round)
    app.request_reassignment(small_round.key, member, "fgw", "属于水务局职责", "department:fgw")
    assert app.opinion(head).reassignment == app.opinion(member).reassignment == "属于水务局职责"
    app.assign_opinions(small_round.key, [member], "swj", [], ORGANISER, date(2026, 12, 8))
    assert (app.opinion(head).lead, app.opinion(member).lead) == ("swj", "swj")
    assert app.opinion(head).reassignment is None


def test_the_days_of_a_deadline_are_beijings_not_the_servers(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    """2027-03-01 19:45 UTC is already Tuesday 2027-03-02 03:45 in Beijing: assigned that day, one working day
    later is Wednesday the 3rd."""
    head, member = grouped_and_assigned(app, small_round)
    app.clock = lambda: datetime(2027, 3, 1, 19, 45, tzinfo=UTC)
    app.assign_opinions(small_round.key, [head, member], "swj", [], ORGANISER, working_days=1)
    assert (app.opinion(head).assigned_on, app.opinion(head).deadline) == ("2027-03-02", "2027-03-03")
    assert app.today() == date(2027, 3, 2)


def test_an_answer_in_the_small_hours_of_beijing_counts_on_beijings_day(
    app: EvaluationApp, small_round: SmallRound, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Due Monday 2027-03-01 and answered at 03:45 on Tuesday in Beijing (still Monday in UTC): late."""
    head, member = grouped_and_assigned(app, small_round)
    app.assign_opinions(small_round.key, [head, member], "fgw", [], ORGANISER, date(2027, 2, 26), 1)
    early_tuesday = datetime(2027, 3, 1, 19, 45, tzinfo=UTC)
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", lambda: early_tuesday)
    app.answer_opinion(small_round.key, head, "fgw", "已简化", "", "已答复", "department:fgw", [member])
    monkeypatch.undo()
    with Projector(settings) as projector:
        projector.catch_up()
    row = query(settings, f"SELECT deadline, answered_on FROM {settings.schema}.opinions_view LIMIT 1")
    assert row == [{"deadline": "2027-03-01", "answered_on": "2027-03-02"}]
    projected = dump_views(settings)
    rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == projected


def test_a_reason_longer_than_five_hundred_characters_is_refused(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    head, member = grouped_and_assigned(app, small_round)
    with pytest.raises(EvaluationError, match="原因不能超过 500 字") as refused:
        app.request_reassignment(small_round.key, head, "fgw", "不" * 100_000, "department:fgw")
    assert refused.value.code == "reason_too_long"
    assert app.opinion(head).reassignment is None
    app.request_reassignment(small_round.key, head, "fgw", "属" * 500, "department:fgw")
    app.open_window(small_round.key, "swj", by=ORGANISER)
    app.close_window(small_round.key, "swj", by=ORGANISER)
    with pytest.raises(EvaluationError, match="原因不能超过 500 字"):
        app.reopen_window(small_round.key, "swj", ORGANISER, "因" * 5_000)
