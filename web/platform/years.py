"""历年对比的读取 — a round's comparison chain (the domain's links) and each of its rounds' published results
(the views), made into every department's lines by ``projections.year_over_year``. Shared by the organiser's
results, the department's portal and the public 公示 page."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from evaluation.year_over_year import LinkedRound
from projections.year_over_year import RoundResults, YearLine, department_years, round_years, rule_digest
from web.platform.reads import YEAR_DEPARTMENTS, YEAR_RANKINGS, YEAR_ROUNDS


async def chain_results(
    request: Request, round_key: str
) -> tuple[list[LinkedRound], dict[str, RoundResults]]:
    """The chain (newest first) and each of its rounds' results."""
    chain: list[LinkedRound] = await run_in_threadpool(request.app.state.commands.lineage, round_key)
    keys = [link.round_key for link in chain]
    reads = request.app.state.reads
    departments: dict[str, dict[str, tuple[str, str, str]]] = defaultdict(dict)
    for d in await reads.fetch(YEAR_DEPARTMENTS, keys):
        departments[d["round_key"]][d["department"]] = (d["name"], d["short_name"], d["group_key"])
    rankings: dict[str, dict[str, Any]] = defaultdict(dict)
    for r in await reads.fetch(YEAR_RANKINGS, keys):
        rankings[r["round_key"]][r["group_key"]] = r["ranking"]
    years = {link.round_key: link.year for link in chain}
    results = {
        r["round_key"]: RoundResults(
            round_key=r["round_key"],
            title=r["title"],
            year=years.get(r["round_key"]),
            published=bool(r["published"]),
            rule=rule_digest(r["instrument"], r["categories"]),
            groups=r["groups"],
            departments=departments[r["round_key"]],
            rankings=rankings[r["round_key"]],
        )
        for r in await reads.fetch(YEAR_ROUNDS, keys)
    }
    return chain, results


async def years_of(request: Request, round_key: str) -> dict[str, list[YearLine]]:
    """Every department of the round with its lines, newest round first."""
    chain, results = await chain_results(request, round_key)
    return round_years(chain, results)


async def department_lines(request: Request, round_key: str, department: str) -> list[YearLine]:
    """One department's lines, newest round first (only its own: the portal's)."""
    chain, results = await chain_results(request, round_key)
    return department_years(chain, results, department) if round_key in results else []
