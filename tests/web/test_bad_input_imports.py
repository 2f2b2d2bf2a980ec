"""名单导入的坏文件 — Hypothesis writes roster files (CSV in UTF-8, UTF-8 with BOM, GBK, UTF-16, and Excel)
with faults in them (empty cells, unknown categories / venues / sittings, bad phone numbers, names too
long, duplicated rows, missing / duplicated / unknown columns, wrong encodings) and uploads each to the
organiser's import screen: every bad file is refused with a Chinese list naming each bad row and only
those, nothing of it is recorded, and never a server error; the same rows without the faults import.

(tests/unit/test_roster.py fuzzes the parser alone; this goes through HTTP, the command and the store.)"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import Web

HEADER = ["姓名", "类别", "会场", "场次", "手机号"]
CATEGORIES = ["npc", "人大代表", "resident", "社区居民"]
VENUES = ["main", "主会场", "kdl", "昆都仑区分会场"]
SITTINGS = ["s1", "第一场", "s2", "第二场"]
PROBLEM = re.compile(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>")
EXAMPLES = 50

ROW_FAULTS = {
    "empty name": lambda row: [" ", *row[1:]],
    "empty category": lambda row: [row[0], "", *row[2:]],
    "empty venue": lambda row: [*row[:2], "", *row[3:]],
    "empty sitting": lambda row: [*row[:3], "", row[4]],
    "unknown category": lambda row: [row[0], "外星人", *row[2:]],
    "unknown venue": lambda row: [*row[:2], "火星分会场", *row[3:]],
    "unknown sitting": lambda row: [*row[:3], "第九场", row[4]],
    "phone of 10 digits": lambda row: [*row[:4], "1390000000"],
    "phone with a letter": lambda row: [*row[:4], "1390000000A"],
    "landline": lambda row: [*row[:4], "0472-5123456"],
    "phone in scientific notation": lambda row: [*row[:4], "1.39E+10"],
    "name of 51 characters": lambda row: ["长" * 51, *row[1:]],
}
HEADER_FAULTS = {
    "no 姓名 column": (lambda h: ["名字", *h[1:]], "缺少「姓名」列"),
    "no 场次 column": (lambda h: [*h[:3], "时段", h[4]], "缺少「场次」列"),
    "two 会场 columns": (lambda h: [*h[:4], "分会场"], "都是「会场」"),
    "English nonsense header": (lambda h: ["foo", "bar", "baz", "qux", "quux"], "找不到表头"),
}
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "xlsx"]
UNREADABLE = "无法识别文件内容"
WRONG_ENCODINGS = {
    "UTF-16 without its byte-order mark": (lambda text: text.encode("utf-16-le"), UNREADABLE),
    "UTF-32": (lambda text: text.encode("utf-32"), UNREADABLE),
    "UTF-8 with a stray byte": (
        lambda text: text.encode("utf-8").replace(b"\r\n", b"\x81\r\n", 1),
        UNREADABLE,
    ),
    "an Excel file cut short": (
        lambda text: xlsx([line.split(",") for line in text.splitlines()])[:1500],
        "无法读取这个 Excel 文件",
    ),
}


@dataclass
class RosterFile:
    """A roster as a table, where its faults are, and how it is written."""

    rows: list[list[str]]
    bad_lines: set[int] = field(default_factory=set)
    header_fault: str | None = None
    encoding: str = "utf-8"
    wrong_encoding: str | None = None
    blank_lines: list[int] = field(default_factory=list)

    @property
    def expected(self) -> str:
        if self.wrong_encoding:
            return WRONG_ENCODINGS[self.wrong_encoding][1]
        return HEADER_FAULTS[self.header_fault][1] if self.header_fault else ""

    def table(self, without_faults: bool = False) -> list[list[str]]:
        header = (
            HEADER if without_faults or not self.header_fault else HEADER_FAULTS[self.header_fault][0](HEADER)
        )
        body = [
            row for line, row in enumerate(self.rows, 2) if not (without_faults and line in self.bad_lines)
        ]
        return [header, *body]

    def content(self, without_faults: bool = False) -> tuple[str, bytes]:
        table = self.table(without_faults)
        if self.encoding == "xlsx" and not self.wrong_encoding:
            return "名单.xlsx", xlsx(table)
        delimiter = "\t" if self.encoding == "utf-16" else ","
        lines = [delimiter.join(row) for row in table]
        if not without_faults:
            for at in self.blank_lines:  # blank lines are skipped but keep the numbering, as Excel shows it
                lines.insert(at, "")
        text = "\r\n".join(lines) + "\r\n"
        if self.wrong_encoding:
            return "名单.csv", WRONG_ENCODINGS[self.wrong_encoding][0](text)
        return "名单.csv", text.encode(self.encoding)


def xlsx(table: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def roster_files(draw: st.DrawFn) -> RosterFile:
    """Good rows with at least one fault: bad rows, a duplicated row, a bad header, or a wrong encoding."""
    size = draw(st.integers(1, 12))
    surnames = st.sampled_from("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
    rows = []
    for index in range(size):
        name = draw(surnames) + draw(st.text("秀英建国丽娟伟强敏静军磊", min_size=1, max_size=2)) + str(index)
        phone = draw(st.sampled_from(["", f"139{index:08d}", f"+86 139 {index:04d} {index:04d}"]))
        cells = [
            name,
            draw(st.sampled_from(CATEGORIES)),
            draw(st.sampled_from(VENUES)),
            draw(st.sampled_from(SITTINGS)),
        ]
        padded = [
            draw(st.sampled_from(["", " ", "  "])) + cell + draw(st.sampled_from(["", " "])) for cell in cells
        ]
        rows.append([*padded, phone])
    roster = RosterFile(rows, encoding=draw(st.sampled_from(ENCODINGS)))
    kind = draw(st.sampled_from(["rows", "rows", "rows", "header", "encoding"]))
    if kind == "header":
        roster.header_fault = draw(st.sampled_from(sorted(HEADER_FAULTS)))
    elif kind == "encoding":
        roster.wrong_encoding = draw(st.sampled_from(sorted(WRONG_ENCODINGS)))
    else:
        spoil(draw, roster)
    return roster


def spoil(draw: st.DrawFn, roster: RosterFile) -> None:
    """Faults in some rows, maybe duplicated rows, and (in CSV) blank lines between rows."""
    lines = list(range(2, len(roster.rows) + 2))
    for line in draw(st.lists(st.sampled_from(lines), unique=True, max_size=len(lines))):
        fault = draw(st.sampled_from(sorted(ROW_FAULTS)))
        roster.rows[line - 2] = ROW_FAULTS[fault](roster.rows[line - 2])
        roster.bad_lines.add(line)
    good = [line for line in lines if line not in roster.bad_lines]
    for line in draw(st.lists(st.sampled_from(good), max_size=3)) if good else []:
        roster.rows.append(list(roster.rows[line - 2]))  # the same person again, further down
        roster.bad_lines.add(len(roster.rows) + 1)
    if not roster.bad_lines:
        roster.rows[0] = ROW_FAULTS["unknown venue"](roster.rows[0])
        roster.bad_lines.add(2)
    if roster.encoding != "xlsx":
        roster.blank_lines = draw(st.lists(st.integers(1, len(roster.rows)), max_size=2))


def renumbered(roster: RosterFile) -> set[int]:
    """The bad rows' lines in the file as written, blank lines included (inserted as ``content`` does)."""
    written: list[int | None] = list(range(1, len(roster.rows) + 2))
    for at in roster.blank_lines:
        written.insert(at, None)
    return {written.index(line) + 1 for line in roster.bad_lines}


