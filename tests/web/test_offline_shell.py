"""离线外壳的服务端：服务工作线程的版本随静态文件的内容而变；外壳页面对谁都一样，不含个人数据。"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from web.app import static_mount
from web.tablet import offline_shell


@pytest.fixture
def client() -> TestClient:
    return TestClient(Starlette(routes=[*offline_shell.routes, static_mount()]))


def test_the_worker_names_its_cache_after_the_static_files_and_lists_the_shell(client: TestClient) -> None:
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["cache-control"] == "no-cache"
    assert f'var VERSION = "{offline_shell.shell_version(offline_shell.STATIC)}";' in answer.text
    assert f"var SHELL = {json.dumps(list(offline_shell.SHELL))};" in answer.text
    assert "__VERSION__" not in answer.text and "__SHELL__" not in answer.text


def test_any_changed_static_file_changes_the_version(tmp_path: Path) -> None:
    deployed = tmp_path / "static"
    shutil.copytree(offline_shell.STATIC, deployed)
    assert offline_shell.shell_version(deployed) == offline_shell.shell_version(offline_shell.STATIC)
    changed = tmp_path / "changed"
    shutil.copytree(offline_shell.STATIC, changed)
    (changed / "tablet.css").write_text((changed / "tablet.css").read_text() + "\n/* 新版 */\n")
    assert offline_shell.shell_version(changed) != offline_shell.shell_version(offline_shell.STATIC)


def test_every_file_of_the_shell_is_served(client: TestClient) -> None:
    for path in offline_shell.SHELL:
        assert client.get(path).status_code == 200, path
    assert client.get("/favicon.ico").headers["content-type"] == "image/vnd.microsoft.icon"
    manifest = client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"] == "application/manifest+json"
    icons = json.loads(manifest.text)["icons"]
    assert {icon["sizes"] for icon in icons} == {"192x192", "512x512"}
    for icon in icons:
        assert client.get(icon["src"]).status_code == 200, icon["src"]


def test_the_shell_page_is_generic_with_no_session_data(client: TestClient) -> None:
    page = client.get("/r/offline")
    assert page.status_code == 200
    assert '<meta name="csrf-token" content="">' in page.text
    assert "data-tag" not in page.text and "代表 ·" not in page.text
    for script in ("/static/offline.js", "/static/outbox.js", "/static/shell.js", "/static/tablet.js"):
        assert f'<script src="{script}" defer></script>' in page.text
