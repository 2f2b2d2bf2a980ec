"""评议结果公示 — ``GET /results/{round_key}``: the published round as a public notice, and
``GET /results/{round_key}/notice.pdf``: the same notice to print.

The page shows the 公示期, each group's ranking with the composite's parts and the satisfaction rate, bar
charts of both, each department's change from the previous round (历年对比, ``projections.year_over_year``), and
the links to check it: the signed results, the public audit bundle, the latest checkpoint and the public key.
Before publication the page says only that the results are not yet published (nothing of the round is read
beyond its title), and the PDF is refused to everyone with 403 ``not_published``, as every public results download
is (signed.json, audit.zip; the organiser sees the live results on the console).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import NotFound
from projections.public_notice import Notice, public_notice
from projections.signed_results import PUBLISHED_KIND
from storage.signing import public_key_text
from web.platform.builds import build
from web.platform.errors import NotPublished
from web.platform.forms import render
from web.platform.years import years_of
from web.public.notice_pdf import notice_pdf
from web.public.reads import NOTICE_ROUND, NOTICE_TALLIES, PROJECTOR_RANKINGS, PUBLISHED_AT, SIGNED_NAMES


class NoticeNotYet(NotPublished):
    template = "评议结果尚未发布，发布后才提供公示文件"


async def published_round(request: Request) -> Any:
    """The round's rounds_view row (404 for an unknown round)."""
    round_key = request.path_params["round_key"]
    row = await request.app.state.public_reads.fetchrow(NOTICE_ROUND, round_key)
    if row is None:
        raise NotFound(what=f"评议活动「{round_key}」")
    return row


async def notice_of(request: Request, round_: Any) -> Notice:
    reads, key = request.app.state.public_reads, round_["round_key"]
    departments = await reads.fetch(SIGNED_NAMES, key)
    names = {r["department"]: r["name"] for r in departments}
    short_names = {r["department"]: r["short_name"] for r in departments}
    rankings = {r["group_key"]: r["ranking"] for r in await reads.fetch(PROJECTOR_RANKINGS, key)}
    tallies = {r["department"]: r["tally"] for r in await reads.fetch(NOTICE_TALLIES, key)}
    published_at = await reads.fetchval(PUBLISHED_AT, key, PUBLISHED_KIND)
    years = await years_of(request, key)
    return public_notice(round_, published_at, names, rankings, tallies, years, short_names)


async def notice_page(request: Request) -> Response:
    round_ = await published_round(request)
    if not round_["published"]:
        context = {"title": round_["title"], "round_key": round_["round_key"], "notice": None}
        return render(request, "results/notice.html", context)
    notice = await notice_of(request, round_)
    public_key = public_key_text(request.app.state.settings.secret)
    context = {
        "title": notice.title,
        "round_key": notice.round_key,
        "notice": notice,
        "public_key": public_key,
    }
    return render(request, "results/notice.html", context)


async def notice_file(request: Request) -> Response:
    round_ = await published_round(request)
    if not round_["published"]:
        raise NoticeNotYet()
    notice = await notice_of(request, round_)
    public_key = public_key_text(request.app.state.settings.secret)
    base = str(request.base_url).rstrip("/")
    body = await build(request, notice_pdf, notice, public_key, base)
    filename = quote(f"公示-{notice.round_key}.pdf")
    disposition = f"inline; filename=notice.pdf; filename*=UTF-8''{filename}"
    return Response(body, media_type="application/pdf", headers={"Content-Disposition": disposition})


routes = [
    Route("/results/{round_key}", notice_page, methods=["GET"]),
    Route("/results/{round_key}/notice.pdf", notice_file, methods=["GET"]),
]
