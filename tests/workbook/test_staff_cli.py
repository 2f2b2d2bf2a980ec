"""``sanmin staff add`` prints a new account's code once; ``sanmin staff list`` lists accounts, never codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evaluation.application import EvaluationApp
from sanmin.cli import main as sanmin
from storage.settings import Settings
from tests.conftest import SmallRound, sanmin_environment


@pytest.fixture
def cli_on_small_round(
    small_round: SmallRound, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The small round stored, and ``sanmin`` run here reaching its database."""
    sanmin_environment(monkeypatch, settings, tmp_path)


def test_staff_add_prints_the_code_and_list_shows_the_account_without_it(
    app: EvaluationApp, cli_on_small_round: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        sanmin(["staff", "add", "--name", "刘洋", "--role", "checkin", "--round", "r2026", "--venue", "kdl"])
        == 0
    )
    printed = capsys.readouterr().out
    code = re.search(r"个人登录码 ([A-Z0-9]{5}-[A-Z0-9]{5})", printed)
    assert code is not None and "签到员「刘洋」" in printed
    account = app.staff_sign_in(code.group(1))
    assert account is not None and (account.name, account.venue) == ("刘洋", "kdl")
    assert sanmin(["staff", "list"]) == 0
    listed = capsys.readouterr().out
    assert "刘洋" in listed and "签到员" in listed and "r2026 kdl" in listed and code.group(1) not in listed


def test_staff_add_refuses_a_check_in_account_without_a_venue(
    app: EvaluationApp, cli_on_small_round: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sanmin(["staff", "add", "--name", "刘洋", "--role", "checkin", "--round", "r2026"]) == 1
    assert "签到员须指定本活动的一个会场" in capsys.readouterr().out
    assert app.staff_accounts() == []
