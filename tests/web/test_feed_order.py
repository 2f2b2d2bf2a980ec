"""A feed never ends on an older snapshot than the last change it was told of, however its builds overlap."""

from __future__ import annotations

import asyncio

from web.platform.feeds import Feeds


async def test_a_change_noticed_while_the_first_snapshot_is_built_is_the_one_viewers_end_with() -> None:
    """The tablet's window opens while its stream is being set up: the slow first build read the closed
    window, the rebuild the open one; the viewer must be left with the open window, not the closed."""
    state = {"window": "closed"}
    first_read = asyncio.Event()
    calls = 0

    async def build(round_key: str) -> str:
        nonlocal calls
        calls += 1
        seen = state["window"]
        if calls == 1:
            first_read.set()
            await asyncio.sleep(0.2)  # the first query is slow; the change lands meanwhile
        return f'{{"{round_key}":"{seen}"}}'

    feeds = Feeds({"windows": build}, min_interval=0.01)

    async def change_during_first_build() -> None:
        await first_read.wait()
        state["window"] = "open"
        feeds.on_change("r2026:window")

    changer = asyncio.create_task(change_during_first_build())
    subscribed = await feeds.subscribe("windows", "r2026")
    await changer
    assert subscribed is not None
    feed, subscriber = subscribed
    for _ in range(100):
        if feed.text == '{"r2026":"open"}':
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.3)  # every overlapping build has finished by now
    assert feed.text == '{"r2026":"open"}'
    assert subscriber.take() == b'data: {"r2026":"open"}\n\n'
    await feeds.stop()
