"""述职报告表单的拒绝：附件超过 20 MB 时，和其他被拒绝的提交一样，页面带着已填写的标题、摘要、全文回来，
提示在表单所在的卡片里（表单提交到它的锚点 #report-problem，浏览器落在提示上），部门自己提交和组织方代为提交
都一样；请求体大到不能读时，提示请重新填写。什么都没有记录。"""

from __future__ import annotations

import re

import pytest

from evaluation.application import EvaluationApp
from evaluation.report import FILE_LIMIT
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.report_pdfs import renamed_docx
from tests.web.test_organiser_helpers import Site, running_site
from tests.web.test_reports import revisions, submit

TYPED = {"title": "发改委2026年度述职报告", "summary": "项目为王，服务为先", "text": "第一段全文\n第二段全文"}
TOO_LARGE = ("报告.pdf", b"%PDF-" + bytes(FILE_LIMIT - 4))
CARD = re.compile(r"<section>(?:(?!</section>).)*?report-form(?:(?!</section>).)*</section>", re.S)


def form_card(page: str) -> str:
    """The section (card) that holds the report form."""
    found = CARD.search(page)
    assert found, "the page shows the report form in its card"
    return found.group(0)


def typed_kept(card: str) -> None:
    assert f'value="{TYPED["title"]}"' in card
    assert f">{TYPED['summary']}</textarea>" in card and f">{TYPED['text']}</textarea>" in card


async def as_department(site: Site) -> str:
    await site.sign_in_department("fgw")
    return "/department/report"


async def as_organiser(site: Site) -> str:
    await site.sign_in_organiser()
    return "/organiser/reports/fgw"


@pytest.mark.parametrize("who", [as_department, as_organiser], ids=["department", "on-behalf"])
async def test_a_file_over_20_mb_comes_back_with_what_was_typed_and_the_alert_in_the_form_s_card(
    settings: Settings, app: EvaluationApp, small_round: SmallRound, who: object
) -> None:
    async with running_site(settings, app) as site:
        url = await who(site)  # type: ignore[operator]
        answer = await submit(site, url, TYPED, TOO_LARGE)
        assert answer.status_code == 413
        card = form_card(answer.text)
        assert 'id="report-problem"' in card and 'role="alert"' in card
        assert "附件不能超过 20 MB" in card and "请重新选择" in card
        assert f'action="{url}#report-problem"' in card
        typed_kept(card)

        refused = await submit(site, url, TYPED, ("报告.docx", renamed_docx()))  # the domain's refusal: alike
        assert refused.status_code == 422
        card = form_card(refused.text)
        assert 'id="report-problem"' in card and "不是 PDF 文件" in card
        typed_kept(card)
    assert revisions(app) == 0


async def test_a_body_too_large_to_read_asks_for_the_form_again(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        body = {"csrf": await site.csrf(), **TYPED}
        files = {"file": ("报告.pdf", b"%PDF-" + bytes(26 * 1024 * 1024), "application/pdf")}
        answer = await site.client.post("/department/report", data=body, files=files)
        assert answer.status_code == 413
        card = form_card(answer.text)
        assert "附件不能超过 20 MB" in card and "请重新填写" in card
    assert revisions(app) == 0
