"""Browser tests: a real uvicorn server on 127.0.0.1 (a free port, in a thread) over the test schema, the
projection running in-process, and Debian's headless Chromium driven by Playwright.

Chromium and the CJK fonts come from scripts/setup_test_env.sh (never ``playwright install``).
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from evaluation.application import EvaluationApp
from evaluation.keys import format_code
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import SmallRound
from web.app import create_app

CHROMIUM = os.environ.get("SANMIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@dataclass
class EmptySite:
    """The platform served, with its projection: ``sync`` waits until the read models have every event."""

    url: str
    projector: Projector

    def sync(self) -> None:
        self.projector.catch_up(timeout=30)


@dataclass
class Site(EmptySite):
    commands: EvaluationApp
    round: SmallRound

    def shot(self, page: Any, name: str) -> Path:
        return shot(page, name)


def shot(page: Any, name: str) -> Path:
    """A full-page screenshot, test-artifacts/screenshots/{name}.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(settings: Settings, caught_up: bool = False) -> Iterator[EmptySite]:
    """uvicorn on a free port in a thread, with the projection running (``caught_up``: it has folded the
    events already stored before the server starts)."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    with Projector(settings) as projector:
        if caught_up:
            projector.catch_up()
        thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the web server did not start"
            time.sleep(0.05)
        try:
            yield EmptySite(f"http://127.0.0.1:{port}", projector)
        finally:
            server.should_exit = True
            thread.join(timeout=15)


@pytest.fixture
def site(settings: Settings, app: EvaluationApp, small_round: SmallRound) -> Iterator[Site]:
    with served(settings, caught_up=True) as served_site:
        yield Site(served_site.url, served_site.projector, app, small_round)


@pytest.fixture
def empty_site(settings: Settings, app: EvaluationApp) -> Iterator[EmptySite]:
    """The platform on an empty database (no demo, no round), as ``sanmin run`` serves it the first time."""
    with served(settings) as served_site:
        yield served_site


def sign_in_as_administrator(page: Any, url: str, code: str) -> None:
    """Signs in at /login with a platform administrator's code and lands on the rounds."""
    page.goto(f"{url}/login")
    page.get_by_label("请输入评议卡上的登录码").fill(format_code(code))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{url}/organiser/rounds")


def create_round(page: Any, key: str, title: str, year: str) -> None:
    """新建评议活动 on the rounds page, until it says the round was created."""
    new = page.locator("#new-round")
    new.get_by_label("活动代码").fill(key)
    new.get_by_label("活动名称").fill(title)
    new.get_by_label("年度").fill(year)
    new.get_by_role("button", name="新建评议活动").click()
    page.get_by_text(f"已创建评议活动 {key}").wait_for()


def fill_levels(form: Any, levels: list[tuple[str, str, bool]]) -> None:
    """评价等次 in the instrument form: each level's label, points and whether it counts as satisfied."""
    for n, (label, points, satisfied) in enumerate(levels):
        form.locator(f"input[name=level_label_{n}]").fill(label)
        form.locator(f"input[name=level_points_{n}]").fill(points)
        form.locator(f"input[name=level_satisfied_{n}]").set_checked(satisfied)


def saved(page: Any) -> None:
    """After a form: the page came back without a problem beside any form."""
    page.wait_for_load_state()
    problems = page.locator(".field-error").all_inner_texts()
    assert problems == [], problems


def add(page: Any, section: str, **fields: str) -> None:
    """Fills the 添加 form of a section (by its fields' labels) and submits it."""
    form = page.locator(f"#{section} form.add")
    for label, value in fields.items():
        field = form.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.get_by_role("button").click()
    saved(page)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One Chromium for the browser tests (tests/e2e), closed after their last: Playwright's sync API keeps an
    event loop running in this thread while it is open, which would break later tests that call asyncio.run().
    Each test opens contexts of its own (cookies, storage, viewport), so none sees another's."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="pip install playwright (scripts/setup_test_env.sh)"
    )
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/setup_test_env.sh")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
