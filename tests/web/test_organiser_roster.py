"""代表名单：导入（坏文件逐行列出问题、一个也不导入）、单个登记、作废 / 补发 / 签到、部门登录码。"""

from __future__ import annotations

import io
import re
from uuid import uuid4

import openpyxl

from evaluation.application import EvaluationApp
from evaluation.keys import normalise_code
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound, prepare_round
from tests.web.test_organiser_helpers import SCRIPT, Site, running_site

GOOD_CSV = "姓名,类别,会场,场次,手机号\n赵一,社区居民,主会场,第一场,13900000011\n钱二,npc,kdl,s2,\n"
BAD_CSV = (
    "姓名,类别,会场,场次,手机号\n"
    "孙三,社区居民,主会场,第一场,13900000012\n"
    ",社区居民,主会场,第一场,\n"
    "李四,外星人,主会场,第一场,\n"
    "周五,社区居民,主会场,第一场,12345\n"
)
CODE = re.compile(r'<p class="big-code">([A-Z0-9]{5}-[A-Z0-9]{5})</p>')


async def count_representatives(site: Site) -> int:
    page = (await site.get("/organiser/representatives")).text
    found = re.search(r"代表名单（共 (\d+) 人）", page)
    assert found
    return int(found.group(1))


async def upload(site: Site, name: str, content: bytes, kind: str = "text/csv") -> str:
    response = await site.post("/organiser/representatives/import", files={"roster": (name, content, kind)})
    return (
        response.text if response.status_code != 303 else (await site.get(response.headers["location"])).text
    )


