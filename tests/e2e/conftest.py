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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from evaluation.application import EvaluationApp
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
class Site:
    url: str
    commands: EvaluationApp
    projector: Projector
    round: SmallRound

    def sync(self) -> None:
        self.projector.catch_up(timeout=30)

    def shot(self, page: Any, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def site(settings: Settings, app: EvaluationApp, small_round: SmallRound) -> Iterator[Site]:
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    with Projector(settings) as projector:
        projector.catch_up()
        thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the web server did not start"
            time.sleep(0.05)
        try:
            yield Site(f"http://127.0.0.1:{port}", app, projector, small_round)
        finally:
            server.should_exit = True
            thread.join(timeout=15)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module-scoped: Playwright's sync API keeps an event loop running in this thread while it is open,
    which would break later tests that call asyncio.run()."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="pip install playwright (scripts/setup_test_env.sh)"
    )
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/setup_test_env.sh")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
