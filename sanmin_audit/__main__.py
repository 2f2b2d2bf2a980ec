"""python -m sanmin_audit BUNDLE.zip [--public-key KEY] [--history EVENTS.jsonl [--checkpoints FILE]]"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile

from sanmin_audit import bundle, history


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sanmin_audit", description="三民评议公开审计包的独立核验"
    )
    parser.add_argument("bundle", nargs="?", help="审计包（/results/<活动>/audit.zip）")
    parser.add_argument("--public-key", help="要求签名用此公钥（平台公布的结果签名公钥）")
    parser.add_argument(
        "--history", metavar="EVENTS.jsonl", help="完整事件历史（sanmin history-export 导出）"
    )
    parser.add_argument(
        "--checkpoints", metavar="FILE", help="签名检查点列表（默认：审计包中的 checkpoints.json）"
    )
    args = parser.parse_args(argv)
    if args.bundle is None and args.history is None:
        parser.error("请给出审计包，或 --history")
    ok = True
    if args.bundle is not None:
        ok = bundle.check(args.bundle, args.public_key)
    if args.history is not None:
        try:
            if args.checkpoints:
                with open(args.checkpoints, encoding="utf-8") as file:
                    checkpoints = json.load(file)
            elif args.bundle:
                with zipfile.ZipFile(args.bundle) as opened:
                    checkpoints = json.loads(opened.read("checkpoints.json"))
            else:
                parser.error("--history 需要 --checkpoints 或审计包")
            checkpoints = checkpoints if isinstance(checkpoints, list) else [checkpoints]
            with open(args.history, encoding="utf-8") as events:
                ok = history.check(history.rows_of(events), checkpoints, args.public_key) and ok
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
            print(f"无法读取事件历史或检查点：{error}")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
