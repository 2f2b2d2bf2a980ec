"""工作人员账号（网页）— the administrator creates personal accounts; each person signs in at /login with their
own code and reaches only what their role allows; replacing a code or disabling an account ends its sessions
at once; the history names each person; the auditor exports the staff trail."""

from __future__ import annotations

import io
import re
from uuid import UUID

import httpx
from openpyxl import load_workbook

from tests.conftest import ORGANISER
from tests.web.conftest import FORM_CSRF, Web

ADMIN = "operator:test"


def token(web: Web, page: str = "/login") -> str:
    found = FORM_CSRF.search(web.get(page).text)
    assert found is not None
    return found.group(1)


def post(web: Web, path: str, **form: str) -> httpx.Response:
    return web.client.post(path, data={"csrf": token(web), **form}, follow_redirects=False)


def staff(web: Web, name: str, role: str, **scope: str) -> tuple[UUID, str]:
    return web.commands.add_staff(
        name,
        role,
        ADMIN,
        round_key=scope.get("round", "r2026"),
        **{k: v for k, v in scope.items() if k != "round"},
    )


def signed_in(web: Web, code: str) -> httpx.Response:
    answer = web.type_code(code)
    assert answer.status_code == 303, answer.text[:300]
    return answer


def test_the_administrator_creates_an_account_and_its_code_is_shown_once(web: Web) -> None:
    admin_code = web.commands.issue_administrator_code(by=ADMIN)
    signed_in(web, admin_code)
    page = web.get("/organiser/staff")
    assert page.status_code == 200 and "新建账号" in page.text
    made = post(
        web, "/organiser/staff", name="刘洋", unit="市纪委", role="checkin", round="r2026", venue="kdl"
    )
    assert made.status_code == 200
    code = re.search(r'id="staff-code">([A-Z0-9-]+)<', made.text)
    assert code is not None and "刘洋" in made.text
    assert "刘洋" in web.get("/organiser/staff").text
    assert code.group(1) not in web.get("/organiser/staff").text
    assert signed_in(web, code.group(1)).headers["location"] == "/organiser/representatives"


def test_a_refused_account_is_shown_with_the_reason_and_nothing_is_created(web: Web) -> None:
    signed_in(web, web.commands.issue_administrator_code(by=ADMIN))
    answer = post(web, "/organiser/staff", name="刘洋", role="checkin", round="r2026", venue="")
    assert answer.status_code == 422 and "签到员须指定本活动的一个会场" in answer.text
    assert web.commands.staff_accounts() == []


def test_a_venue_or_department_picked_from_another_round_s_list_is_refused_not_swapped(web: Web) -> None:
    """The lists hold every round's venues and departments (「r2025 · 主会场」 beside 「r2026 · 主会场」): the
    one picked names its round, and a pick from another round than the account's is refused."""
    web.commands.create_empty_round("r2025", "2025年评议", 2025, by=ORGANISER)
    web.commands.define_venue("r2025", "kdl", "昆都仑区会场", by=ORGANISER)
    signed_in(web, web.commands.issue_administrator_code(by=ADMIN))
    web.sync()
    page = web.get("/organiser/staff").text
    assert 'value="r2025:kdl"' in page and 'value="r2026:kdl"' in page
    answer = post(web, "/organiser/staff", name="刘洋", role="checkin", round="r2026", venue="r2025:kdl")
    assert answer.status_code == 422 and "所选会场属于评议活动「r2025」" in answer.text
    assert web.commands.staff_accounts() == []
    answer = post(
        web, "/organiser/staff", name="马超", role="department", round="r2026", department="r2025:fgw"
    )
    assert answer.status_code == 422 and "所选部门属于评议活动「r2025」" in answer.text
    made = post(web, "/organiser/staff", name="刘洋", role="checkin", round="r2026", venue="r2026:kdl")
    assert made.status_code == 200
    assert [(a.round_key, a.venue) for a in web.commands.staff_accounts()] == [("r2026", "kdl")]


def test_check_in_staff_check_in_only_in_their_own_venue(web: Web) -> None:
    _, code = staff(web, "刘洋", "checkin", venue="kdl")
    signed_in(web, code)
    roster = web.get("/organiser/representatives")
    assert roster.status_code == 200 and "王建国" in roster.text and "李秀英" not in roster.text
    assert "导入名单" not in roster.text
    assert "签到台（昆都仑区分会场）" in roster.text and "组织方控制台" not in roster.text  # says whose desk
    bob, alice = web.round.bob, web.round.alice
    assert post(web, f"/organiser/representatives/{bob}/check-in").status_code == 303
    refused = post(web, f"/organiser/representatives/{alice}/check-in")
    assert refused.status_code == 403 and "只能为本会场的代表签到" in refused.text
    assert web.commands.representative(bob).checked_in and not web.commands.representative(alice).checked_in
    for path in ("/organiser", "/organiser/history", "/organiser/results"):
        assert web.get(path).status_code == 403, path
    assert post(web, f"/organiser/representatives/{bob}/revoke", reason="x").status_code == 403
    assert post(web, "/organiser/windows/fgw/open").status_code == 403


