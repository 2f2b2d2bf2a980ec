"""活动工作簿的页面 — the platform's administrator signs in at /login with a code only they hold, uploads a
workbook that creates a round (a refused one lists every problem by sheet, row and column, creating
nothing), and downloads any round's workbook; a round's organiser downloads only their own round's."""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx

from evaluation.keys import format_code
from evaluation.round import Round, round_id
from tests.conftest import ORGANISER
from tests.web.conftest import FORM_CSRF, Web
from tests.workbook.books import cells, good_sheets, xlsx
from workbook import export_workbook


def as_administrator(web: Web) -> str:
    code = web.commands.issue_administrator_code(by=ORGANISER)
    answer = web.type_code(format_code(code))
    assert (answer.status_code, answer.headers["location"]) == (303, "/organiser/rounds")
    return code


def upload(web: Web, data: bytes, name: str = "r2027.xlsx") -> httpx.Response:
    page = web.get("/organiser/rounds")
    assert page.status_code == 200, page.text[:300]
    token = FORM_CSRF.search(page.text)
    assert token is not None
    files = {"workbook": (name, data, "application/octet-stream")}
    return web.client.post(
        "/organiser/rounds", data={"csrf": token.group(1)}, files=files, follow_redirects=False
    )


def test_the_administrator_creates_a_round_from_a_workbook_and_its_organiser_can_sign_in(web: Web) -> None:
    as_administrator(web)
    answer = upload(web, xlsx(good_sheets()))

    assert answer.status_code == 200, answer.text[:500]
    organiser_code = format_code(web.commands.keys.organiser_code("r2027"))
    assert "已由「r2027.xlsx」创建评议活动 r2027" in answer.text and organiser_code in answer.text
    assert web.commands.round("r2027").title == "2027年度三民活动"
    web.sync()
    listed = web.get("/organiser/rounds").text
    assert "2027年度三民活动" in listed and "/organiser/rounds/r2027/workbook.xlsx" in listed
    assert web.type_code(organiser_code).headers["location"] == "/organiser"
    assert "2027年度三民活动" in web.get("/organiser").text


def test_a_refused_workbook_lists_every_problem_by_sheet_row_and_column_and_creates_nothing(web: Web) -> None:
    as_administrator(web)
    sheets = good_sheets()
    sheets["场次"][2][4] = "kjj、nowhere"
    sheets["代表类别"][1][2] = 0
    sheets["部门"][3][0] = "fgw"
    answer = upload(web, xlsx(sheets), "坏的.xlsx")

    assert answer.status_code == 422
    assert "「坏的.xlsx」未导入：工作簿有" in answer.text
    rows = re.findall(
        r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", answer.text
    )
    assert ("代表类别", "2", "权重") in [row[:3] for row in rows]
    assert ("场次", "3", "议程") in [row[:3] for row in rows]
    assert any(row[0] == "部门" and row[1] == "4" and row[2] == "代码" for row in rows)
    assert web.commands.find(Round, round_id("r2027")) is None


def test_a_file_that_is_not_a_workbook_is_refused_in_plain_words(web: Web) -> None:
    as_administrator(web)
    answer = upload(web, b"\xd0\xcf\x11\xe0" + b"\x00" * 512, "old.xls")
    assert answer.status_code == 422
    assert "旧版 Excel（.xls）" in answer.text
    again = upload(web, xlsx(good_sheets()), "r2027.xlsx")
    assert again.status_code == 200
    taken = upload(web, xlsx(good_sheets()), "r2027.xlsx")
    assert taken.status_code == 409 and "评议活动「r2027」已存在" in taken.text


def test_a_round_s_organiser_downloads_its_workbook_and_no_other(web: Web) -> None:
    web.commands.create_round("r2030", "另一活动", by=ORGANISER)
    assert web.type_code(web.commands.keys.organiser_code("r2026")).status_code == 303
    answer = web.get("/organiser/rounds/r2026/workbook.xlsx")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert answer.headers["content-disposition"].endswith(
        "filename*=UTF-8''" + quote("r2026-活动工作簿.xlsx")
    )
    assert cells(answer.content) == cells(export_workbook(web.commands, "r2026"))
    assert "/organiser/rounds/r2026/workbook.xlsx" in web.get("/organiser").text
    assert web.get("/organiser/rounds/r2030/workbook.xlsx").status_code == 404
    assert web.get("/organiser/rounds").status_code == 403


def test_a_new_administrator_code_voids_the_old_code_and_its_session(web: Web) -> None:
    old = as_administrator(web)
    assert web.get("/organiser/rounds/r2026/workbook.xlsx").status_code == 200
    new = web.commands.issue_administrator_code(by=ORGANISER)

    assert web.get("/organiser/rounds").status_code == 403
    assert web.get("/organiser/rounds").headers["location"] == "/login"  # the session is over
    assert web.type_code(old).status_code == 401
    assert web.type_code(new).headers["location"] == "/organiser/rounds"
    assert old != new and len(new) == 10


def test_only_the_keyed_hash_of_the_administrator_s_code_is_recorded(web: Web) -> None:
    code = web.commands.issue_administrator_code(by=ORGANISER)
    assert web.commands.first_administrator_code(by=ORGANISER) is None
    recorded = b"".join(e.state for e in web.commands.recorder.select_notifications(start=1, limit=10_000))
    assert code.encode() not in recorded
    assert web.commands.keys.credential_hash(code).encode() in recorded


def test_a_workbook_over_20_mb_is_refused_unread_and_creates_nothing(web: Web) -> None:
    as_administrator(web)
    recorded = web.commands.recorder.max_notification_id()
    answer = upload(web, b"PK\x03\x04" + b"\x00" * (21 * 1024 * 1024), "huge.xlsx")
    assert (answer.status_code, answer.headers["location"]) == (303, "/organiser/rounds")
    assert "活动工作簿不能超过 20 MB" in web.get("/organiser/rounds").text
    assert web.commands.recorder.max_notification_id() == recorded
