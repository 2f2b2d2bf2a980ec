"""大屏 /projector/{round}：公开，显示正在评分的部门和“已评 N / M”；亮分之前绝不出现分数；实时推送。"""

from __future__ import annotations

import json
from collections.abc import Iterator

from tests.conftest import ORGANISER
from tests.web.conftest import Web


def events(lines: Iterator[str]) -> Iterator[dict[str, object]]:
    for line in lines:
        if line.startswith("data: "):
            yield json.loads(line[6:])


def cast_as_alice(web: Web, department: str = "fgw", choice: str = "satisfied") -> None:
    web.commands.cast_ballot(web.round.alice, department, f"alice-{choice}", choice)


def test_the_projector_is_public_and_shows_the_department_being_scored_and_turnout(web: Web) -> None:
    web.open("fgw")
    cast_as_alice(web)
    web.sync()
    page = web.get("/projector/r2026")
    assert page.status_code == 200
    assert "2026年度三民活动" in page.text and "第一场" in page.text
    assert "正在评分" in page.text and "<h2>市发改委</h2>" in page.text
    assert "已评 <strong>1</strong> / 2" in page.text
    assert '<script src="http://testserver/static/projector.js" defer></script>' in page.text


def test_an_unknown_round_has_no_projector(web: Web) -> None:
    assert web.get("/projector/nope").status_code == 404
    assert web.get("/projector/nope/events").status_code == 404


def test_before_reveal_neither_the_page_nor_the_stream_carries_any_score(web: Web) -> None:
    web.open("fgw")
    cast_as_alice(web)
    web.sync()
    page = web.get("/projector/r2026").text
    assert "实时排名" not in page and "100.000" not in page
    with web.client.stream("GET", "/projector/r2026/events") as stream:
        text = stream.iter_lines()
        snapshot = next(events(text))
    assert snapshot["revealed"] is False
    assert "groups" not in snapshot
    raw = json.dumps(snapshot, ensure_ascii=False)
    for leak in ("score", "satisfaction", "100.000", "rank", "tally", "实时排名"):
        assert leak not in raw


def test_after_reveal_the_ranking_of_each_group_is_shown_with_bars_once_its_window_closed(web: Web) -> None:
    """Hole 7: while fgw is scored its group shows no score (two frames would differ by one ballot's
    points); after the close, with five ballots, the score is shown."""
    others = [
        web.commands.register_representative("r2026", f"代表{i}", "resident", "kdl", "s1", by=ORGANISER)[0]
        for i in range(3)
    ]
    web.open("fgw")
    cast_as_alice(web)
    web.commands.cast_ballot(web.round.bob, "fgw", "bob-satisfied", "satisfied")
    for i, rep in enumerate(others):
        web.commands.cast_ballot(rep, "fgw", f"other-{i}-satisfied", "satisfied")
    web.commands.reveal_results("r2026", by=ORGANISER)
    web.sync()
    page = web.get("/projector/r2026").text
    assert "实时排名" in page and "正在评分的部门组，评分结束后显示得分" in page
    assert "经济发展组" not in page and "100.000" not in page
    web.commands.close_window("r2026", "fgw", by=ORGANISER)
    web.sync()
    page = web.get("/projector/r2026").text
    assert "经济发展组" in page and "城市管理组" in page
    assert '<span class="score">100.000</span>' in page
    assert '<rect class="fill" width="100.0" height="10"/>' in page
    assert "无有效票" in page


def test_a_department_with_fewer_than_5_ballots_shows_no_score_on_the_projector(web: Web) -> None:
    """Hole 7: one ballot's score is that representative's choice."""
    web.open("fgw")
    cast_as_alice(web)
    web.commands.close_window("r2026", "fgw", by=ORGANISER)
    web.commands.reveal_results("r2026", by=ORGANISER)
    web.sync()
    page = web.get("/projector/r2026").text
    assert "经济发展组" in page and "不足 5 票，不公布" in page
    assert "100.000" not in page and '<rect class="fill"' not in page


