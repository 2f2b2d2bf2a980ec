"""``sanmin run`` — the platform served: the store (embedded unless DATABASE_URL), the first administrator
code, the demo round if asked, the projection process and the web server, stopped in the reverse order on
Ctrl+C or SIGTERM; one ``sanmin run`` per data folder."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from intake.fast_app import IntakeApp
from storage.bootstrap import build_app
from storage.folder_locks import hold, let_go
from storage.settings import Settings

FIRST_START = "system:sanmin run"
"""How the history records what ``sanmin run`` does by itself (the first administrator code, the demo
department's first sign-in code)."""


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
        # keeps only the day (evaluation/day_stamp.py); and uvicorn formats its arguments on every request
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
        if app.round_has_staff(key, "organiser"):  # type: ignore[attr-defined]
            print(f"  组织方控制台  {base}/organiser   请用会务组个人登录码登录（共用登录码已停用）")
        else:
            print(f"  组织方控制台  {base}/organiser   登录码 {format_code(keys.organiser_code(key))}")
        print(f"  大屏          {base}/projector/{key}")
        for n in (1, 2, 3):
            # codes are random and stored only as hashes: showing one means issuing a new card, recorded
            rep = app.representative(representative_id(key, n))  # type: ignore[attr-defined]
            code = app.reissue_credential(rep.id, by="sanmin run")  # type: ignore[attr-defined]
            print(f"  代表 {rep.name}（{rep.sitting}）登录码 {format_code(code)}   {base}/r")
        if "fgw" in app.round(key).departments and not app.department_has_staff(key, "fgw"):  # type: ignore[attr-defined]
            dept = app.department(key, "fgw")  # type: ignore[attr-defined]
            code = app.issue_department_credential(key, "fgw", by="sanmin run")  # type: ignore[attr-defined]
            print(f"  部门 {dept.short_name} 登录码 {format_code(code)}   {base}/department")
    print("按 Ctrl+C 停止。\n")
