"""Shared by the organiser, department, card and export tests: the real web app over a fresh schema, its
read models filled by the real projection (in-process), and signing in through the real sign-in page.

    async def test_x(settings, app, small_round):
        async with running_site(settings, app) as site:
            await site.sign_in_organiser()
            page = await site.get("/organiser")
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
from starlette.applications import Starlette

from evaluation.application import EvaluationApp
from projections.projection import ViewsProjection
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER
from web.app import create_app
from web.platform.database import ReadModels

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')

SCRIPT = '<script>alert("x")</script>'
COMMENTS = [
    SCRIPT,
    '=HYPERLINK("http://evil.example","点我")',
    "+1 供水管网改造要加快",
    "-2 停水通知要提前",
    "@SUM(A1:A9)",
    "\t办事效率高，态度很好",
]
CHOICES = ["satisfied", "satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied", "unknown"]


@dataclass
class Site:
    settings: Settings
    commands: EvaluationApp
    client: httpx.AsyncClient
    projector: Projector
    web: Starlette

    @property
    def reads(self) -> ReadModels:
        """The app's own read-model pool, for a test to look up an id as a page would."""
        reads: ReadModels = self.web.state.reads
        return reads

    def sync(self) -> None:
        """Until the read models hold every event recorded so far (read-your-writes)."""
        self.projector.catch_up(timeout=30)

    async def get(self, url: str, **kw: Any) -> httpx.Response:
        return await self.client.get(url, **kw)

    async def post(
        self, url: str, data: dict[str, str] | None = None, csrf: bool = True, **kw: Any
    ) -> httpx.Response:
        """A form post with the session's CSRF token (unless ``csrf=False``); then the views catch up."""
        fields = dict(data or {})
        if csrf:
            fields["csrf"] = await self.csrf()
        response = await self.client.post(url, data=fields, **kw)
        self.sync()
        return response

    async def csrf(self) -> str:
        page = await self.client.get("/login")
        found = CSRF.search(page.text)
        assert found, "the sign-in page carries the session's CSRF token"
        return found.group(1)

    async def try_sign_in(self, code: str) -> httpx.Response:
        """As the card's QR code does: /login?code=… (an older card) or /login#code=…, whose page POSTs the
        code with its CSRF token; the answer to that POST."""
        self.client.cookies.clear()
        page = await self.client.get("/login", params={"code": code})
        found = CSRF.search(page.text)
        assert found, "the sign-in page carries the session's CSRF token"
        return await self.client.post("/login", data={"code": code, "csrf": found.group(1)})

    async def sign_in(self, code: str) -> None:
        response = await self.try_sign_in(code)
        assert response.status_code in (200, 303), response.text

    async def sign_in_organiser(self, round_key: str = "r2026") -> None:
        await self.sign_in(self.commands.keys.organiser_code(round_key))

    async def sign_in_department(self, department: str, round_key: str = "r2026") -> None:
        code = self.commands.issue_department_credential(round_key, department, by=ORGANISER)
        self.sync()
        await self.sign_in(code)


@asynccontextmanager
async def running_site(
    settings: Settings, app: EvaluationApp, projection_class: type[ViewsProjection] = ViewsProjection
) -> AsyncIterator[Site]:
    """The projection (of ``projection_class``: a lagging one, say) and the app (with its lifespan) over
    ``settings``; an httpx client on it."""
    web = create_app(settings)
    transport = httpx.ASGITransport(app=web)
    with Projector(settings, projection_class=projection_class) as projector:
        async with (
            web.router.lifespan_context(web),
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        ):
            site = Site(settings, app, client, projector, web)
            site.sync()
            yield site


def cast_s1(app: EvaluationApp, department: str = "fgw", comments: list[str] | None = None) -> list[UUID]:
    """Six more representatives of sitting s1 (other people for each department) score ``department`` (with
    the hostile comments) and the window is closed again. Returns the new representatives."""
    reps = [
        app.register_representative(
            "r2026", f"测试代表{department}{i}", "resident", "kdl", "s1", by=ORGANISER
        )[0]
        for i in range(len(CHOICES))
    ]
    app.open_window("r2026", department, by=ORGANISER)
    for rep, choice, comment in zip(reps, CHOICES, comments or COMMENTS, strict=True):
        app.cast_ballot(rep, department, uuid4().hex, choice, comment=comment)
    app.close_window("r2026", department, by=ORGANISER)
    return reps


def publish(app: EvaluationApp) -> None:
    app.lock_results("r2026", by=ORGANISER)
    app.publish_results("r2026", by=ORGANISER)


def save_artifact(name: str, content: bytes) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(content)
    return path
