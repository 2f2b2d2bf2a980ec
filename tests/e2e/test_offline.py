"""离线外壳：断网时刷新也能打开评分页面，看到待发送的评分；恢复后每张只到达一次；新部署替换旧外壳。"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from storage.settings import Settings
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_browser import PHONE, ballot_topics, sign_in_by_qr
from web.tablet import offline_shell

CACHE_NAMES = "caches.keys()"
CACHED_PATHS = """async () => {
  const paths = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) { paths.push(new URL(request.url).pathname); }
  }
  return paths;
}"""


def until(page: Any, expression: str, wanted: Any, timeout: float = 20) -> Any:
    """Polls ``expression`` in the page until it gives ``wanted``; the last value otherwise."""
    deadline = time.monotonic() + timeout
    value = page.evaluate(expression)
    while value != wanted and time.monotonic() < deadline:
        time.sleep(0.2)
        value = page.evaluate(expression)
    return value


def controlled(page: Any) -> None:
    """Waits for the service worker to have installed the shell and to control the page."""
    assert until(page, "!!navigator.serviceWorker.controller", True), "no service worker controls /r"


def cast(page: Any, department: str, level: str) -> None:
    section = page.locator(f"#dept-{department}")
    section.get_by_role("button", name=level, exact=True).tap()
    section.get_by_role("button", name="提交评分").tap()
    page.wait_for_selector(f"#dept-{department} .outcome.pending")


def read_model_rows(settings: Settings) -> tuple[int, int]:
    with psycopg.connect(settings.database_url, options=settings.pg_options) as conn:
        ballots = conn.execute("SELECT count(*) FROM ballots_view WHERE round_key = 'r2026'").fetchone()
        receipts = conn.execute("SELECT count(*) FROM receipts_view WHERE round_key = 'r2026'").fetchone()
    assert ballots is not None and receipts is not None
    return int(ballots[0]), int(receipts[0])


def test_a_phone_reloaded_offline_shows_its_queued_ballots_and_sends_each_once_when_back_online(
    site: Site, browser: Any, settings: Settings
) -> None:
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in_by_qr(site, page)
    controlled(page)
    site.commands.open_window("r2026", "fgw", by=ORGANISER)  # after the page loaded: it learns by event
    site.commands.open_window("r2026", "swj", by=ORGANISER)
    page.wait_for_selector('#dept-swj[data-window="open"] form.ballot:not([hidden])')

    context.set_offline(True)
    cast(page, "fgw", "满意")
    cast(page, "swj", "不满意")
    page.reload()
    assert page.locator("body").get_attribute("data-shell") == "offline"
    for department in ("fgw", "swj"):
        page.wait_for_selector(f'#dept-{department}[data-window="open"] .outcome.pending')
        assert "待发送" in page.locator(f"#dept-{department} .outcome").inner_text()
    assert "有 2 项待发送" in page.locator("#net").inner_text()
    assert "李秀英" not in page.content()  # the shell and its saved copy hold no name
    site.shot(page, "tablet-reloaded-offline")
    assert ballot_topics(site) == []

    context.set_offline(False)
    for department in ("fgw", "swj"):
        page.wait_for_selector(f"#dept-{department} .outcome.sent", timeout=30_000)
    site.shot(page, "tablet-reloaded-offline-then-sent")
    time.sleep(1)  # time for a second send, were there one
    assert ballot_topics(site) == ["Cast", "Cast"]
    site.sync()
    assert read_model_rows(settings) == (2, 2)
    for department in ("fgw", "swj"):
        code = page.locator(f"#dept-{department} .outcome .receipt strong").inner_text().replace(" ", "")
        assert context.request.get(f"{site.url}/api/receipts/{code}").json()["status"] == "counted"
    cached = page.evaluate(CACHED_PATHS)
    assert sorted(cached) == sorted(offline_shell.SHELL)  # never /r itself, never an API answer
    assert errors == []
    context.close()


def test_a_new_deployment_replaces_the_cached_shell(
    site: Site, browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    sign_in_by_qr(site, page)
    controlled(page)
    first = page.evaluate(CACHE_NAMES)
    assert first == [f"sanmin-shell-{offline_shell.shell_version(offline_shell.STATIC)}"]

    deployed = tmp_path / "static"
    shutil.copytree(offline_shell.STATIC, deployed)
    shell = deployed / "offline.html"
    shell.write_text(shell.read_text(encoding="utf-8").replace("网络未连接：", "网络未连接（新版）："))
    monkeypatch.setattr(offline_shell, "STATIC", deployed)
    second = [f"sanmin-shell-{offline_shell.shell_version(deployed)}"]
    assert second != first

    page.reload()  # the browser checks /sw.js on navigating, finds it changed, installs the new shell
    assert until(page, CACHE_NAMES, second) == second  # the old cache is gone
    context.set_offline(True)
    page.reload()
    assert "网络未连接（新版）" in page.locator("#offline-note").inner_text()
    context.close()