async def test_a_good_roster_is_imported_and_listed(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = await upload(site, "名单.csv", GOOD_CSV.encode("utf-8-sig"))
        assert "已从「名单.csv」导入 2 名代表" in page
        assert await count_representatives(site) == 5
        listed = (await site.get("/organiser/representatives", params={"q": "钱二"})).text
        assert "钱二" in listed and "人大代表" in listed and "昆都仑区分会场" in listed and "第二场" in listed
        assert "赵一" not in listed


async def test_a_bad_roster_shows_every_row_problem_and_imports_nothing(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        response = await site.post(
            "/organiser/representatives/import", files={"roster": ("名单.csv", BAD_CSV.encode(), "text/csv")}
        )
        assert response.status_code == 422
        page = response.text
        assert "名单有 3 处错误，未导入任何代表" in page
        rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td></tr>", page)
        assert [line for line, _ in rows] == ["3", "4", "5"]
        assert "缺少「姓名」" in rows[0][1] and "外星人" in rows[1][1] and "不是 11 位数字" in rows[2][1]
        assert await count_representatives(site) == 3
        assert "孙三" not in (await site.get("/organiser/representatives")).text


async def test_importing_the_same_people_again_is_refused_row_by_row_and_adds_no_one(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    """The list imported in UTF-8 comes back saved in GBK, 钱二's placement written out in names, with one new
    person and 李秀英, registered by hand before: the page names each row already in the round and its number;
    a file of only the new person then imports."""
    again = (
        GOOD_CSV.replace("钱二,npc,kdl,s2", "钱二,人大代表,昆都仑区分会场,第二场")
        + "孙三,社区居民,主会场,第一场,\n"
        + "李秀英,人大代表,主会场,第一场,\n"
    )
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        assert "已从「名单.csv」导入 2 名代表" in await upload(site, "名单.csv", GOOD_CSV.encode("utf-8-sig"))
        response = await site.post(
            "/organiser/representatives/import",
            files={"roster": ("名单（另存）.csv", again.encode("gbk"), "text/csv")},
        )
        assert response.status_code == 422
        assert "名单有 3 处错误，未导入任何代表" in response.text
        assert re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td></tr>", response.text) == [
            ("2", "第 2 行与已登记的代表（编号 4）重复：姓名「赵一」"),
            ("3", "第 3 行与已登记的代表（编号 5）重复：姓名「钱二」"),
            ("5", "第 5 行与已登记的代表（编号 1）重复：姓名「李秀英」"),
        ]
        assert await count_representatives(site) == 5
        assert "孙三" not in (await site.get("/organiser/representatives")).text
        only_new = "姓名,类别,会场,场次\n孙三,社区居民,主会场,第一场\n"
        assert "导入 1 名代表" in await upload(site, "补充名单.csv", only_new.encode("gbk"))
        assert await count_representatives(site) == 6


async def test_every_problem_of_every_row_is_listed_on_the_page_at_once(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    content = "姓名,类别,会场,场次,手机号\n赵三,rd,无此会场,s1,abc\n钱四,npc,main,s9,\n"
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        response = await site.post(
            "/organiser/representatives/import", files={"roster": ("名单.csv", content.encode(), "text/csv")}
        )
        assert response.status_code == 422
        assert "名单有 4 处错误，未导入任何代表" in response.text
        assert re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td></tr>", response.text) == [
            ("2", "第 2 行：手机号「abc」不是 11 位数字"),
            ("2", "第 2 行：没有名为「rd」的代表类别"),
            ("2", "第 2 行：没有名为「无此会场」的会场"),
            ("3", "第 3 行：没有名为「s9」的场次"),
        ]
        assert await count_representatives(site) == 3


async def test_an_xlsx_roster_and_a_file_that_is_no_roster(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [["姓名", "类别", "会场", "场次"], [SCRIPT, "社区居民", "主会场", "第一场"]]:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = await upload(site, "名单.xlsx", data.getvalue(), "application/octet-stream")
        assert "导入 1 名代表" in page
        listed = (await site.get("/organiser/representatives")).text
        assert SCRIPT not in listed and "&lt;script&gt;alert(" in listed
        refused = await site.post(
            "/organiser/representatives/import", files={"roster": ("photo.png", b"\x89PNG....", "image/png")}
        )
        assert refused.status_code == 422 and "这是图片" in refused.text
        assert await count_representatives(site) == 4
        missing = await site.post("/organiser/representatives/import")
        assert missing.status_code == 303
        assert "请选择要导入的名单文件" in (await site.get("/organiser/representatives")).text


async def test_registering_one_representative_shows_the_code_once_and_it_signs_in(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        fields = {"name": "吴六", "category": "resident", "venue": "main", "sitting": "s1", "phone": ""}
        shown = await site.post("/organiser/representatives", fields)
        assert shown.status_code == 200 and "已登记代表「吴六」" in shown.text
        found = CODE.search(shown.text)
        assert found
        refused = await site.post("/organiser/representatives", {**fields, "phone": "123"})
        assert refused.status_code == 303
        assert "手机号不是 11 位数字" in (await site.get("/organiser/representatives")).text
        await site.sign_in(normalise_code(found.group(1)))
        assert (await site.get("/r")).status_code == 200


async def test_registering_someone_the_round_has_again_is_refused_with_their_number(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        before = await count_representatives(site)
        fields = {"name": "李秀英", "category": "npc", "venue": "main", "sitting": "s1", "phone": ""}
        refused = await site.post("/organiser/representatives", fields)
        assert refused.status_code == 303
        page = (await site.get("/organiser/representatives")).text
        assert (
            "代表「李秀英」已登记（编号 1）：同一人只登记一次；若是同名的另一人，请填写其手机号以区分" in page
        )
        assert await count_representatives(site) == before


async def test_the_desk_finds_a_number_typed_in_full_width_digits_and_a_name_typed_with_a_space(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    """A phone's Chinese keyboard types ２ for 2, and some input methods space a name: both still find."""
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        by_number = (await site.get("/organiser/representatives?q=２")).text
        assert "王建国" in by_number and "李秀英" not in by_number
        by_name = (await site.get("/organiser/representatives?q=王 建国")).text
        assert "王建国" in by_name and "李秀英" not in by_name


async def test_revoking_needs_a_reason_reissuing_replaces_the_code_and_check_in_counts(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    alice = small_round.alice
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        await site.post(f"/organiser/representatives/{alice}/revoke", {"reason": ""})
        assert "请填写原因" in (await site.get("/organiser/representatives")).text
        assert not app.representative(alice).revoked
        await site.post(f"/organiser/representatives/{alice}/revoke", {"reason": "评议卡遗失"})
        assert app.representative(alice).revoked
        assert "已作废" in (await site.get("/organiser/representatives", params={"q": "李秀英"})).text

        shown = await site.post(f"/organiser/representatives/{alice}/reissue")
        assert "已为「李秀英」（编号 1）补发评议卡，旧卡作废" in shown.text
        found = CODE.search(shown.text)
        assert found and normalise_code(found.group(1)) != small_round.alice_code
        await site.post(f"/organiser/representatives/{alice}/check-in")
        assert app.representative(alice).checked_in
        turnout = (await site.get("/organiser/turnout")).text
        assert "<td>主会场</td><td>2</td><td>1</td>" in turnout
        history = (await site.get("/organiser/history", params={"kind": "Representative."})).text
        assert "评议卡遗失" in history

        assert (await site.try_sign_in(small_round.alice_code)).status_code == 401
        await site.sign_in(normalise_code(found.group(1)))
        assert (await site.get("/r")).status_code == 200


async def test_another_round_s_or_an_unknown_representative_is_not_found(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        assert (await site.post("/organiser/representatives/not-a-uuid/reissue")).status_code == 404
        unknown = "00000000-0000-0000-0000-000000000001"
        assert (
            await site.post(f"/organiser/representatives/{unknown}/revoke", {"reason": "x"})
        ).status_code == 404


async def test_a_department_s_sign_in_code_is_shown_once_and_works(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        listed = (await site.get("/organiser/departments")).text
        assert "市发改委" in listed and "经济发展组" in listed
        shown = await site.post("/organiser/departments/fgw/credential")
        assert "「市发改委」的登录码" in shown.text
        found = CODE.search(shown.text)
        assert found
        assert (await site.post("/organiser/departments/nope/credential")).status_code == 404
        await site.sign_in(normalise_code(found.group(1)))
        assert "市发改委" in (await site.get("/department")).text


async def test_the_organiser_of_another_round_reaches_nothing_of_this_one(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    prepare_round(app, "r2027")
    app.open_window("r2026", "fgw", by=ORGANISER)
    receipt = app.cast_ballot(small_round.alice, "fgw", uuid4().hex, "satisfied")
    async with running_site(settings, app) as site:
        await site.sign_in_organiser("r2027")
        assert "李秀英" not in (await site.get("/organiser/representatives")).text
        assert (
            await site.post(f"/organiser/representatives/{small_round.alice}/card.pdf", {})
        ).status_code == 404
        revoked = await site.post(
            f"/organiser/representatives/{small_round.alice}/revoke", {"reason": "越权"}
        )
        assert revoked.status_code == 404 and not app.representative(small_round.alice).revoked
        voided = await site.post(f"/organiser/ballots/{receipt.ballot_id}/void", {"reason": "越权"})
        assert voided.status_code == 404
        found = (await site.get("/organiser/ballots", params={"receipt": receipt.code})).text
        assert "找不到回执码" in found
        await site.post("/organiser/windows/fgw/close")
        assert app.window("r2026", "fgw").is_open  # type: ignore[union-attr]


async def test_an_import_leaving_a_venue_or_sitting_with_fewer_than_5_of_a_category_is_warned_of(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    """Hole 8: 钱二 is the only 人大代表 at 昆都仑区分会场 and in 第二场; the roster page says so, so the
    organiser can merge categories or move people before the round."""
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = await upload(site, "名单.csv", GOOD_CSV.encode("utf-8-sig"))
        assert "某一代表类别不足 5 人" in page
        warning = page.split('id="small-cells-title"', 1)[1].split("</section>", 1)[0]
        assert "会场「昆都仑区分会场」</td><td>人大代表</td><td>1</td>" in warning
        assert "场次「第二场」</td><td>人大代表</td><td>1</td>" in warning
