"""用工作簿更新活动的页面: the organiser uploads the round's edited workbook, sees every change, confirms, and
the round is updated all at once; bad workbooks, another round's, a stale or forged confirmation and an upload
after the first window opened are refused plainly, changing nothing."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping

import httpx
import openpyxl

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.web.test_organiser_helpers import Site, running_site

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def edited_workbook(site: Site, edit: Mapping[tuple[str, int, int], object]) -> bytes:
    """The round's own workbook, downloaded, with cells changed: (sheet, row, column) → value."""
    answer = await site.get("/organiser/rounds/r2026/workbook.xlsx")
    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    for (sheet, row, column), value in edit.items():
        book[sheet].cell(row=row, column=column).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def preview(site: Site, data: bytes, name: str = "r2026.xlsx") -> httpx.Response:
    return await site.post("/organiser/workbook/preview", files={"workbook": (name, data, XLSX)})


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, name
    return found.group(1)


RENAME_KDL = {("会场", 3, 2): "昆都仑区会场"}


async def test_the_organiser_previews_and_confirms_an_edited_workbook(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = (await site.get("/organiser/workbook")).text
        assert 'action="/organiser/workbook/preview"' in page and "下载本活动的工作簿" in page
        data = await edited_workbook(site, RENAME_KDL | {("部门", 2, 5): "张建华"})
        shown = await preview(site, data)
        assert shown.status_code == 200, shown.text[:500]
        text = html.unescape(shown.text)
        assert "尚未生效" in text and "共 2 项将在确认后一次全部更新" in text
        assert re.search(
            r"<td>会场</td><td>修改</td><td>kdl</td><td>名称 昆都仑区分会场</td><td>名称 昆都仑区会场</td>",
            text,
        )
        assert "<td>部门</td><td>修改</td><td>fgw</td>" in text
        assert app.round("r2026").venues["kdl"] == "昆都仑区分会场"  # nothing yet
        form = {"sha": hidden(text, "sha"), "digest": hidden(text, "digest")}
        done = await site.post("/organiser/workbook", form)
        assert (done.status_code, done.headers["location"]) == (303, "/organiser/readiness")
        assert "已按工作簿「r2026.xlsx」更新活动设置（2 项）" in (await site.get("/organiser/readiness")).text
        assert app.round("r2026").venues["kdl"] == "昆都仑区会场"
        assert app.department("r2026", "fgw").head == "张建华"
        again = await site.post("/organiser/workbook", form)  # the confirmation is used up
        assert "没有待确认的工作簿" in (await site.get(again.headers["location"])).text


async def test_bad_workbooks_are_listed_and_change_nothing(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        bad = await edited_workbook(site, {("场次", 2, 5): "fgw、nosuch", ("代表类别", 2, 3): "-1"})
        answer = await preview(site, bad)
        assert answer.status_code == 422
        text = html.unescape(answer.text)
        assert "「r2026.xlsx」未更新" in text and "nosuch" in text and "权重" in text
        other = await edited_workbook(site, {("活动", 2, 2): "r2099"})
        answer = await preview(site, other)
        assert answer.status_code == 422 and "不是本活动的「r2026」" in html.unescape(answer.text)
        answer = await preview(site, b"%PDF-1.4 not a workbook", "r2026.xlsx")
        assert answer.status_code == 422
        before = await edited_workbook(site, {})
        app.define_venue("r2026", "dsq", "东胜区分会场", by=ORGANISER)  # not in the workbook: removed by it
        answer = await preview(site, before)
        text = html.unescape(answer.text)
        assert answer.status_code == 200 and "确认更新（1 项）" in text  # nobody sits there: it may go
        assert "<td>会场</td><td>删除</td><td>dsq</td><td>名称 东胜区分会场</td>" in text
        empty = await site.post("/organiser/workbook/preview", {})
        assert empty.status_code == 303
    assert app.round("r2026").venues == {"main": "主会场", "kdl": "昆都仑区分会场", "dsq": "东胜区分会场"}


async def test_a_refused_update_says_that_nothing_was_changed(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        bad = await edited_workbook(site, {("场次", 2, 5): "fgw、nosuch", ("代表类别", 2, 3): "-1"})
        text = html.unescape((await preview(site, bad)).text)
        assert "「r2026.xlsx」未更新：工作簿有 2 处错误，未作任何修改" in text
        assert "未创建任何内容" not in text  # the round exists: an update changes it, or leaves it as it was
        unreadable = html.unescape((await preview(site, b"%PDF-1.4 not a workbook", "r2026.xlsx")).text)
        assert "「r2026.xlsx」未更新：工作簿有 1 处错误，未作任何修改" in unreadable
    assert app.round("r2026").sittings["s1"]["agenda"] == ["fgw", "swj"]


async def test_a_forged_or_stale_confirmation_is_refused(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        forged = await site.post("/organiser/workbook", {"sha": "0" * 64, "digest": "x"})
        assert "没有待确认的工作簿" in (await site.get(forged.headers["location"])).text
        assert (await site.post("/organiser/workbook", {"sha": "../etc", "digest": "x"})).status_code == 303
        text = (await preview(site, await edited_workbook(site, RENAME_KDL))).text
        app.define_venue("r2026", "dsq", "东胜区分会场", by=ORGANISER)
        stale = await site.post(
            "/organiser/workbook", {"sha": hidden(text, "sha"), "digest": hidden(text, "digest")}
        )
        assert "预览之后已有变动" in (await site.get(stale.headers["location"])).text
        csrf = await site.post("/organiser/workbook", {"sha": hidden(text, "sha")}, csrf=False)
        assert csrf.status_code == 403
    assert app.round("r2026").venues["kdl"] == "昆都仑区分会场"


async def test_after_the_first_window_opens_the_workbook_cannot_update_the_round(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        data = await edited_workbook(site, RENAME_KDL)
        app.open_window("r2026", "fgw", by=ORGANISER)
        site.sync()
        page = (await site.get("/organiser/workbook")).text
        assert "第一个评分窗口已经开启，不能再用工作簿更新活动设置" in page
        assert 'action="/organiser/workbook/preview"' not in page
        answer = await preview(site, data)
        assert answer.status_code == 422 and "第一个评分窗口已经开启" in answer.text
    assert app.round("r2026").venues["kdl"] == "昆都仑区分会场"


async def test_an_edited_workbook_adding_a_department_code_with_a_slash_is_refused_whole(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    """The department 「a/b」 could never be scored (its 开始评分 would post to /organiser/windows/a/b/open): the
    preview names it on its row and nothing of the workbook is applied, not even the venue it renames."""
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        added = {("部门", 6, 1): "a/b", ("部门", 6, 2): "市审计局", ("部门", 6, 4): "econ"}
        answer = await preview(site, await edited_workbook(site, RENAME_KDL | added))
        assert answer.status_code == 422
        text = html.unescape(answer.text)
        assert "「r2026.xlsx」未更新" in text
        assert (
            "<td>部门</td><td>6</td><td>代码</td><td>部门代码「a/b」须由 1 到 40 个字母、数字、- 或 _ 组成</td>"
            in text
        )
        assert 'name="digest"' not in text
    assert (
        app.round("r2026").venues["kdl"] == "昆都仑区分会场" and "a/b" not in app.round("r2026").departments
    )
