"""意见办理的页面：收集、分拣（合并建议、脱敏、交办）、部门答复与改派、组织方审核与公开、办理跟踪；坏输入与别的部门。"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_projection_helpers import query
from tests.web.test_organiser_helpers import Site, running_site, save_artifact

PHONE_TEXT = "我是李秀英，电话13900000001，建议审批材料能网上提交"


def opinions(site: Site) -> dict[str, dict[str, Any]]:
    rows = query(site.settings, f"SELECT * FROM {site.settings.schema}.opinions_view")
    return {r["text"]: r for r in rows}


def scored_sitting(app: EvaluationApp, round_: SmallRound) -> None:
    app.open_window(round_.key, "fgw", by=ORGANISER)
    app.cast_ballot(round_.alice, "fgw", uuid4().hex, "satisfied", comment="审批太慢")
    app.cast_ballot(round_.bob, "fgw", uuid4().hex, "satisfied", comment="审批太慢了！")
    app.sign_suggestion(round_.alice, "fgw", uuid4().hex, PHONE_TEXT)
    app.close_window(round_.key, "fgw", by=ORGANISER)  # a signed suggestion is recorded at the close


@asynccontextmanager
async def collected(
    settings: Settings, app: EvaluationApp, round_: SmallRound, form: dict[str, str]
) -> AsyncIterator[Site]:
    """The small round's scored sitting, served; the organiser, signed in, has collected its opinions (``form``)."""
    scored_sitting(app, round_)
    async with running_site(settings, app) as site:
        site.sync()
        await site.sign_in_organiser()
        await site.post("/organiser/opinions/collect", form)
        yield site


