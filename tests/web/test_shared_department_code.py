"""部门共用登录码的退役：部门有了工作人员个人账号（本活动、本部门），共用码不能再登录（说明请用本人的登录码），
之前用它打开的会话也随之结束；没有个人账号的部门照旧用共用码；组织方的部门登录码页写明哪个部门已停用。"""

from __future__ import annotations

from typing import Any

import pytest

from evaluation.application import EvaluationApp
from evaluation.staff import SharedCodeRetired
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound, prepare_round
from tests.web.test_organiser_helpers import running_site
from tests.web.test_reports import submit
from web.platform import shared_codes


def departments_account(
    app: EvaluationApp, name: str, department: str = "fgw", round_key: str = "r2026"
) -> str:
    """A personal 部门工作人员 account, as the administrator gives one; its code."""
    return app.add_staff(name, "department", ORGANISER, round_key=round_key, department=department)[1]


async def test_the_shared_code_no_longer_signs_in_once_the_department_has_a_personal_account(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    shared = app.issue_department_credential("r2026", "fgw", by=ORGANISER)
    water = app.issue_department_credential("r2026", "swj", by=ORGANISER)
    async with running_site(settings, app) as site:
        assert (await site.try_sign_in(shared)).headers.get("location") == "/department"  # none yet
        departments_account(app, "李明")
        departments_account(app, "王芳")

        refused = await site.try_sign_in(shared)
        assert refused.status_code == 403 and "请使用您本人的登录码登录" in refused.text
        assert "本部门已有个人账号" in refused.text
        assert (await site.get("/department")).headers.get("location") == "/login"  # signed in as nobody

        assert (await site.try_sign_in(water)).headers.get("location") == "/department"  # swj has no account
        assert "市水务局" in (await site.get("/department")).text


async def test_another_round_s_account_of_the_same_department_does_not_retire_this_round_s_code(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    prepare_round(app, "r2027")  # 市发改委 takes part in r2027 too
    shared = app.issue_department_credential("r2026", "fgw", by=ORGANISER)
    departments_account(app, "李明", round_key="r2027")
    async with running_site(settings, app) as site:
        assert (await site.try_sign_in(shared)).headers.get("location") == "/department"


async def test_a_session_opened_with_the_shared_code_ends_once_the_department_has_a_personal_account(
    settings: Settings, app: EvaluationApp, small_round: SmallRound, monkeypatch: Any
) -> None:
    monkeypatch.setattr(shared_codes, "CACHE_SECONDS", 0.0)
    fields = {"title": "发改委述职报告", "summary": "摘要", "text": ""}
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        assert (await site.get("/department")).status_code == 200
        departments_account(app, "李明")

        page = await site.get("/department")
        assert page.status_code == 303 and page.headers["location"] == "/login"
        posted = await submit(site, "/department/report", fields)
        assert posted.status_code == 401  # the old cookie is a visitor not signed in
    assert app.report("r2026", "fgw") is None  # it submitted nothing


async def test_the_organiser_s_code_page_says_which_departments_shared_code_is_retired(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    departments_account(app, "李明")
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = (await site.get("/organiser/departments")).text
        assert "共用登录码已停用（本部门已有个人账号）" in page
        assert "/organiser/departments/fgw/credential" not in page  # not offered for fgw
        assert "/organiser/departments/swj/credential" in page  # still offered for swj


async def test_a_shared_code_posted_for_directly_is_not_issued_once_the_department_has_a_personal_account(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    """The page offers no button for fgw, but its form can still be posted: the domain refuses it."""
    departments_account(app, "李明")
    serial = app.department("r2026", "fgw").credential_serial
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        posted = await site.post("/organiser/departments/fgw/credential")
        assert posted.status_code == 303 and posted.headers["location"] == "/organiser/departments"
        page = (await site.get("/organiser/departments")).text
        assert "市发改委已有部门工作人员个人账号，共用登录码已停用，不再发放新的共用登录码" in page
    assert app.department("r2026", "fgw").credential_serial == serial  # no credential written
    with pytest.raises(SharedCodeRetired) as refused:
        app.issue_department_credential("r2026", "fgw", by=ORGANISER)
    assert refused.value.code == "shared_code_retired"
    assert app.department("r2026", "fgw").credential_serial == serial
