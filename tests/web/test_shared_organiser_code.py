"""共用组织方登录码的退役：活动有了第一个会务组账号，之前用共用码打开的会话也随之结束；
活动有了计票员，共用码不能再独自锁定、发布结果。"""

from __future__ import annotations

from typing import Any

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.web.test_organiser_helpers import running_site
from web.platform import shared_codes


async def test_a_session_opened_with_the_shared_code_ends_once_the_round_has_its_first_organiser_account(
    settings: Settings, app: EvaluationApp, small_round: SmallRound, monkeypatch: Any
) -> None:
    monkeypatch.setattr(shared_codes, "CACHE_SECONDS", 0.0)
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        assert (await site.get("/organiser")).status_code == 200
        app.add_staff("王会务", "organiser", ORGANISER, round_key="r2026")

        page = await site.get("/organiser")
        assert page.status_code != 200 and "/login" in page.headers.get("location", "")
        opened = await site.post("/organiser/windows/fgw/open")
        assert opened.status_code != 303 or "/login" in opened.headers.get("location", "")
        assert app.window("r2026", "fgw") is None  # the old cookie opened nothing


async def test_another_round_s_account_does_not_end_this_round_s_shared_code_sessions(
    settings: Settings, app: EvaluationApp, small_round: SmallRound, monkeypatch: Any
) -> None:
    monkeypatch.setattr(shared_codes, "CACHE_SECONDS", 0.0)
    app.create_empty_round("r2027", "2027年评议", 2027, by=ORGANISER)
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        app.add_staff("李会务", "organiser", ORGANISER, round_key="r2027")
        app.add_staff("孙敏", "checkin", ORGANISER, round_key="r2026", venue="kdl")  # not a 会务组
        assert (await site.get("/organiser")).status_code == 200


async def test_the_shared_code_cannot_lock_or_publish_alone_once_the_round_has_results_officers(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        assert "/organiser/results/lock" in (await site.get("/organiser/results")).text  # alone, as before
        app.add_staff("孙敏", "results_officer", ORGANISER, round_key="r2026")

        page = (await site.get("/organiser/results")).text
        assert "/organiser/results/lock" not in page
        refused = await site.post("/organiser/results/lock")
        assert refused.status_code == 403 and "须由计票员进行" in refused.text
        assert not app.round("r2026").locked

        app.lock_results("r2026", by=ORGANISER)  # an officer would; the shared code still cannot publish
        refused = await site.post("/organiser/results/publish")
        assert refused.status_code == 403 and not app.round("r2026").published
