"""活动工作簿和平台管理员的命令 — ``sanmin round import FILE.xlsx`` creates a round from its workbook, ``sanmin
round export KEY FILE.xlsx`` writes a round's workbook (both through the same functions as the upload and
download pages); ``sanmin admin code`` issues the platform administrator a new sign-in code."""

from __future__ import annotations

import argparse
from pathlib import Path

from evaluation.errors import EvaluationError
from evaluation.keys import format_code
from storage.bootstrap import build_app
from storage.settings import Settings

OPERATOR = "operator:sanmin"
"""How the history records a change made at the server's command line."""


def round_import(args: argparse.Namespace) -> int:
    """Prints the new round's key and its organiser's sign-in code; a refused workbook, every problem (exit 1).
    With ``--update``: what the workbook changes in its existing round, applied with ``--yes``."""
    from workbook import import_workbook

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        print(f"无法读取文件 {path}：{error.strerror or error}")
        return 1
    if getattr(args, "update", False):
        return _round_update(data, path.name, bool(args.yes))
    app = build_app(Settings.from_environment())
    try:
        key, code = import_workbook(app, data, path.name, by=OPERATOR)
    except EvaluationError as refusal:
        return _refused("未导入", refusal)
    finally:
        app.close()
    print(f"已创建评议活动 {key}")
    print(f"  组织方登录码 {format_code(code)}（共用；为该活动新建第一个会务组账号后失效：sanmin staff add）")
    return 0


def _refused(outcome: str, refusal: EvaluationError) -> int:
    """Prints why the workbook was refused, each of its problems on a line of its own; the exit status 1."""
    from workbook import WorkbookRejected

    print(f"{outcome}：{refusal.message}")
    for problem in refusal.problems if isinstance(refusal, WorkbookRejected) else []:
        print(f"  {problem}")
    return 1


def _round_update(data: bytes, filename: str, confirmed: bool) -> int:
    """Lists the changes (sheet, kind, key: before → after); with ``confirmed``, applies them all or none."""
    from workbook import plan_for_update, update_from_workbook, workbook_changes

    app = build_app(Settings.from_environment())
    try:
        key = plan_for_update(app, data, filename).key
        changes = workbook_changes(app, key, data, filename)
        for c in changes:
            print(f"  {c.sheet} {c.kind} {c.key}：{c.before or '—'} → {c.after or '—'}")
        if not changes:
            print(f"工作簿与评议活动 {key} 的设置相同，没有需要更新的内容")
            return 0
        if not confirmed:
            print(f"以上是评议活动 {key} 将有的 {len(changes)} 处变动；加 --yes 确认更新")
            return 0
        applied = update_from_workbook(app, key, data, filename, by=OPERATOR)
    except EvaluationError as refusal:
        return _refused("未更新", refusal)
    finally:
        app.close()
    print(f"已按工作簿更新评议活动 {key}（{applied} 项）")
    return 0


def round_export(args: argparse.Namespace) -> int:
    from workbook import export_workbook

    app = build_app(Settings.from_environment())
    try:
        data = export_workbook(app, args.key)
    except EvaluationError as refusal:
        print(f"未导出：{refusal.message}")
        return 1
    finally:
        app.close()
    try:
        Path(args.file).write_bytes(data)
    except OSError as error:
        print(f"无法写入文件 {args.file}：{error.strerror or error}")
        return 1
    print(f"已将评议活动 {args.key} 导出到 {args.file}")
    return 0


def admin_code(args: argparse.Namespace) -> int:
    """A new code for the platform's administrator, printed once; the old code and its sessions stop working."""
    app = build_app(Settings.from_environment())
    try:
        code = app.issue_administrator_code(by=OPERATOR)
    finally:
        app.close()
    print(f"平台管理员的新登录码 {format_code(code)}（只显示这一次；原登录码已失效）")
    return 0
