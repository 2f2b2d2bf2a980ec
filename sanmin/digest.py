"""``sanmin opinion-digest KEY`` — the organiser's daily digest of the opinions in hand, as text (the same as
/organiser/opinions/digest). The platform sends no mail: with ``--outbox DIR`` the digest is also written to
``DIR/opinion-digest-KEY-DAY.txt`` (UTF-8), for whatever delivers mail at the site to pick up; run it daily
from cron."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import psycopg
from psycopg.rows import dict_row

from evaluation.round_day import round_today
from projections.opinion_digest import DIGEST_ROWS, daily_digest, digest_text
from storage.settings import Settings


def opinion_digest(args: argparse.Namespace) -> int:
    try:
        day = date.fromisoformat(args.day) if args.day else round_today()
    except ValueError:
        print(f"--day 不对：「{args.day}」，请写成 2026-12-07 这样的年-月-日")
        return 2
    settings = Settings.from_environment()
    with psycopg.connect(settings.database_url, options=settings.pg_options, row_factory=dict_row) as conn:
        title = conn.execute("SELECT title FROM rounds_view WHERE round_key = %s", (args.key,)).fetchone()
        if title is None:
            print(f"没有评议活动「{args.key}」")
            return 1
        names = {
            r["department"]: r["name"]
            for r in conn.execute(
                "SELECT department, name FROM departments_view WHERE round_key = %s", (args.key,)
            )
        }
        rows = conn.execute(DIGEST_ROWS.replace("$1", "%s"), (args.key,)).fetchall()
    text = digest_text(daily_digest(rows, day), title["title"], names)
    print(text, end="")
    if args.outbox:
        folder = Path(args.outbox)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"opinion-digest-{args.key}-{day.isoformat()}.txt"
        path.write_text(text, encoding="utf-8")
        print(f"（已写入 {path}）")
    return 0
