"""历史记录的日期 — events that keep only their day (评议票, 留名建议: ``evaluation.day_stamp``) show that day,
Beijing's, and no time of day; a ballot cast at 06:05 in Beijing, still the day before in UTC, is counted
on the day the sitting was held."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate

from tests.web.conftest import Web

SUGGESTION_LINE = re.compile(r"<tr><td>\d+</td><td>([^<]*)</td>(?:(?!</tr>).)*提交留名建议", re.DOTALL)
COUNT_LINE = re.compile(r"<tr><td>(\d{4}-\d\d-\d\d)</td><td>[^<]*</td><td>(\d+)</td>")


def test_a_signed_suggestion_and_a_ballot_of_an_early_morning_sitting_show_beijing_s_day_only(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    morning = datetime(2026, 12, 7, 22, 5, tzinfo=UTC)  # 8 December, 06:05 in Beijing
    monkeypatch.setattr(Aggregate.Event, "create_timestamp", staticmethod(lambda: morning))
    web.open("fgw")
    web.commands.sign_suggestion(web.round.alice, "fgw", uuid4().hex, "建议增设夜间办事窗口")
    assert web.cast("fgw", token=web.as_alice()).status_code == 200
    web.commands.close_window(web.round.key, "fgw", by="organiser:test")
    web.sync()
    web.scan(web.commands.keys.organiser_code(web.round.key))

    page = web.get("/organiser/history").text
    assert SUGGESTION_LINE.findall(page) == ["2026-12-08"]  # not 「2026-12-07 08:00:00」
    assert COUNT_LINE.findall(page) == [("2026-12-08", "1")]
