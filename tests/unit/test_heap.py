"""堆 — how a long-running process sets its garbage collector once start-up is done."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from storage import heap


@pytest.fixture
def collector() -> Iterator[None]:
    """Leaves the test process's collector as it found it."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


class Kept:
    """An object made at start-up and kept for the process's life."""


def test_what_start_up_made_is_kept_out_of_the_collectors_walks(collector: None) -> None:
    kept = [Kept() for _ in range(1000)]
    heap.settle()
    assert gc.get_freeze_count() >= len(kept)
    assert not any(isinstance(obj, Kept) for generation in range(3) for obj in gc.get_objects(generation))


def test_a_projection_or_writer_collects_its_young_objects_every_10_000(collector: None) -> None:
    heap.settle()
    assert gc.get_threshold() == (10_000, heap.OLDER, heap.OLDER)


def test_a_web_process_collects_its_young_objects_only_every_100_000(collector: None) -> None:
    heap.settle_server()
    assert gc.get_threshold() == (100_000, heap.OLDER, heap.OLDER)
