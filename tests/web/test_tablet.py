"""代表评议页面 /r：本场次的部门、每个等次一个大按钮、不了解、意见、留名建议的说明；窗口状态实时推送。"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from evaluation.instrument import Criterion, Instrument
from tests.conftest import ORGANISER
from tests.web.conftest import Web


def test_anonymous_visitors_are_sent_to_sign_in(web: Web) -> None:
    answer = web.get("/r")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login"


def test_the_organiser_and_departments_are_refused_the_tablet(web: Web) -> None:
    web.scan(web.commands.keys.organiser_code("r2026"))
    assert web.get("/r").status_code == 403
    assert web.get("/r/events").status_code == 403


def test_the_page_lists_the_sitting_s_departments_with_a_big_button_per_level(web: Web) -> None:
    web.commands.submit_report(
        "r2026", "fgw", "2025年工作报告", "推进重大项目建设", "全文", by="department:fgw"
    )
    web.open("fgw")
    web.as_alice()
    page = web.get("/r").text
    assert "李秀英 代表 · 第一场 · 主会场" in page
    assert page.index('id="dept-fgw"') < page.index('id="dept-swj"')
    assert "市科技局" not in page and "市住建局" not in page
    assert re.search(r'id="dept-fgw" data-department="fgw" data-window="open"', page)
    assert re.search(r'id="dept-swj" data-department="swj" data-window="pending"', page)
    for label in ("满意", "比较满意", "基本满意", "不满意", "不了解"):
        assert f'aria-pressed="false">{label}</button>' in page
    assert "推进重大项目建设" in page
    assert "留名建议会附上<strong>您的姓名和登记的手机号</strong>" in page
    assert '<script src="http://testserver/static/tablet.js" defer></script>' in page


def test_a_criteria_instrument_offers_a_slider_per_criterion(web: Web) -> None:
    criteria = Instrument(
        kind="criteria",
        levels=(),
        criteria=(
            Criterion("service", "服务态度", 10, Decimal("0.5")),
            Criterion("result", "工作成效", 20, Decimal("0.5")),
        ),
    )
    web.commands.change_instrument("r2026", criteria, by=ORGANISER, reason="按指标打分")
    web.sync()
    web.as_alice()
    page = web.get("/r").text
    assert 'data-criterion="service" data-label="服务态度"' in page
    assert 'max="20"' in page
    assert "（0–10 分）" in page


def test_window_states_are_pushed_to_the_tablet_as_they_change(web: Web) -> None:
    web.as_alice()
    with web.client.stream("GET", "/r/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        first = next(line for line in lines if line.startswith("data: "))
        assert json.loads(first[6:]) == {"round": "r2026", "windows": {}, "over": False, "published": False}
        web.open("fgw")
        pushed = next(line for line in lines if line.startswith("data: "))
        assert json.loads(pushed[6:])["windows"] == {"fgw": "open"}


def test_the_page_names_each_department_whose_refusal_the_ballot_path_gives_by_code(web: Web) -> None:
    """The ballot path reads no department's name for a refusal (they come in bursts at a close): it answers
    ``window_closed`` and ``not_in_sitting`` by their stable code for the department key the ballot named. The
    page she loaded names each key, and its script words both codes with that name (tests/e2e shows it)."""
    token = web.as_alice()
    page = web.get("/r").text
    assert 'data-department="fgw" data-window="pending" data-name="市发改委"' in page
    assert 'data-department="swj" data-window="pending" data-name="市水务局"' in page
    assert '<div id="elsewhere" class="net alert" role="alert" hidden></div>' in page

    web.commands.change_agenda("r2026", "s1", ["fgw"], by=ORGANISER)  # after her page loaded, swj leaves
    web.commands.change_agenda("r2026", "s2", ["kjj", "zjj", "swj"], by=ORGANISER)
    web.open("swj")
    web.open("fgw")
    web.commands.close_window("r2026", "fgw", by=ORGANISER)
    moved = web.cast("swj", token=token)
    assert moved.status_code == 403 and moved.json()["error"]["code"] == "not_in_sitting"
    closed = web.cast("fgw", token=token)
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "window_closed"

    script = web.get("/static/tablet.js").text
    assert 'error.code === "window_closed"' in script and 'error.code === "not_in_sitting"' in script


def test_once_the_results_are_locked_the_page_says_the_evaluation_is_over_and_takes_no_more_suggestions(
    web: Web,
) -> None:
    web.as_alice()
    before = web.get("/r").text
    assert 'id="over" class="over" aria-labelledby="over-title" hidden' in before
    assert before.count('class="signed-suggestion"') == 2
    assert '<a href="/opinions/mine">我的留名建议</a>' in before
    web.commands.lock_results("r2026", by=ORGANISER)
    web.sync()
    over = web.get("/r").text
    assert 'id="over" class="over" aria-labelledby="over-title">' in over
    assert "本次评议已结束" in over and "不再收留名建议" in over
    assert "signed-suggestion" not in over and "提交留名建议" not in over
    assert "本次未评分" in over and "尚未开始" not in over  # no window of hers ever opened
    assert 'id="none-open" class="none-open" hidden' in over
    assert '<p id="over-published" hidden>' in over  # locked, not yet published: no notice to link
    assert '<a href="/opinions/mine">查看我的留名建议和答复</a>' in over
    web.commands.publish_results("r2026", by=ORGANISER)
    web.sync()
    published = web.get("/r").text
    assert (
        '<p id="over-published">评议结果已经公布：<a href="/results/r2026">查看评议结果公示</a></p>'
        in published
    )
    state = web.get("/api/state").json()["round"]
    assert (state["over"], state["published"]) == (True, True)


def test_an_open_page_hears_that_the_evaluation_is_over_and_then_that_its_results_are_published(
    web: Web,
) -> None:
    web.as_alice()
    with web.client.stream("GET", "/r/events") as stream:
        lines = (line for line in stream.iter_lines() if line.startswith("data: "))
        assert json.loads(next(lines)[6:])["over"] is False
        web.commands.lock_results("r2026", by=ORGANISER)
        web.sync()
        locked = json.loads(next(lines)[6:])
        assert (locked["over"], locked["published"]) == (True, False)
        web.commands.publish_results("r2026", by=ORGANISER)
        web.sync()
        published = json.loads(next(lines)[6:])
        assert (published["over"], published["published"]) == (True, True)
