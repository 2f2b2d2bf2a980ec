"""What each ``sanmin`` sub-command does; every one starts from the settings in the environment."""

from __future__ import annotations

import argparse
import time
from typing import Any

from evaluation.application import EvaluationApp
from intake.fast_app import IntakeApp
from sanmin.audit import audit_bundle, history_export, results
from sanmin.digest import opinion_digest
from sanmin.keys import keys_new_pseudonym
from sanmin.online import online_invite
from sanmin.replica import replica_start, replica_stop
from sanmin.rounds import admin_code, round_export, round_import
from sanmin.serving import run
from sanmin.staff import staff_add, staff_list
from storage.bootstrap import build_app
from storage.settings import Settings

__all__ = [
    "admin_code",
    "audit_bundle",
    "demo",
    "history_export",
    "keys_new_pseudonym",
    "online_invite",
    "opinion_digest",
    "results",
    "rebuild",
    "recount",
    "replica_start",
    "replica_stop",
    "round_export",
    "round_import",
    "run",
    "staff_add",
    "staff_list",
    "verify",
]


def demo(args: argparse.Namespace) -> int:
    from demo.loader import DEMO_KEY, load_demo, simulate_scoring

    settings = Settings.from_environment()
    app = build_app(settings, application=IntakeApp)
    try:
        started = time.perf_counter()
        loaded = load_demo(app, DEMO_KEY, representatives=args.representatives, departments=args.departments)
        print(f"载入用时 {time.perf_counter() - started:.1f} 秒")
        if args.simulate:
            simulate_scoring(app, loaded)
    finally:
        app.close()
    return 0


def rebuild(args: argparse.Namespace) -> int:
    """Drop every read model and the projection's tracking row; project every event again."""
    from projections.maintenance import rebuild_views
    from projections.runner import ProjectionBusy

    settings = Settings.from_environment()
    build_app(settings).close()
    try:
        rebuild_views(settings)
    except ProjectionBusy as busy:
        print(f"{busy}：请先停止投影进程（sanmin run）再重建")
        return 1
    return 0


def recount(args: argparse.Namespace) -> int:
    """Recount straight from the events (recount_rule) and compare with the published views."""
    from projections.maintenance import recount_views

    return recount_views(Settings.from_environment())


def verify(args: argparse.Namespace) -> int:
    """Checks the event history against its hash chain; with ``--results FILE`` also the signed results
    file (signature, key, chain value, numbers recounted from the events). Exit 1 if anything is wrong."""
    from storage.signing import public_key_text
    from storage.verify import verify_events

    settings = Settings.from_environment()
    app = build_app(settings)
    try:
        paths = getattr(args, "checkpoint", None) or []
        kept = [_json_file(path) for path in paths]
        said: list[str] = []

        def each_kept(document: dict[str, Any], found: list[Any]) -> None:
            path, payload = paths[len(said)], document.get("payload") or {}
            said.append(
                f"另行保存的检查点 {path}：与事件记录不符（见上）"
                if found
                else f"另行保存的检查点 {path}：签名有效，与事件记录一致（至第 {payload.get('position')} 条事件，"
                f"共 {payload.get('count')} 条；此前的记录未被删改，其后也没有被截掉）"
            )

        checked, findings = verify_events(app, settings, kept=kept, each_kept=each_kept)
        for finding in findings:
            print(f"事件 #{finding.position}: {finding.problem}")
        print(
            f"已核验 {checked} 条事件："
            + ("完好，未发现篡改" if not findings else f"发现 {len(findings)} 处问题")
        )
        for line in said:
            print(line)
        print(f"本服务器的结果签名公钥：{public_key_text(settings.secret)}")
        ok = not findings
        if getattr(args, "results", None):
            ok = verify_results_file(app, settings, args.results, getattr(args, "public_key", None)) and ok
            print("结论：" + ("通过" if ok else "未通过"))
    finally:
        app.close()
    return 0 if ok else 1


def _json_file(path: str) -> dict[str, Any]:
    import json
    from pathlib import Path

    found: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return found


def verify_results_file(app: EvaluationApp, settings: Settings, path: str, public_key: str | None) -> bool:
    """The signed results file at ``path``, checked by projections.signed_results_check.check_document."""
    import json
    from pathlib import Path

    from projections.signed_results_check import check_document

    print(f"核验签名结果文件 {path}")
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        print(f"无法读取文件：{error}")
        return False
    return check_document(app, settings, document, public_key)
