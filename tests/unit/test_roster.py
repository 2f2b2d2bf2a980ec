"""市民代表名单 — what the roster parser accepts, what it reports, and what it refuses."""

from __future__ import annotations

import csv
import io
import random
import string
import time
import zipfile
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from evaluation import roster
from evaluation.roster import RosterError, RosterRow, RowProblem, parse_roster

HEADER = ["姓名", "类别", "会场", "场次", "手机号"]
Cell = str | int | float | datetime | None


def csv_bytes(rows: Sequence[Sequence[Cell]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Cell]], extra_sheet: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    if extra_sheet:
        book.create_sheet("说明").append(["姓名", "类别", "会场", "场次"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def excel_like_xlsx(rows: Sequence[Sequence[str | int]], dimension: str | None = None) -> bytes:
    """A minimal .xlsx as Excel itself writes it (shared strings; openpyxl always writes inline strings)."""
    strings: dict[str, int] = {}
    body = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{openpyxl.utils.get_column_letter(c + 1)}{r}"
            if isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>')
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    dimension = dimension or f"A1:E{len(rows)}"
    files = {
        "[Content_Types].xml": f'<Types xmlns="{pkg}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{pkg}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {main} xmlns:r="{rel}">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{pkg}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet {main}><dimension ref="{dimension}"/>'
        f"<sheetData>{''.join(body)}</sheetData></worksheet>",
        "xl/sharedStrings.xml": f'<sst {main} count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        + "</sst>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def refusal(data: bytes, filename: str = "名单.csv") -> RosterError:
    with pytest.raises(RosterError) as refused:
        parse_roster(data, filename)
    assert refused.value.problems, "a refusal always says why"
    assert str(refused.value) == "；".join(p.message for p in refused.value.problems)
    return refused.value


def messages(problems: list[RowProblem]) -> list[str]:
    return [p.message for p in problems]


GOOD = [
    HEADER,
    ["张三", "人大代表", "主会场", "第一场", "13812345678"],
    ["李四", "社区居民", "东区分会场", "第二场", ""],
]
EXPECTED = [
    RosterRow("张三", "人大代表", "主会场", "第一场", "13812345678", line=2),
    RosterRow("李四", "社区居民", "东区分会场", "第二场", None, line=3),
]


# --- good files -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_a_csv_roster_is_read_in_any_encoding_excel_saves(encoding: str) -> None:
    assert parse_roster(csv_bytes(GOOD, encoding), "名单.csv") == (EXPECTED, [])


def test_gb18030_keeps_rare_name_characters_that_gbk_lacks() -> None:
    rows, problems = parse_roster(
        csv_bytes([HEADER, ["王𠮷", "媒体", "主会场", "第一场", ""]], "gb18030"), "a.csv"
    )
    assert (rows[0].name, problems) == ("王𠮷", [])


def test_a_tab_separated_utf16_file_is_read_like_excels_unicode_text() -> None:
    assert parse_roster(csv_bytes(GOOD, "utf-16", "\t"), "名单.txt") == (EXPECTED, [])


def test_an_xlsx_roster_is_read_from_its_first_sheet_with_numeric_phones() -> None:
    data = xlsx_bytes(
        [
            HEADER,
            ["张三", "人大代表", "主会场", "第一场", 13812345678],
            ["李四", "社区居民", "东区分会场", "第二场", None],
            [" 王五\u3000", "媒体", "主会场", datetime(2024, 12, 20), 13912345678.0],
        ],
        extra_sheet=True,
    )
    rows, problems = parse_roster(data, "名单.xlsx")
    assert problems == []
    assert rows == [*EXPECTED, RosterRow("王五", "媒体", "主会场", "2024-12-20", "13912345678", line=4)]


def test_an_excel_written_xlsx_with_shared_strings_and_a_wrong_dimension_is_read_in_full() -> None:
    data = excel_like_xlsx(
        [HEADER, ["张三", "人大代表", "主会场", "第一场", 13812345678], ["李四"] * 4], "A1"
    )
    rows, problems = parse_roster(data, "名单.xlsx")
    assert [r.name for r in rows] == ["张三", "李四"] and problems == []


def test_the_content_decides_the_format_not_the_file_name() -> None:
    assert parse_roster(xlsx_bytes(GOOD), "名单.csv") == (EXPECTED, [])


def test_english_headers_in_any_case_with_spaces_and_required_marks_are_recognised() -> None:
    header = [" NAME ", "Category\u3000", "venue*", "Sitting", "Phone (optional)"]
    assert parse_roster(csv_bytes([header, *GOOD[1:]]), "a.csv") == (EXPECTED, [])


def test_header_aliases_column_order_and_unknown_columns() -> None:
    data = csv_bytes(
        [
            ["序号", "联系电话", "场次", "分会场", "代表类别", "代表姓名", "备注"],
            ["1", "", "上午", "北区", "媒体", "赵六", "x"],
        ]
    )
    assert parse_roster(data, "a.csv") == ([RosterRow("赵六", "媒体", "北区", "上午", None, line=2)], [])


def test_the_phone_column_is_optional() -> None:
    rows, problems = parse_roster(csv_bytes([HEADER[:4], GOOD[1][:4]]), "a.csv")
    assert (rows[0].phone, problems) == (None, [])


def test_a_title_row_above_the_header_is_skipped_and_lines_stay_as_excel_numbers_them() -> None:
    data = xlsx_bytes([["2024年度市民代表名单"], HEADER, GOOD[1]])
    assert parse_roster(data, "a.xlsx") == (
        [RosterRow("张三", "人大代表", "主会场", "第一场", "13812345678", line=3)],
        [],
    )


def test_whitespace_is_stripped_and_alignment_spaces_inside_chinese_names_removed() -> None:
    data = csv_bytes(
        [
            HEADER,
            ["\u3000张\u3000三 ", " 人大代表\t", "主会场\u3000", " 第一场", " 13812345678 "],
            ["John  Smith", "媒体", "主会场", "第一场", ""],
        ]
    )
    rows, problems = parse_roster(data, "a.csv")
    assert problems == [] and [r.name for r in rows] == ["张三", "John Smith"]
    assert rows[0] == EXPECTED[0]


def test_empty_rows_are_skipped_silently_and_do_not_shift_line_numbers() -> None:
    data = csv_bytes([HEADER, [], GOOD[1], ["", " ", "\u3000", "", ""], [], GOOD[2], [], []])
    rows, problems = parse_roster(data, "a.csv")
    assert problems == [] and [r.line for r in rows] == [3, 6]


def test_a_formula_like_value_is_kept_as_plain_text() -> None:
    formula = "=cmd|' /C calc'!A0"
    rows, problems = parse_roster(csv_bytes([HEADER, [formula, "媒体", "主会场", "第一场", ""]]), "a.csv")
    assert (rows[0].name, problems) == (formula, [])
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["x", "媒体", "主会场", "第一场"])
    sheet["A2"].value, sheet["A2"].data_type = formula, "s"  # a text cell, as Excel stores '=...
    out = io.BytesIO()
    book.save(out)
    assert parse_roster(out.getvalue(), "a.xlsx")[0][0].name == formula


# --- bad rows ---------------------------------------------------------------------------------------------


def test_missing_cells_are_reported_per_column_with_the_line_and_the_files_own_column_title() -> None:
    data = csv_bytes(
        [HEADER, GOOD[1], ["王五", "", "主会场", "第一场"], ["赵六", "\u3000", " ", "第一场", ""], ["钱七"]]
    )
    rows, problems = parse_roster(data, "a.csv")
    assert rows == EXPECTED[:1]
    assert messages(problems) == [
        "第 3 行：缺少「类别」",
        "第 4 行：缺少「类别」",
        "第 4 行：缺少「会场」",
        "第 5 行：缺少「类别」",
        "第 5 行：缺少「会场」",
        "第 5 行：缺少「场次」",
    ]
    english = csv_bytes([["name", "Category", "venue", "sitting"], ["x", "", "v", "s"]])
    assert messages(parse_roster(english, "a.csv")[1]) == ["第 2 行：缺少「Category」"]


def test_a_name_may_have_at_most_fifty_characters() -> None:
    data = csv_bytes(
        [HEADER, ["名" * 50, "媒体", "主会场", "第一场"], ["名" * 51, "媒体", "主会场", "第一场"]]
    )
    rows, problems = parse_roster(data, "a.csv")
    assert [r.line for r in rows] == [2]
    assert messages(problems) == ["第 3 行：「姓名」超过 50 个字（51 个字）"]


@pytest.mark.parametrize(
    ("phone", "complaint"),
    [
        ("1381234", "不是 11 位数字"),
        ("138123456789", "不是 11 位数字"),
        ("1381234567a", "不是 11 位数字"),
        ("23812345678", "不是大陆手机号（应以 13～19 开头）"),
        ("12812345678", "不是大陆手机号（应以 13～19 开头）"),
        ("1.38123E+10", "被 Excel 显示成了科学计数法"),
    ],
)
def test_a_bad_phone_is_reported_with_what_was_written(phone: str, complaint: str) -> None:
    rows, problems = parse_roster(csv_bytes([HEADER, ["张三", "媒体", "主会场", "第一场", phone]]), "a.csv")
    assert rows == []
    assert len(problems) == 1 and problems[0].line == 2
    assert problems[0].message.startswith(f"第 2 行：手机号「{phone}」{complaint}")


@pytest.mark.parametrize(
    "written",
    ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+8613812345678", "0086 13812345678",
     "86-138-1234-5678", "(+86) 138-1234-5678", "１３８１２３４５６７８", "＋86 138　1234　5678"],
)  # fmt: skip
def test_phones_are_normalised_to_eleven_digits(written: str) -> None:
    rows, problems = parse_roster(csv_bytes([HEADER, ["张三", "媒体", "主会场", "第一场", written]]), "a.csv")
    assert (rows[0].phone, problems) == ("13812345678", [])


def test_duplicates_name_the_earlier_line() -> None:
    data = csv_bytes(
        [
            HEADER,
            ["张三", "人大代表", "主会场", "第一场", "13812345678"],
            ["李四", "社区居民", "主会场", "第一场", ""],
            ["张三", "媒体", "北区", "第二场", "+86 138-1234-5678"],  # same name and phone: same person
            ["张三", "人大代表", "主会场", "第一场", "13912345678"],  # namesake with another phone
            ["李四", "社区居民", "主会场", "第一场", ""],  # no phones, same name and placement
            ["李四", "社区居民", "北区", "第一场", ""],  # namesake elsewhere
            ["张\u3000三", "人大代表", "主会场", "第一场", "13812345678"],
        ]
    )
    rows, problems = parse_roster(data, "a.csv")
    assert [r.line for r in rows] == [2, 3, 5, 7]
    assert messages(problems) == [
        "第 4 行与第 2 行重复：姓名「张三」",
        "第 6 行与第 3 行重复：姓名「李四」",
        "第 8 行与第 2 行重复：姓名「张三」",
    ]


def test_problems_come_in_line_order_and_good_rows_are_still_returned() -> None:
    data = csv_bytes([HEADER, ["", "媒体", "主会场", "第一场", "1"], GOOD[1], ["x", "", "", "", ""]])
    rows, problems = parse_roster(data, "a.csv")
    assert [r.line for r in rows] == [3]
    assert [p.line for p in problems] == sorted(p.line for p in problems) == [2, 2, 4, 4, 4]


def test_a_row_with_a_problem_is_still_read_for_the_round_to_check_its_placement() -> None:
    """Only the round knows its categories, venues and sittings: read_roster gives it the bad rows too, so one
    upload lists every problem (the bad phone left out, the blank cells reported here already)."""
    data = csv_bytes(
        [HEADER, ["赵三", "rd", "无此会场", "s1", "abc"], GOOD[1], ["", "外星人", "", "第一场", ""]]
    )
    rows, problems, flawed = roster.read_roster(data, "a.csv")
    assert (rows, problems) == parse_roster(data, "a.csv")
    assert rows == [RosterRow("张三", "人大代表", "主会场", "第一场", "13812345678", line=3)]
    assert flawed == [
        RosterRow("赵三", "rd", "无此会场", "s1", None, line=2),
        RosterRow("", "外星人", "", "第一场", None, line=4),
    ]


# --- unusable files ---------------------------------------------------------------------------------------


def test_missing_required_columns_are_all_listed() -> None:
    error = refusal(csv_bytes([["姓名", "手机号", "类别"], ["张三", "", "媒体"]]))
    assert [p.line for p in error.problems] == [1, 1]
    assert "缺少「会场」列" in str(error) and "缺少「场次」列" in str(error)
    assert "分会场" in error.problems[0].message, "the message says how the column may be titled"


def test_a_column_given_twice_is_refused() -> None:
    error = refusal(csv_bytes([["姓名", "类别", "name", "会场", "场次"], ["a", "b", "c", "d", "e"]]))
    assert messages(error.problems) == ["第 1 行（表头）：A 列和 C 列都是「姓名」，请删去一列"]


@pytest.mark.parametrize(
    "data", [b"", b" \r\n\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n,,,\r\n", "".encode("utf-16")]
)
def test_an_empty_file_is_refused(data: bytes) -> None:
    assert messages(refusal(data).problems) == ["文件是空的"]


def test_a_header_without_rows_is_refused() -> None:
    assert "只有表头" in str(refusal(csv_bytes([HEADER, [], ["", ""]])))
    assert "只有表头" in str(refusal(xlsx_bytes([HEADER]), "a.xlsx"))


def test_a_file_without_a_header_is_refused() -> None:
    assert "找不到表头" in str(refusal(csv_bytes([GOOD[1]] * 20)))


@pytest.mark.parametrize(
    ("data", "filename", "says"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(50), "名单.csv", "图片"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "photo.jpg", "图片"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "名单.pdf", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "名单.xls", ".xls"),
        (random.Random(7).randbytes(4096), "名单.csv", "无法识别"),
        (b"\x00\x01\x02garbage\x00", "名单.csv", "无法识别"),
        (b"\xff\xfe\x00\xd8", "名单.csv", "无法识别"),  # UTF-16 BOM, then a lone surrogate
        ("姓名,类别,会场,场次\n".encode() + b"\x81", "名单.csv", "无法识别"),  # neither UTF-8 nor GB18030
        (csv_bytes(GOOD), "名单.xlsx", "不是 Excel"),
        (b"PK\x03\x04" + bytes(100), "名单.xlsx", "无法读取"),
        (xlsx_bytes(GOOD)[:3000], "名单.xlsx", "Excel"),
    ],
)
def test_a_file_that_is_not_a_roster_is_refused_with_a_reason(data: bytes, filename: str, says: str) -> None:
    assert says in str(refusal(data, filename))


