"""sanmin — the one command for everything an operator does.

sanmin run [--demo] [--simulate]   start the platform (embedded PostgreSQL unless DATABASE_URL is set)
sanmin demo [--simulate]           load the demo round into the store
sanmin rebuild                     drop every read model and rebuild it from the events
sanmin recount                     recount results straight from the events and compare
sanmin verify                      check the event history's hash chain
sanmin verify --results FILE       ... and a signed results file: its signature, and its numbers recounted
sanmin verify --checkpoint FILE    ... and a signed checkpoint kept elsewhere (the chain's head and length)
sanmin audit-bundle KEY FILE       write a published round's public audit bundle (as /results/KEY/audit.zip)
sanmin results KEY [--as-of TIME]  a round's results recounted from the events up to a time or event position
sanmin history-export FILE         every event row as JSON lines, for an auditor (python -m sanmin_audit --history)
sanmin opinion-digest KEY [--day DAY] [--outbox DIR]
                                   the organiser's daily digest of opinions overdue and due soon; --outbox also
                                   writes it to DIR (no mail is sent)
sanmin round import FILE.xlsx      create a round from its workbook; prints its key and organiser sign-in code
sanmin round import --update FILE.xlsx [--yes]
                                   list what the workbook changes in its (existing) round; --yes applies it
sanmin round export KEY FILE.xlsx  write a round's workbook
sanmin admin code                  a new sign-in code for the platform's administrator (the old one stops working)
sanmin staff add --name NAME --role ROLE [--unit U] [--round KEY] [--venue KEY] [--department KEY]
                                   a staff member's personal account; prints its sign-in code once
sanmin staff list                  every staff account, its role and scope (never a code)
sanmin online invite KEY --count N --out FILE.csv [--phones FILE] [--base-url URL]
                                   N invitation links (one citizen each) for the online evaluation, as a CSV for a
                                   carrier's bulk-SMS tool (phone column from --phones, else empty)
sanmin keys new-pseudonym          after keys/pseudonym.key was destroyed on purpose: a new one for later rounds
sanmin replica start [--dir D] [--port N]
                                   a local streaming hot standby of the embedded database (made on first
                                   start); writes the DATABASE_REPLICA_URL for the web processes to
                                   keys/replica.url (mode 0600) and prints it with the password masked
sanmin replica stop [--dir D]      stop it
"""

from __future__ import annotations

