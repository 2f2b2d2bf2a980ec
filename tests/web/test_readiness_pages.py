"""准备情况的页面: a representative corrected with a reason, the roster exported and never imported twice, the
readiness checklist with its links, and other result components imported through a preview."""

from __future__ import annotations

import html
import io
import json
import re
from uuid import uuid4

import openpyxl

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.web.test_organiser_helpers import Site, running_site

ROSTER = "姓名,类别,会场,场次\n赵一,社区居民,主会场,第一场\n钱二,npc,kdl,s2\n"
SCORES = "部门,得分\n市发改委,92.5\nswj,88\n市科技局,90\n"


async def followed(site: Site, response: object) -> str:
    import httpx

    assert isinstance(response, httpx.Response)
    if response.status_code == 303:
        return (await site.get(response.headers["location"])).text
    return response.text


def edit_form(**changes: str) -> dict[str, str]:
    form = {
        "name": "王建国",
        "category": "resident",
        "venue": "kdl",
        "sitting": "s1",
        "phone": "",
        "reason": "",
    }
    return form | changes


# --- 修改代表信息 ------------------------------------------------------------------------------------


async def test_the_organiser_corrects_a_representative_with_a_reason(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    url = f"/organiser/representatives/{small_round.bob}/edit"
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        roster = (await site.get("/organiser/representatives")).text
        assert f'href="{url}"' in roster
        form = (await site.get(url)).text
        assert 'value="王建国"' in form and 'value="13900000001"' in form
        done = await site.post(url, edit_form(name="王建军", sitting="s2", reason="报名表录错"))
        assert done.status_code == 303
        page = await followed(site, done)
        assert "已修改第 2 号代表「王建军」的信息" in page and "第二场" in page
        history = (await site.get("/organiser/history")).text
        assert "王建军" in history and "报名表录错" in history
        assert app.representative(small_round.bob).sitting == "s2"


async def test_a_bad_edit_is_refused_on_the_form_with_what_was_typed(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    url = f"/organiser/representatives/{small_round.bob}/edit"
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        for form, said in [
            (edit_form(name="王建民"), "请填写原因"),
            (edit_form(name="王建民", venue="火星", reason="x"), "没有名为「火星」的会场"),
            (edit_form(name="", reason="x"), "姓名不能为空"),
            (edit_form(name="王建民", phone="12345", reason="x"), "手机号不是 11 位数字"),
            (edit_form(phone="13900000001", reason="x"), "没有任何修改"),
        ]:
            answer = await site.post(url, form)
            assert answer.status_code == 422, said
            assert said in html.unescape(answer.text)
            assert 'value="x"' in answer.text or form["reason"] == ""
        app.open_window("r2026", "fgw", by=ORGANISER)
        moved = await site.post(url, edit_form(sitting="s2", reason="换场"))
        assert moved.status_code == 422 and "类别、会场和场次不能再修改" in moved.text
        assert (await site.get(f"/organiser/representatives/{uuid4()}/edit")).status_code == 404
        assert (await site.get("/organiser/representatives/not-an-id/edit")).status_code == 404
        assert (await site.post(url, edit_form(name="王建民", reason="x"), csrf=False)).status_code == 403
        assert app.representative(small_round.bob).name == "王建国"


async def test_another_round_s_representative_cannot_be_edited(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    from tests.conftest import prepare_round

    prepare_round(app, "r2027")
    other, _ = app.register_representative("r2027", "外人", "npc", "main", "s1", by=ORGANISER)
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        url = f"/organiser/representatives/{other}/edit"
        assert (await site.get(url)).status_code == 404
        assert (await site.post(url, edit_form(name="改名", reason="x"))).status_code == 404
    assert app.representative(other).name == "外人"


# --- 名单导入与导出 ----------------------------------------------------------------------------------


async def test_the_same_roster_twice_is_refused_plainly(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        files = {"roster": ("名单.csv", ROSTER.encode(), "text/csv")}
        first = await site.post("/organiser/representatives/import", files=files)
        assert "已从「名单.csv」导入 2 名代表" in await followed(site, first)
        again = await site.post("/organiser/representatives/import", files=files)
        assert again.status_code == 409
        assert "这份名单已于此前导入（「名单.csv」），未重复导入任何代表" in again.text
        assert "代表名单（共 5 人）" in again.text


async def test_the_roster_exports_as_xlsx_with_card_and_check_in_state(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.register_representative("r2026", "=1+1", "npc", "main", "s1", by=ORGANISER)
    app.check_in(small_round.alice, by=ORGANISER)
    app.print_cards("r2026", [small_round.bob], ORGANISER, "打印")
    app.revoke_credential(small_round.carol, ORGANISER, "遗失")
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        assert 'href="/organiser/representatives.xlsx"' in (await site.get("/organiser/representatives")).text
        answer = await site.get("/organiser/representatives.xlsx")
        assert answer.status_code == 200
        assert "roster.xlsx" in answer.headers["content-disposition"]
        book = openpyxl.load_workbook(io.BytesIO(answer.content))
        rows = [list(r) for r in book.active.iter_rows(values_only=True)]  # type: ignore[union-attr]
    assert rows[0] == ["编号", "姓名", "类别", "会场", "场次", "签到", "评议卡"]
    assert rows[1] == [1, "李秀英", "人大代表", "主会场", "第一场", "已签到", "未打印"]
    assert rows[2] == [2, "王建国", "社区居民", "昆都仑区分会场", "第一场", "未签到", "已打印（第 2 张）"]
    assert rows[3][6] == "已作废"
    assert rows[4][1] == "=1+1"  # text, never a formula
    assert "13900000001" not in repr(rows)  # no phone numbers in the file


# --- 准备情况 ---------------------------------------------------------------------------------------


def items(page: str) -> dict[str, str]:
    """Each checklist item's HTML by its key."""
    return dict(
        re.findall(r'<li id="check-(\w+)" class="[^"]+">(.*?)</li>\s*(?=<li id="check-|</ol>)', page, re.S)
    )


async def test_the_checklist_lists_what_is_missing_with_links_to_fix_it(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.define_venue("r2026", "dsq", "东胜区分会场", by=ORGANISER)
    app.register_department("r2026", "wlj", "市文旅局", "city", by=ORGANISER)
    app.define_sitting("r2026", "s3", "第三场", [], by=ORGANISER)
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = (await site.get("/organiser/readiness")).text
        assert 'href="/organiser/readiness" aria-current="page"' in page
        found = items(page)
        assert set(found) == {
            *("lists", "departments", "sittings"),
            *("reports", "agenda", "placed", "venues", "small", "cards"),
        }
        assert all(
            '<span class="mark">已完成</span>' in found[k] for k in ("lists", "departments", "sittings")
        )
        assert (
            "「市文旅局」尚未提交述职报告" in found["reports"]
            and 'href="/organiser/departments"' in found["reports"]
        )
        assert "第三场没有安排任何部门" in found["agenda"]
        assert 'href="/organiser/rounds/r2026/setup/sittings"' in found["agenda"]
        assert "「市文旅局」不在任何场次的议程中" in found["placed"] and "市发改委" not in found["placed"]
        assert "「东胜区分会场」还没有代表" in found["venues"] and "主会场" not in found["venues"]
        assert "「主会场」的「人大代表」只有 1 人" in found["small"]
        assert "第一场 · 主会场：1 张未打印" in found["cards"] and 'href="/organiser/cards"' in found["cards"]


async def test_an_empty_round_is_not_ready_and_says_what_to_set_up_first(
    settings: Settings, app: EvaluationApp
) -> None:
    app.create_round("r2026", "2026年度三民活动", by=ORGANISER)
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = (await site.get("/organiser/readiness")).text
        found = items(page)
        assert "各项准备工作均已完成" not in page and "已完成" not in page
        assert all("未完成" in item for item in found.values())
        setup = "/organiser/rounds/r2026/setup"
        lists = found["lists"]
        assert "还没有代表类别" in lists and "还没有部门组" in lists and "还没有会场" in lists
        assert f'href="{setup}/lists"' in lists
        assert "还没有部门" in found["departments"] and f'href="{setup}/departments"' in found["departments"]
        assert "还没有场次" in found["sittings"] and f'href="{setup}/sittings"' in found["sittings"]
        # nothing to ask about is not a yes: each item says what is missing and links to where it is added
        assert "还没有部门" in found["reports"] and f'href="{setup}/departments"' in found["reports"]
        assert "还没有部门" in found["placed"] and f'href="{setup}/departments"' in found["placed"]
        assert "还没有场次" in found["agenda"] and f'href="{setup}/sittings"' in found["agenda"]
        assert "还没有会场" in found["venues"] and f'href="{setup}/lists"' in found["venues"]
        for key in ("small", "cards"):
            assert "还没有代表" in found[key] and 'href="/organiser/representatives"' in found[key]
        assert "还有 9 项准备工作未完成" in page


async def test_a_ready_round_shows_every_item_done(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    for dept in ("fgw", "swj", "kjj", "zjj"):
        app.submit_report("r2026", dept, "述职报告", "摘要", "全文", by=ORGANISER)
    for rep in (small_round.alice, small_round.bob, small_round.carol):
        app.revoke_credential(rep, ORGANISER, "换人")
    for venue in ("main", "kdl"):
        for category in ("npc", "resident"):
            for n in range(5):
                app.register_representative(
                    "r2026", f"{venue}{category}{n}", category, venue, "s1", by=ORGANISER
                )
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        reads = site.reads
        rows = await reads.fetch("SELECT representative_id FROM representatives_view WHERE NOT revoked")
        app.print_cards("r2026", [r["representative_id"] for r in rows], ORGANISER, "打印")
        site.sync()
        page = (await site.get("/organiser/readiness")).text
        assert "各项准备工作均已完成" in page and "未完成" not in page


# --- 其他得分 ---------------------------------------------------------------------------------------


async def preview(site: Site, content: bytes, name: str = "日常考核.csv", weight: str = "20") -> object:
    files = {"scores": (name, content, "text/csv")}
    return await site.post(
        "/organiser/components/preview", {"component": "日常考核", "weight": weight}, files=files
    )


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, name
    return html.unescape(found.group(1))


async def test_scores_are_previewed_then_imported_and_replaced_with_a_reason(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = (await site.get("/organiser/components")).text
        assert "现场评议" in page and "100%" in page
        shown = await preview(site, SCORES.encode())
        text = shown.text  # type: ignore[attr-defined]
        assert shown.status_code == 200  # type: ignore[attr-defined]
        assert "尚未导入" in text and "日常考核 20%" in text and "现场评议 80%" in text
        assert "市住建局" in text and "缺少组成部分" in text  # not in the file: not ranked
        assert app.round("r2026").components == {}
        scores = hidden(text, "scores")
        assert json.loads(scores) == {"fgw": "92.5", "swj": "88", "kjj": "90"}
        assert 'name="reason"' not in text  # a first import needs no reason
        done = await site.post(
            "/organiser/components", {"component": "日常考核", "weight": "20", "scores": scores}
        )
        page = await followed(site, done)
        assert "已导入「日常考核」3 个部门的得分，权重 20%" in page
        assert app.round("r2026").components["日常考核"]["fgw"] == "92.5"
        again = (await preview(site, "部门,得分\nfgw,60\n".encode(), weight="30")).text  # type: ignore[attr-defined]
        assert 'name="reason" required' in again
        form = {"component": "日常考核", "weight": "30", "scores": hidden(again, "scores")}
        refused = await followed(site, await site.post("/organiser/components", form))
        assert "请填写原因" in refused and app.round("r2026").components["日常考核"]["fgw"] == "92.5"
        replaced = await followed(
            site, await site.post("/organiser/components", form | {"reason": "考核办更正"})
        )
        assert "已导入「日常考核」1 个部门" in replaced and "现场评议" in replaced and "70%" in replaced
        assert app.round("r2026").components["日常考核"] == {"fgw": "60"}


async def test_a_bad_score_file_lists_every_problem_and_records_nothing(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    bad = "部门,得分\n市外星局,80\nfgw,120\nswj,优秀\n"
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        answer = await preview(site, bad.encode())
        assert answer.status_code == 422  # type: ignore[attr-defined]
        page = html.unescape(answer.text)  # type: ignore[attr-defined]
        assert "成绩表有 3 处错误，未导入任何得分" in page
        assert (
            "没有名为「市外星局」的部门" in page
            and "「120」须在 0 到 100 之间" in page
            and "不是数字" in page
        )
        for content, name, said in [
            (b"\x89PNG\r\n junk", "a.png", "这是图片"),
            (b"PK\x03\x04 broken", "a.xlsx", "无法读取"),
            (SCORES.encode(), "a.csv", "权重"),
        ]:
            weight = "abc" if said == "权重" else "20"
            answer = await preview(site, content, name, weight)
            assert answer.status_code == 422 and said in html.unescape(answer.text)  # type: ignore[attr-defined]
        for scores in ("not json", "[]", '{"fgw": 90}', '{"nosuch": "90"}', '{"fgw": "abc"}'):
            form = {"component": "日常考核", "weight": "20", "scores": scores}
            page = await followed(site, await site.post("/organiser/components", form))
            assert 'class="flash error"' in page or "flash error" in page, scores
        missing = await site.post("/organiser/components/preview", {"component": "日常考核", "weight": "20"})
        assert missing.status_code == 303
    assert app.round("r2026").components == {}