def test_a_utf8_roster_with_a_stray_byte_is_refused_as_damaged_at_its_line_not_read_as_gbk() -> None:
    header, row = "姓名,类别,会场,场次,手机号".encode(), "\r\n王丽0,npc,main,s1,\r\n".encode()
    assert (header + b"\x81" + row).decode("gb18030")  # these bytes happen to be GB18030 (nonsense) too
    refused = refusal(header + b"\x81" + row)
    assert [(p.line, "无法识别" in p.message and "UTF-8" in p.message) for p in refused.problems] == [
        (1, True)
    ]
    third = header + row + "李四,社区居民,东区分会场,第二场,".encode() + b"\xff\r\n"
    assert [p.line for p in refusal(third).problems] == [3]


def test_a_replacement_character_typed_in_a_name_is_not_taken_for_damage() -> None:
    rows, problems = parse_roster(csv_bytes([HEADER, ["王\ufffd", "媒体", "主会场", "第一场", ""]]), "a.csv")
    assert (rows[0].name, problems) == ("王\ufffd", [])


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("名单.csv", csv_bytes(GOOD))
    assert "无法读取" in str(refusal(out.getvalue(), "名单.zip"))


def test_a_file_over_the_row_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert roster.MAX_ROWS == 200_000
    monkeypatch.setattr(roster, "MAX_ROWS", 3)
    assert (
        len(parse_roster(csv_bytes([HEADER, *[[f"代表{i}", "a", "b", "c"] for i in range(3)]]), "a.csv")[0])
        == 3
    )
    error = refusal(csv_bytes([HEADER, *[[f"代表{i}", "a", "b", "c"] for i in range(4)]]))
    assert error.problems[0].line == 5 and "上限" in error.problems[0].message


