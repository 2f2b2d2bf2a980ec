"""python -m sanmin_audit BUNDLE.zip --public-key KEY [--history EVENTS.jsonl [--checkpoints FILE]]

Exit status: 0 everything agrees and every signature was made with ``--public-key``; 1 a difference, a bad
signature or a file that cannot be read; 2 the command line is wrong; 3 (``SIGNER_UNCHECKED``) everything
agrees with the key the files carry, but no ``--public-key`` was given, so nobody checked that the platform
signed them: anyone can change ballots, recount and sign again with a key of their own.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile

from sanmin_audit import bundle, history

AGREES, DIFFERS, SIGNER_UNCHECKED = 0, 1, 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sanmin_audit",
        description="三民评议公开审计包的独立核验",
        epilog="退出码：0 通过；1 不一致或无法读取；2 命令写错；3 未给 --public-key，签名人未核对，不能认定通过",
    )
    parser.add_argument("bundle", nargs="?", help="审计包（/results/<活动>/audit.zip）")
    parser.add_argument(
        "--public-key", help="平台公布的结果签名公钥（公示页面和公示文件上印有）；不给出则不能认定通过"
    )
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
    if not ok:
        return DIFFERS
    if args.public_key is None:
        unchecked()
        return SIGNER_UNCHECKED
    return AGREES


def unchecked() -> None:
    print("结论：不能认定通过 —— 签名人未核对。")
    print("  以上只说明文件与它自带的公钥一致；改了票、重新计算并用自己的密钥重新签名的文件也会这样。")
    print("  请从评议结果公示页面（或公示文件）复制平台的结果签名公钥，再运行：")
    print("    python -m sanmin_audit 审计包.zip --public-key 平台公布的公钥")
    print(f"  （退出码 {SIGNER_UNCHECKED}：签名人未核对）")


if __name__ == "__main__":
    sys.exit(main())
