"""意见办理中被拒绝的输入：超过 500 字的原因、0 个工作日的期限，以及被拒绝的答复带着部门填写的内容回到页面。"""

from __future__ import annotations

import re
from datetime import date

import httpx

from evaluation.application import EvaluationApp
from evaluation.opinion import add_working_days
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.web.test_opinion_evidence import assigned
from tests.web.test_opinion_pages import opinions
from tests.web.test_organiser_helpers import Site, running_site

TYPED = {"text": "已开通网上提交，年底前覆盖全部审批事项", "measures": "上线审批系统", "state": "已办结"}


async def answer(
    site: Site, opinion: str, fields: dict[str, str], file: bytes | None = None
) -> httpx.Response:
    files = {"evidence": ("fake.pdf", file, "application/pdf")} if file is not None else None
    data = {**fields, "csrf": await site.csrf()}
    response = await site.client.post(f"/department/opinions/{opinion}/answer", data=data, files=files)
    site.sync()
    return response


def form_of(page: str, opinion: str) -> str:
    """The answer form of one opinion's card, with what comes before it in the card."""
    found = re.search(rf'<article[^>]*id="o-{opinion}".*?</article>', page, re.S)
    assert found is not None, "the opinion's card is on the page"
    return found.group(0)


async def test_a_refused_answer_comes_back_with_what_the_department_typed(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        slow = await assigned(site, app, small_round)
        await site.sign_in_department("fgw")

        refused = await answer(site, slow, TYPED, file=b"not a pdf at all")
        assert refused.status_code == 422
        card = form_of(refused.text, slow)
        assert "证明材料「fake.pdf」的内容与扩展名不符" in card and "请重新选择证明材料文件" in card
        assert f">{TYPED['text']}</textarea>" in card and f">{TYPED['measures']}</textarea>" in card
        assert 'value="已办结" required checked' in card
        assert opinions(site)["审批太慢"]["answer"] is None

        too_long = {**TYPED, "text": "长" * 2001, "state": "办理中"}
        refused = await answer(site, slow, too_long)
        assert refused.status_code == 422
        card = form_of(refused.text, slow)
        assert "内容不能超过 2000 字" in card and "重新选择证明材料" not in card
        assert f">{'长' * 2001}</textarea>" in card and 'value="办理中" required checked' in card
        assert opinions(site)["审批太慢"]["answer"] is None

        accepted = await answer(site, slow, TYPED)
        assert accepted.status_code == 303
        assert opinions(site)["审批太慢"]["answer"]["text"] == TYPED["text"]


async def test_a_reason_over_five_hundred_characters_is_refused_and_nothing_is_recorded(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        slow = await assigned(site, app, small_round)
        await site.sign_in_department("fgw")
        page = (await site.get("/department/opinions")).text
        assert '<input name="reason" maxlength="500" required value="">' in page
        refused = await site.post(f"/department/opinions/{slow}/reassign", {"reason": "不" * 501})
        assert refused.status_code == 422
        assert "原因不能超过 500 字" in form_of(refused.text, slow), "in the opinion's card"
        assert opinions(site)["审批太慢"]["reassignment"] is None
        await site.post(f"/department/opinions/{slow}/reassign", {"reason": "属" * 500})
        assert opinions(site)["审批太慢"]["reassignment"] == "属" * 500

        await site.sign_in_organiser()
        other = str(opinions(site)["审批太慢了！"]["opinion_id"])
        triage = (await site.get("/organiser/opinions")).text
        assert 'name="reason" id="reason" maxlength="500"' in triage
        await site.post("/organiser/opinions/set-aside", {"ids": other, "reason": "无" * 501})
        assert "原因不能超过 500 字" in (await site.get("/organiser/opinions")).text
        assert opinions(site)["审批太慢了！"]["not_opinion"] is None


async def test_a_deadline_of_zero_working_days_is_refused_not_taken_as_fifteen(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await assigned(site, app, small_round)
        other = str(opinions(site)["审批太慢了！"]["opinion_id"])
        for days, said in [
            ("0", "办理期限须在 1 到 120 个工作日之间"),
            ("两周", "办理期限须是 1 到 120 的整数"),
        ]:
            await site.post("/organiser/opinions/assign", {"ids": other, "lead": "fgw", "working_days": days})
            assert said in (await site.get("/organiser/opinions")).text, days
            assert opinions(site)["审批太慢了！"]["lead"] is None, days
        await site.post("/organiser/opinions/assign", {"ids": other, "lead": "fgw", "working_days": ""})
        row = opinions(site)["审批太慢了！"]
        usual = add_working_days(date.fromisoformat(row["assigned_on"]), 15).isoformat()
        assert (row["lead"], row["deadline"]) == ("fgw", usual), "left empty: the usual 15 working days"