def test_an_unparsable_csv_line_is_refused_with_its_line() -> None:
    error = refusal(csv_bytes(GOOD) + b'"' + b"x" * (csv.field_size_limit() + 1))
    assert error.problems[0].line == 4


# --- scale ------------------------------------------------------------------------------------------------


def big_roster(n: int) -> list[list[str | int]]:
    return [
        HEADER,
        *([f"代表{i}", "社区居民", f"分会场{i % 12}", f"第{i % 4 + 1}场", 13000000000 + i] for i in range(n)),
    ]


def test_a_100000_row_csv_is_read() -> None:
    data = csv_bytes(big_roster(100_000), "gb18030")
    started = time.perf_counter()
    rows, problems = parse_roster(data, "名单.csv")
    print(f"100,000-row CSV: {time.perf_counter() - started:.1f} s")
    assert (len(rows), problems) == (100_000, [])
    assert rows[-1] == RosterRow("代表99999", "社区居民", "分会场3", "第4场", "13000099999", line=100_001)


def test_a_100000_row_xlsx_is_read() -> None:
    data = excel_like_xlsx(big_roster(100_000))
    started = time.perf_counter()
    rows, problems = parse_roster(data, "名单.xlsx")
    print(f"100,000-row XLSX: {time.perf_counter() - started:.1f} s")
    assert (len(rows), problems) == (100_000, [])
    assert rows[-1] == RosterRow("代表99999", "社区居民", "分会场3", "第4场", "13000099999", line=100_001)


