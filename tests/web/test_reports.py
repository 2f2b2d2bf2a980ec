"""述职报告的页面: a department submits and revises its report with a PDF; bad files, an empty title, a file of
20 MB + 1, a missing CSRF token and another department's file are refused with nothing recorded; the organiser
submits on a department's behalf and opens pre-reading; the tablet reads its sitting's reports only; the
public page answers 404 with a plain sentence until opened, then lists every report with its PDF."""

from __future__ import annotations

import re
from typing import Any

import httpx

from evaluation.application import EvaluationApp
from evaluation.report import FILE_LIMIT
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.report_pdfs import forged_header, renamed_docx, small_pdf, truncated_pdf
from tests.web.test_organiser_helpers import SCRIPT, Site, running_site

FGW = "department:fgw"


async def submit(
    site: Site, url: str, fields: dict[str, str], file: tuple[str, bytes] | None = None, csrf: bool = True
) -> httpx.Response:
    """The report form as a browser posts it: multipart, with the session's CSRF token."""
    data = dict(fields)
    if csrf:
        data["csrf"] = await site.csrf()
    files: dict[str, Any] = {"file": (file[0], file[1], "application/pdf")} if file else {"file": ("", b"")}
    response = await site.client.post(url, data=data, files=files)
    site.sync()
    return response


def revisions(app: EvaluationApp, department: str = "fgw") -> int:
    report = app.report("r2026", department)
    return len(report.revisions) if report else 0