def test_the_auditor_reads_what_the_organiser_reads_and_changes_nothing(web: Web) -> None:
    _, code = staff(web, "钱伟", "auditor")
    signed_in(web, code)
    for path in ("/organiser", "/organiser/history", "/organiser/turnout", "/organiser/results"):
        assert web.get(path).status_code == 200, path
    refused = post(web, "/organiser/windows/fgw/open")
    assert refused.status_code == 403 and "监督员只能查看，不能修改" in refused.text
    assert web.commands.window("r2026", "fgw") is None


def test_publishing_needs_two_results_officers_and_the_history_names_them(web: Web) -> None:
    _, first = staff(web, "孙敏", "results_officer")
    _, second = staff(web, "周杰", "results_officer")
    _, organiser_code = staff(web, "吴刚", "organiser")
    signed_in(web, organiser_code)
    for department in ("fgw", "swj", "kjj", "zjj"):
        assert post(web, f"/organiser/windows/{department}/open").status_code == 303
        assert post(web, f"/organiser/windows/{department}/close").status_code == 303
    assert post(web, "/organiser/results/lock").status_code == 403  # 会务组 do not lock
    signed_in(web, first)
    assert post(web, "/organiser/results/reveal").status_code == 403  # 计票员 do not reveal
    assert post(web, "/organiser/results/lock").status_code == 303
    assert post(web, "/organiser/results/publish").status_code == 303
    page = web.get("/organiser/results").text
    assert "须由另一位计票员" in page
    # the proposer is not offered a 确认发布 that only refuses them: they wait for the second officer
    assert "确认发布结果" not in page and "/organiser/results/publish" not in page
    assert "等待另一位计票员确认" in page
    post(web, "/organiser/results/publish")  # sent anyway (an old tab): still refused
    assert "发布评议结果须由另一位计票员确认" in web.get("/organiser/results").text
    assert not web.commands.round("r2026").published
    signed_in(web, second)
    assert "确认发布结果" in web.get("/organiser/results").text
    post(web, "/organiser/results/publish")
    assert web.commands.round("r2026").published
    web.sync()
    signed_in(web, organiser_code)
    history = actors_shown(web.get("/organiser/history").text)
    assert {"孙敏（计票员）", "周杰（计票员）", "吴刚（会务组）"} <= history
    officers = actors_shown(web.get("/organiser/history", params={"role": "results_officer"}).text)
    assert officers == {"孙敏（计票员）", "周杰（计票员）"}
    one = actors_shown(web.get("/organiser/history", params={"role": "organiser"}).text)
    assert one == {"吴刚（会务组）"}


def test_the_lock_button_names_the_departments_never_scored(web: Web) -> None:
    """At the end of the first sitting's day a results officer saw 锁定结果 with nothing saying that 市科技局
    and 市住建局 (the second sitting, tomorrow) had never been scored: one click locked them out for good, and
    the public notice then listed them as 无有效票."""
    _, officer = staff(web, "孙敏", "results_officer")
    for department in ("fgw", "swj"):
        web.commands.open_window("r2026", department, by=ORGANISER)
        web.commands.close_window("r2026", department, by=ORGANISER)
    web.sync()
    signed_in(web, officer)
    page = web.get("/organiser/results").text
    warning = "尚未开始评分的部门：市科技局、市住建局。锁定后不能再为它们评分，公示时为「无有效票」"
    assert warning in page and page.index(warning) < page.index("/organiser/results/lock")
    for department in ("kjj", "zjj"):
        web.commands.open_window("r2026", department, by=ORGANISER)
        web.commands.close_window("r2026", department, by=ORGANISER)
    web.sync()
    assert "尚未开始评分的部门" not in web.get("/organiser/results").text


def actors_shown(page: str) -> set[str]:
    """The 操作人 column of the history table."""
    body = page.split("<tbody>", 1)[1]
    return {
        a + b
        for a, b in re.findall(
            r'<tr><td>\d+</td><td>[^<]*</td><td>([^<]*)(?:<span class="role">([^<]*)</span>)?</td>', body
        )
    }


