"""``sanmin online invite KEY --count N --out FILE.csv``: links (one citizen each) in a CSV for a bulk-SMS tool."""

from __future__ import annotations

import csv
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from evaluation.application import EvaluationApp
from sanmin.cli import main as sanmin
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound, sanmin_environment

DURING = datetime(2026, 12, 10, tzinfo=UTC)


@pytest.fixture
def online(app: EvaluationApp, small_round: SmallRound) -> str:
    app.set_online_period(
        small_round.key,
        datetime(2026, 12, 1, tzinfo=UTC),
        datetime(2026, 12, 24, tzinfo=UTC),
        None,
        ORGANISER,
        "",
    )
    return small_round.key


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_invite_writes_n_links_whose_codes_sign_in_once(
    app: EvaluationApp,
    online: str,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sanmin_environment(monkeypatch, settings, tmp_path)
    out = tmp_path / "invitations.csv"
    args = [
        "online",
        "invite",
        online,
        "--count",
        "3",
        "--out",
        str(out),
        "--base-url",
        "https://pj.example.cn",
    ]
    assert sanmin(args) == 0
    rows = read(out)
    assert len(rows) == 3 and {r["手机号码"] for r in rows} == {""}
    assert all(r["邀请链接"].startswith("https://pj.example.cn/online/r2026#code=") for r in rows)
    assert all(r["邀请链接"] in r["短信内容"] for r in rows)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    code = rows[0]["邀请链接"].split("#code=")[1]
    identity = app.redeem_invitation(online, code, DURING)
    assert identity.startswith("inv:") and app.redeem_invitation(online, code, DURING) == identity
    assert "已生成 3 个邀请链接" in capsys.readouterr().out


def test_invite_fills_the_phone_column_from_a_list_and_refuses_a_mismatch(
    online: str, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sanmin_environment(monkeypatch, settings, tmp_path)
    phones = tmp_path / "phones.txt"
    phones.write_text("13900000011\n+86 139 0000 0012\n", encoding="utf-8")
    out = tmp_path / "invitations.csv"
    assert (
        sanmin(["online", "invite", online, "--count", "2", "--out", str(out), "--phones", str(phones)]) == 0
    )
    assert [r["手机号码"] for r in read(out)] == ["13900000011", "13900000012"]
    assert (
        sanmin(
            [
                "online",
                "invite",
                online,
                "--count",
                "3",
                "--out",
                str(tmp_path / "x.csv"),
                "--phones",
                str(phones),
            ]
        )
        == 1
    )
    assert not (tmp_path / "x.csv").exists()


def test_invite_is_refused_for_a_round_without_an_online_period(
    small_round: SmallRound, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sanmin_environment(monkeypatch, settings, tmp_path)
    assert (
        sanmin(["online", "invite", small_round.key, "--count", "2", "--out", str(tmp_path / "x.csv")]) == 1
    )
