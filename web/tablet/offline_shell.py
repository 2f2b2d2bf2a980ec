"""离线外壳 — what lets the tablet page open without a network: a service worker and its cached shell.

``GET /sw.js`` serves web/tablet/static/service-worker.js with the shell's version and file list filled in. The
version is a hash of every file under ``STATIC`` and ``SHARED``, so a deployment that changes any of them changes the
worker's bytes: the browser installs the new worker, which caches the new shell and deletes the old cache.

``GET /r/offline`` is the shell itself (web/tablet/static/offline.html): generic, the same for everyone, no name,
no session data. The page ``/r`` is personal (the representative's name, sitting and CSRF token), so the
worker never stores it, nor any API answer: when ``/r`` cannot be fetched it answers with the shell, which
fills itself from what the last online ``/r`` left in the browser's storage (web/tablet/static/offline.js).

``GET /manifest.webmanifest`` lets a venue install the tablet page; ``GET /favicon.ico`` is the icon
browsers ask for on their own.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

STATIC = Path(__file__).parent / "static"
"""Where the shell's own files are read from (a test points it at a changed copy to deploy a new shell)."""
SHARED = Path(__file__).parents[1] / "platform" / "static"
"""The platform's files the shell loads too (every page's style sheet, the icon, the ballot page's shared script)."""

SHELL_PAGE = "/r/offline"
SHELL = (
    SHELL_PAGE,
    "/static/site.css",
    "/static/tablet.css",
    "/static/offline.js",
    "/static/outbox.js",
    "/static/ballot_page.js",
    "/static/shell.js",
    "/static/tablet.js",
    "/static/handback.js",
    "/static/favicon.ico",
    "/static/icon-192.png",
    "/manifest.webmanifest",
)
"""What the worker caches: the shell page and every file it loads."""


@lru_cache(maxsize=8)
def shell_version(directory: Path) -> str:
    digest = hashlib.sha256()
    for folder in (directory, SHARED):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=8)
def worker_script(directory: Path) -> bytes:
    template = (directory / "service-worker.js").read_text(encoding="utf-8")
    filled = template.replace("__VERSION__", shell_version(directory))
    return filled.replace("__SHELL__", json.dumps(list(SHELL))).encode()


async def service_worker(request: Request) -> Response:
    return Response(
        worker_script(STATIC),
        media_type="text/javascript",
        headers={"cache-control": "no-cache"},
    )


async def shell_page(request: Request) -> Response:
    return FileResponse(
        STATIC / "offline.html", media_type="text/html", headers={"cache-control": "no-cache"}
    )


async def manifest(request: Request) -> Response:
    return FileResponse(STATIC / "manifest.webmanifest", media_type="application/manifest+json")


async def favicon(request: Request) -> Response:
    return FileResponse(SHARED / "favicon.ico", media_type="image/vnd.microsoft.icon")


routes = [
    Route("/sw.js", service_worker, methods=["GET"]),
    Route(SHELL_PAGE, shell_page, methods=["GET"]),
    Route("/manifest.webmanifest", manifest, methods=["GET"]),
    Route("/favicon.ico", favicon, methods=["GET"]),
]
