"""公开审计包 — ``GET /results/{round_key}/audit.zip``: the published round as a zip anyone can recount.

Public once the round's results are published (projections/audit_bundle.py builds it from the events;
``python -m sanmin_audit`` checks it); before that, to everyone, 403 ``not_published`` with a plain message, as
every public results download answers (signed.json, notice.pdf); 404 for an unknown round. Built in a
build slot off the event loop; a published round cannot change, so each process keeps the bytes. The
bundle's signed results.json is the one signed result of a published round: ``/results/{round}/signed.json``
gives the same bytes (web/public/signed_results.py).
"""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import NotFound
from projections.audit_bundle import bundle_for
from web.platform.builds import build
from web.platform.errors import NotPublished
from web.public.reads import SIGNED_ROUND


class BundleNotYet(NotPublished):
    template = "评议结果尚未发布，发布后才提供审计包"


async def published_bundle(request: Request, round_key: str) -> bytes:
    """The published round's bundle, built once per process (a published round cannot change); its
    results.json is also what ``/results/{round}/signed.json`` gives once published."""
    state = request.app.state
    kept: dict[str, bytes] | None = getattr(state, "audit_bundles", None)
    if kept is None:
        kept = state.audit_bundles = {}
    if round_key not in kept:
        body = await build(request, bundle_for, state.commands, state.settings, round_key)
        if body is None:  # the views say published, the events not yet (cannot last)
            raise BundleNotYet()
        kept[round_key] = body
    return kept[round_key]


def results_json(bundle: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(bundle)) as opened:
        return opened.read("results.json")


async def audit_zip(request: Request) -> Response:
    round_key = request.path_params["round_key"]
    round_ = await request.app.state.reads.fetchrow(SIGNED_ROUND, round_key)
    if round_ is None:
        raise NotFound(what=f"评议活动「{round_key}」")
    if not round_["published"]:
        raise BundleNotYet()
    body = await published_bundle(request, round_key)
    filename = quote(f"audit-{round_key}.zip")
    disposition = f"attachment; filename=audit.zip; filename*=UTF-8''{filename}"
    return Response(body, media_type="application/zip", headers={"Content-Disposition": disposition})


routes = [Route("/results/{round_key}/audit.zip", audit_zip, methods=["GET"])]