import argparse
import sys
import warnings

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sanmin", description="三民评议平台")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="启动平台")
    run.add_argument("--demo", action="store_true", help="若尚无演示活动则载入")
    run.add_argument("--simulate", action="store_true", help="演示活动载入后模拟全部评分")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--workers", type=int, default=1)
    demo = commands.add_parser("demo", help="载入演示活动")
    demo.add_argument("--simulate", action="store_true")
    demo.add_argument("--representatives", type=int, default=6000)
    demo.add_argument("--departments", type=int, default=36)
    commands.add_parser("rebuild", help="重建全部读模型")
    commands.add_parser("recount", help="从事件重新计票并比对")
    verify = commands.add_parser("verify", help="校验事件哈希链；--results 另核验签名结果文件")
    verify.add_argument("--results", metavar="FILE", help="签名结果文件（/results/<活动>/signed.json）")
    verify.add_argument("--public-key", help="要求文件用此公钥签名（默认：本服务器的结果签名公钥）")
    verify.add_argument(
        "--checkpoint", metavar="FILE", action="append", default=[], help="另行保存的签名检查点（可多次给出）"
    )
    bundle = commands.add_parser("audit-bundle", help="写出已公布活动的公开审计包")
    bundle.add_argument("key", metavar="KEY", help="活动代码")
    bundle.add_argument("file", metavar="FILE")
    results = commands.add_parser("results", help="从事件重新计票：截至某一时间或事件位置的结果")
    results.add_argument("key", metavar="KEY", help="活动代码")
    results.add_argument("--as-of", metavar="TIME", help="时间（如 2026-03-01 10:42，北京时间）或事件位置")
    history = commands.add_parser("history-export", help="导出完整事件历史（供审计方核对检查点）")
    history.add_argument("file", metavar="FILE")
    digest = commands.add_parser("opinion-digest", help="意见办理每日提醒：逾期、即将到期、待审核")
    digest.add_argument("key", metavar="KEY", help="活动代码")
    digest.add_argument("--day", metavar="DAY", help="日期（默认北京时间的今天），如 2026-12-07")
    digest.add_argument("--outbox", metavar="DIR", help="另写入此文件夹（供邮件程序发送）")
    round_ = commands.add_parser("round", help="活动工作簿：导入或导出一个评议活动").add_subparsers(
        dest="action", required=True
    )
    round_import = round_.add_parser("import", help="由工作簿创建评议活动，打印活动代码和组织方登录码")
    round_import.add_argument("file", metavar="FILE.xlsx")
    round_import.add_argument(
        "--update", action="store_true", help="更新已有的活动（首个评分窗口开启前）：列出变动"
    )
    round_import.add_argument("--yes", action="store_true", help="与 --update 一起：确认并应用变动")
    round_export = round_.add_parser("export", help="将评议活动导出为工作簿")
    round_export.add_argument("key", metavar="KEY", help="活动代码")
    round_export.add_argument("file", metavar="FILE.xlsx")
    admin = commands.add_parser("admin", help="平台管理员").add_subparsers(dest="action", required=True)
    admin.add_parser("code", help="生成新的平台管理员登录码（原登录码失效）")
    staff = commands.add_parser("staff", help="工作人员账号").add_subparsers(dest="action", required=True)
    staff_add = staff.add_parser("add", help="新建工作人员账号，打印其个人登录码（只显示一次）")
    staff_add.add_argument("--name", required=True)
    staff_add.add_argument(
        "--role",
        required=True,
        choices=["administrator", "organiser", "checkin", "results_officer", "auditor", "department"],
    )
    staff_add.add_argument("--unit", default="")
    staff_add.add_argument("--round", metavar="KEY")
    staff_add.add_argument("--venue", metavar="KEY", help="签到员的会场")
    staff_add.add_argument("--department", metavar="KEY", help="部门工作人员的部门")
    staff.add_parser("list", help="列出工作人员账号")
    online = commands.add_parser("online", help="网络评议").add_subparsers(dest="action", required=True)
    invite = online.add_parser("invite", help="生成一次性邀请链接，写成群发短信用的 CSV")
    invite.add_argument("key", metavar="KEY")
    invite.add_argument("--count", type=int, required=True)
    invite.add_argument("--out", required=True, metavar="FILE.csv")
    invite.add_argument("--phones", metavar="FILE", help="手机号码，每行一个（可选）")
    invite.add_argument("--base-url", metavar="URL", help="平台的公网地址（默认 SANMIN_PUBLIC_URL）")
    keys = commands.add_parser("keys", help="密钥").add_subparsers(dest="action", required=True)
    keys.add_parser("new-pseudonym", help="有意销毁化名密钥后：为以后的活动启用新的化名密钥")
    replica = commands.add_parser("replica", help="本机热备库").add_subparsers(dest="action", required=True)
    replica_start = replica.add_parser(
        "start", help="启动内置数据库的流复制热备库，打印 DATABASE_REPLICA_URL"
    )
    replica_start.add_argument("--dir", help="热备库数据目录（默认 $SANMIN_DATA_DIR/replica）")
    replica_start.add_argument("--port", type=int, default=0)
    replica.add_parser("stop", help="停止热备库").add_argument("--dir")
    args = parser.parse_args(argv)
    from sanmin import operations
    from storage.embedded import IN_USE, release_all
    from storage.refused import StartRefused

    name = f"{args.command}_{args.action}" if getattr(args, "action", None) else args.command
    name = name.replace("-", "_")
    handler = getattr(operations, name)
    already = list(IN_USE)
    try:
        result: int = handler(args)
    except StartRefused as refusal:
        print(refusal, file=sys.stderr)
        return 2
    finally:
        release_all(but=already)  # the embedded server this command used stops, unless another uses it
    return result


if __name__ == "__main__":
    sys.exit(main())
