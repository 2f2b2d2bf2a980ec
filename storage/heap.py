"""堆 — the garbage collector set for a long-running process with a large heap that stays.

CPython's cycle collector walks every tracked object of a generation; its full collections walk them
all. A web process signing in 2,000 tablets and taking 26,000 of their ballots ran ~19 full collections
of ~150 ms each (3-5 s in all, measured with ``gc.callbacks``; each one a pause every open request waits
through), mostly walking objects made at start-up and kept for the process's life: modules, the
application, its caches. Settled as below: 1 full collection of ~60 ms and ~1 s in all.

``settle()``, called once start-up is done, moves those objects out of the collector's sight
(``gc.freeze``: they are never freed anyway) and collects the young generation every 10,000 new objects
instead of every 700, so the older generations are walked far less often. Garbage without cycles is
still freed at once by reference counting; this changes only how often cycles are looked for.
"""

from __future__ import annotations

import gc

YOUNG = 10_000
"""New objects between two collections of the youngest generation (CPython's default: 700)."""
OLDER = 20
"""Collections of one generation between two of the next (CPython's default: 10)."""


def settle() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG, OLDER, OLDER)