def test_a_replaced_code_and_a_disabled_account_end_their_sessions(web: Web) -> None:
    account, code = staff(web, "赵强", "organiser")
    signed_in(web, code)
    cookie = web.client.cookies.get("sanmin")
    assert web.get("/organiser").status_code == 200
    signed_in(web, web.commands.issue_administrator_code(by=ADMIN))
    replaced = post(web, f"/organiser/staff/{account}/code")
    new = re.search(r'id="staff-code">([A-Z0-9-]+)<', replaced.text)
    assert new is not None
    web.client.cookies.clear()
    web.client.cookies.set("sanmin", cookie or "")
    assert web.get("/organiser").status_code == 303  # the session of the old code is over
    assert web.type_code(code).status_code == 401
    signed_in(web, new.group(1))
    cookie = web.client.cookies.get("sanmin")
    signed_in(web, web.commands.issue_administrator_code(by=ADMIN))
    assert post(web, f"/organiser/staff/{account}/disable", reason="调离").status_code == 303
    web.client.cookies.clear()
    web.client.cookies.set("sanmin", cookie or "")
    assert web.get("/organiser").status_code == 303
    refused = web.type_code(new.group(1))
    assert refused.status_code == 403 and "已停用" in refused.text


def test_a_person_lists_their_sessions_and_signs_out_everywhere(web: Web) -> None:
    _, code = staff(web, "赵强", "organiser")
    signed_in(web, code)
    elsewhere = web.client.cookies.get("sanmin")
    signed_in(web, code)
    page = web.get("/staff/sessions")
    assert page.status_code == 200 and page.text.count("<tr>") == 3 and "本次登录" in page.text
    assert post(web, "/staff/sessions/end").status_code == 303
    web.client.cookies.set("sanmin", elsewhere or "")
    assert web.get("/organiser").status_code == 303


def test_the_round_s_shared_organiser_code_is_retired_once_it_has_an_organiser_account(web: Web) -> None:
    shared = web.commands.keys.organiser_code("r2026")
    assert web.type_code(shared).status_code == 303
    staff(web, "吴刚", "organiser")
    refused = web.type_code(shared)
    assert refused.status_code == 403 and "会务组已有个人账号，请使用您本人的登录码登录" in refused.text


def test_the_auditor_exports_the_staff_trail(web: Web) -> None:
    _, checkin = staff(web, "刘洋", "checkin", venue="kdl")
    _, auditor = staff(web, "钱伟", "auditor")
    signed_in(web, checkin)
    post(web, f"/organiser/representatives/{web.round.bob}/check-in")
    web.commands.open_window("r2026", "fgw", by=ORGANISER)
    web.sync()
    signed_in(web, auditor)
    answer = web.get("/organiser/trail.xlsx")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    actions = [[c.value for c in row] for row in book["操作记录"].iter_rows()]
    assert any(row[1] == "刘洋" and row[2] == "签到员" and "签到" in row[3] for row in actions)
    assert any(
        row[1] == "共用会务组登录码" and row[2] == "会务组" and row[3] == "开始评分" for row in actions
    )
    assert all(row[1] != ORGANISER for row in actions)  # a shared code is named as such
    records = [[c.value for c in row] for row in book["账号与登录"].iter_rows()]
    assert any(row[1] == "刘洋" and row[4] == "登录" for row in records)
    signed_in(web, checkin)
    assert web.get("/organiser/trail.xlsx").status_code == 403


def test_a_desk_whose_session_ended_elsewhere_is_told_its_check_in_was_not_saved(web: Web) -> None:
    """退出全部登录 on another device, then 签到 on this one: the page says nothing was saved and leads to the
    sign-in form, not to the public home page."""
    _, code = staff(web, "刘洋", "checkin", venue="kdl")
    signed_in(web, code)
    form_token = token(web)
    assert post(web, "/staff/sessions/end").status_code in (303, 200)
    bob = web.round.bob
    ended = web.client.post(f"/organiser/representatives/{bob}/check-in", data={"csrf": form_token})
    assert ended.status_code == 401
    assert "没有保存" in ended.text and 'href="/login"' in ended.text
    assert not web.commands.representative(bob).checked_in


def test_a_desk_that_cannot_find_someone_is_told_the_venue_they_are_registered_at(web: Web) -> None:
    """李秀英 is registered at the 主会场 and came to the 昆都仑区 desk: 「0 人」 looked like 'not on the roster'."""
    _, code = staff(web, "刘洋", "checkin", venue="kdl")
    signed_in(web, code)
    page = web.get("/organiser/representatives?q=李秀英").text
    assert "本会场的名单中没有。登记在其他会场的：" in page and "李秀英（编号 1，主会场）" in page
    nobody = web.get("/organiser/representatives?q=不在名单").text
    assert "本会场的名单中没有符合条件的代表。如确是本次活动的代表，请联系会务组。" in nobody