# --- generated rosters ------------------------------------------------------------------------------------

FIELDS = ("name", "category", "venue", "sitting")
ZH_TITLES = {"name": ["姓名", "代表姓名"], "category": ["类别", "代表类别"], "venue": ["会场", "分会场"],
             "sitting": ["场次"], "phone": ["手机", "手机号", "手机号码", "电话", "联系电话"]}  # fmt: skip
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
WORD = st.text(st.one_of(CJK, st.sampled_from(string.ascii_letters + string.digits)), min_size=1, max_size=8)
NAME = st.text(st.one_of(CJK, st.sampled_from(string.ascii_letters + "·")), min_size=1, max_size=12)
NOTE = st.text(st.one_of(CJK, st.sampled_from(string.ascii_letters + ",\"; '")), max_size=5)
PAD = st.text(st.sampled_from(" \u3000\t\n\xa0"), max_size=2)
PHONE = st.builds(lambda second, rest: f"1{second}{rest:09d}", st.integers(3, 9), st.integers(0, 10**9 - 1))
PHONE_STYLES: list[Callable[[str], str]] = [
    lambda p: p,
    lambda p: f"+86 {p}",
    lambda p: f"{p[:3]}-{p[3:7]}-{p[7:]}",
    lambda p: f"0086{p}",
    lambda p: f" {p[:3]} {p[3:7]} {p[7:]}",
]