def test_a_ballot_is_pushed_to_the_projector_without_reload(web: Web) -> None:
    web.open("fgw")
    with web.client.stream("GET", "/projector/r2026/events") as stream:
        snapshots = events(stream.iter_lines())
        before = next(snapshots)
        assert before["agenda"][0]["returned"] == 0  # type: ignore[index]
        cast_as_alice(web)
        after = next(snapshots)
    assert after["agenda"][0] == {  # type: ignore[index]
        "department": "fgw",
        "name": "市发改委",
        "short_name": "市发改委",
        "window": "open",
        "returned": 1,
        "eligible": 2,
    }
    assert "已评 <strong>1</strong> / 2" in str(after["html"])


def test_revealing_pushes_the_ranking_and_hiding_takes_it_away(web: Web) -> None:
    web.open("fgw")
    cast_as_alice(web)
    web.sync()
    with web.client.stream("GET", "/projector/r2026/events") as stream:
        snapshots = events(stream.iter_lines())
        assert "groups" not in next(snapshots)
        web.commands.reveal_results("r2026", by=ORGANISER)
        revealed = next(snapshots)
        # fgw is being scored: its group (经济发展组) waits for the close
        assert [g["name"] for g in revealed["groups"]] == ["城市管理组"]  # type: ignore[attr-defined]
        web.commands.hide_results("r2026", by=ORGANISER)
        hidden = next(snapshots)
    assert "groups" not in hidden and "100.000" not in str(hidden["html"])


def test_the_ranking_shows_only_the_groups_reporting_in_the_current_sitting(web: Web) -> None:
    web.commands.define_group("r2026", "law", "执法监管组", by=ORGANISER)
    web.commands.register_department("r2026", "sfj", "市司法局", "law", by=ORGANISER)
    web.commands.define_sitting("r2026", "s3", "第三场", ["sfj"], by=ORGANISER)
    web.commands.reveal_results("r2026", by=ORGANISER)
    web.open("fgw")
    page = web.get("/projector/r2026").text
    assert "经济发展组" not in page and "执法监管组" not in page  # being scored: shown after the close
    web.commands.close_window("r2026", "fgw", by=ORGANISER)
    web.sync()
    page = web.get("/projector/r2026").text
    assert "经济发展组" in page and "执法监管组" not in page
    web.open("sfj")
    web.commands.close_window("r2026", "sfj", by=ORGANISER)
    web.sync()
    page = web.get("/projector/r2026").text
    assert "第三场" in page and "执法监管组" in page and "经济发展组" not in page


def test_each_snapshot_names_the_event_position_it_reflects_so_freshness_can_be_measured(web: Web) -> None:
    web.open("fgw")
    receipt = web.commands.cast_ballot(web.round.alice, "fgw", "alice-fresh", "satisfied")
    web.sync()
    with web.client.stream("GET", "/projector/r2026/events") as stream:
        snapshot = next(events(stream.iter_lines()))
    assert isinstance(snapshot["position"], int)
    assert snapshot["position"] >= receipt.position


def test_after_the_lock_the_hall_is_not_told_a_department_still_awaits_scoring(web: Web) -> None:
    """After the results officers locked and published, the hall's screen still said 市水务局 待评 under
    实时排名: a department that can no longer be scored, and a ranking that no longer moves."""
    web.open("fgw")
    app = web.commands
    app.close_window("r2026", "fgw", by=ORGANISER)
    app.reveal_results("r2026", by=ORGANISER)
    app.lock_results("r2026", by=ORGANISER)
    web.sync()
    page = web.get("/projector/r2026").text
    assert "待评" not in page and "未评分" in page and "实时排名" not in page
    assert "<h2>评议结果（已锁定）</h2>" in page
    app.publish_results("r2026", by=ORGANISER)
    web.sync()
    assert "<h2>评议结果（已公布）</h2>" in web.get("/projector/r2026").text
