"""``sanmin round import`` / ``sanmin round export``: a round goes out as a workbook and comes back the same,
through the command's own main(); a refused workbook prints every problem and creates nothing."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest

from evaluation.application import EvaluationApp
from evaluation.keys import format_code
from evaluation.round import Round, round_id
from sanmin.cli import main as sanmin
from storage.settings import Settings
from tests.conftest import sanmin_environment
from tests.workbook.books import cells, good_sheets, xlsx


@pytest.fixture
def folder(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the workbooks are; the command uses the test's database and schema."""
    sanmin_environment(monkeypatch, settings, tmp_path)
    (tmp_path / "r2027.xlsx").write_bytes(xlsx(good_sheets()))
    return tmp_path


def test_export_then_import_into_an_empty_database_gives_the_same_workbook(
    folder: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sanmin(["round", "import", str(folder / "r2027.xlsx")]) == 0
    printed = capsys.readouterr().out
    assert "r2027" in printed
    assert sanmin(["round", "export", "r2027", str(folder / "out.xlsx")]) == 0
    assert "r2027" in capsys.readouterr().out

    sanmin_environment(monkeypatch, settings, folder, schema=f"t_{uuid4().hex[:12]}")
    assert sanmin(["round", "import", str(folder / "out.xlsx")]) == 0
    again = capsys.readouterr().out
    assert sanmin(["round", "export", "r2027", str(folder / "again.xlsx")]) == 0

    exported = cells((folder / "out.xlsx").read_bytes())
    assert cells((folder / "again.xlsx").read_bytes()) == exported
    assert exported["部门"][1][:2] == ("fgw", "市发展和改革委员会") and len(exported["代表"]) == 4
    assert again == printed  # the same key and the same organiser code, in both databases


def test_the_import_prints_the_organiser_code_as_sanmin_run_does(
    app: EvaluationApp, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sanmin(["round", "import", str(folder / "r2027.xlsx")]) == 0
    out = capsys.readouterr().out
    assert f"组织方登录码 {format_code(app.keys.organiser_code('r2027'))}" in out
    assert "已创建评议活动 r2027" in out
    assert sanmin(["round", "import", str(folder / "r2027.xlsx")]) == 1
    assert "评议活动「r2027」已存在" in capsys.readouterr().out


def test_a_refused_workbook_prints_every_problem_and_creates_nothing(
    app: EvaluationApp, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheets = good_sheets()
    sheets["场次"][2][4] = "kjj、nowhere"
    sheets["代表类别"][1][2] = 0
    (folder / "bad.xlsx").write_bytes(xlsx(sheets))

    assert sanmin(["round", "import", str(folder / "bad.xlsx")]) == 1
    out = capsys.readouterr().out
    assert "未导入：工作簿有 2 处错误，未创建任何内容" in out
    assert "工作表「代表类别」第 2 行「权重」列" in out
    assert "工作表「场次」第 3 行「议程」列" in out and "nowhere" in out
    assert app.find(Round, round_id("r2027")) is None


def test_a_missing_file_or_round_is_said_plainly(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sanmin(["round", "import", str(folder / "none.xlsx")]) == 1
    assert "无法读取文件" in capsys.readouterr().out
    assert sanmin(["round", "export", "r1999", str(folder / "out.xlsx")]) == 1
    assert "未导出：找不到评议活动「r1999」" in capsys.readouterr().out
    assert not (folder / "out.xlsx").exists()


def test_round_import_update_lists_the_changes_and_applies_them_only_with_yes(
    folder: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sanmin(["round", "import", str(folder / "r2027.xlsx")]) == 0
    sheets = good_sheets()
    sheets["会场"][2] = ["kdl", "昆都仑区会场"]
    sheets["代表"][2] = ["王建国", "社区居民", "kdl", "第一场", ""]
    (folder / "edited.xlsx").write_bytes(xlsx(sheets))
    capsys.readouterr()
    assert sanmin(["round", "import", "--update", str(folder / "edited.xlsx")]) == 0
    listed = capsys.readouterr().out
    assert (
        "会场 修改 kdl：名称 昆都仑区分会场 → 名称 昆都仑区会场" in listed and "加 --yes 确认更新" in listed
    )
    assert sanmin(["round", "import", "--update", "--yes", str(folder / "edited.xlsx")]) == 0
    assert "已按工作簿更新评议活动 r2027（1 项）" in capsys.readouterr().out
    assert sanmin(["round", "import", "--update", str(folder / "edited.xlsx")]) == 0
    assert "没有需要更新的内容" in capsys.readouterr().out
    assert sanmin(["round", "import", str(folder / "edited.xlsx")]) == 1  # without --update: the key is taken


def test_a_refused_update_prints_every_problem_and_says_nothing_was_changed(
    app: EvaluationApp, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sanmin(["round", "import", str(folder / "r2027.xlsx")]) == 0
    sheets = good_sheets()
    sheets["场次"][2][4] = "kjj、nowhere"
    (folder / "bad.xlsx").write_bytes(xlsx(sheets))
    capsys.readouterr()
    assert sanmin(["round", "import", "--update", "--yes", str(folder / "bad.xlsx")]) == 1
    out = capsys.readouterr().out
    assert "未更新：工作簿有 1 处错误，未作任何修改" in out and "未创建任何内容" not in out
    assert "工作表「场次」第 3 行「议程」列" in out and "nowhere" in out
    assert app.round("r2027").sittings["s2"]["agenda"] == ["kjj", "zjj"]
