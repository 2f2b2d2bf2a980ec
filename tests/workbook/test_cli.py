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
from tests.conftest import SECRET
from tests.workbook.books import cells, good_sheets, xlsx


def use_schema(monkeypatch: pytest.MonkeyPatch, settings: Settings, schema: str, data_dir: Path) -> None:
    for name, value in {
        "DATABASE_URL": settings.database_url,
        "SANMIN_SCHEMA": schema,
        "SANMIN_SECRET": SECRET.decode(),
        "SANMIN_DATA_DIR": str(data_dir),
    }.items():
        monkeypatch.setenv(name, value)


def test_export_then_import_into_an_empty_database_gives_the_same_workbook(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    original = tmp_path / "r2027.xlsx"
    original.write_bytes(xlsx(good_sheets()))
    use_schema(monkeypatch, settings, settings.schema, tmp_path)
    assert sanmin(["round", "import", str(original)]) == 0
    printed = capsys.readouterr().out
    assert "r2027" in printed
    assert sanmin(["round", "export", "r2027", str(tmp_path / "out.xlsx")]) == 0
    assert "r2027" in capsys.readouterr().out

    use_schema(monkeypatch, settings, f"t_{uuid4().hex[:12]}", tmp_path)
    assert sanmin(["round", "import", str(tmp_path / "out.xlsx")]) == 0
    again = capsys.readouterr().out
    assert sanmin(["round", "export", "r2027", str(tmp_path / "again.xlsx")]) == 0

    exported = cells((tmp_path / "out.xlsx").read_bytes())
    assert cells((tmp_path / "again.xlsx").read_bytes()) == exported
    assert exported["部门"][1][:2] == ("fgw", "市发展和改革委员会") and len(exported["代表"]) == 4
    assert again == printed  # the same key and the same organiser code, in both databases


def test_the_import_prints_the_organiser_code_as_sanmin_run_does(
    app: EvaluationApp,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "r2027.xlsx").write_bytes(xlsx(good_sheets()))
    use_schema(monkeypatch, settings, settings.schema, tmp_path)
    assert sanmin(["round", "import", str(tmp_path / "r2027.xlsx")]) == 0
    out = capsys.readouterr().out
    assert f"组织方登录码 {format_code(app.keys.organiser_code('r2027'))}" in out
    assert "已创建评议活动 r2027" in out
    assert sanmin(["round", "import", str(tmp_path / "r2027.xlsx")]) == 1
    assert "已存在" in capsys.readouterr().out


def test_a_refused_workbook_prints_every_problem_and_creates_nothing(
    app: EvaluationApp,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sheets = good_sheets()
    sheets["场次"][2][4] = "kjj、nowhere"
    sheets["代表类别"][1][2] = 0
    (tmp_path / "bad.xlsx").write_bytes(xlsx(sheets))
    use_schema(monkeypatch, settings, settings.schema, tmp_path)

    assert sanmin(["round", "import", str(tmp_path / "bad.xlsx")]) == 1
    out = capsys.readouterr().out
    assert "未导入：工作簿有 2 处错误，未创建任何内容" in out
    assert "工作表「代表类别」第 2 行「权重」列" in out
    assert "工作表「场次」第 3 行「议程」列" in out and "nowhere" in out
    assert app.find(Round, round_id("r2027")) is None


def test_a_missing_file_or_round_is_said_plainly(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_schema(monkeypatch, settings, settings.schema, tmp_path)
    assert sanmin(["round", "import", str(tmp_path / "none.xlsx")]) == 1
    assert "无法读取文件" in capsys.readouterr().out
    assert sanmin(["round", "export", "r1999", str(tmp_path / "out.xlsx")]) == 1
    assert "未导出：找不到评议活动「r1999」" in capsys.readouterr().out
    assert not (tmp_path / "out.xlsx").exists()
