"""组织方控制台：议程、评分窗口、投票进度、评议结果与大屏、锁定与发布，以及各角色的拒绝。"""

from __future__ import annotations

from uuid import uuid4

import pytest

from evaluation.application import EvaluationApp
from evaluation.department import Department, department_id
from evaluation.round_checks import RoundChecks
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.web.test_organiser_helpers import cast_s1, running_site

ORGANISER_PAGES = [
    "/organiser",
    "/organiser/turnout",
    "/organiser/results",
    "/organiser/ballots",
    "/organiser/representatives",
    "/organiser/departments",
    "/organiser/cards",
    "/organiser/history",
]
ORGANISER_POSTS = [
    "/organiser/windows/fgw/open",
    "/organiser/results/reveal",
    "/organiser/results/lock",
    "/organiser/representatives",
    "/organiser/representatives/import",
    "/organiser/departments/fgw/credential",
]


async def test_the_agenda_lists_each_sitting_s_departments_in_order_with_window_state_and_turnout(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = await site.get("/organiser")
        assert page.status_code == 200
        text = page.text
        assert text.index("第一场") < text.index("市发改委") < text.index("市水务局") < text.index("第二场")
        assert text.index("第二场") < text.index("市科技局") < text.index("市住建局")
        assert text.count("未开始") == 4
        assert "0 / 2" in text  # fgw: alice and bob are eligible


async def test_the_organiser_opens_closes_and_reopens_a_window_with_a_reason(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        opened = await site.post("/organiser/windows/fgw/open")
        assert opened.status_code == 303 and opened.headers["location"].startswith("/organiser")
        assert app.window("r2026", "fgw").is_open  # type: ignore[union-attr]
        page = (await site.get("/organiser")).text
        assert "已开始「市发改委」的评分" in page and "评分中" in page and "结束评分" in page

        app.cast_ballot(small_round.alice, "fgw", uuid4().hex, "satisfied")
        site.sync()
        assert "1 / 2" in (await site.get("/organiser")).text

        await site.post("/organiser/windows/fgw/close")
        assert not app.window("r2026", "fgw").is_open  # type: ignore[union-attr]
        await site.post("/organiser/windows/fgw/reopen", {"reason": ""})
        refused = (await site.get("/organiser")).text
        assert "请填写原因" in refused and not app.window("r2026", "fgw").is_open  # type: ignore[union-attr]

        await site.post("/organiser/windows/fgw/reopen", {"reason": "主会场网络中断，补评"})
        assert app.window("r2026", "fgw").is_open  # type: ignore[union-attr]
        assert "开启 2 次" not in (await site.get("/organiser")).text  # open again: shown as 评分中
        history = (await site.get("/organiser/history", params={"kind": "ScoringWindow.Reopened"})).text
        assert "主会场网络中断，补评" in history and "共用会务组登录码" in history


async def test_a_window_change_the_domain_refuses_is_shown_with_its_message(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        refused = await site.post("/organiser/windows/fgw/close")
        # the message is at the page's top: a refusal does not scroll to the row (#dept-fgw), out of its view
        assert refused.headers["location"] == "/organiser"
        assert "「市发改委」的评分已结束或尚未开始" in (await site.get("/organiser")).text
        assert (await site.post("/organiser/windows/fgw/open")).headers["location"] == "/organiser#dept-fgw"
        assert (await site.post("/organiser/windows/nope/open")).status_code == 303
        assert "找不到议程中的部门「nope」" in (await site.get("/organiser")).text
        assert (await site.post("/organiser/windows/fgw/explode")).status_code == 404


async def test_a_department_code_recorded_before_the_code_rule_still_gets_buttons_that_reach_it(
    settings: Settings, app: EvaluationApp, small_round: SmallRound, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: the domain now refuses the code 「q?x#y」, but a round recorded before may hold it. Its
    开始评分 form posts to the path of its own window (the code URL-encoded), not to /organiser/windows/q with
    the rest taken for a query, as it did; and its 生成登录码 form names it the same way."""
    with monkeypatch.context() as before_the_rule:  # the round and the department checked no code then
        before_the_rule.setattr(RoundChecks, "check_item", staticmethod(lambda *_: None))
        before_the_rule.setattr(
            Department, "create_id", staticmethod(lambda round_key, key, **_: department_id(round_key, key))
        )
        round_ = app.round("r2026")
        round_.enrol_department("q?x#y", "city", ORGANISER)
        round_.define_sitting("s2", "第二场", "", "", ["kjj", "zjj", "q?x#y"], ORGANISER)
        app.save(round_, Department("r2026", "q?x#y", "市审计局", "审计局", "city", "", ORGANISER))
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = (await site.get("/organiser")).text
        assert 'action="/organiser/windows/q%3Fx%23y/open"' in page
        assert (await site.post("/organiser/windows/q%3Fx%23y/open")).status_code == 303
        assert app.window("r2026", "q?x#y").is_open  # type: ignore[union-attr]
        departments = (await site.get("/organiser/departments")).text
        assert 'action="/organiser/departments/q%3Fx%23y/credential"' in departments


async def test_turnout_per_department_and_per_venue(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    cast_s1(app)
    app.check_in(small_round.alice, by="organiser:test")
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = await site.get("/organiser/turnout")
        assert page.status_code == 200
        rows = page.text
        # fgw: alice, bob and six more are eligible; the six returned.
        assert "<td>市发改委</td><td>8</td><td>6</td>" in rows
        # per venue: cards issued and check-ins; a ballot names no venue
        assert (
            "<td>主会场</td><td>2</td><td>1</td>" in rows
            and "<td>主会场</td><td>2</td><td>1</td><td>0</td>" not in rows
        )
        assert "<td>昆都仑区分会场</td><td>7</td><td>0</td>" in rows and "已交评议票" not in rows
        # and the page says so: a supervisor reconciling a venue is not left to think its ballots are missing
        assert "评议票不记录会场（无记名），所以本表没有各会场的投票数；各部门的已评人数见上表" in rows


async def test_live_results_reveal_hide_lock_and_publish(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    cast_s1(app)
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = (await site.get("/organiser/results")).text
        assert "经济发展组" in page and "市发改委" in page and "无有效票" in page
        assert "不显示评议结果" in page
        await site.post("/organiser/results/reveal")
        assert app.round("r2026").revealed
        assert "正在显示评议结果" in (await site.get("/organiser/results")).text
        await site.post("/organiser/results/hide")
        assert not app.round("r2026").revealed

        await site.post("/organiser/results/publish")
        assert "须先锁定评议结果" in (await site.get("/organiser/results")).text
        await site.post("/organiser/results/lock")
        assert app.round("r2026").locked
        locked = (await site.get("/organiser/results")).text  # no longer 实时: nothing can change it now
        assert "评议结果（已锁定，尚未发布）</h1>" in locked and "实时" not in locked
        await site.post("/organiser/results/publish")
        assert app.round("r2026").published
        assert "已发布" in (await site.get("/organiser/results")).text
        assert (await site.post("/organiser/results/explode")).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "representative", "department"])
async def test_only_the_organiser_reaches_the_console(
    settings: Settings, app: EvaluationApp, small_round: SmallRound, role: str
) -> None:
    async with running_site(settings, app) as site:
        if role == "representative":
            await site.sign_in(small_round.alice_code)
        elif role == "department":
            await site.sign_in_department("fgw")
        for url in ORGANISER_PAGES:
            page = await site.get(url)
            if role == "anonymous":
                assert page.status_code == 303 and page.headers["location"] == "/login", url
            else:
                assert page.status_code == 403, url
        for url in ORGANISER_POSTS:
            assert (await site.post(url)).status_code == (401 if role == "anonymous" else 403), url
        assert app.window("r2026", "fgw") is None
        assert not app.round("r2026").revealed


async def test_every_organiser_form_needs_the_csrf_token(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        for url in ORGANISER_POSTS:
            refused = await site.post(url, csrf=False)
            assert refused.status_code == 403 and "页面已过期" in refused.text, url
        forged = await site.post("/organiser/windows/fgw/open", {"csrf": "forged"}, csrf=False)
        assert forged.status_code == 403
        assert app.window("r2026", "fgw") is None
        assert not app.round("r2026").revealed
