"""网络评议的命令 — ``sanmin online invite KEY --count N --out FILE.csv [--phones FILE] [--base-url URL]``
creates N invitation links (one citizen's identity each) and writes them as a CSV for a carrier's bulk-SMS tool (群发短信):
one row per link, the phone column filled from ``--phones`` (one number a line) or left empty.

The codes exist only in that file (the platform keeps their keyed hashes): hand it to the SMS carrier and
delete it after sending.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from evaluation.application import EvaluationApp
from evaluation.errors import EvaluationError
from evaluation.online_voters import normalise_phone
from storage.bootstrap import build_app
from storage.settings import Settings
from web.platform.online_invitations import invitation_rows, invitations_csv

OPERATOR = "operator:sanmin"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def invitations(
    app: EvaluationApp, round_key: str, count: int, phones: list[str], base_url: str, by: str
) -> list[list[str]]:
    """Issues ``count`` invitations and returns the CSV's rows (phones, when given, one per invitation)."""
    if phones and len(phones) != count:
        raise ValueError(f"手机号码有 {len(phones)} 个，与邀请数量 {count} 不符")
    numbers = [normalise_phone(p) for p in phones]
    title = app.round(round_key).title
    return invitation_rows(title, round_key, app.invite_online(round_key, count, by=by), numbers, base_url)


def write_invitations(path: Path, rows: list[list[str]]) -> None:
    """UTF-8 with a byte-order mark, created 0600 (the codes are in it)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "w", encoding="utf-8-sig", newline="") as out:
        out.write(invitations_csv(rows))


def online_invite(args: argparse.Namespace) -> int:
    phones = []
    if args.phones:
        phones = [
            line.strip()
            for line in Path(args.phones).read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    base_url = args.base_url or os.environ.get("SANMIN_PUBLIC_URL") or DEFAULT_BASE_URL
    app = build_app(Settings.from_environment())
    try:
        rows = invitations(app, args.key, args.count, phones, base_url, OPERATOR)
    except (EvaluationError, ValueError) as refusal:
        print(f"未生成：{getattr(refusal, 'message', refusal)}")
        return 1
    finally:
        app.close()
    write_invitations(Path(args.out), rows)
    print(f"已生成 {len(rows)} 个邀请链接，写入 {args.out}（发送后请删除此文件）")
    return 0
