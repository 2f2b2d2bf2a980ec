"""文件生成 — summaries and files (feedback, PDF, XLSX, CSV, cards) are built a few at a time per process.

Each build holds tens of MB while it runs (a PDF parses its CJK font: ~40 MB; a department's summary reads
its ~6,000 ballots) and all of them want the same CPU (one GIL per process), so letting more run at once only
adds memory, not speed. Requests beyond ``AT_ONCE`` wait their turn on the event loop, holding no thread.

A build leaves much garbage in cycles (a PDF's or a workbook's objects point at each other). The
settled collector (storage/garbage_collection.py) would look for it only rarely, and the memory
benchmark's 36 departments downloading at once then peaked at 512 MB instead of ~270 MB; so each build
ends with a full collection (tens of milliseconds: what start-up made is frozen out of it).
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

AT_ONCE = 2
T = TypeVar("T")


def limiter() -> anyio.CapacityLimiter:
    """Made inside the running event loop (the app's lifespan), one per process."""
    return anyio.CapacityLimiter(AT_ONCE)


@asynccontextmanager
async def slot(request: Request) -> AsyncIterator[None]:
    """``async with slot(request):`` — wait for one of this process's build slots and hold it; the build's
    garbage is collected when it is done."""
    limiter: anyio.CapacityLimiter = request.app.state.builds
    async with limiter:
        try:
            yield
        finally:
            gc.collect()


async def build(request: Request, work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` in a worker thread, in one of this process's build slots."""
    async with slot(request):
        return await run_in_threadpool(work, *args)
