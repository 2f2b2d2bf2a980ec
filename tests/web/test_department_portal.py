"""部门页面：发布前只见「结果尚未发布」；发布后只见本部门的结果与匿名意见汇总；留名建议与答复；各角色的拒绝；换发登录码后，用旧码登录的会话在下一次请求时结束。"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import uuid4

import httpx
import pytest
from starlette.applications import Starlette

from evaluation.application import EvaluationApp
from evaluation.keys import normalise_code
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound, deliver_suggestions
from tests.web.test_organiser_helpers import CSRF, SCRIPT, Site, cast_s1, publish, running_site
from web.app import create_app

CODE = re.compile(r'<p class="big-code">([A-Z0-9]{5}-[A-Z0-9]{5})</p>')
DEPARTMENT_PAGES = ["/department", "/department/suggestions", "/department/feedback.xlsx"]


def suggest(app: EvaluationApp, small_round: SmallRound) -> None:
    """李秀英 signs a suggestion for fgw; 王建国 one for swj."""
    app.sign_suggestion(small_round.alice, "fgw", uuid4().hex, f"建议增设夜间窗口 {SCRIPT}")
    app.sign_suggestion(small_round.bob, "swj", uuid4().hex, "水务局请答复停水补偿")
    deliver_suggestions(app, "r2026", "fgw", "swj")


async def test_before_publication_a_department_sees_no_number_and_no_comment(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    cast_s1(app)
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        page = (await site.get("/department")).text
        assert "结果尚未发布" in page and "市发改委" in page
        for leak in ("得分", "满意率", "名次", "意见汇总</h2>", "HYPERLINK", "供水管网"):
            assert leak not in page, leak
        for kind in ("xlsx", "csv", "pdf"):
            refused = await site.get(f"/department/feedback.{kind}")
            assert refused.status_code == 403 and "评议结果尚未发布" in refused.text


async def test_after_publication_a_department_sees_its_own_results_and_anonymous_comments(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    cast_s1(app)
    cast_s1(app, "swj", ["水务专属意见"] * 6)
    publish(app)
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        page = (await site.get("/department")).text
        assert "第 1 名（共 2 个部门）" in page and "满意率" in page and "14 / 6" in page and "68.000" in page
        assert "共 6 人评议" in page and "市民意见（匿名，共 6 条，按主题合并）" in page
        assert SCRIPT not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
        assert "=HYPERLINK(" in page and "供水管网改造要加快" in page
        for leak in ("水务专属意见", "市水务局", "测试代表", "昆都仑区分会场", "主会场"):
            assert leak not in page, leak
        assert "/department/feedback.xlsx" in page


async def test_below_five_representatives_nothing_of_the_comments_is_shown(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "swj", by="organiser:test")
    app.cast_ballot(small_round.bob, "swj", uuid4().hex, "dissatisfied", comment="只有一人的意见")
    app.close_window("r2026", "swj", by="organiser:test")
    publish(app)
    async with running_site(settings, app) as site:
        await site.sign_in_department("swj")
        page = (await site.get("/department")).text
        assert "评议人数不足 5 人，暂不显示意见汇总" in page and "只有一人的意见" not in page
        refused = await site.get("/department/feedback.csv")
        assert refused.status_code == 409 and "评议人数不足" in refused.text


async def test_a_department_answers_its_own_signed_suggestions_and_no_other(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    suggest(app, small_round)
    async with running_site(settings, app) as site:
        other = await site_suggestion_id(site, "swj")
        await site.sign_in_department("fgw")
        page = (await site.get("/department/suggestions")).text
        assert "李秀英" in page and "建议增设夜间窗口" in page and SCRIPT not in page
        assert "王建国" not in page and "停水补偿" not in page
        mine = await site_suggestion_id(site, "fgw")
        url = f"/department/suggestions/{mine}/answer"
        await site.post(url, {"answer": "  "})
        assert "答复内容不能为空" in (await site.get("/department/suggestions")).text
        assert (await site.post(url, {"answer": "已研究"}, csrf=False)).status_code == 403
        done = await site.post(url, {"answer": "已于下月开设夜间窗口"})
        assert done.status_code == 303
        page = (await site.get("/department/suggestions")).text
        assert "答复已保存" in page and "已于下月开设夜间窗口" in page

        assert (
            await site.post(f"/department/suggestions/{other}/answer", {"answer": "越权"})
        ).status_code == 404
        assert (
            await site.post("/department/suggestions/not-a-uuid/answer", {"answer": "x"})
        ).status_code == 404
        await site.sign_in_department("swj")
        assert "越权" not in (await site.get("/department/suggestions")).text

        await site.sign_in_organiser()
        history = (await site.get("/organiser/history", params={"kind": "Suggestion.Answered"})).text
        assert "部门共用登录码" in history


async def site_suggestion_id(site: Site, department: str) -> str:
    found = await site.reads.fetchval(
        "SELECT suggestion_id FROM suggestions_view WHERE department = $1", department
    )
    assert found is not None
    return str(found)


@pytest.mark.parametrize("role", ["anonymous", "representative", "organiser"])
async def test_only_a_department_reaches_the_department_pages(
    settings: Settings, app: EvaluationApp, small_round: SmallRound, role: str
) -> None:
    async with running_site(settings, app) as site:
        if role == "representative":
            await site.sign_in(small_round.alice_code)
        elif role == "organiser":
            await site.sign_in_organiser()
        for url in DEPARTMENT_PAGES:
            page = await site.get(url)
            if role == "anonymous":
                assert page.status_code == 303 and page.headers["location"] == "/login", url
            else:
                assert page.status_code == 403, url
        answered = await site.post(f"/department/suggestions/{uuid4()}/answer", {"answer": "x"})
        assert answered.status_code == (401 if role == "anonymous" else 403)


@asynccontextmanager
async def department_browser(web: Starlette, code: str) -> AsyncIterator[httpx.AsyncClient]:
    """The department's own browser beside the organiser's (its own session), signed in with ``code``."""
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as browser:
        page = await browser.get("/login", params={"code": code})
        token = page.text.split('name="csrf" value="')[1].split('"')[0]
        answer = await browser.post("/login", data={"code": code, "csrf": token})
        assert answer.status_code == 303
        yield browser


async def form_token(browser: httpx.AsyncClient) -> str:
    found = CSRF.search((await browser.get("/login")).text)
    assert found
    return found.group(1)


async def new_code(site: Site, department: str) -> str:
    """The organiser issues ``department`` a new sign-in code on the departments screen."""
    shown = await site.post(f"/organiser/departments/{department}/credential")
    found = CODE.search(shown.text)
    assert found, shown.text
    return normalise_code(found.group(1))


DEPARTMENT_REQUESTS = [
    ("GET", "/department"),
    ("GET", "/department/suggestions"),
    ("GET", "/department/feedback.csv"),
    ("POST", "/department/suggestions/{suggestion}/answer"),
]


@pytest.mark.parametrize(("method", "url"), DEPARTMENT_REQUESTS)
async def test_a_department_signed_in_with_a_code_that_has_since_been_replaced_is_signed_out_on_its_next_request(
    settings: Settings, app: EvaluationApp, small_round: SmallRound, method: str, url: str
) -> None:
    suggest(app, small_round)
    old = app.issue_department_credential("r2026", "fgw", by=ORGANISER)
    async with running_site(settings, app) as site, department_browser(site.web, old) as fgw:
        assert "市发改委" in (await fgw.get("/department")).text
        token = await form_token(fgw)
        await site.sign_in_organiser()
        await new_code(site, "fgw")

        target = url.format(suggestion=await site_suggestion_id(site, "fgw"))
        form = {"answer": "旧登录码的答复", "csrf": token} if method == "POST" else None
        refused = await fgw.request(method, target, data=form)
        assert refused.status_code == 403 and "此登录码已作废" in refused.text
        assert (await fgw.get("/department")).headers["location"] == "/login"
        site.sync()
        assert await site.reads.fetchval("SELECT count(answer) FROM suggestions_view") == 0


async def test_the_new_code_signs_the_department_in_and_a_code_for_another_department_ends_no_other_session(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    suggest(app, small_round)
    old = app.issue_department_credential("r2026", "fgw", by=ORGANISER)
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        code = await new_code(site, "fgw")
        assert (await site.try_sign_in(old)).status_code == 401

        async with department_browser(site.web, code) as fgw:
            assert "市发改委" in (await fgw.get("/department")).text
            mine = await site_suggestion_id(site, "fgw")
            answer = {"answer": "已于下月开设夜间窗口", "csrf": await form_token(fgw)}
            assert (await fgw.post(f"/department/suggestions/{mine}/answer", data=answer)).status_code == 303
            site.sync()
            assert "已于下月开设夜间窗口" in (await fgw.get("/department/suggestions")).text

            await site.sign_in_organiser()
            await new_code(site, "swj")
            assert (await fgw.get("/department")).status_code == 200


async def test_a_department_signed_in_before_the_views_show_its_new_code_stays_signed_in(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.issue_department_credential("r2026", "fgw", by=ORGANISER)
    with Projector(settings) as projector:
        projector.catch_up()
    code = app.issue_department_credential("r2026", "fgw", by=ORGANISER)  # the views still show the first
    web = create_app(settings)
    async with web.router.lifespan_context(web), department_browser(web, code) as fgw:
        assert "市发改委" in (await fgw.get("/department")).text
        assert (await fgw.get("/department/suggestions")).status_code == 200