async def test_a_department_submits_then_revises_its_report_and_sees_every_revision(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        page = await site.get("/department/report")
        assert page.status_code == 200 and "尚未提交述职报告" in page.text
        pdf = small_pdf()
        first = {"title": "发改委2026年度述职报告", "summary": "项目为王", "text": f"第一段\n第二段 {SCRIPT}"}
        answer = await submit(site, "/department/report", first, ("2026年度报告.pdf", pdf))
        assert answer.status_code == 303 and answer.headers["location"] == "/department/report"
        page = await site.get("/department/report")
        assert "述职报告已保存（第 1 稿）" in page.text and "2026年度报告.pdf" in page.text
        assert SCRIPT not in page.text and "&lt;script&gt;" in page.text
        revised = {
            "title": "发改委2026年度述职报告（修订）",
            "summary": "项目为王，服务为先",
            "text": "修订全文",
        }
        assert (await submit(site, "/department/report", revised)).status_code == 303
        page = (await site.get("/department/report")).text
        assert "第 2 稿" in page and "第 1 稿" in page and "现为第 2 稿" in page
        assert page.count("/department/report/revisions/") == 2, "the attachment is kept by the revision"
        download = await site.get("/department/report/revisions/1/file")
        assert download.status_code == 200 and download.content == pdf
        assert download.headers["content-type"] == "application/pdf"
        assert download.headers["x-content-type-options"] == "nosniff"
        assert (
            "filename*=UTF-8''2026%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.pdf"
            in download.headers["content-disposition"]
        )
        assert (await site.get("/department/report/revisions/9/file")).status_code == 404
        assert (await site.get("/department/report/revisions/99999999999/file")).status_code == 404
    report = app.report("r2026", "fgw")
    assert report is not None and [r.by for r in report.revisions] == [FGW, FGW]


async def test_bad_files_an_empty_title_and_a_file_over_20_mb_are_refused_in_chinese_and_record_nothing(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    fields = {"title": "述职报告", "summary": "摘要", "text": "全文"}
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        for name, content, says in [
            ("报告.pdf", renamed_docx(), "不是 PDF 文件"),
            ("报告.docx", renamed_docx(), "不是 PDF 文件"),
            ("报告.pdf", truncated_pdf(), "不是有效的 PDF 文件"),
            ("报告.pdf", forged_header(), "不是有效的 PDF 文件"),
        ]:
            answer = await submit(site, "/department/report", fields, (name, content))
            assert answer.status_code == 422 and says in answer.text, name
            assert 'value="述职报告"' in answer.text, "what was typed is shown again"
        empty = await submit(site, "/department/report", fields | {"title": "  "}, ("报告.pdf", small_pdf()))
        assert empty.status_code == 422 and "报告标题不能为空" in empty.text
        too_large = await submit(
            site, "/department/report", fields, ("报告.pdf", b"%PDF-" + bytes(FILE_LIMIT - 4))
        )
        assert too_large.status_code == 413 and "附件不能超过 20 MB" in too_large.text
        assert 'value="述职报告"' in too_large.text, "what was typed is shown again"
        no_token = await submit(site, "/department/report", fields, ("报告.pdf", small_pdf()), csrf=False)
        assert no_token.status_code == 403
    assert revisions(app) == 0


async def test_a_department_reaches_only_its_own_report(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.submit_report("r2026", "fgw", "发改委报告", "摘要", "", by=FGW, file=("报告.pdf", small_pdf()))
    async with running_site(settings, app) as site:
        await site.sign_in_department("swj")
        page = (await site.get("/department/report")).text
        assert "发改委报告" not in page and "尚未提交述职报告" in page
        assert (await site.get("/department/report/revisions/1/file")).status_code == 404
        for url in (
            "/organiser/reports",
            "/organiser/reports/fgw",
            "/organiser/reports/fgw/revisions/1/file",
        ):
            assert (await site.get(url)).status_code in (303, 403), url
        await submit(
            site, "/department/report", {"title": "水务局报告", "summary": "摘要", "department": "fgw"}
        )
    assert revisions(app, "fgw") == 1 and revisions(app, "swj") == 1


async def test_the_organiser_submits_on_behalf_sees_every_state_and_opens_pre_reading(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.submit_report("r2026", "swj", "水务局报告", "摘要", "", by="department:swj")
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        states = (await site.get("/organiser/reports")).text
        assert "已提交 1 / 4 个部门" in states and "水务局报告" in states and states.count("未提交") == 3
        fields = {"title": "发改委报告（代交）", "summary": "摘要", "text": "全文"}
        answer = await submit(site, "/organiser/reports/fgw", fields, ("报告.pdf", small_pdf()))
        assert answer.status_code == 303
        page = (await site.get("/organiser/reports/fgw")).text
        assert "已代为提交述职报告（第 1 稿）" in page and "组织方代为提交：共用会务组登录码" in page
        assert (await site.get("/organiser/reports/fgw/revisions/1/file")).status_code == 200
        assert (await site.get("/organiser/reports/nobody")).status_code == 404
        assert (await submit(site, "/organiser/reports/nobody", fields)).status_code == 404
        assert (await site.get("/rounds/r2026/reports")).status_code == 404
        assert (await site.post("/organiser/pre-reading", {"action": "open"})).status_code == 303
        assert "已公开" in (await site.get("/organiser/reports")).text
        assert (await site.post("/organiser/pre-reading", {"action": "open"}, csrf=False)).status_code == 403
        blank = await site.post("/organiser/pre-reading", {"action": "close", "reason": " "})
        assert blank.status_code == 303 and app.round("r2026").pre_reading, "a blank reason closes nothing"
        page = (await site.get("/organiser/reports")).text
        assert (
            "请填写原因" in page
            and '停止原因（必填，记入历史）<input name="reason" maxlength="500" required>' in page
        )
        closed = await site.post("/organiser/pre-reading", {"action": "close", "reason": "报告需更正"})
        assert closed.status_code == 303 and not app.round("r2026").pre_reading
    report = app.report("r2026", "fgw")
    assert report is not None and report.current is not None and report.current.on_behalf


async def test_the_public_page_is_a_plain_404_until_opened_then_lists_every_report_with_its_pdf(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    pdf = small_pdf()
    app.submit_report(
        "r2026", "fgw", "发改委报告", "发改委摘要", "发改委全文", by=FGW, file=("发改委.pdf", pdf)
    )
    app.submit_report("r2026", "swj", "水务局报告", "水务局摘要", "", by="department:swj")
    async with running_site(settings, app) as site:
        before = await site.get("/rounds/r2026/reports")
        assert before.status_code == 404 and "尚未公开预读" in before.text and "发改委报告" not in before.text
        assert (await site.get("/rounds/r2026/reports/fgw/file")).status_code == 404
        assert (await site.get("/rounds/r1999/reports")).status_code == 404
        app.open_pre_reading("r2026", by=ORGANISER)
        site.sync()
        page = (await site.get("/rounds/r2026/reports")).text
        assert page.index("发改委报告") < page.index("水务局报告"), "in report order (s1: fgw, swj)"
        assert "发改委全文" in page and "/rounds/r2026/reports/fgw/file" in page
        assert "/rounds/r2026/reports/swj/file" not in page, "no attachment, no link"
        download = await site.get("/rounds/r2026/reports/fgw/file")
        assert download.status_code == 200 and download.content == pdf
        assert download.headers["content-type"] == "application/pdf"
        assert download.headers["content-disposition"].startswith("attachment; filename=report.pdf;")
        assert download.headers["x-content-type-options"] == "nosniff"
        assert (await site.get("/rounds/r2026/reports/swj/file")).status_code == 404
        assert (await site.get("/rounds/r2026/reports/kjj/file")).status_code == 404
        assert "述职报告预读" in (await site.get("/")).text
        app.close_pre_reading("r2026", by=ORGANISER, reason="述职已结束")
        site.sync()
        assert (await site.get("/rounds/r2026/reports")).status_code == 404


async def test_a_representative_reads_the_reports_of_their_own_sitting_only(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    pdf = small_pdf()
    app.submit_report("r2026", "fgw", "发改委报告", "摘要", "发改委全文", by=FGW, file=("发改委.pdf", pdf))
    app.submit_report("r2026", "kjj", "科技局报告", "摘要", "科技局全文", by="department:kjj")
    async with running_site(settings, app) as site:
        await site.sign_in(small_round.alice_code)  # sitting s1: fgw, swj
        tablet = (await site.get("/r")).text
        assert re.search(r'href="/r/reports/fgw" target="_blank"', tablet)
        page = await site.get("/r/reports/fgw")
        assert page.status_code == 200 and "发改委全文" in page.text and "/r/reports/fgw/file" in page.text
        file = await site.get("/r/reports/fgw/file")
        assert file.status_code == 200 and file.content == pdf
        assert file.headers["content-disposition"].startswith("inline;")
        assert (await site.get("/r/reports/kjj")).status_code == 404, "kjj reports in sitting s2"
        assert (await site.get("/r/reports/kjj/file")).status_code == 404
        assert (await site.get("/r/reports/swj")).status_code == 404, "no report yet"
