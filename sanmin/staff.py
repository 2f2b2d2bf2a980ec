"""工作人员账号的命令 — ``sanmin staff add --name NAME --role ROLE [--unit U] [--round KEY] [--venue KEY]
[--department KEY]`` creates a personal account and prints its code once; ``sanmin staff list`` lists every
account (never a code: only keyed hashes are stored)."""

from __future__ import annotations

import argparse

from evaluation.errors import EvaluationError
from evaluation.keys import format_code
from evaluation.staff import ROLE_NAMES
from storage.bootstrap import build_app
from storage.settings import Settings

OPERATOR = "operator:sanmin"


def staff_add(args: argparse.Namespace) -> int:
    app = build_app(Settings.from_environment())
    try:
        account, code = app.add_staff(
            args.name,
            args.role,
            OPERATOR,
            unit=args.unit or "",
            round_key=args.round or "",
            venue=args.venue or "",
            department=args.department or "",
        )
    except EvaluationError as refusal:
        print(f"未新建：{refusal.message}")
        return 1
    finally:
        app.close()
    print(f"已新建{ROLE_NAMES[args.role]}「{args.name}」的账号 {account}")
    print(f"  个人登录码 {format_code(code)}（只显示这一次）")
    return 0


def staff_list(args: argparse.Namespace) -> int:
    app = build_app(Settings.from_environment())
    try:
        accounts = app.staff_accounts()
    finally:
        app.close()
    for a in accounts:
        scope = " ".join(x for x in (a.round_key, a.venue, a.department) if x)
        state = "已停用" if a.disabled else "有效"
        print(
            f"{a.id}  {a.name}  {a.unit or '-'}  {ROLE_NAMES[a.role]}  {scope or '-'}  第{a.serial}个登录码  {state}"
        )
    if not accounts:
        print("尚无工作人员账号")
    return 0
