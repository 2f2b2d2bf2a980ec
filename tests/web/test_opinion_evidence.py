"""证明材料：部门答复时附上 PDF 或照片；组织方审核时可下载；再次答复时保留，或删除；坏文件、冒充的文件、过大的文件
被拒绝并说明原因，什么也不写；别的部门找不到它。"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.report_pdfs import small_pdf
from tests.web.test_opinion_pages import opinions, scored_sitting
from tests.web.test_organiser_helpers import Site, running_site

ANSWER = {"text": "已开通网上提交", "measures": "上线系统", "state": "已办结"}


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(out, "JPEG")
    return out.getvalue()


async def upload(site: Site, opinion: str, name: str, content: bytes, **extra: str) -> Any:
    fields = {**ANSWER, **extra, "csrf": await site.csrf()}
    files = {"evidence": (name, content, "application/octet-stream")}
    response = await site.client.post(f"/department/opinions/{opinion}/answer", data=fields, files=files)
    site.sync()
    return response


async def assigned(site: Site, app: EvaluationApp, round_: SmallRound, cooperating: str = "swj") -> str:
    scored_sitting(app, round_)
    site.sync()
    await site.sign_in_organiser()
    await site.post("/organiser/opinions/collect", {"sitting": "s1"})
    slow = str(opinions(site)["审批太慢"]["opinion_id"])
    await site.post("/organiser/opinions/assign", {"ids": slow, "lead": "fgw", "cooperating": cooperating})
    return slow


async def test_a_department_attaches_evidence_and_the_organiser_reviews_it(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        slow = await assigned(site, app, small_round)
        await site.sign_in_department("fgw")
        assert (await upload(site, slow, "现场照片.jpg", photo())).status_code == 303
        page = (await site.get("/department/opinions")).text
        assert '证明材料：</strong><a href="/department/opinions/' in page and "现场照片.jpg" in page
        own = await site.get(f"/department/opinions/{slow}/evidence")
        assert own.status_code == 200 and own.headers["content-type"] == "image/jpeg"
        assert own.content == photo() and own.headers["x-content-type-options"] == "nosniff"
        assert "attachment;" in own.headers["content-disposition"]

        await site.sign_in_department("swj")  # co-operating: reads it too
        assert (await site.get(f"/department/opinions/{slow}/evidence")).status_code == 200

        await site.sign_in_organiser()
        review = (await site.get("/organiser/opinions/review")).text
        assert "现场照片.jpg" in review and "（图片，" in review
        got = await site.get(f"/organiser/opinions/{slow}/evidence")
        assert got.status_code == 200 and got.content == photo()
        await site.post(
            "/organiser/opinions/review", {"ids": slow, "decision": "return", "reason": "请附整改报告"}
        )

        await site.sign_in_department("fgw")
        await site.post(f"/department/opinions/{slow}/answer", {**ANSWER, "text": "补充说明"})
        kept = opinions(site)["审批太慢"]["answer"]
        assert kept["text"] == "补充说明" and kept["evidence"]["name"] == "现场照片.jpg", (
            "kept when none is sent"
        )
        assert opinions(site)["审批太慢了！"]["answer"] is None, "not merged: its own answer"
        await upload(site, slow, "整改报告.pdf", small_pdf())
        assert opinions(site)["审批太慢"]["answer"]["evidence"]["media_type"] == "application/pdf"
        await site.post(f"/department/opinions/{slow}/answer", {**ANSWER, "drop_evidence": "1"})
        assert "evidence" not in opinions(site)["审批太慢"]["answer"]
        assert (await site.get(f"/department/opinions/{slow}/evidence")).status_code == 404


async def test_a_bad_evidence_file_is_refused_in_plain_chinese_and_nothing_is_recorded(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        slow = await assigned(site, app, small_round)
        await site.sign_in_department("fgw")
        for name, content, said in [
            ("整改.docx", b"PK\x03\x04 a word file", "须是 PDF、PNG 或 JPG"),
            ("照片.png", small_pdf(), "内容与扩展名不符"),
            ("报告.pdf", small_pdf()[:300], "已损坏或不完整"),
            ("照片.jpg", photo()[:100], "已损坏或不完整"),
        ]:
            response = await upload(site, slow, name, content)
            assert response.status_code == 422, name
            assert said in response.text and "请重新选择证明材料文件" in response.text, name
        too_large = await upload(site, slow, "太大.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
        assert too_large.status_code == 413, "within the front's 25 MB: read, the file dropped, the card back"
        assert "不能超过 10 MB" in too_large.text
        assert opinions(site)["审批太慢"]["answer"] is None
        assert (await site.get(f"/department/opinions/{slow}/evidence")).status_code == 404
        assert (await site.get("/department/opinions/not-a-uuid/evidence")).status_code == 404


async def test_a_department_neither_leading_nor_co_operating_cannot_download_the_evidence(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        slow = await assigned(site, app, small_round, cooperating="")
        await site.sign_in_department("fgw")
        await upload(site, slow, "现场照片.jpg", photo())
        await site.sign_in_department("swj")
        refused = await site.get(f"/department/opinions/{slow}/evidence")
        assert refused.status_code == 404 and photo() != refused.content
        await site.sign_in_organiser()
        unknown = await site.get("/organiser/opinions/00000000-0000-0000-0000-000000000000/evidence")
        assert unknown.status_code == 404
