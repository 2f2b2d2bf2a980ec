"""垃圾回收 — how a long-running process sets its garbage collector once start-up is done.

Observed through ``gc.callbacks``: what start-up made is no longer walked, and the young generation is
collected far less often than CPython's default (every 700 new objects), the web process's least often.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from storage import garbage_collection


@pytest.fixture
def collector() -> Iterator[None]:
    """Leaves the test process's collector as it found it."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


class Kept:
    """An object made at start-up and kept for the process's life."""


def young_collections_while_making(count: int) -> int:
    """How many collections of the youngest generation run while ``count`` new containers are made and kept."""
    started: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 0:
            started.append(0)

    gc.callbacks.append(seen)
    try:
        kept = [[] for _ in range(count)]
    finally:
        gc.callbacks.remove(seen)
    assert len(kept) == count
    return len(started)


def test_what_start_up_made_is_kept_out_of_the_collectors_walks(collector: None) -> None:
    kept = [Kept() for _ in range(1000)]
    garbage_collection.settle()
    assert gc.get_freeze_count() >= len(kept)
    assert not any(isinstance(obj, Kept) for generation in range(3) for obj in gc.get_objects(generation))


class Cycle:
    """Garbage only the cycle collector frees: it refers to itself."""

    def __init__(self) -> None:
        self.itself = self


def test_cyclic_garbage_made_after_start_up_is_still_collected_by_itself(collector: None) -> None:
    garbage_collection.settle()
    garbage = weakref.ref(Cycle())
    assert garbage() is not None  # reference counting alone cannot free it
    young_collections_while_making(35_000)
    assert garbage() is None


def test_unsettled_a_process_collects_its_young_objects_every_few_hundred(collector: None) -> None:
    gc.set_threshold(700, 10, 10)  # CPython's default, for comparison
    assert young_collections_while_making(35_000) >= 40


def test_a_projection_or_writer_collects_its_young_objects_every_10_000(collector: None) -> None:
    garbage_collection.settle()
    assert young_collections_while_making(9_000) == 0
    assert 2 <= young_collections_while_making(35_000) <= 4


def test_a_web_process_collects_its_young_objects_only_every_100_000(collector: None) -> None:
    garbage_collection.settle_server()
    assert young_collections_while_making(90_000) == 0
    assert 2 <= young_collections_while_making(250_000) <= 3