@dataclass
class Generated:
    data: bytes
    filename: str
    expected_rows: list[RosterRow]
    expected_problems: dict[int, list[str]]  # line -> fragments its problems must contain
    has_data: bool


@st.composite
def rosters(draw: st.DrawFn) -> Generated:
    phone_column = draw(st.booleans())
    fields = [*FIELDS, "phone"] if phone_column else list(FIELDS)
    english = draw(st.booleans())
    titles = {
        f: draw(st.sampled_from([f, f.upper(), f.title()] if english else ZH_TITLES[f])) for f in fields
    }
    order = draw(st.permutations([*fields, "备注"] if draw(st.booleans()) else fields))
    header = [draw(st.text(st.sampled_from(" \u3000"), max_size=2)) + titles.get(f, f) for f in order]
    names = draw(st.lists(NAME, max_size=25, unique=True))

    table: list[list[Cell]] = [header]
    expected_rows: list[RosterRow] = []
    expected_problems: dict[int, list[str]] = {}
    good: list[tuple[int, dict[str, str]]] = []  # line and values of every good row, for duplicates
    for name in names:
        line = len(table) + 1
        kinds = (
            ["good", "good", "missing", "long", "empty"] + ["dup"] * bool(good) + ["bad phone"] * phone_column
        )
        kind = draw(st.sampled_from(kinds))
        values = {f: draw(WORD) for f in FIELDS} | {"name": name, "phone": ""}
        if phone_column:
            values["phone"] = draw(st.one_of(st.just(""), PHONE))
        written = dict(values)
        if kind == "good":
            phone = values["phone"] or None
            expected_rows.append(
                RosterRow(name, values["category"], values["venue"], values["sitting"], phone, line=line)
            )
            good.append((line, values))
        elif kind == "missing":
            missing = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3, unique=True))
            written |= {f: draw(PAD) for f in missing}
            expected_problems[line] = [f"第 {line} 行：缺少「{titles[f]}」" for f in missing]
        elif kind == "long":
            written["name"] = name + "长" * 51
            expected_problems[line] = [f"第 {line} 行：「{titles['name']}」超过 50 个字"]
        elif kind == "bad phone":
            written["phone"] = draw(st.text(st.sampled_from(string.digits), min_size=5, max_size=10))
            expected_problems[line] = [f"第 {line} 行：{titles['phone']}「{written['phone']}」不是 11 位数字"]
        elif kind == "dup":
            earlier, written = draw(st.sampled_from(good))
            expected_problems[line] = [f"第 {line} 行与第 {earlier} 行重复"]
        elif kind == "empty":
            written = {f: draw(PAD) for f in written}
        cells: list[Cell] = [draw(PAD) + written.get(f, "") + draw(PAD) for f in order if f != "备注"]
        if "备注" in order:
            cells.insert(order.index("备注"), "" if kind == "empty" else draw(NOTE))
        if kind != "empty" and written["phone"]:
            styled = (
                draw(st.sampled_from(PHONE_STYLES))(written["phone"])
                if kind != "bad phone"
                else written["phone"]
            )
            cells[order.index("phone")] = styled
        table.append(cells)

    form = draw(st.sampled_from(["csv", "tsv", "xlsx"]))
    if form == "xlsx":
        data, filename = xlsx_bytes(table), "名单.xlsx"
    else:
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
        data, filename = csv_bytes(table, encoding, "\t" if form == "tsv" else ","), f"名单.{form}"
        text = csv_bytes(table, "utf-8").decode()
        with suppress(UnicodeDecodeError):  # a short GB18030 file may also be valid UTF-8: truly ambiguous
            assume(encoding != "gb18030" or data.decode("utf-8") == text)
    return Generated(
        data, filename, expected_rows, expected_problems, bool(expected_rows or expected_problems)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rosters())
