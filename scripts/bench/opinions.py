"""Opinion triage benchmark: a Qingdao-size inbox (18,000 opinions with realistic repetition, 36 departments).

    python -m scripts.bench.opinions [--opinions 18000] [--runs 3] [--pages 40] [--schema bench_opinions]

The schema gets one round (``benchop``) whose opinions are collected through the domain's own command
(``collect_opinions``, the generator in ``scripts.bench.opinion_texts``) and projected; it is reused while it holds
them. Then, in this order:

* merge suggestions: the untriaged opinions read from opinions_view and clustered
  (``projections.opinion_similarity.merge_suggestions``), ``--runs`` times. Target: < 10 s.
* the triage page ``GET /organiser/opinions`` through the real app (in-process ASGI, signed in as the organiser):
  the first request (it computes the merge suggestions) and ``--pages`` more (pages 1-4 in turn, suggestions kept)
  → p50 / p95. Target p95: < 1 s.
* baseline: a plain listing of the same rows — the page's query (100 rows) and a bare Jinja table of them, in the
  same process, ``--pages`` times → p50 / p95.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

import asyncpg
import httpx
import jinja2

from evaluation.opinion_handling import OpinionSource
from projections.opinion_similarity import OpinionText, merge_suggestions
from projections.runner import Projector
from scripts.bench.command_line import bench_parser
from scripts.bench.history import with_schema
from scripts.bench.opinion_texts import opinions
from scripts.bench.tablets import exchange
from storage.bootstrap import build_app
from storage.settings import Settings
from web.app import create_app
from web.organiser.reads import TRIAGE_PAGE, UNTRIAGED_TEXTS

ROUND = "benchop"
BY = "organiser:bench"
PLAIN = jinja2.Environment(autoescape=True).from_string(
    "<table>{% for r in rows %}<tr><td>{{ r.department }}</td><td>{{ r.shown }}</td><td>{{ r.theme or '' }}</td>"
    "</tr>{% endfor %}</table>"
)


def ensure_inbox(settings: Settings, total: int, say: bool = True) -> None:
    app = build_app(settings)
    try:
        from evaluation.round import Round, round_id

        if app.find(Round, round_id(ROUND)) is None:
            app.create_round(ROUND, "青岛规模意见办理测试", by=BY)
            app.define_category(ROUND, "resident", "社区居民", by=BY)
            app.define_group(ROUND, "all", "全部部门", by=BY)
            app.define_venue(ROUND, "main", "主会场", by=BY)
            for n in range(1, 37):
                app.register_department(ROUND, f"d{n:02d}", f"第{n}部门", "all", by=BY)
            app.define_sitting(ROUND, "s1", "第一场", [f"d{n:02d}" for n in range(1, 37)], by=BY)
        sources = [OpinionSource("comment", f"gen-{i}", d, t) for i, (d, t) in enumerate(opinions(total))]
        started = time.perf_counter()
        new = app.collect_opinions(ROUND, sources, BY)
        if say:
            print(
                f"collected {new:,} new opinions of {total:,} in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
    finally:
        app.close()
    with Projector(settings) as projector:
        started = time.perf_counter()
        projector.catch_up(timeout=600)
        print(f"projected in {time.perf_counter() - started:.1f} s", flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def suggestions_run(settings: Settings) -> tuple[float, float, int, int]:
    conn = await asyncpg.connect(settings.database_url, server_settings={"search_path": settings.schema})
    try:
        started = time.perf_counter()
        rows = await conn.fetch(UNTRIAGED_TEXTS, ROUND)
        read = time.perf_counter() - started
        found = merge_suggestions(OpinionText(r["opinion_id"], r["department"], r["text"]) for r in rows)
        return read, time.perf_counter() - started, len(rows), len(found)
    finally:
        await conn.close()


async def pages(settings: Settings, count: int) -> tuple[float, list[float], list[float]]:
    web = create_app(settings)
    transport = httpx.ASGITransport(app=web)
    async with (
        web.router.lifespan_context(web),
        httpx.AsyncClient(transport=transport, base_url="http://b") as client,
    ):
        app = build_app(settings)
        code = app.keys.organiser_code(ROUND)
        app.close()
        assert (await exchange(client, code)).status_code in (200, 303)  # the sign-in form POSTs the code
        started = time.perf_counter()
        first = await client.get("/organiser/opinions")
        cold = time.perf_counter() - started
        assert first.status_code == 200 and "合并建议" in first.text, first.text[:300]
        timings, plain = [], []
        for n in range(count):
            started = time.perf_counter()
            page = await client.get("/organiser/opinions", params={"page": str(n % 4 + 1)})
            timings.append(time.perf_counter() - started)
            assert page.status_code == 200
        reads = web.state.reads
        for n in range(count):
            started = time.perf_counter()
            rows = await reads.fetch(TRIAGE_PAGE, ROUND, "", 100, (n % 4) * 100)
            PLAIN.render(rows=rows)
            plain.append(time.perf_counter() - started)
    return cold, timings, plain


def main() -> int:
    parser = bench_parser(__doc__)
    parser.add_argument("--opinions", type=int, default=18_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--schema", default="bench_opinions")
    args = parser.parse_args()
    settings = with_schema(Settings.from_environment(), args.schema)
    ensure_inbox(settings, args.opinions)
    times = []
    for run in range(1, args.runs + 1):
        read, total, rows, groups = asyncio.run(suggestions_run(settings))
        times.append(total)
        print(
            f"run {run}: merge suggestions for {rows:,} opinions: {groups:,} groups in {total:.2f} s (read {read:.2f} s)"
        )
    median = statistics.median(times)
    print(
        f"merge suggestions, median of {args.runs}: {median:.2f} s (target < 10 s: {'met' if median < 10 else 'NOT met'})"
    )
    cold, timings, plain = asyncio.run(pages(settings, args.pages))
    p95 = percentile(timings, 95)
    print(f"triage page, first request (computes the suggestions): {cold:.2f} s")
    print(
        f"triage page, {len(timings)} requests: p50 {percentile(timings, 50) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
        f" (target < 1 s: {'met' if p95 < 1 else 'NOT met'})"
    )
    print(
        f"baseline plain listing of the same rows (query + bare table): p50 {percentile(plain, 50) * 1000:.1f} ms,"
        f" p95 {percentile(plain, 95) * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
