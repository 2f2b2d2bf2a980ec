"""意见办理：被拒绝的答复或改派申请回到该意见的卡片里——填写的答复、措施、选中的办理状态、改派原因都还在，
拒绝原因就在卡片内（role=alert），表单提交到这条提示（#problem-…），浏览器返回时它就在眼前。"""

from __future__ import annotations

import httpx

from evaluation.application import EvaluationApp
from evaluation.evidence import EVIDENCE_LIMIT
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.web.test_opinion_evidence import assigned
from tests.web.test_opinion_pages import opinions
from tests.web.test_opinion_refusals import TYPED, form_of
from tests.web.test_organiser_helpers import Site, running_site


async def answer_with(site: Site, opinion: str, name: str, content: bytes) -> httpx.Response:
    data = {**TYPED, "csrf": await site.csrf()}
    files = {"evidence": (name, content, "application/octet-stream")}
    response = await site.client.post(f"/department/opinions/{opinion}/answer", data=data, files=files)
    site.sync()
    return response


def alert_in(card: str, opinion: str) -> str:
    start = card.index(f'role="alert" id="problem-{opinion}"')
    return card[start : card.index("</p>", start)]


def kept_everything(card: str) -> bool:
    return (
        f">{TYPED['text']}</textarea>" in card
        and f">{TYPED['measures']}</textarea>" in card
        and 'value="已办结" required checked' in card
    )


async def test_an_oversized_evidence_file_comes_back_in_its_card_with_everything_typed(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        slow = await assigned(site, app, small_round)
        await site.sign_in_department("fgw")
        page = (await site.get("/department/opinions")).text
        assert f'action="/department/opinions/{slow}/answer#problem-{slow}"' in page
        refused = await answer_with(site, slow, "现场照片.jpg", b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024))
        assert refused.status_code == 413
        card = form_of(refused.text, slow)
        assert "证明材料不能超过 10 MB" in alert_in(card, slow)
        assert kept_everything(card)
        assert refused.text.count('role="alert"') == 1, "not also at the top of the page"
        assert opinions(site)["审批太慢"]["answer"] is None


async def test_a_fake_png_keeps_the_chosen_state(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        slow = await assigned(site, app, small_round)
        await site.sign_in_department("fgw")
        refused = await answer_with(site, slow, "照片.png", b"this is not an image at all")
        assert refused.status_code == 422
        card = form_of(refused.text, slow)
        assert "照片.png" in alert_in(card, slow) and "请重新选择证明材料文件" in alert_in(card, slow)
        assert kept_everything(card)
        assert opinions(site)["审批太慢"]["answer"] is None


async def test_a_reassignment_without_a_reason_is_refused_in_its_card_and_a_typed_one_is_kept(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        slow = await assigned(site, app, small_round)
        await site.sign_in_department("fgw")
        refused = await site.post(f"/department/opinions/{slow}/reassign", {"reason": "  "})
        assert refused.status_code == 422
        card = form_of(refused.text, slow)
        assert "未申请改派：请填写原因" in alert_in(card, slow)
        assert f'action="/department/opinions/{slow}/reassign#problem-{slow}"' in card
        too_long = "不" * 501
        refused = await site.post(f"/department/opinions/{slow}/reassign", {"reason": too_long})
        assert f'value="{too_long}"' in form_of(refused.text, slow), "the reason typed comes back"
        assert opinions(site)["审批太慢"]["reassignment"] is None
        assert EVIDENCE_LIMIT == 10 * 1024 * 1024