def test_generated_rosters_round_trip_and_every_broken_row_is_reported_at_its_line(case: Generated) -> None:
    if not case.has_data:
        assert "只有表头" in str(refusal(case.data, case.filename))
        return
    rows, problems = parse_roster(case.data, case.filename)
    assert rows == case.expected_rows
    assert {p.line for p in problems} == set(case.expected_problems)
    for line, fragments in case.expected_problems.items():
        reported = [p.message for p in problems if p.line == line]
        for fragment in fragments:
            assert any(m.startswith(fragment) for m in reported), (fragment, reported)


SAMPLES = [csv_bytes(GOOD), csv_bytes(GOOD, "gb18030"), csv_bytes(GOOD, "utf-16", "\t"), xlsx_bytes(GOOD)]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(0, len(data)))])


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.binary(max_size=600), damaged()), st.sampled_from(["名单.csv", "名单.xlsx", "名单", "a.png"])
)
def test_any_bytes_give_rows_and_problems_or_a_roster_error_and_nothing_else(
    data: bytes, filename: str
) -> None:
    try:
        rows, problems = parse_roster(data, filename)
    except RosterError as error:
        assert error.problems and all(p.message for p in error.problems)
    else:
        assert all(isinstance(r, RosterRow) for r in rows) and all(
            isinstance(p, RowProblem) for p in problems
        )
