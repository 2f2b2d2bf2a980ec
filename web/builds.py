"""文件生成 — summaries and files (feedback, PDF, XLSX, CSV, cards) are built a few at a time per process.

Each build holds tens of MB while it runs (a PDF parses its CJK font: ~40 MB; a department's summary reads
its ~6,000 ballots) and all of them want the same CPU (one GIL per process), so letting more run at once only
adds memory, not speed. Requests beyond ``AT_ONCE`` wait their turn on the event loop, holding no thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

AT_ONCE = 2
T = TypeVar("T")


def limiter() -> anyio.CapacityLimiter:
    """Made inside the running event loop (the app's lifespan), one per process."""
    return anyio.CapacityLimiter(AT_ONCE)


def slot(request: Request) -> anyio.CapacityLimiter:
    """``async with slot(request):`` — wait for one of this process's build slots and hold it."""
    limiter: anyio.CapacityLimiter = request.app.state.builds
    return limiter


async def build(request: Request, work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` in a worker thread, in one of this process's build slots."""
    async with slot(request):
        return await run_in_threadpool(work, *args)
