"""What each ``sanmin`` sub-command does; every one starts from the settings in the environment."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from evaluation.application import EvaluationApp
from intake.fast_app import IntakeApp
from sanmin.audit import audit_bundle, history_export, results
from sanmin.digest import opinion_digest
from sanmin.keys import keys_new_pseudonym
from sanmin.online import online_invite
from sanmin.replica import replica_start, replica_stop
from sanmin.rounds import admin_code, round_export, round_import
from sanmin.staff import staff_add, staff_list
from storage.bootstrap import build_app
from storage.folder_locks import hold, let_go
from storage.settings import Settings

FIRST_START = "system:sanmin run"
"""How the history records what ``sanmin run`` does by itself (the first administrator code, the demo
department's first sign-in code)."""

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


def run(args: argparse.Namespace) -> int:
    """Starts the store (embedded unless DATABASE_URL), the projection process and the web server; stops
    them in the reverse order on Ctrl+C (SIGINT) or SIGTERM alike (``_stop_on_sigterm``)."""
    import os

    from demo.loader import DEMO_KEY, load_demo, simulate_scoring

    only = _only_run_of_its_folder()
    if only is None:
        return 1
    restore = _stop_on_sigterm()
    try:
        settings = Settings.from_environment()
    except BaseException:
        restore()
        let_go(only)
        raise
    try:
        os.environ["DATABASE_URL"] = settings.database_url
        os.environ["SANMIN_DATA_DIR"] = str(settings.data_dir)
        app = build_app(settings, application=IntakeApp)
        try:
            administrator_code = app.first_administrator_code(by=FIRST_START)
            if args.demo and not _round_exists(app, DEMO_KEY):
                loaded = load_demo(app, DEMO_KEY)
                if args.simulate:
                    simulate_scoring(app, loaded)
            _print_where_to_go(app, args, DEMO_KEY, administrator_code)
        finally:
            app.close()
        _serve_with_projection(args)
    except KeyboardInterrupt:
        print("已停止。")
    finally:
        settings.release()  # the embedded server stops, unless another command uses it just now
        restore()
        let_go(only)
    return 0


def _only_run_of_its_folder() -> int | None:
    """The data folder's ``run.lock`` (storage/folder_locks.py), held until ``run`` ends; None, said so,
    if another ``sanmin run`` holds it: a second one would serve beside the first, loop on its projection
    and, stopped, stop the embedded server under the first."""
    import os
    from pathlib import Path

    from storage.refused import StartRefused
    from storage.settings import unusable_folder

    folder = Path(os.environ.get("SANMIN_DATA_DIR", "var")).absolute()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        held = hold(folder / "run.lock", exclusive=True, wait=False)
    except OSError as error:
        raise StartRefused(unusable_folder(folder, error)) from None
    if held is None:
        print(
            f"拒绝启动：另一个 sanmin run 正在使用数据文件夹 {folder}（SANMIN_DATA_DIR）。"
            "平台已在运行；要重新启动，请先停止它（Ctrl+C 或 systemctl stop）。",
            file=sys.stderr,
        )
    return held


def _stop_on_sigterm() -> Callable[[], None]:
    """SIGTERM (systemd's and docker's stop) becomes the KeyboardInterrupt of Ctrl+C, so both stop in order.

    Python's own SIGTERM ends the process at once, skipping every ``finally``; and uvicorn, having shut its
    server down on the signal, raises it again: under the default handler that killed ``sanmin run``
    there, leaving the projection process running without its parent, and the embedded server running.
    As a KeyboardInterrupt, uvicorn.run takes it as a stop and returns; one that comes before or after the
    server runs is caught by ``run``. Returns what puts the previous handler back (``run`` called
    in-process, as the tests do)."""
    import signal

    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def _serve_with_projection(args: argparse.Namespace) -> None:
    """The projection process beside the web server, until the server stops; then the projection (SIGTERM:
    it writes what it holds and exits; killed if it has not within 30 s)."""
    import subprocess
    import sys

    import uvicorn

    projection = subprocess.Popen([sys.executable, "-m", "projections.process"])
    try:
        # No access log: a line per ballot would say which address voted when, beside an event log that
        # keeps only the minute (evaluation/ballot.py); and uvicorn formats its arguments on every request
        # even when the level drops the line.
        uvicorn.run(
            "web.main:app",
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level="warning",
            access_log=False,
        )
    finally:
        projection.terminate()
        try:
            projection.wait(timeout=30)
        except subprocess.TimeoutExpired:
            projection.kill()
            projection.wait()


def _round_exists(app: object, key: str) -> bool:
    from evaluation.round import Round, round_id

    return app.find(Round, round_id(key)) is not None  # type: ignore[attr-defined]


def _print_where_to_go(
    app: object, args: argparse.Namespace, key: str, administrator_code: str | None
) -> None:
    """The addresses, the administrator's code if it was just issued (the first start: shown only this
    once), and, with the demo round, codes to try each screen with; every code printed signs in."""
    from evaluation.keys import format_code
    from evaluation.representative import representative_id

    base = f"http://{args.host}:{args.port}"
    keys = app.keys  # type: ignore[attr-defined]
    print(f"\n三民评议平台已启动：{base}/")
    if administrator_code is not None:
        print(f"  平台管理员    {base}/login   登录码 {format_code(administrator_code)}")
        print("                （只显示这一次，请抄录保存；遗失时运行 sanmin admin code 生成新的登录码）")
    if not _round_exists(app, key):
        print("  由活动工作簿创建评议活动：平台管理员登录后上传，或运行 sanmin round import FILE.xlsx")
    else:
        print(f"  组织方控制台  {base}/organiser   登录码 {format_code(keys.organiser_code(key))}")
        print(f"  大屏          {base}/projector/{key}")
        for n in (1, 2, 3):
            # codes are random and stored only as hashes: showing one means issuing a new card, recorded
            rep = app.representative(representative_id(key, n))  # type: ignore[attr-defined]
            code = app.reissue_credential(rep.id, by="sanmin run")  # type: ignore[attr-defined]
            print(f"  代表 {rep.name}（{rep.sitting}）登录码 {format_code(code)}   {base}/r")
        if "fgw" in app.round(key).departments:  # type: ignore[attr-defined]
            dept = app.department(key, "fgw")  # type: ignore[attr-defined]
            code = app.issue_department_credential(key, "fgw", by="sanmin run")  # type: ignore[attr-defined]
            print(f"  部门 {dept.short_name} 登录码 {format_code(code)}   {base}/department")
    print("按 Ctrl+C 停止。\n")


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