def recorded(web: Web) -> int:
    return web.commands.recorder.max_notification_id() or 0


def upload(web: Web, csrf: str, name: str, content: bytes) -> object:
    files = {"roster": (name, content, "application/octet-stream")}
    return web.client.post(
        "/organiser/representatives/import", data={"csrf": csrf}, files=files, follow_redirects=False
    )


def problems(page: str) -> list[tuple[str, str]]:
    return [(line, html.unescape(message)) for line, message in PROBLEM.findall(page)]


def signed_in_organiser(web: Web) -> str:
    web.scan(web.commands.keys.organiser_code(web.round.key))
    return web.form_token()


def own(name: str, example: int) -> str:
    """The name made one example's own: every example imports into the same round, which refuses a row naming
    someone an earlier example imported (tests/integration/test_roster_reimport.py)."""
    return name.replace(name.strip(), f"{name.strip()}-{example}", 1) if name.strip() else name


def test_every_bad_roster_file_is_refused_row_by_row_and_nothing_of_it_is_imported(web: Web) -> None:
    csrf = signed_in_organiser(web)
    tried = []
    examples = iter(range(10**9))

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(roster=roster_files())
    def refused_then_imported_without_its_faults(roster: RosterFile) -> None:
        example = next(examples)
        roster.rows = [[own(row[0], example), *row[1:]] for row in roster.rows]
        before = recorded(web)
        answer = upload(web, csrf, *roster.content())
        tried.append(answer.status_code)  # type: ignore[attr-defined]
        assert answer.status_code == 422, answer.text[:500]  # type: ignore[attr-defined]
        page = answer.text  # type: ignore[attr-defined]
        assert "未导入任何代表" in page and "名单未导入" in page
        listed = problems(page)
        assert recorded(web) == before
        if roster.expected:
            assert any(roster.expected in message for _, message in listed), listed
            return
        lines = renumbered(roster)
        assert {int(line) for line, _ in listed} == lines, (listed, roster)
        assert all(message.startswith(f"第 {line} 行") for line, message in listed), listed
        good = len(roster.rows) - len(roster.bad_lines)
        if good:
            imported = upload(web, csrf, *roster.content(without_faults=True))
            if imported.status_code == 409:  # the same people as a roster an earlier example imported
                assert "这份名单已于此前导入" in imported.text  # type: ignore[attr-defined]
                assert recorded(web) == before
                return
            assert imported.status_code == 303, imported.text[:500]  # type: ignore[attr-defined]
            assert f"导入 {good} 名代表" in web.get("/organiser/representatives").text
            tried.append(imported.status_code)  # type: ignore[attr-defined]

    refused_then_imported_without_its_faults()
    refusals = tried.count(422)
    print(f"\nroster files over HTTP: {refusals} bad ones refused, {tried.count(303)} fixed ones imported")
    assert refusals >= EXAMPLES and set(tried) == {422, 303}


def test_a_100_000_row_file_with_three_bad_rows_is_refused_naming_them_and_imports_nothing(web: Web) -> None:
    lines = ["姓名,类别,会场,场次,手机号"]
    lines += [f"代表{n},社区居民,主会场,第一场,139{n:08d}" for n in range(100_000)]
    lines[1] = ",社区居民,主会场,第一场,"  # line 2: no name
    lines[50_000] = "代表49999,社区居民,火星分会场,第一场,"  # line 50,001: no such venue
    lines.append(lines[2])  # line 100,002: line 3 again
    content = ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")
    csrf = signed_in_organiser(web)
    before = recorded(web)
    answer = upload(web, csrf, "十万人名单.csv", content)
    assert answer.status_code == 422  # type: ignore[attr-defined]
    listed = problems(answer.text)  # type: ignore[attr-defined]
    assert [line for line, _ in listed] == ["2", "50001", "100002"]
    assert "缺少「姓名」" in listed[0][1] and "火星分会场" in listed[1][1] and "与第 3 行重复" in listed[2][1]
    assert recorded(web) == before
