"""大屏推送连接上限 — the projector's event streams are open to anyone, and each holds a connection (a file
descriptor) for as long as the viewer stays: without a cap, one client could take every descriptor and the
hall's tablets could no longer connect. Each web process allows ``per_client`` streams per client address
and ``total`` in all; a stream over the cap is answered at once, 429 (that client) or 503 (the process)."""

from __future__ import annotations

import os
import resource
from collections import Counter
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from web.platform.sse import EventStream

PER_CLIENT_MESSAGE = "此设备打开的大屏页面过多，请关闭其他大屏页面后刷新"
TOTAL_MESSAGE = "大屏连接已满，请稍后刷新"


@dataclass(frozen=True)
class StreamLimits:
    per_client: int = 16
    """A venue's projectors and a few phones behind one NAT address, never a venue's every device."""
    total: int = 400

    @classmethod
    def from_environment(cls) -> StreamLimits:
        """SANMIN_STREAMS_PER_CLIENT and SANMIN_STREAMS_TOTAL, when set (whole numbers above zero); else 16 per
        client and half the process's file descriptors in all (512 of the usual 1,024), leaving the other half
        to the tablets, the database and the ballot writers."""
        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        share = soft // 2 if soft != resource.RLIM_INFINITY else 10_000
        return cls(
            _whole(os.environ.get("SANMIN_STREAMS_PER_CLIENT"), cls.per_client),
            _whole(os.environ.get("SANMIN_STREAMS_TOTAL"), max(share, 1)),
        )


def _whole(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() and int(value) > 0 else default


class StreamCaps:
    """Counts the open streams of one process, by client address."""

    def __init__(self, limits: StreamLimits) -> None:
        self.limits = limits
        self.open: Counter[str] = Counter()

    def refusal(self, client: str) -> Response | None:
        """Takes a slot for ``client``, or gives the answer that refuses it."""
        if self.open[client] >= self.limits.per_client:
            return PlainTextResponse(PER_CLIENT_MESSAGE, 429, headers={"Retry-After": "30"})
        if self.open.total() >= self.limits.total:
            return PlainTextResponse(TOTAL_MESSAGE, 503, headers={"Retry-After": "30"})
        self.open[client] += 1
        return None

    def release(self, client: str) -> None:
        self.open[client] -= 1
        if self.open[client] <= 0:
            del self.open[client]


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class CappedStream(EventStream):
    """An event stream that gives its slot back when it ends, however it ends."""

    caps: StreamCaps
    client: str

    def hold(self, caps: StreamCaps, client: str) -> CappedStream:
        self.caps, self.client = caps, client
        return self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.caps.release(self.client)
