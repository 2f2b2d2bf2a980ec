"""首次启动 — ``sanmin run`` on an empty database starts without any demo and prints, once, the platform
administrator's code; ``sanmin admin code`` issues a new one that voids it; every code printed signs in."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import EvaluationError
from evaluation.keys import normalise_code
from sanmin import serving
from sanmin.cli import main as sanmin
from storage.settings import Settings
from tests.conftest import SmallRound, sanmin_environment

CODE = re.compile(r"登录码 ([A-Z2-9]{5}-[A-Z2-9]{5})")


@pytest.fixture
def environment(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sanmin_environment(monkeypatch, settings, tmp_path)
    import uvicorn

    # The web server itself is not what is tested here: everything ``sanmin run`` does before serving is.
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)


def test_the_first_start_prints_the_administrator_s_code_once_and_loads_no_demo(
    app: EvaluationApp, environment: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sanmin(["run", "--port", "8123"]) == 0
    first = capsys.readouterr().out
    codes = CODE.findall(first)
    assert len(codes) == 1 and "平台管理员" in first and "只显示这一次" in first
    assert "组织方控制台" not in first and "sanmin round import" in first
    assert app.administrator_sign_in(normalise_code(codes[0])) == 1
    recorded = app.recorder.select_notifications(start=1, limit=100)
    assert [n.topic for n in recorded] == [
        "evaluation.administration:Administrator.Created",
        "evaluation.administration:Administrator.CodeIssued",
    ]  # and nothing else: no demo

    assert sanmin(["run", "--port", "8123"]) == 0
    assert CODE.findall(capsys.readouterr().out) == []  # the second start prints no code


def test_sanmin_admin_code_issues_a_new_code_and_the_old_one_stops_working(
    app: EvaluationApp, environment: None, capsys: pytest.CaptureFixture[str]
) -> None:
    first = app.first_administrator_code(by="test")
    assert first is not None
    assert sanmin(["admin", "code"]) == 0
    (new,) = CODE.findall(capsys.readouterr().out)
    assert app.administrator_sign_in(first) is None
    assert app.administrator_sign_in(normalise_code(new)) == 2


def test_every_code_printed_for_a_round_signs_in(
    app: EvaluationApp, small_round: SmallRound, capsys: pytest.CaptureFixture[str]
) -> None:
    args = argparse.Namespace(host="127.0.0.1", port=8000)
    serving._print_where_to_go(app, args, small_round.key, None)
    printed = capsys.readouterr().out
    codes = [normalise_code(c) for c in CODE.findall(printed)]
    assert len(codes) == 5  # the organiser's, three representatives', a department's
    assert codes[0] == app.keys.organiser_code(small_round.key)
    assert [app.authenticate(code).kind for code in codes[1:]] == ["representative"] * 3 + ["department"]
    serving._print_where_to_go(app, args, small_round.key, None)
    again = [normalise_code(c) for c in CODE.findall(capsys.readouterr().out)]
    assert [app.authenticate(code).kind for code in again[1:]] == ["representative"] * 3 + ["department"]
    with pytest.raises(EvaluationError):  # codes are random: printing again issued new cards, the old void
        app.authenticate(codes[-1])


def test_no_shared_department_code_is_printed_once_the_department_has_a_personal_account(
    app: EvaluationApp, small_round: SmallRound, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its shared code is retired (and no longer issued): the start prints the others and goes on."""
    app.add_staff("李明", "department", "operator:test", round_key=small_round.key, department="fgw")
    serving._print_where_to_go(app, argparse.Namespace(host="127.0.0.1", port=8000), small_round.key, None)
    codes = [normalise_code(c) for c in CODE.findall(capsys.readouterr().out)]
    assert [app.authenticate(code).kind for code in codes[1:]] == ["representative"] * 3


def test_no_shared_organiser_code_is_printed_once_the_round_has_a_personal_organiser_account(
    app: EvaluationApp, small_round: SmallRound, capsys: pytest.CaptureFixture[str]
) -> None:
    """The organiser typed the code printed beside 组织方控制台 and got 共用登录码已停用: the round has a 会务组
    account, so its shared code is retired. The start now says to sign in with one's own code instead."""
    app.add_staff("王会务", "organiser", "operator:test", round_key=small_round.key)
    serving._print_where_to_go(app, argparse.Namespace(host="127.0.0.1", port=8000), small_round.key, None)
    printed = capsys.readouterr().out
    assert (
        "组织方控制台  http://127.0.0.1:8000/organiser   请用会务组个人登录码登录（共用登录码已停用）"
        in printed
    )
    codes = [normalise_code(c) for c in CODE.findall(printed)]
    assert [app.authenticate(code).kind for code in codes] == ["representative"] * 3 + ["department"]
