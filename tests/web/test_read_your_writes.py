"""写后即读：工作人员提交表单后看到的页面，已经反映刚才的操作——即使读模型的投影慢了半拍。"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from evaluation.application import EvaluationApp
from projections.projection import ViewsProjection
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.web.test_organiser_helpers import CSRF
from web.app import create_app
from web.platform import read_your_writes


@asynccontextmanager
async def organiser_console(settings: Settings, app: EvaluationApp) -> AsyncIterator[httpx.AsyncClient]:
    """The web app with no projector of its own, its organiser signed in; the views hold the round."""
    with Projector(settings) as projector:
        projector.catch_up(timeout=30)
    web = create_app(settings)
    transport = httpx.ASGITransport(app=web)
    async with (
        web.router.lifespan_context(web),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        code = app.keys.organiser_code("r2026")
        token = CSRF.search((await client.get("/login")).text)
        assert token is not None
        signed_in = await client.post("/login", data={"code": code, "csrf": token.group(1)})
        assert signed_in.status_code == 303
        yield client


async def form_token(client: httpx.AsyncClient) -> str:
    found = CSRF.search((await client.get("/organiser")).text)
    assert found is not None
    return found.group(1)


def lagging(seconds: float) -> type[ViewsProjection]:
    """A real projector that writes each batch ``seconds`` after its first event arrives."""
    return type("Lagging", (ViewsProjection,), {"linger": seconds})


async def test_the_agenda_shown_after_opening_a_window_shows_it_open_while_the_projection_lags(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with organiser_console(settings, app) as client:
        token = await form_token(client)
        with Projector(settings, projection_class=lagging(0.6)):
            opened = await client.post("/organiser/windows/fgw/open", data={"csrf": token})
            assert opened.status_code == 303
            page = (await client.get(opened.headers["location"])).text
        assert "已开始「市发改委」的评分" in page
        assert "评分中" in page and "结束评分" in page  # before: still 未开始, with 开始评分 again


async def test_a_form_waits_no_longer_than_its_bound_for_a_projection_that_does_not_move(
    settings: Settings, app: EvaluationApp, small_round: SmallRound, monkeypatch: Any
) -> None:
    monkeypatch.setattr(read_your_writes, "WAIT", 0.4)
    async with organiser_console(settings, app) as client:
        token = await form_token(client)
        with Projector(settings, projection_class=lagging(5.0)):
            started = time.monotonic()
            opened = await client.post("/organiser/windows/fgw/open", data={"csrf": token})
            waited = time.monotonic() - started
        assert opened.status_code == 303
        assert 0.4 <= waited < 3.0


async def test_with_no_projector_running_a_form_answers_at_once(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with organiser_console(settings, app) as client:
        token = await form_token(client)
        started = time.monotonic()
        opened = await client.post("/organiser/windows/fgw/open", data={"csrf": token})
        assert opened.status_code == 303
        assert time.monotonic() - started < read_your_writes.WAIT / 2


async def test_the_results_page_after_locking_shows_them_locked_while_the_projection_lags(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with organiser_console(settings, app) as client:
        token = await form_token(client)
        with Projector(settings, projection_class=lagging(0.6)):
            locked = await client.post("/organiser/results/lock", data={"csrf": token})
            page = (await client.get(locked.headers["location"])).text
        assert "评议结果已锁定" in page and "已锁定，未发布" in page
        assert "/organiser/results/lock" not in page  # before: 未锁定, with its 锁定结果 button
