"""下载签名结果 — ``GET /results/{round_key}/signed.json``: the round's results, signed with the server's key.

Public once the round's results are published, and then it is **the audit bundle's results.json**, byte for
byte (web/public/audit_bundle.py): one signed result per published round, recounted from the events up to
the publication, with the rule's digest, which ``python -m sanmin_audit`` and ``sanmin verify --results``
both check. Before that only the round's 计票员 and 监督员 (or its shared organiser code in a round without
计票员) get it, as the current provisional tally marked ``"published": false`` (covered by the signature, and
said by ``sanmin verify``), and not while a department is being scored (409 scoring_underway); anyone else is
refused (403 not_published, 404 for an unknown round).

The provisional file: everything is read in one read-only REPEATABLE READ snapshot, so the numbers, the views' event position
and the hash chain's value at that position belong together (the projection writes its rows and its
tracking position in one transaction). The payload is built by ``projections.signed_results``, and
recounted from the events with the auditor's separate implementation before it is signed: the server
never signs numbers the events do not give (409 recount_differs instead).
"""

from __future__ import annotations

import json
import logging
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError, NotFound
from projections.event_log import APPLICATION_NAME
from projections.signed_results import PUBLISHED_KIND, department_entry, results_payload
from projections.signed_results_check import recount_matches
from storage.signing import sign
from web.platform import security
from web.platform.builds import build
from web.platform.errors import NotPublished
from web.public.audit_bundle import published_bundle, results_json
from web.public.reads import (
    PUBLISHED_AT,
    SIGNED_NAMES,
    SIGNED_POSITION,
    SIGNED_RANKINGS,
    SIGNED_RESULTS,
    SIGNED_ROUND,
    chain_link,
)

log = logging.getLogger(__name__)


class RecountDiffers(EvaluationError):
    code, template = (
        "recount_differs",
        "结果与从事件重新计票的结果不符，未予签名；请管理员运行 sanmin recount 核查",
    )


def organiser_of(request: Request, round_key: str) -> bool:
    who = security.principal(request)
    readers = ("organiser", "results_officer", "auditor")  # 会务组, 计票员, 监督员 of the round
    return who is not None and who.role in readers and who.round_key == round_key


def provisional_reader(request: Request, round_key: str) -> bool:
    """Who gets the provisional file, which holds every department's level counts: the round's 计票员 and
    监督员, as on the results page, and its shared organiser code while the round has no 计票员 (that code
    then locks and publishes alone); never a 会务组, whom the results page shows no level counts."""
    who = security.principal(request)
    if who is None or who.round_key != round_key:
        return False
    if who.role in ("results_officer", "auditor"):
        return True
    commands = request.app.state.commands
    return (
        who.role == "organiser"
        and not who.account
        and not commands.round_has_staff(round_key, "results_officer")
    )


async def signed_results(request: Request) -> Response:
    round_key = request.path_params["round_key"]
    round_ = await request.app.state.reads.fetchrow(SIGNED_ROUND, round_key)
    if round_ is None:
        raise NotFound(what=f"评议活动「{round_key}」")
    if round_["published"]:
        body = results_json(await published_bundle(request, round_key))
        return _file(body, round_key, "")
    if not await run_in_threadpool(provisional_reader, request, round_key):
        raise NotPublished()
    await run_in_threadpool(request.app.state.commands.check_provisional_results, round_key)
    return await provisional(request, round_key)


async def provisional(request: Request, round_key: str) -> Response:
    """The round's current tally before publication, for its organiser: from the read models, recounted."""
    state = request.app.state
    chain = chain_link(state.commands.recorder.chain_table)
    async with (
        state.reads.pool.acquire() as conn,
        conn.transaction(isolation="repeatable_read", readonly=True),
    ):
        round_ = await conn.fetchrow(SIGNED_ROUND, round_key)
        if round_ is None:
            raise NotFound(what=f"评议活动「{round_key}」")
        if not round_["published"] and not organiser_of(request, round_key):
            raise NotPublished()
        position = await conn.fetchval(SIGNED_POSITION, APPLICATION_NAME) or 0
        names = {r["department"]: r["name"] for r in await conn.fetch(SIGNED_NAMES, round_key)}
        lines = {
            e["department"]: e for r in await conn.fetch(SIGNED_RANKINGS, round_key) for e in r["ranking"]
        }
        entries = [
            department_entry(
                r["department"],
                names.get(r["department"], r["department"]),
                r["eligible"],
                r["returned"],
                r["tally"],
                lines.get(r["department"]),
            )
            for r in await conn.fetch(SIGNED_RESULTS, round_key)
        ]
        published_at = await conn.fetchval(PUBLISHED_AT, round_key, PUBLISHED_KIND)
        head = await conn.fetchval(chain, position)
    payload = results_payload(
        round_key,
        round_["title"],
        bool(round_["published"]),
        published_at if round_["published"] else None,
        int(position),
        None if head is None else bytes(head),
        round_["groups"],
        entries,
    )
    said: list[str] = []
    if not await build(request, recount_matches, state.commands, payload, said.append):
        log.error("signed results of %s not signed: %s", round_key, " / ".join(said))
        raise RecountDiffers()
    document = sign(payload, state.settings.secret)
    body = json.dumps(document, ensure_ascii=False, indent=2).encode()
    return _file(body, round_key, "" if round_["published"] else "-provisional")


def _file(body: bytes, round_key: str, suffix: str) -> Response:
    filename = quote(f"signed-results-{round_key}{suffix}.json")
    disposition = f"attachment; filename=signed-results{suffix}.json; filename*=UTF-8''{filename}"
    return Response(body, media_type="application/json", headers={"Content-Disposition": disposition})


routes = [Route("/results/{round_key}/signed.json", signed_results, methods=["GET"])]
