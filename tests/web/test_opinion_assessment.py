"""意见办理计入考核：每个承办部门的办理得分（按时答复、满意度）显示在页面上，组织方以权重计入综合得分（一个
「意见办理」组成部分，替换须说明原因）；查看后数据有变、权重不对时什么也不记录；CSV 可在「其他得分」中导入。"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, timedelta

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.web.test_opinion_pages import opinions, scored_sitting
from tests.web.test_organiser_helpers import Site, running_site

SHOWN = re.compile(r'name="scores" value="([^"]*)"')


async def handled(site: Site, app: EvaluationApp, round_: SmallRound) -> None:
    """fgw answered its merged pair on the day it got them; swj has let its one opinion run 30 days late."""
    scored_sitting(app, round_)
    site.sync()
    await site.sign_in_organiser()
    await site.post("/organiser/opinions/collect", {"sitting": "s1"})
    found = opinions(site)
    slow, slower = found["审批太慢"]["opinion_id"], found["审批太慢了！"]["opinion_id"]
    named = next(row["opinion_id"] for text, row in found.items() if "网上提交" in text)
    app.merge_opinions(round_.key, [slow, slower], ORGANISER)
    app.assign_opinions(round_.key, [slow, slower], "fgw", [], ORGANISER)
    app.answer_opinion(round_.key, slow, "fgw", "已提速", "", "已办结", "department:fgw", group=[slower])
    app.redact_opinion(round_.key, named, "建议审批材料能网上提交", ORGANISER)
    app.assign_opinions(round_.key, [named], "swj", [], ORGANISER, today=date.today() - timedelta(days=60))
    site.sync()


async def shown_scores(site: Site) -> tuple[str, str]:
    page = (await site.get("/organiser/opinions/assessment")).text
    return page, html.unescape(SHOWN.search(page).group(1))  # type: ignore[union-attr]


async def test_the_organiser_enters_the_handling_figures_into_the_composite(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await handled(site, app, small_round)
        page, scores = await shown_scores(site)
        assert (
            '<td class="handling-score">100.00</td>' in page
            and '<td class="handling-score">0.00</td>' in page
        )
        await site.post("/organiser/opinions/assessment", {"scores": scores, "weight": "10"})
        round_ = app.round(small_round.key)
        assert round_.components["意见办理"] == {"fgw": "100.00", "swj": "0.00"}
        assert str(round_.instrument.components["意见办理"]) == "0.1"
        composite = (await site.get("/organiser/components")).text
        assert "意见办理" in composite and "10%" in composite

        refused = await site.post("/organiser/opinions/assessment", {"scores": scores, "weight": "10"})
        assert refused.status_code == 303
        again = (await site.get("/organiser/opinions/assessment")).text
        assert "请填写原因" in again and "替换已计入的得分（须说明原因）" in again, "replacing needs a reason"
        await site.post(
            "/organiser/opinions/assessment", {"scores": scores, "weight": "15", "reason": "权重调整"}
        )
        assert str(app.round(small_round.key).instrument.components["意见办理"]) == "0.15"
        response = await site.get("/organiser/opinions/assessment.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["部门", "得分"], ["市发改委", "100.00"], ["市水务局", "0.00"]]
    assert response.headers["content-type"].startswith("text/csv")


async def test_stale_figures_a_bad_weight_or_nothing_to_enter_record_nothing(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        _, empty = await shown_scores(site)
        await site.post("/organiser/opinions/assessment", {"scores": empty, "weight": "10"})
        assert "还没有可计入的办理得分" in (await site.get("/organiser/opinions/assessment")).text
        await handled(site, app, small_round)
        await site.post("/organiser/opinions/assessment", {"scores": empty, "weight": "10"})
        assert "办理数据在您查看后有变化" in (await site.get("/organiser/opinions/assessment")).text
        _, scores = await shown_scores(site)
        for weight, said in [("abc", "不是数字"), ("100", "须大于 0%、小于 100%"), ("", "不是数字")]:
            await site.post("/organiser/opinions/assessment", {"scores": scores, "weight": weight})
            assert said in (await site.get("/organiser/opinions/assessment")).text, weight
        for garbage in ("not json", "[1,2]", "x" * 300_000):
            answer = await site.post("/organiser/opinions/assessment", {"scores": garbage, "weight": "10"})
            assert answer.status_code == 303
        assert "意见办理" not in app.round(small_round.key).components
