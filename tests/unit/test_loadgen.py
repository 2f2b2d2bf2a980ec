"""The benchmark's load generator reads each response whole: status, body, by length or in chunks; and its
own cycle collector stays out of what it measures."""

import asyncio
import gc

import pytest

from scripts.bench.loadgen import _response, collector_paused


def reader_of(data: bytes) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    return reader


async def test_a_response_with_many_headers_is_read_by_its_length_leaving_the_next_one_untouched() -> None:
    head = (
        b"HTTP/1.1 201 Created\r\nserver: uvicorn\r\nX-Frame-Options: DENY\r\n"
        b"Content-Security-Policy: default-src 'self'\r\nCONTENT-LENGTH: 11\r\n\r\n"
    )
    reader = reader_of(head + b'{"ok":true}' + b"HTTP/1.1 409 Conflict\r\ncontent-length: 2\r\n\r\n{}")
    assert await _response(reader) == (201, b'{"ok":true}')
    assert await _response(reader) == (409, b"{}")


async def test_a_chunked_response_is_joined_from_its_chunks() -> None:
    reader = reader_of(
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n"
    )
    assert await _response(reader) == (200, b"abcdefg")


async def test_a_response_without_length_or_chunks_is_empty_if_bodiless_else_a_broken_connection() -> None:
    assert await _response(reader_of(b"HTTP/1.1 204 No Content\r\nserver: x\r\n\r\n")) == (204, b"")
    with pytest.raises(ConnectionError):
        await _response(reader_of(b"HTTP/1.1 200 OK\r\nserver: x\r\n\r\nbody"))


def test_the_generator_collects_no_cycles_while_it_measures_and_collects_again_after() -> None:
    freed: list[int] = []

    class Cycle:
        def __init__(self) -> None:
            self.itself = self

        def __del__(self) -> None:
            freed.append(1)

    with collector_paused():
        assert not gc.isenabled()
        for _ in range(20_000):  # enough garbage for many automatic collections, were they on
            Cycle()
        assert freed == []
    assert gc.isenabled()
    gc.collect()
    assert len(freed) == 20_000
