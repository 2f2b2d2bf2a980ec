"""``python -m projections.process`` — the read-model projection as its own process.

Reads ``Settings.from_environment()`` (DATABASE_URL, SANMIN_DATA_DIR), resumes after the position it
tracked last, writes until SIGTERM/SIGINT (then writes what is pending and exits 0). Exits 1 if a
batch fails; restarting it resumes from the last committed batch.
"""

from __future__ import annotations

import signal
import sys
import time
import warnings
from types import FrameType

from projections.runner import Projector
from storage.bootstrap import build_app
from storage.settings import Settings


def main() -> int:
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    settings = Settings.from_environment()
    build_app(settings).close()  # the event store's tables exist before the reader subscribes
    started = time.perf_counter()
    with Projector(settings) as projector:

        def stop(signum: int, frame: FrameType | None) -> None:
            projector.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        print(f"读模型投影已启动，从位置 {projector.projection.position} 之后继续", flush=True)
        try:
            projector.run_forever()
        except Exception as failure:  # noqa: BLE001 - reported, and the exit code says so
            print(f"读模型投影出错：{failure!r}", file=sys.stderr, flush=True)
            return 1
        p = projector.projection
    print(f"读模型投影已停止：{p.events} 个事件，{p.batches} 批，用时 {time.perf_counter() - started:.0f} 秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())
