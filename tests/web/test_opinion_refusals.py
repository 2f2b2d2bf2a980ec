"""意见办理中被拒绝的输入：超过 500 字的原因。"""

from __future__ import annotations

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.web.test_opinion_evidence import assigned
from tests.web.test_opinion_pages import opinions
from tests.web.test_organiser_helpers import running_site


async def test_a_reason_over_five_hundred_characters_is_refused_and_nothing_is_recorded(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        slow = await assigned(site, app, small_round)
        await site.sign_in_department("fgw")
        page = (await site.get("/department/opinions")).text
        assert '<input name="reason" maxlength="500" required>' in page
        refused = await site.post(f"/department/opinions/{slow}/reassign", {"reason": "不" * 501})
        assert refused.status_code == 303
        assert "原因不能超过 500 字" in (await site.get("/department/opinions")).text
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
