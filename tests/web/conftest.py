"""The web app on the test schema, its read models filled by the real projection running in-process.

``web``: a Starlette TestClient over ``create_app(settings)`` beside a running Projector, with helpers
to sign in the way people do (the card's QR code: its page POSTs the code, or the typed form) and to call
the tablet's API with the page's CSRF token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from starlette.testclient import TestClient

from evaluation.application import EvaluationApp
from projections.runner import Projector
from storage.bootstrap import build_app
from storage.settings import Settings
from tests.conftest import SECRET, SmallRound, make_small_round
from web.app import create_app
from web.platform.throttle import ThrottlePolicy

META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
FORM_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Web:
    client: TestClient
    commands: EvaluationApp
    projector: Projector
    round: SmallRound

    def sync(self) -> None:
        """Until the read models hold every event recorded so far."""
        self.projector.catch_up(timeout=30)

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self.client.get(url, follow_redirects=False, **kw)

    def scan(self, code: str) -> httpx.Response:
        """What the card's QR code does: open /login#code=… (or an older card's /login?code=…), whose
        script POSTs the code with the page's CSRF token; the answer to that POST."""
        self.client.cookies.clear()
        page = self.get("/login", params={"code": code})
        token = FORM_CSRF.search(page.text)
        assert token is not None
        return self.client.post("/login", data={"code": code, "csrf": token.group(1)}, follow_redirects=False)

    def type_code(self, code: str) -> httpx.Response:
        """What a person at the sign-in form does."""
        self.client.cookies.clear()
        token = FORM_CSRF.search(self.get("/login").text)
        assert token is not None
        return self.client.post("/login", data={"code": code, "csrf": token.group(1)}, follow_redirects=False)

    def page_token(self) -> str:
        """The CSRF token the tablet page hands its script."""
        found = META_CSRF.search(self.get("/r").text)
        assert found, "the tablet page carries the CSRF token"
        return found.group(1)

    def form_token(self) -> str:
        found = FORM_CSRF.search(self.get("/login").text)
        assert found
        return found.group(1)

    def as_alice(self) -> str:
        assert self.scan(self.round.alice_code).status_code == 303
        return self.page_token()

    def cast(
        self, department: str, choice: str = "satisfied", token: str | None = None, **fields: Any
    ) -> httpx.Response:
        body = {"department": department, "client_id": fields.pop("client_id", uuid4().hex), "choice": choice}
        headers = {"X-CSRF-Token": token} if token else {}
        return self.client.post("/api/ballots", json={**body, **fields}, headers=headers)

    def open(self, department: str) -> None:
        self.commands.open_window(self.round.key, department, by="organiser:test")
        self.sync()


def running(settings: Settings, app: EvaluationApp, small_round: SmallRound, **options: Any) -> Iterator[Web]:
    with Projector(settings) as projector, TestClient(create_app(settings, **options)) as client:
        web = Web(client, app, projector, small_round)
        web.sync()
        yield web


def served_for_a_module(database_url: str, folder: Path, **options: Any) -> Iterator[Web]:
    """The small round served once for a whole test module, in a schema of its own: for modules whose tests
    each compare the events before and after their requests, so none needs a fresh store (a fresh one is
    two to three seconds of setup a test)."""
    settings = Settings(database_url, folder, SECRET, schema=f"t_{uuid4().hex[:12]}")
    app = build_app(settings)
    try:
        yield from running(settings, app, make_small_round(app), **options)
    finally:
        app.close()


@pytest.fixture
def web(settings: Settings, app: EvaluationApp, small_round: SmallRound) -> Iterator[Web]:
    yield from running(settings, app, small_round)


@pytest.fixture
def strict_web(settings: Settings, app: EvaluationApp, small_round: SmallRound) -> Iterator[Web]:
    """With a tight throttle: a code waits after its 2nd failure, a client after its 3rd, an address's
    failed answers are held back after its 3rd."""
    from datetime import timedelta

    from web.platform.throttle import BackOff

    policy = ThrottlePolicy(
        by_code=BackOff(1, timedelta(minutes=1), timedelta(minutes=15), timedelta(hours=1)),
        by_client=BackOff(2, timedelta(seconds=30), timedelta(minutes=5), timedelta(hours=1)),
        by_address=BackOff(2, timedelta(seconds=0.01), timedelta(seconds=0.05), timedelta(minutes=10)),
    )
    yield from running(settings, app, small_round, throttle=policy)
