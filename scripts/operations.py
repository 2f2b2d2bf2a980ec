"""What each ``sanmin`` sub-command does; every one starts from the settings in the environment."""

from __future__ import annotations

import argparse
import time

from storage.bootstrap import build_app
from storage.settings import Settings


def demo(args: argparse.Namespace) -> int:
    from scripts.demo import DEMO_KEY, load_demo, simulate_scoring

    settings = Settings.from_environment()
    app = build_app(settings)
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
    raise SystemExit("sanmin run: the web server arrives with the screens issue")


def rebuild(args: argparse.Namespace) -> int:
    raise SystemExit("sanmin rebuild: not yet")


def recount(args: argparse.Namespace) -> int:
    raise SystemExit("sanmin recount: not yet")


def verify(args: argparse.Namespace) -> int:
    raise SystemExit("sanmin verify: not yet")
