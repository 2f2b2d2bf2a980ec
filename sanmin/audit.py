"""审计命令 — ``sanmin audit-bundle``, ``sanmin results --as-of``, ``sanmin history-export``."""

from __future__ import annotations

import argparse
import base64
import json
from pathlib import Path

from storage.bootstrap import build_app
from storage.settings import Settings


def audit_bundle(args: argparse.Namespace) -> int:
    """The round's public audit bundle, the same bytes as ``/results/{round}/audit.zip``."""
    from projections.audit_bundle import bundle_for

    settings = Settings.from_environment()
    app = build_app(settings)
    try:
        body = bundle_for(app, settings, args.key)
    finally:
        app.close()
    if body is None:
        print(f"评议活动「{args.key}」不存在或结果尚未公布：公布后才有审计包")
        return 1
    Path(args.file).write_bytes(body)
    print(f"已写出审计包 {args.file}（{len(body)} 字节）；核验：python -m sanmin_audit {args.file}")
    return 0


def results(args: argparse.Namespace) -> int:
    """A round's results recounted from the events up to a moment or event position (now by default)."""
    from projections.as_of import BadMoment, in_groups, moment_or_position, resolve, sealed_results_as_of
    from projections.event_log import last_position

    settings = Settings.from_environment()
    app = build_app(settings)
    try:
        try:
            position = resolve(app, moment_or_position(args.as_of)) if args.as_of else last_position(app)
        except BadMoment as bad:
            print(f"--as-of 不对：{bad}")
            return 2
        found = sealed_results_as_of(app, args.key, position)
    finally:
        app.close()
    if not found:
        print(f"到事件位置 {position} 为止，没有评议活动「{args.key}」")
        return 1
    print(f"评议活动 {args.key}，截至事件位置 {position} 的结果（从事件重新计票）")
    for group, lines in in_groups(found).items():
        print(f"\n[{group}]")
        print("名次  部门        实评  有效票  得分      满意率   综合得分  状态")
        for department, n in lines:
            if n["sealed"]:
                print(f"{'—':<5} {department:<11} （{n['sealed']}，不显示）")
                continue
            rank = "" if n["rank"] is None else str(n["rank"])
            print(
                f"{rank:<5} {department:<11} {n['returned']:<5} {n['valid_votes']:<7} {n['score'] or '—':<9} "
                f"{n['satisfaction_rate'] or '—':<8} {n['final'] or '—':<9} {n['status']}"
            )
    return 0


def history_export(args: argparse.Namespace) -> int:
    """Every stored event row as one JSON line (position, originator, version, topic, stored bytes in
    base64): the full history an auditor checks with ``python -m sanmin_audit --history``. It holds
    everything the events hold (names of representatives among them): give it only to whom may see it."""
    settings = Settings.from_environment()
    app = build_app(settings)
    count = 0
    try:
        with open(args.file, "w", encoding="utf-8") as out:
            start = 1
            while True:
                page = app.recorder.select_notifications(start=start, limit=5_000)
                for n in page:
                    row = {
                        "position": n.id,
                        "originator_id": str(n.originator_id),
                        "version": n.originator_version,
                        "topic": n.topic,
                        "state": base64.b64encode(n.state).decode(),
                    }
                    out.write(json.dumps(row) + "\n")
                    count += 1
                if len(page) < 5_000:
                    break
                start = page[-1].id + 1
    finally:
        app.close()
    print(
        f"已导出 {count} 条事件到 {args.file}；核验：python -m sanmin_audit --history {args.file} --checkpoints 检查点"
    )
    return 0
