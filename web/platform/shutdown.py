"""停机 — let long-lived streams end when the server is asked to stop.

An open server-sent-event stream (a projector on the wall) would keep uvicorn waiting for it forever
after Ctrl+C or SIGTERM. ``on_exit_signal`` chains a callback before the server's own handler, so the
streams can end at once and the server stops; the browsers reconnect once it is back.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)


def on_exit_signal(callback: Callable[[], None]) -> Callable[[], None]:
    """Calls ``callback`` in the running loop on SIGINT/SIGTERM, then the handler that was there before.

    Only where a server installed a handler of its own, in the main thread; returns an undo function.
    """
    loop = asyncio.get_running_loop()
    installed: dict[int, Any] = {}
    for sig in SIGNALS:
        previous = signal.getsignal(sig)
        if not callable(previous):
            continue

        def handler(signum: int, frame: FrameType | None, previous: Callable[..., Any] = previous) -> None:
            loop.call_soon_threadsafe(callback)
            previous(signum, frame)

        try:
            signal.signal(sig, handler)
        except ValueError:  # not the main thread (a server run in a test's thread)
            break
        installed[sig] = (previous, handler)

    def undo() -> None:
        for sig, (previous, handler) in installed.items():
            if signal.getsignal(sig) is handler:
                signal.signal(sig, previous)

    return undo
