"""真实浏览器截图：组织方控制台与部门页面在 Debian 的 Chromium 中显示正常（汉字、表格），且没有被 CSP 拦下的内容。

Screenshots go to test-artifacts/screens/. Skipped without playwright or /usr/bin/chromium
(scripts/setup_test_env.sh installs both).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import uvicorn

from evaluation.application import EvaluationApp
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.web.test_organiser_helpers import ARTIFACTS, SCRIPT, cast_s1, publish
from web.app import create_app

CHROMIUM = os.environ.get("SANMIN_CHROMIUM", "/usr/bin/chromium")
BAD_ROSTER = "姓名,类别,会场,场次\n,社区居民,主会场,第一场\n李四,外星人,主会场,第一场\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> Iterator[tuple[str, Projector]]:
    """uvicorn on a free port in a thread, with the projection running in-process."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    with Projector(settings) as projector:
        projector.catch_up()
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}", projector
        finally:
            server.should_exit = True
            thread.join(timeout=15)


@pytest.fixture
def chromium() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/setup_test_env.sh")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


def shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_the_console_and_the_department_portal_in_a_real_browser(
    served: tuple[str, Projector], chromium: Any, app: EvaluationApp, small_round: SmallRound
) -> None:
    url, projector = served
    cast_s1(app)
    app.sign_suggestion(small_round.alice, "fgw", uuid4().hex, f"建议增设夜间窗口 {SCRIPT}")
    app.open_window("r2026", "swj", by=ORGANISER)
    department_code = app.issue_department_credential("r2026", "fgw", by=ORGANISER)
    projector.catch_up()
    blocked: list[str] = []
    page = chromium.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: blocked.append(str(e)))
    page.on("dialog", lambda d: blocked.append("dialog: " + d.message))

    page.goto(f"{url}/login?code={app.keys.organiser_code('r2026')}")
    page.wait_for_url(f"{url}/organiser")
    assert page.locator("#dept-swj").get_by_text("评分中").is_visible()
    shoot(page, "organiser-agenda")
    page.locator("#dept-swj").get_by_role("button", name="结束评分").click()
    page.wait_for_selector("text=已结束「市水务局」的评分")
    for path, name in [
        ("/organiser/turnout", "turnout"),
        ("/organiser/results", "results"),
        ("/organiser/history", "history"),
    ]:
        page.goto(url + path)
        shoot(page, f"organiser-{name}")
    page.goto(f"{url}/organiser/representatives")
    page.get_by_text("导入名单").click()
    page.set_input_files(
        "input[name=roster]",
        files=[{"name": "名单.csv", "mimeType": "text/csv", "buffer": BAD_ROSTER.encode()}],
    )
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_selector("text=名单未导入")
    assert page.locator(".problems tbody tr").count() == 2
    shoot(page, "organiser-roster-problems")

    publish(app)
    projector.catch_up()
    page.goto(f"{url}/login?code={department_code}")
    page.wait_for_url(f"{url}/department")
    assert page.get_by_text(SCRIPT).is_visible()  # shown as text, not run
    shoot(page, "department-portal")
    page.goto(f"{url}/department/suggestions")
    page.locator("textarea[name=answer]").fill("已于下月开设夜间窗口")
    page.get_by_role("button", name="提交答复").click()
    page.wait_for_selector("text=答复已保存")
    shoot(page, "department-suggestions")
    assert blocked == []
