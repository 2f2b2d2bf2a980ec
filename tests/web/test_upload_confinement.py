"""上传文件在子进程中解析 — the attack: a roster .xlsx of 66 KB that passes the unpacked-size check (one cell
of 60 MB of text, under the 64 MB cap) but needs some 200 MB to parse, sent to the web process that also
takes ballots. Its parse runs in a child process under a memory limit: the upload is refused with a plain
message, nothing is recorded, and the web process's own memory does not grow by it. A slow (but lawful)
parse does not hold up ballots meanwhile."""

from __future__ import annotations

import io
import threading
import time
import tracemalloc
import zipfile
from uuid import uuid4

import pytest

from evaluation.roster import parse_roster
from storage import confined
from storage.confined import Limits, run_confined
from tests.web.conftest import Web
from tests.web.test_bad_input_imports import recorded, signed_in_organiser, upload, xlsx

SHEET = "xl/worksheets/sheet1.xml"
HEADER = ["姓名", "类别", "会场", "场次"]
TIGHT = Limits(memory=300 * 1024 * 1024, cpu_seconds=30, wall_seconds=60)


def roster_with_sheet(write_rows: object) -> bytes:
    """A real roster workbook (openpyxl's) whose first sheet's rows are written by ``write_rows(sheet)``."""
    made = zipfile.ZipFile(io.BytesIO(xlsx([HEADER, ["王小明", "npc", "main", "s1"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for entry in made.infolist():
            if entry.filename != SHEET:
                book.writestr(entry, made.read(entry))
        with book.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/')
            sheet.write(b'spreadsheetml/2006/main"><sheetData>')
            write_rows(sheet)  # type: ignore[operator]
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def cell(text: str) -> bytes:
    return b'<c t="inlineStr"><is><t>' + text.encode() + b"</t></is></c>"


def one_huge_cell(sheet: io.RawIOBase) -> None:
    sheet.write(b'<row><c t="inlineStr"><is><t>')
    for _ in range(60):
        sheet.write("名".encode() * (1024 * 1024 // 3))
    sheet.write(b"</t></is></c></row>")


def many_rows(sheet: io.RawIOBase) -> None:
    """80,000 rows, slow to parse; their venue is unknown, so once parsed the roster is refused at once (the
    request then ends with the parse, not after registering 80,000 people)."""
    sheet.write(b"<row>" + b"".join(cell(title) for title in HEADER) + b"</row>")
    for n in range(80_000):
        sheet.write(b"<row>" + cell(f"代表{n:05d}") + cell("npc") + cell("nowhere") + cell("s1") + b"</row>")


def high_water_kb() -> int:
    """The process's peak resident memory so far (VmHWM)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def test_a_roster_needing_more_memory_than_the_limit_is_refused_outside_the_web_process(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(confined, "LIMITS", TIGHT)
    bomb = roster_with_sheet(one_huge_cell)
    assert len(bomb) < 100 * 1024  # small, and under the unpacked-size cap: only parsing it costs memory
    csrf = signed_in_organiser(web)
    before = recorded(web)
    high_water = high_water_kb()

    tracemalloc.start()
    try:
        answer = upload(web, csrf, "名单.xlsx", bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert answer.status_code == 413  # type: ignore[attr-defined]
    assert "超出了内存或时间上限，未读取" in answer.text  # type: ignore[attr-defined]
    assert recorded(web) == before
    assert peak < 20 * 1024 * 1024, f"the web process's handling peaked at {peak / 2**20:.0f} MB"
    assert high_water_kb() - high_water < 50 * 1024


def test_the_same_file_parsed_without_a_tight_limit_needs_that_memory() -> None:
    """The attack is real: without the limit the child parses it, needing well over 100 MB for 66 KB."""
    bomb = roster_with_sheet(one_huge_cell)
    tracemalloc.start()
    try:
        with pytest.raises(Exception, match="找不到表头"):
            parse_roster(bomb, "名单.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak > 100 * 1024 * 1024


def test_a_reader_s_own_refusal_comes_back_from_the_child_as_raised() -> None:
    with pytest.raises(Exception, match="文件是空的") as raised:
        run_confined(parse_roster, b"", "名单.csv")
    assert [p.message for p in raised.value.problems] == ["文件是空的"]  # type: ignore[attr-defined]
    rows, problems = run_confined(parse_roster, "姓名,类别,会场,场次\n王小明,npc,main,s1\n".encode(), "a.csv")
    assert [row.name for row in rows] == ["王小明"] and problems == []


def test_ballots_are_answered_while_a_slow_roster_is_parsed(web: Web) -> None:
    csrf = signed_in_organiser(web)
    organiser = f"sanmin={web.client.cookies['sanmin']}"  # the shared code's session: a cookie of its own
    web.open("fgw")
    token = web.as_alice()  # the client is Alice's tablet from here on (her session is a server-side row)
    assert web.cast("fgw", "satisfied", token).status_code == 200  # the first ballot, before the upload
    slow = roster_with_sheet(many_rows)
    finished: list[float] = []

    def import_it() -> None:
        files = {"roster": ("名单.xlsx", slow, "application/octet-stream")}
        web.client.post(
            "/organiser/representatives/import",
            data={"csrf": csrf},
            files=files,
            headers={"Cookie": organiser},
            follow_redirects=False,
        )
        finished.append(time.perf_counter())

    importing = threading.Thread(target=import_it)
    importing.start()
    time.sleep(1)  # the child has started parsing
    answered = []
    for choice in ("basically_satisfied", "satisfied", "basically_satisfied", "satisfied"):
        sent = time.perf_counter()
        ballot = web.client.post(
            "/api/ballots",
            json={"department": "fgw", "client_id": uuid4().hex, "choice": choice},
            headers={"X-CSRF-Token": token},
        )
        answered.append((sent, time.perf_counter(), ballot.status_code, ballot.text))
    importing.join(timeout=120)

    assert [(status, text) for _, _, status, text in answered if status != 200] == []
    assert finished and all(done < finished[0] for _, done, _, _ in answered), (
        "answered while the parse still ran"
    )
    assert max(done - sent for sent, done, _, _ in answered) < 1.5
