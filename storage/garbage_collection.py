"""垃圾回收 — the garbage collector set for a long-running process with a large heap that stays.

CPython's cycle collector walks every tracked object of a generation; its full collections walk them
all. A web process signing in 2,000 tablets and taking 26,000 of their ballots ran ~19 full collections
of ~150 ms each (3-5 s in all, measured with ``gc.callbacks``; each one a pause every open request waits
through), mostly walking objects made at start-up and kept for the process's life: modules, the
application, its caches. Settled as below: 1 full collection of ~60 ms and ~1 s in all.

``settle()``, called once start-up is done, moves those objects out of the collector's sight
(``gc.freeze``: they are never freed anyway) and collects the young generation every 10,000 new objects
instead of every 700, so the older generations are walked far less often. Garbage without cycles is
still freed at once by reference counting; this changes only how often cycles are looked for.

The web process settles with a far higher young threshold, ``SERVING_YOUNG``. Each open keep-alive
connection keeps its last request (uvicorn's request cycle, its scope and headers, the keep-alive
timer: ~17 tracked objects) until its next one, so with 2,000 tablets the young generation held
20,000-46,000 live objects, all walked by each young collection: 13-60 ms, five times a second at
1,550 ballots/s, and a 75-130 ms walk of the next generation every few seconds. Taking ballots makes no
cyclic garbage (every collection in such a run freed nothing), so each walk was pure pause. At 100,000
one comes a few times a minute, walking at most the process's live objects (46-120 ms).
Cyclic garbage other screens make waits at most 100,000 new objects (a few MB) for its collection.
"""

from __future__ import annotations

import gc

YOUNG = 10_000
"""New objects between two collections of the youngest generation (CPython's default: 700)."""
SERVING_YOUNG = 100_000
"""The web process's young threshold (see above)."""
OLDER = 20
"""Collections of one generation between two of the next (CPython's default: 10)."""


def settle(young: int = YOUNG) -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(young, OLDER, OLDER)


def settle_server() -> None:
    """``settle`` for a web process: see ``SERVING_YOUNG``."""
    settle(SERVING_YOUNG)
