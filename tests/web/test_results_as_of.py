"""截至某时的结果 — ``/organiser/results?as_of=…`` and ``sanmin results KEY --as-of``.

The round is scored in three stages; after each the views (what the screens showed) are written down
with their event position. Afterwards, the results as of each of those positions, recounted from the
events up to it, equal what the screens showed then.
"""

from __future__ import annotations

from pathlib import Path
from uuid import UUID, uuid4

import psycopg
import pytest
from psycopg.rows import dict_row

from projections.as_of import BadMoment, moment_or_position, results_as_of
from projections.audit import recount_listing, views_listing, views_position
from sanmin.cli import main as sanmin
from storage.settings import Settings
from tests.conftest import ORGANISER, sanmin_environment
from tests.web.conftest import Web


def shown_now(web: Web, settings: Settings) -> tuple[int, list[str]]:
    """The views' position and their listing of r2026, as the screens had them."""
    web.sync()
    with (
        psycopg.connect(settings.database_url, options=settings.pg_options) as conn,
        conn.cursor(row_factory=dict_row) as curs,
    ):
        lines = [line for line in views_listing(curs, settings.schema) if line.startswith("r2026|")]
        return views_position(curs, settings.schema), lines


def three_stages(web: Web, settings: Settings) -> list[tuple[int, list[str]]]:
    app, r = web.commands, web.round
    s1: list[UUID] = [r.alice, r.bob] + [
        app.register_representative("r2026", f"代表{n}", "npc", "main", "s1", by=ORGANISER)[0]
        for n in range(3)
    ]
    seen = []
    app.open_window("r2026", "fgw", by=ORGANISER)
    for rep, choice in zip(
        s1, ["satisfied", "fairly_satisfied", "dissatisfied", "satisfied", "unknown"], strict=True
    ):
        app.cast_ballot(rep, "fgw", uuid4().hex, choice)
    app.close_window("r2026", "fgw", by=ORGANISER)
    seen.append(shown_now(web, settings))
    app.open_window("r2026", "swj", by=ORGANISER)
    app.reopen_window("r2026", "fgw", by=ORGANISER, reason="补投")
    app.cast_ballot(r.alice, "fgw", uuid4().hex, "dissatisfied")  # amended
    for rep in s1:
        app.cast_ballot(rep, "swj", uuid4().hex, "basically_satisfied")
    app.close_window("r2026", "fgw", by=ORGANISER)
    app.close_window("r2026", "swj", by=ORGANISER)
    seen.append(shown_now(web, settings))
    app.open_window("r2026", "kjj", by=ORGANISER)
    app.cast_ballot(r.carol, "kjj", uuid4().hex, "satisfied")
    app.close_window("r2026", "kjj", by=ORGANISER)
    app.lock_results("r2026", by=ORGANISER)
    seen.append(shown_now(web, settings))
    return seen


def test_results_as_of_three_positions_equal_what_the_screens_showed_then(
    web: Web, settings: Settings
) -> None:
    stages = three_stages(web, settings)
    assert len({position for position, _ in stages}) == 3 and stages[0][1] != stages[1][1] != stages[2][1]
    for position, shown in stages:
        recounted = recount_listing({"r2026": results_as_of(web.commands, "r2026", position)})
        assert recounted == shown, position
    before = results_as_of(web.commands, "r2026", stages[0][0] - 1)  # just before fgw closed
    assert before["fgw"]["returned"] == 5 and results_as_of(web.commands, "r2026", 0) == {}


def test_the_organiser_sees_the_results_as_of_a_position_or_a_time(web: Web, settings: Settings) -> None:
    stages = three_stages(web, settings)
    web.scan(web.commands.keys.organiser_code("r2026"))
    first = web.get("/organiser/results", params={"as_of": str(stages[0][0])})
    assert first.status_code == 200
    page = first.text
    assert f"截至事件位置 <strong>{stages[0][0]}</strong>" in page
    fgw = results_as_of(web.commands, "r2026", stages[0][0])["fgw"]
    assert f"<td>{fgw['score']}</td>" in page and "市发改委" in page
    assert "评分进行中" not in page
    second = web.get("/organiser/results", params={"as_of": str(stages[1][0] - 3)}).text
    assert "评分进行中，不显示" in second  # swj's window was open then: no numbers to difference
    third = web.get("/organiser/results", params={"as_of": str(stages[2][0])}).text
    assert "计票不足 5 张，不显示" in third  # kjj: one ballot
    later = web.get("/organiser/results", params={"as_of": "2999-01-01 00:00"}).text
    assert f"截至事件位置 <strong>{stages[2][0]}</strong>" in later
    early = web.get("/organiser/results", params={"as_of": "2000-01-01T08:00"}).text
    assert "截至事件位置 <strong>0</strong>" in early and "尚无部门" in early
    huge = web.get("/organiser/results", params={"as_of": "99999999"}).text
    assert f"截至事件位置 <strong>{stages[2][0]}</strong>" in huge


@pytest.mark.parametrize(
    "garbage", ["", "yesterday", "<script>alert(1)</script>", "-5", "1" * 40, "2026-13-45"]
)
def test_as_of_garbage_is_refused_in_plain_chinese(web: Web, garbage: str) -> None:
    web.scan(web.commands.keys.organiser_code("r2026"))
    answer = web.get("/organiser/results", params={"as_of": garbage})
    assert answer.status_code == 400
    assert "不是事件位置" in answer.text or "事件位置过大" in answer.text
    assert "<script>alert" not in answer.text


def test_only_the_organiser_gets_results_as_of(web: Web) -> None:
    web.client.cookies.clear()
    assert web.get("/organiser/results", params={"as_of": "1"}).status_code == 303
    web.scan(web.round.alice_code)
    assert web.get("/organiser/results", params={"as_of": "1"}).status_code == 403


def test_moments_and_positions_are_read_as_said() -> None:
    assert moment_or_position(" 42 ") == 42
    moment = moment_or_position("2026-03-01 10:42")
    assert not isinstance(moment, int) and moment.utcoffset() is not None
    assert moment.isoformat() == "2026-03-01T10:42:00+08:00"
    with pytest.raises(BadMoment):
        moment_or_position("noon")


def test_sanmin_results_as_of(
    web: Web,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    stages = three_stages(web, settings)
    sanmin_environment(monkeypatch, settings, tmp_path)
    assert sanmin(["results", "r2026", "--as-of", str(stages[0][0])]) == 0
    out = capsys.readouterr().out
    fgw = results_as_of(web.commands, "r2026", stages[0][0])["fgw"]
    assert f"截至事件位置 {stages[0][0]}" in out and fgw["score"] in out
    assert sanmin(["results", "r2026"]) == 0
    assert f"截至事件位置 {stages[2][0]}" in capsys.readouterr().out
    assert sanmin(["results", "r2026", "--as-of", "garbage"]) == 2
    assert "--as-of 不对" in capsys.readouterr().out
    assert sanmin(["results", "nope"]) == 1
    assert "没有评议活动「nope」" in capsys.readouterr().out
