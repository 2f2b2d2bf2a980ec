"""明链 — the plain SHA-256 chain each signed checkpoint commits to, checked without the server secret.

``sanmin history-export`` writes every event row; ``python -m sanmin_audit --history`` (the standalone
verifier, which knows no secret) holds it against the published checkpoints: the latest one, or the
audit bundle's. An altered row, a removed row or a removed tail is found.
"""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path

import pytest

from sanmin.cli import main as sanmin
from sanmin_audit.__main__ import main as sanmin_audit
from sanmin_audit.history import check, rows_of
from storage.settings import Settings
from storage.signing import public_key_text
from tests.conftest import SECRET, sanmin_environment
from tests.web.conftest import Web
from tests.web.test_audit_bundle import download, score_lock_and_publish


@pytest.fixture
def published(
    web: Web, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path, list[dict[str, object]]]:
    """The published round's bundle, its full history exported, and the history's rows."""
    score_lock_and_publish(web)
    bundle = tmp_path / "audit.zip"
    bundle.write_bytes(download(web))
    sanmin_environment(monkeypatch, settings, tmp_path)
    history = tmp_path / "events.jsonl"
    assert sanmin(["history-export", str(history)]) == 0
    return bundle, history, list(rows_of(history.read_text().splitlines()))


def checked(rows: list[dict[str, object]], checkpoints: list[object]) -> tuple[bool, str]:
    said: list[str] = []
    return check(rows, checkpoints, None, said.append), "\n".join(said)


def test_the_full_history_agrees_with_the_bundle_s_and_the_latest_checkpoint(
    web: Web, published: tuple[Path, Path, list[dict[str, object]]], capsys: pytest.CaptureFixture[str]
) -> None:
    bundle, history, rows = published
    key = public_key_text(SECRET)
    assert sanmin_audit([str(bundle), "--history", str(history), "--public-key", key]) == 0
    out = capsys.readouterr().out
    assert f"已核验 {len(rows)} 条事件：与签名检查点一致" in out and "结论：通过" in out
    latest = web.get("/checkpoints/latest.json").json()
    assert len(latest["payload"]["plain_head"]) == 64
    ok, said = checked(rows, [latest])
    assert ok, said


def test_an_altered_row_a_removed_row_and_a_removed_tail_are_found(
    published: tuple[Path, Path, list[dict[str, object]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle, _, rows = published
    with zipfile.ZipFile(bundle) as opened:
        checkpoints = json.loads(opened.read("checkpoints.json"))  # the bundle's own copy
    first = min(int(c["payload"]["position"]) for c in checkpoints)

    altered = [dict(row) for row in rows]
    state = base64.b64decode(str(altered[3]["state"])) + b" "
    altered[3]["state"] = base64.b64encode(state).decode()
    ok, said = checked(altered, checkpoints)
    assert not ok and f"事件位置 {first}：明链值与签名检查点不符" in said

    removed = rows[:5] + rows[6:]
    ok, said = checked(removed, checkpoints)
    assert not ok and "明链值与签名检查点不符" in said

    last = max(int(c["payload"]["position"]) for c in checkpoints)
    cut = [row for row in rows if int(str(row["position"])) < last]
    ok, said = checked(cut, checkpoints)
    assert not ok and f"事件位置 {last}：检查点所在的事件不在历史中（尾部被删除）" in said

    forged = json.loads(json.dumps(checkpoints))
    forged[0]["payload"]["plain_head"] = "00" * 32
    ok, said = checked(rows, forged)
    assert not ok and "签名无效" in said

    (tmp_path / "bad.jsonl").write_text("\n".join(json.dumps(row) for row in altered))
    assert sanmin_audit([str(bundle), "--history", str(tmp_path / "bad.jsonl")]) == 1
    assert "发现" in capsys.readouterr().out
    (tmp_path / "junk.jsonl").write_text("{not json")
    assert sanmin_audit([str(bundle), "--history", str(tmp_path / "junk.jsonl")]) == 1
    assert "无法读取事件历史" in capsys.readouterr().out


def test_sanmin_verify_says_whether_each_kept_checkpoint_matched(
    web: Web,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    score_lock_and_publish(web)
    latest = web.get("/checkpoints/latest.json").json()
    kept = tmp_path / "kept.json"
    kept.write_text(json.dumps(latest, ensure_ascii=False))
    sanmin_environment(monkeypatch, settings, tmp_path)
    capsys.readouterr()
    assert sanmin(["verify", "--checkpoint", str(kept)]) == 0
    out = capsys.readouterr().out
    position, count = latest["payload"]["position"], latest["payload"]["count"]
    assert f"另行保存的检查点 {kept}：签名有效，与事件记录一致（至第 {position} 条事件，共 {count} 条" in out
    latest["payload"]["count"] -= 1
    kept.write_text(json.dumps(latest, ensure_ascii=False))
    assert sanmin(["verify", "--checkpoint", str(kept)]) == 1
    out = capsys.readouterr().out
    assert f"另行保存的检查点 {kept}：与事件记录不符" in out and "签名有效，与事件记录一致" not in out
