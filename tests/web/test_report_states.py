"""述职报告的状态在页面上: the department's report page says plainly whether pre-reading is open and until when
it may revise; a revision after scoring began is noted on the public page and the tablet (which revision was
scored, when it was revised); once the results are locked the form is gone and a forged post is refused."""

from __future__ import annotations

import re

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.web.test_organiser_helpers import running_site
from tests.web.test_read_only_console import posting_forms
from tests.web.test_reports import submit

FGW = "department:fgw"
NOTE = re.compile(r"评分开始时的报告为第 2 稿；评分开始后，部门于 \d{4}-\d\d-\d\d \d\d:\d\d 作了修改")


async def test_the_report_page_says_whether_pre_reading_is_open_and_that_revisions_close_at_the_lock(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        page = (await site.get("/department/report")).text
        assert "公开预读：尚未公开。" in page and "修改：可随时修改。" in page
        assert "评议结果锁定后不能再修改" in page
        app.open_pre_reading("r2026", by=ORGANISER)
        site.sync()
        assert "公开预读：已公开。" in (await site.get("/department/report")).text


async def test_a_revision_after_scoring_began_is_noted_on_the_public_page_and_the_tablet(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.submit_report("r2026", "fgw", "一稿", "摘要", "全文", by=FGW)
    app.submit_report("r2026", "fgw", "二稿", "摘要", "全文", by=FGW)
    app.open_pre_reading("r2026", by=ORGANISER)
    app.open_window("r2026", "fgw", by=ORGANISER)
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        page = (await site.get("/department/report")).text
        assert "修改：仍可修改，但会注明。" in page and "代表评分时看到的是第 2 稿" in page
        answer = await submit(
            site, "/department/report", {"title": "三稿（改错字）", "summary": "摘要", "text": ""}
        )
        assert answer.status_code == 303
        public = (await site.get("/rounds/r2026/reports")).text
        assert "三稿（改错字）" in public and NOTE.search(public)
        await site.sign_in(small_round.alice_code)  # sitting s1 reports fgw
        tablet = (await site.get("/r/reports/fgw")).text
        assert "三稿（改错字）" in tablet and NOTE.search(tablet)


async def test_after_the_lock_the_form_is_gone_and_a_post_is_refused_with_nothing_recorded(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.submit_report("r2026", "fgw", "一稿", "摘要", "全文", by=FGW)
    for dept in app.round("r2026").departments:
        app.open_window("r2026", dept, by=ORGANISER)
        app.close_window("r2026", dept, by=ORGANISER)
    app.lock_results("r2026", by=ORGANISER)
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        page = (await site.get("/department/report")).text
        assert "修改：已截止。" in page and "保存报告" not in page
        answer = await submit(
            site, "/department/report", {"title": "锁定后改", "summary": "摘要", "text": ""}
        )
        assert answer.status_code == 422
        assert "评议结果已锁定，不能再修改：述职报告的各稿已存档" in answer.text
        report = app.report("r2026", "fgw")
        assert report is not None and [r.title for r in report.revisions] == ["一稿"]


async def test_after_the_lock_the_organiser_s_on_behalf_page_can_only_be_read(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    """代为提交: before the lock its form is there; after, the page reads the revisions and says why no form."""
    app.submit_report("r2026", "fgw", "一稿", "摘要", "全文", by=FGW)
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = (await site.get("/organiser/reports/fgw")).text
        assert 'class="report-form" method="post"' in page and "代为提交" in page
        for dept in app.round("r2026").departments:
            app.open_window("r2026", dept, by=ORGANISER)
            app.close_window("r2026", dept, by=ORGANISER)
        app.lock_results("r2026", by=ORGANISER)
        site.sync()
        answer = await site.get("/organiser/reports/fgw")
        assert answer.status_code == 200
        assert posting_forms(answer.text) == [] and 'name="title"' not in answer.text
        assert "评议结果已锁定，述职报告不能再代为提交或修改，只能查看" in answer.text
        assert "第 1 稿" in answer.text and "一稿" in answer.text  # the revisions are still read
