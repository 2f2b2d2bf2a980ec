"""市民代表名单 — reading the representative roster files organisers keep (CSV or Excel .xlsx).

Pure: bytes in, rows and problems out; no I/O, and nothing in a cell is evaluated ("=1+1" stays that text).
A file that cannot be read as a roster at all raises ``RosterError``. Otherwise every bad row is reported as a
``RowProblem`` with its line as Excel shows it (header = line 1), and the good rows are returned. The caller
imports nothing when any problem is returned (all rows or none): that rule belongs to the application
(``evaluation.registration``), not to this parser. ``read_roster`` also returns the bad rows as far as they
could be read, so that the application checks their category, venue and sitting too (every problem at once).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import NoReturn

from evaluation.workbook_limits import UNREADABLE, opened_workbook, workbook_problem

MAX_ROWS = 200_000
MAX_NAME = 50
HEADER_SEARCH = 10  # title rows ("2024年市民代表名单") may precede the header
REQUIRED = ("name", "category", "venue", "sitting")
ALIASES = {
    "name": ("姓名", "代表姓名", "name"),
    "category": ("类别", "代表类别", "category"),
    "venue": ("会场", "分会场", "venue"),
    "sitting": ("场次", "sitting"),
    "phone": ("手机", "手机号", "手机号码", "电话", "联系电话", "phone"),
}
_FIELD_OF = {alias: field for field, aliases in ALIASES.items() for alias in aliases}
_NOT_A_ROSTER = "，不是名单：请上传 Excel（.xlsx）或 CSV 文件"
_MAGIC = {
    b"\x89PNG": "这是图片" + _NOT_A_ROSTER,
    b"\xff\xd8\xff": "这是图片" + _NOT_A_ROSTER,
    b"GIF8": "这是图片" + _NOT_A_ROSTER,
    b"%PDF": "这是 PDF 文件" + _NOT_A_ROSTER,
    b"\xd0\xcf\x11\xe0": "这是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 或 CSV 后再上传",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HEADER_NOISE = re.compile(r"[*\s]|\(.*?\)")  # "姓名*", "手机号（选填）"
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")  # "张　三" padded for alignment
_PHONE_SEPARATORS = re.compile(r"[\s\-()]")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")

Table = Iterator[tuple[int, list[str]]]


@dataclass(frozen=True)
class Listed:
    """A representative as a roster file (or a round's plan) lists them: category, venue and sitting by key or
    by name, until registration resolves them to the round's keys."""

    name: str
    category: str
    venue: str
    sitting: str
    phone: str | None


@dataclass(frozen=True)
class RosterRow(Listed):
    line: int
    """The row's line in the file (0 for one registered by hand)."""


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


class RosterError(Exception):
    """The file as a whole is not a usable roster; ``problems`` says why."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__("；".join(problem.message for problem in problems))


def _refuse(message: str, line: int = 0) -> NoReturn:
    raise RosterError([RowProblem(line, message)])


def parse_roster(data: bytes, filename: str) -> tuple[list[RosterRow], list[RowProblem]]:
    """Read a 市民代表名单; returns (good rows, problems). Raises RosterError for an unusable file."""
    rows, problems, _ = read_roster(data, filename)
    return rows, problems


def read_roster(data: bytes, filename: str) -> tuple[list[RosterRow], list[RowProblem], list[RosterRow]]:
    """``parse_roster``'s good rows and problems, and the rows with a problem as far as they were read (a bad
    phone left out), whose category, venue and sitting only the round can check."""
    if not data.strip():
        _refuse("文件是空的")
    is_xlsx = data.startswith((b"PK\x03\x04", b"PK\x05\x06"))
    table = _xlsx_table(data) if is_xlsx else _csv_table(_decode(data, filename))
    columns, titles = _find_header(table)
    rows, problems, flawed = _read_body(table, columns, titles)
    if not rows and not problems:
        _refuse("名单中只有表头，没有代表")
    return rows, problems, flawed


def _decode(data: bytes, filename: str) -> str:
    for magic, message in _MAGIC.items():
        if data.startswith(magic):
            _refuse(message)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        _refuse("文件名是 .xlsx，但内容不是 Excel 文件（可能已损坏）")
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and (line := _damaged_utf8(data)):
        _refuse(
            f"无法识别文件内容：第 {line} 行有不属于 UTF-8 的字节，文件可能已损坏；请重新导出后再上传", line
        )
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text):
            return text
    _refuse("无法识别文件内容：请上传 Excel（.xlsx）文件，或 UTF-8 / GBK 编码的 CSV 文件")


def _damaged_utf8(data: bytes) -> int | None:
    """The line of the first bad byte of UTF-8 text with a few bad bytes in it (a damaged file), else None.

    Such a file can happen to decode as GB18030 into nonsense, which would then be refused for its header;
    GBK text read as UTF-8 is almost all bad bytes, so it is not taken for damaged UTF-8."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as error:
        first = error.start
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())  # a real U+FFFD in the text is not bad
    readable = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return data[:first].count(b"\n") + 1 if readable >= 4 * bad else None


def _csv_table(text: str) -> Table:
    first = next((line for line in text[:65536].splitlines() if line.strip()), "")
    # Excel's "Unicode text" (UTF-16) export is tab-separated; its CSV exports use commas.
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    line = 0
    try:
        for line, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
            yield line, [" ".join(cell.split()) for cell in cells]
    except csv.Error:  # in practice a cell over csv.field_size_limit(), e.g. an unclosed quote
        _refuse(f"第 {line + 1} 行无法读取：单元格内容过长，或引号没有配对", line + 1)


