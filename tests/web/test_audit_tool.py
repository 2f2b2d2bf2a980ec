"""核验程序下载 — GET /audit/sanmin_audit.zip: an outsider gets the verifier the notice tells them to run.

The zip holds the installed ``sanmin_audit`` package's source files and a 使用说明.txt, the same bytes at
every download. Unzipped into an empty folder and run there by a Python that holds only ``cryptography``
(nothing of this repository on its path), it verifies a real round's bundle with the platform's key, and
refuses to call it passed without one. The bundle's README.txt names the tool and the whole command with
the platform's key.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

from projections.audit_readme import TOOL_PATH
from storage.signing import public_key_text
from tests.conftest import SECRET
from tests.web.conftest import Web
from tests.web.test_audit_bundle import bare_python, download, files_of, score_lock_and_publish

__all__ = ["bare_python"]  # the fixture, used here by name

PACKAGE = Path(__file__).resolve().parents[2] / "sanmin_audit"


def test_the_verifier_downloads_as_a_zip_of_the_package_s_source_the_same_bytes_each_time(web: Web) -> None:
    web.client.cookies.clear()
    answer = web.get(TOOL_PATH)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    assert "sanmin_audit.zip" in answer.headers["content-disposition"]
    assert web.get(TOOL_PATH).content == answer.content
    with zipfile.ZipFile(io.BytesIO(answer.content)) as opened:
        names = opened.namelist()
        assert names == sorted(names)
        assert {i.date_time for i in opened.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        sources = {n.removeprefix("sanmin_audit/"): opened.read(n) for n in names if n.endswith(".py")}
        how = opened.read("使用说明.txt").decode()
    assert sources == {p.name: p.read_bytes() for p in PACKAGE.glob("*.py")}
    assert "__main__.py" in sources and "pip install cryptography" in how
    assert "python -m sanmin_audit 审计包.zip --public-key" in how


def test_the_downloaded_verifier_run_in_an_empty_folder_checks_a_real_bundle(
    web: Web, tmp_path: Path, bare_python: tuple[Path, Path]
) -> None:
    score_lock_and_publish(web)
    bundle = download(web)
    folder = tmp_path / "outsider"
    folder.mkdir()
    with zipfile.ZipFile(io.BytesIO(web.get(TOOL_PATH).content)) as opened:
        opened.extractall(folder)
    (folder / "audit-r2026.zip").write_bytes(bundle)
    python, _ = bare_python

    def run(*extra: str) -> tuple[int, str]:
        done = subprocess.run(
            [str(python), "-m", "sanmin_audit", "audit-r2026.zip", *extra],
            cwd=folder,
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1"},
            timeout=120,
        )
        return done.returncode, done.stdout + done.stderr

    status, said = run("--public-key", public_key_text(SECRET))
    assert status == 0, said
    assert "3 个部门的每个数字都与结果文件一致" in said and "结论：通过" in said
    status, said = run()
    assert status == 3 and "结论：通过" not in said and "签名人未核对" in said


def test_the_bundle_s_readme_names_the_verifier_and_the_whole_command_with_the_key(web: Web) -> None:
    score_lock_and_publish(web)
    readme = files_of(download(web))["README.txt"].decode()
    assert TOOL_PATH in readme
    assert f"python -m sanmin_audit 审计包.zip --public-key {public_key_text(SECRET)}" in readme
    assert "可加" not in readme and "不认定通过" in readme
