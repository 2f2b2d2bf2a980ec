"""观众群 — the fan-out benchmark's viewers split over processes: one process may not hold 20,000 sockets
(a container's file limit), and one event loop reading them all would measure itself.

``gather_crowds`` starts one child per ``PER_PROCESS`` viewers (``python -m scripts.bench.viewer_crowd PORT
PATH COUNT``), each connecting its viewers (scripts/bench/fanout.py's ``Viewer``) and answering, per line
``SINCE POSITION`` on its stdin, the JSON list of its viewers' delays (``time.perf_counter`` is the
system's monotonic clock, the same in every process). Up to ``PER_PROCESS`` viewers stay in this process.
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from scripts.bench.fanout import Viewer

PER_PROCESS = 10_000


class Crowd(Protocol):
    async def delays(self, since: float, position: int) -> list[float | None]: ...

    def close(self) -> None: ...


class LocalCrowd:
    def __init__(self, viewers: list[Viewer]) -> None:
        self.viewers = viewers

    async def delays(self, since: float, position: int) -> list[float | None]:
        from scripts.bench.fanout import delays_of

        return await delays_of(self.viewers, since, position)

    def close(self) -> None:
        from scripts.bench.fanout import close

        close(self.viewers)


class ChildCrowd:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def delays(self, since: float, position: int) -> list[float | None]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{since} {position}\n".encode())
        await self.process.stdin.drain()
        answer: list[float | None] = json.loads(await self.process.stdout.readline())
        return answer

    def close(self) -> None:
        if self.process.returncode is None:
            self.process.kill()


async def gather_crowds(port: int, path: str, count: int) -> list[Crowd]:
    """``count`` viewers of ``path``, each connected and holding its first snapshot."""
    from scripts.bench.fanout import watch

    if count <= PER_PROCESS:
        return [LocalCrowd(await watch(port, path, count))]
    parts = math.ceil(count / PER_PROCESS)
    sizes = [count // parts + (1 if n < count % parts else 0) for n in range(parts)]
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "scripts.bench.viewer_crowd",
            str(port),
            path,
            str(size),
            limit=1 << 24,  # one answer line: 10,000 delays
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        for size in sizes
    ]
    for child in children:
        assert child.stdout is not None
        line = await asyncio.wait_for(child.stdout.readline(), timeout=600)
        if line.strip() != b"ready":
            raise RuntimeError(f"a viewer crowd did not connect: {line!r}")
    return [ChildCrowd(child) for child in children]


async def serve(port: int, path: str, count: int) -> None:
    from scripts.bench.fanout import delays_of, watch

    viewers = await watch(port, path, count)
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    while line := await loop.run_in_executor(None, sys.stdin.readline):
        since, position = line.split()
        print(json.dumps(await delays_of(viewers, float(since), int(position))), flush=True)


if __name__ == "__main__":
    import uvloop

    uvloop.run(serve(int(sys.argv[1]), sys.argv[2], int(sys.argv[3])))