def _xlsx_table(data: bytes) -> Table:
    if problem := workbook_problem(data):
        _refuse(problem)
    if (book := opened_workbook(data)) is None:
        _refuse(UNREADABLE)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong size; read what is really there
        for line, values in enumerate(sheet.iter_rows(values_only=True), 1):
            yield line, [_cell_text(value) for value in values]
    except Exception:
        _refuse("Excel 文件内容已损坏，无法读取第一个工作表")
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone typed as a number: 13812345678.0
    elif isinstance(value, datetime):
        value = value.date() if value.time() == time() else value.isoformat(" ", "minutes")
    if isinstance(value, date | time):
        value = value.isoformat()
    return " ".join(str(value).split())


def _find_header(table: Table) -> tuple[dict[str, int], dict[str, str]]:
    searched = 0
    for line, cells in table:
        if not any(cells):
            continue
        columns = _header_columns(line, cells)
        if columns:
            missing = [field for field in REQUIRED if field not in columns]
            if missing:
                raise RosterError([RowProblem(line, _missing_column(line, field)) for field in missing])
            return columns, {field: cells[index] for field, index in columns.items()}
        searched += 1
        if searched == HEADER_SEARCH:
            break
    if not searched:
        _refuse("文件是空的")
    _refuse("找不到表头：第一行应是列名，至少包含「姓名」「类别」「会场」「场次」四列")


def _header_columns(line: int, cells: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        field = _FIELD_OF.get(_HEADER_NOISE.sub("", unicodedata.normalize("NFKC", cell)).casefold())
        if field is None:
            continue
        if field in columns:
            from openpyxl.utils import get_column_letter  # only here: a CSV's parse need not load openpyxl

            letters = f"{get_column_letter(columns[field] + 1)} 列和 {get_column_letter(index + 1)} 列"
            _refuse(f"第 {line} 行（表头）：{letters}都是「{ALIASES[field][0]}」，请删去一列", line)
        columns[field] = index
    return columns


def _missing_column(line: int, field: str) -> str:
    return f"第 {line} 行（表头）：缺少「{ALIASES[field][0]}」列（列名可写作：{'、'.join(ALIASES[field])}）"


def _parse_body(
    table: Iterable[tuple[int, list[str]]], columns: dict[str, int], titles: dict[str, str]
) -> tuple[list[RosterRow], list[RowProblem]]:
    rows, problems, _ = _read_body(table, columns, titles)
    return rows, problems


def _read_body(
    table: Iterable[tuple[int, list[str]]], columns: dict[str, int], titles: dict[str, str]
) -> tuple[list[RosterRow], list[RowProblem], list[RosterRow]]:
    rows: list[RosterRow] = []
    problems: list[RowProblem] = []
    flawed: list[RosterRow] = []
    first_seen: dict[tuple[str, ...], int] = {}
    count = 0
    for line, cells in table:
        if not any(cells):
            continue
        count += 1
        if count > MAX_ROWS:
            _refuse(f"名单超过 {MAX_ROWS:,} 行的上限，请拆分成几个文件分别导入", line)
        values = {field: cells[index] if index < len(cells) else "" for field, index in columns.items()}
        row, wrong = _check_row(line, values, titles)
        problems.extend(RowProblem(line, f"第 {line} 行：{message}") for message in wrong)
        if wrong:
            flawed.append(row)
            continue
        earlier = first_seen.setdefault(identity(row), line)
        if earlier == line:
            rows.append(row)
        else:
            problems.append(duplicate(row, f"第 {earlier} 行"))
    return rows, problems, flawed


def duplicate(row: RosterRow, earlier: str) -> RowProblem:
    """The row names someone ``earlier`` named already (a row above it, or one the round has)."""
    return RowProblem(row.line, f"第 {row.line} 行与{earlier}重复：姓名「{row.name}」")


def _check_row(line: int, values: dict[str, str], titles: dict[str, str]) -> tuple[RosterRow, list[str]]:
    """The row as read (a bad phone left out) and what is wrong with it, each naming the column by its title
    in the file."""
    wrong = [f"缺少「{titles[field]}」" for field in REQUIRED if not values[field]]
    name = _CJK_GAP.sub("", values["name"])
    if len(name) > MAX_NAME:
        wrong.append(f"「{titles['name']}」超过 {MAX_NAME} 个字（{len(name)} 个字）")
    phone, complaint = normalise_phone(values.get("phone", ""))
    if complaint:
        wrong.append(f"{titles['phone']}「{values['phone']}」{complaint}")
    return RosterRow(name, values["category"], values["venue"], values["sitting"], phone, line), wrong


def normalise_phone(raw: str) -> tuple[str | None, str | None]:
    """Normalised 11-digit mobile number (or None when blank), and what is wrong with it if anything."""
    if not raw or _MOBILE.fullmatch(raw):
        return raw or None, None
    digits = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    if "E+" in digits.upper():
        return None, "被 Excel 显示成了科学计数法，号码已丢失：请把该列设为“文本”格式后重新填写"
    for prefix in ("+86", "0086", "86"):
        if len(digits) == 11 + len(prefix) and digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if len(digits) != 11 or not (digits.isascii() and digits.isdigit()):
        return None, "不是 11 位数字"
    if not _MOBILE.fullmatch(digits):
        return None, "不是大陆手机号（应以 13～19 开头）"
    return digits, None


def identity(row: Listed) -> tuple[str, ...]:
    """Two rows are the same person: same name and phone, or, with no phone, the same name and placement.
    (Within a file placement is compared as written; against the round, as its keys.)"""
    return (row.name, row.phone) if row.phone else (row.name, "", row.category, row.venue, row.sitting)