async def test_the_loop_through_the_pages(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with collected(settings, app, small_round, {"sitting": "s1"}) as site:
        assert "已收集 3 条新意见" in (await site.get("/organiser/opinions")).text
        await site.post("/organiser/opinions/collect", {"sitting": "s1"})
        page = (await site.get("/organiser/opinions")).text
        assert "已收集 0 条新意见" in page
        assert "合并建议（1 组）" in page and "市发改委 · 2 条 · 「审批太慢」" in page
        assert "手机号「13900000001」" in page and "我是［姓名］，电话［电话］" in page
        found = opinions(site)
        slow, slower, named = (str(found[t]["opinion_id"]) for t in ("审批太慢", "审批太慢了！", PHONE_TEXT))

        await site.post("/organiser/opinions/merge", {"ids": f"{slow},{slower}", "theme": "办事效率"})
        refused = await site.post("/organiser/opinions/assign", {"ids": named, "lead": "fgw"})
        assert refused.status_code == 303
        assert "须先确认脱敏" in (await site.get("/organiser/opinions")).text
        await site.post(f"/organiser/opinions/{named}/redact", {"text": "建议审批材料能网上提交"})
        await site.post("/organiser/opinions/assign", {"ids": slow, "lead": "fgw", "cooperating": "swj"})
        await site.post("/organiser/opinions/assign", {"ids": named, "lead": "fgw"})
        found = opinions(site)
        assert found["审批太慢了！"]["lead"] == "fgw", "the rest of the group goes with the ticked one"
        assert found["审批太慢了！"]["cooperating"] == ["swj"] and found["审批太慢"]["theme"] == "办事效率"

        await site.sign_in_department("swj")
        coop = await site.get("/department/opinions")
        assert "协办" in coop.text and "审批太慢" in coop.text
        other = await site.post(f"/department/opinions/{slow}/answer", {"text": "x", "state": "已答复"})
        assert other.status_code == 404, "a co-operating department does not answer"

        await site.sign_in_department("fgw")
        mine = (await site.get("/department/opinions")).text
        assert "建议审批材料能网上提交" in mine and "13900000001" not in mine and "李秀英" not in mine
        answer = {"text": "已开通网上提交", "measures": "上线系统", "state": "已办结"}
        await site.post(f"/department/opinions/{slow}/answer", answer)
        await site.post(f"/department/opinions/{named}/answer", {**answer, "state": "办理中"})
        assert opinions(site)["审批太慢了！"]["answer"]["text"] == "已开通网上提交", (
            "one answer for the group"
        )

        await site.sign_in_organiser()
        await site.post(
            "/organiser/opinions/review", {"ids": named, "decision": "return", "reason": "请写明时限"}
        )
        await site.sign_in_department("fgw")
        assert "组织方退回重办：</strong>请写明时限" in (await site.get("/department/opinions")).text
        await site.post(
            f"/department/opinions/{named}/answer", {**answer, "text": "年底前开通", "state": "办理中"}
        )
        await site.sign_in_organiser()
        queue = (await site.get("/organiser/opinions/review")).text
        assert queue.count('class="answer-card"') == 2 and "合并 2 条" in queue, "a group is reviewed as one"
        for opinion in (slow, slower, named):
            await site.post("/organiser/opinions/review", {"ids": opinion, "decision": "accept"})
        await site.post("/organiser/opinions/publish", {})
        assert all(r["published"] for r in opinions(site).values())
        tracking = (await site.get("/organiser/opinions/tracking")).text
        assert '<td class="answer-rate">100.0%</td><td class="completion-rate">66.7%</td>' in tracking
        report = await site.get("/organiser/opinions/report.pdf")
        assert report.status_code == 200 and report.headers["content-type"] == "application/pdf"
        assert report.content.startswith(b"%PDF") and b"13900000001" not in report.content
        save_artifact("opinion-report.pdf", report.content)

        public = (await site.get("/opinions/round/r2026")).text
        assert "同类意见 2 条" in public and "年底前开通" in public and "13900000001" not in public
        await site.sign_in(small_round.alice_code)
        own = (await site.get("/opinions/mine")).text
        assert "年底前开通" in own and "已开通网上提交" not in own, "only the answer to her own suggestion"
        rated = await site.post(f"/opinions/mine/{named}/rate", {"rating": "不存在"})
        assert rated.status_code == 303 and "请选择满意" in (await site.get("/opinions/mine")).text
        await site.post(f"/opinions/mine/{named}/rate", {"rating": "基本满意"})
        assert (await site.post(f"/opinions/mine/{slow}/rate", {"rating": "满意"})).status_code == 404
        assert opinions(site)[PHONE_TEXT]["rating"] == "基本满意"
        public = (await site.get("/opinions/round/r2026")).text
        assert '<td>市发改委</td><td colspan="3">评价少于 5 条，不公开</td>' in public, (
            "one signer's rating beside their published suggestion would say how they rated"
        )
        assert "<td>0</td>" not in public and "<td>1</td>" not in public
        await site.sign_in_organiser()
        tracking = (await site.get("/organiser/opinions/tracking")).text
        assert "<td>0</td><td>1</td><td>0</td></tr>" in tracking, "the organiser sees the counts"


async def test_bad_input_is_refused_in_plain_chinese_and_writes_nothing(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with collected(settings, app, small_round, {"sitting": "s1"}) as site:
        before = opinions(site)
        for url, data, message in [
            ("/organiser/opinions/merge", {"ids": "not-an-id"}, "所选意见无效"),
            ("/organiser/opinions/merge", {}, "请先勾选意见"),
            ("/organiser/opinions/assign", {"ids": str(uuid4()), "lead": "fgw"}, "找不到意见"),
            ("/organiser/opinions/set-aside", {"ids": str(before["审批太慢"]["opinion_id"])}, "请填写原因"),
        ]:
            answer = await site.post(url, data)
            assert answer.status_code == 303
            assert message in (await site.get("/organiser/opinions")).text, url
        lead = {"ids": str(before["审批太慢"]["opinion_id"]), "lead": "nosuch"}
        await site.post("/organiser/opinions/assign", lead)
        assert "找不到部门「nosuch」" in (await site.get("/organiser/opinions")).text
        assert (await site.post("/organiser/opinions/collect", {"sitting": "s9"})).status_code == 404
        assert (await site.post("/organiser/opinions/bad/redact", {"text": "x"})).status_code == 404
        assert opinions(site) == before
        assert (await site.post("/organiser/opinions/merge", {"ids": "x"}, csrf=False)).status_code == 403


async def test_a_department_cannot_reach_another_departments_opinion(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with collected(settings, app, small_round, {}) as site:
        opinion = str(opinions(site)["审批太慢"]["opinion_id"])
        await site.post("/organiser/opinions/assign", {"ids": opinion, "lead": "fgw"})
        await site.sign_in_department("kjj")
        assert "审批太慢" not in (await site.get("/department/opinions")).text
        for action in ("answer", "reassign"):
            data = {"text": "x", "state": "已答复", "reason": "不是我们的"}
            assert (await site.post(f"/department/opinions/{opinion}/{action}", data)).status_code == 404
        await site.sign_in_department("fgw")
        await site.post(f"/department/opinions/{opinion}/reassign", {"reason": "属于科技局职责"})
        assert opinions(site)["审批太慢"]["reassignment"] == "属于科技局职责"
        await site.sign_in_organiser()
        assert "属于科技局职责" in (await site.get("/organiser/opinions/review")).text


async def test_a_merged_group_moves_whole_when_the_department_names_a_member(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with collected(settings, app, small_round, {"sitting": "s1"}) as site:
        found = opinions(site)
        head, member = (str(found[t]["opinion_id"]) for t in ("审批太慢", "审批太慢了！"))
        await site.post("/organiser/opinions/merge", {"ids": f"{head},{member}"})
        await site.post("/organiser/opinions/assign", {"ids": head, "lead": "fgw"})
        assert "已交办 2 条意见" in (await site.get("/organiser/opinions")).text

        await site.sign_in_department("fgw")
        await site.post(f"/department/opinions/{member}/reassign", {"reason": "属于水务局职责"})
        group = [r for r in opinions(site).values() if r["group_id"]]
        assert [r["reassignment"] for r in group] == ["属于水务局职责"] * 2, "the whole group asks"

        await site.sign_in_organiser()
        review = (await site.get("/organiser/opinions/review")).text
        assert "申请改派（1）" in review and "合并 2 条" in review, "one request for the group"
        await site.post("/organiser/opinions/assign", {"ids": member, "lead": "swj"})
        assert "已交办 2 条意见" in (await site.get("/organiser/opinions")).text
        group = [r for r in opinions(site).values() if r["group_id"]]
        assert [(r["lead"], r["reassignment"]) for r in group] == [("swj", None)] * 2
        await site.sign_in_department("fgw")
        page = (await site.get("/department/opinions")).text
        cards, moved = page.split("已改派给其他部门", 1)
        assert "审批太慢" not in cards, "no longer among its opinions to answer"
        assert moved.count("已改派给市水务局：") == 2, "both members listed as moved, with where they went"


async def test_deadlines_and_the_days_shown_are_beijings(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    """At 2027-03-01 19:45 UTC it is already Tuesday 2027-03-02 03:45 in Beijing."""
    async with collected(settings, app, small_round, {"sitting": "s1"}) as site:
        site.web.state.commands.clock = lambda: datetime(2027, 3, 1, 19, 45, tzinfo=UTC)
        slow = str(opinions(site)["审批太慢"]["opinion_id"])
        await site.post("/organiser/opinions/assign", {"ids": slow, "lead": "fgw", "working_days": "1"})
        row = opinions(site)["审批太慢"]
        assert (row["assigned_on"], row["deadline"]) == ("2027-03-02", "2027-03-03")
        assert "截至 2027-03-02" in (await site.get("/organiser/opinions/tracking")).text
        assert "截至 2027-03-02" in (await site.get("/organiser/opinions/assessment")).text
        digest = (await site.get("/organiser/opinions/digest")).text
        assert 'name="day" value="2027-03-02"' in digest
