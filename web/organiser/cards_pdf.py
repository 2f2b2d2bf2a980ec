"""评议卡 PDF — credential cards on A4 sheets, 10 to a page (2 × 5, with cut lines), each with the round's
title, the representative's name and number, sitting and venue, the code as XXXXX-XXXXX and a QR code of
``{base_url}/login#code=…`` (the fragment never reaches the server: web/public/home.py). The QR code is
drawn as vector rectangles (no image per card), so a sitting's thousands of cards take seconds. Pure: card data in, PDF bytes out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import qrcode
from fpdf import FPDF
from qrcode.constants import ERROR_CORRECT_M

from evaluation.keys import format_code
from web.platform.pdf_font import new_pdf

COLUMNS, ROWS = 2, 5
MARGIN_X, MARGIN_Y = 10.0, 11.0
CARD_W, CARD_H = (210 - 2 * MARGIN_X) / COLUMNS, (297 - 2 * MARGIN_Y) / ROWS
PAD = 4.0
QR_SIZE = 29.0
PT = 25.4 / 72
NAME_SIZE = 17.0
"""The holder's name, in points, when it fits."""
NAME_BOX = 8.5
"""mm from the name's top to the first detail line, on a card whose name fits one line at ``ONE_LINE_FLOOR``."""
ONE_LINE_FLOOR = 12.0
PREFERRED = 0.85
DETAILS_END = 37.5
"""mm from the card's top: the detail lines end here, above the 登录码 line."""
LEADING = 1.15
SEPARATORS = "·・•． -‐－—"


@dataclass(frozen=True)
class Card:
    name: str
    number: int
    sitting: str
    venue: str
    code: str
    """The credential code, 10 characters without the dash."""


class QrMaker:
    """QR codes of one kind of URL: version and mask are chosen for the first (all have the same length)."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.mask: int | None = None

    def matrix(self, data: str) -> list[list[bool]]:
        qr = qrcode.QRCode(
            version=self.version, error_correction=ERROR_CORRECT_M, border=0, mask_pattern=self.mask
        )
        qr.add_data(data)
        if self.version is None:
            qr.make(fit=True)
            self.version, self.mask = qr.version, qr.best_mask_pattern()
        qr.make(fit=False)
        matrix: list[list[bool]] = qr.get_matrix()
        return matrix


def draw_qr(pdf: FPDF, matrix: list[list[bool]], x: float, y: float, size: float) -> None:
    """One filled path: a rectangle per horizontal run of dark modules.

    Written as raw PDF operators (fpdf2's ``_out``, exactly what its ``rect`` writes, without the
    per-call checks): a card's ~300 rectangles one by one would make a sitting's cards take minutes.
    """
    k, cell = pdf.k, size / len(matrix)
    ops = []
    for r, row in enumerate(matrix):
        top = (pdf.h - y - r * cell) * k
        for start, end in runs(row):
            ops.append(
                f"{(x + start * cell) * k:.2f} {top:.2f} {(end - start) * cell * k:.2f} {-cell * k:.2f} re"
            )
    pdf.set_fill_color(0)
    pdf._out(" ".join(ops) + " f")


def runs(row: list[bool]) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    found, start = [], None
    for c, dark in enumerate([*row, False]):
        if dark and start is None:
            start = c
        elif not dark and start is not None:
            found.append((start, c))
            start = None
    return found


def fitted(pdf: FPDF, text: str, width: float) -> str:
    """The text, cut with … so that it fits ``width`` at the current font size."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def line(pdf: FPDF, x: float, y: float, width: float, size: float, text: str) -> None:
    """One line of text whose top is at ``y`` (mm), at ``size`` points, cut to ``width``."""
    pdf.set_font_size(size)
    pdf.text(x, y + size * PT * 0.88, fitted(pdf, text, width))


def units(name: str, level: int) -> list[str]:
    """The pieces a name may be broken between. Level 0: its parts (a line breaks only after a separator: ·, a
    space, a hyphen); 1: each character, but a run of Latin letters or digits stays whole; 2: each character.
    A separator stays at the end of the piece before it, so that no line starts with one."""
    pieces: list[str] = []
    for char in name:
        last = pieces[-1][-1:] if pieces else ""
        latin = char.isascii() and char.isalnum() and last.isascii() and last.isalnum()
        if pieces and (
            char in SEPARATORS or (level == 0 and last not in SEPARATORS) or (level == 1 and latin)
        ):
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def balanced(widths: list[float], count: int) -> tuple[float, list[int]]:
    """The widest line, and where the lines start, when pieces of these widths are cut into at most ``count``
    lines with the widest as narrow as it can be."""
    n = len(widths)
    ends = [0.0]
    for w in widths:
        ends.append(ends[-1] + w)
    best: dict[tuple[int, int], tuple[float, list[int]]] = {}

    def cut(start: int, left: int) -> tuple[float, list[int]]:
        if left == 1 or start == n:
            return ends[n] - ends[start], [start]
        if (start, left) not in best:
            options = [(ends[n] - ends[start], [start])]
            for stop in range(start + 1, n):
                rest, starts = cut(stop, left - 1)
                options.append((max(ends[stop] - ends[start], rest), [start, *starts]))
            best[start, left] = min(options, key=lambda o: (o[0], len(o[1])))
        return best[start, left]

    return cut(0, count)


def name_lines(pdf: FPDF, name: str, width: float, height: float, most: int) -> tuple[float, list[str]]:
    """The largest size (points, at most ``NAME_SIZE``) and the lines (at most ``most``) at which ``name`` fits a
    box ``width`` × ``height`` mm whole. Lines break after the name's separators, else between words (a Latin
    word kept whole), else anywhere: the first of these whose size is at least ``PREFERRED`` of the largest."""
    if not name.strip():
        return NAME_SIZE, [""]
    fits: list[tuple[float, list[str]]] = []
    pdf.set_font_size(10)
    for level in (0, 1, 2):
        pieces = units(name.strip(), level)
        widths = [pdf.get_string_width(p) / 10 for p in pieces]  # mm at 1 pt
        best: tuple[float, list[str]] = (0.0, [name])
        for count in range(1, min(most, len(pieces)) + 1):
            widest, starts = balanced(widths, count)
            lines = [
                "".join(pieces[a:b]).strip() for a, b in zip(starts, [*starts[1:], len(pieces)], strict=True)
            ]
            size = min(NAME_SIZE, width / max(widest, 1e-6), height / (len(lines) * LEADING * PT))
            if size > best[0] + 0.25:
                best = (size, lines)
        fits.append(best)
    largest = max(size for size, _ in fits)
    return next(fit for fit in fits if fit[0] >= PREFERRED * largest)


def name_and_details(pdf: FPDF, x: float, y: float, width: float, name: str, details: list[str]) -> None:
    """The holder's name (17 pt; a longer one smaller, and on up to four lines when one line would be smaller
    than 12 pt), then its detail lines (9 pt): the name is printed whole, never cut (a roster name has up to
    ``evaluation.roster.MAX_NAME`` characters). A long name moves the details down to the 登录码 line and
    closes them up, to make room."""
    size, lines = name_lines(pdf, name, width, NAME_BOX, 1)
    top, first, pitch = 15.5, 24.0, 4.5
    if size < ONE_LINE_FLOOR:
        pitch = 4.0
        top, first = 14.3, DETAILS_END - pitch * len(details)
        size, lines = name_lines(pdf, name, width, first - 0.6 - top, 4)
        top += (first - 0.6 - top - len(lines) * size * LEADING * PT) / 2
    pdf.set_font_size(size)
    for n, text in enumerate(lines):
        pdf.text(x, y + top + n * size * LEADING * PT + size * PT * 0.88, text)
    for n, text in enumerate(details):
        line(pdf, x, y + first + n * pitch, width, 9, text)


def draw_card(pdf: FPDF, title: str, card: Card, qr: list[list[bool]], x: float, y: float) -> None:
    pdf.set_draw_color(150)
    with pdf.local_context(dash_pattern={"dash": 1.5, "gap": 1.5}):
        pdf.rect(x, y, CARD_W, CARD_H)
    left, width, full = x + PAD, CARD_W - 3 * PAD - QR_SIZE, CARD_W - 2 * PAD
    line(pdf, left, y + PAD, full, 9, title)
    line(pdf, left, y + 9.5, width, 11, "市民代表评议卡")
    name_and_details(
        pdf,
        left,
        y,
        width,
        card.name,
        [f"编号：{card.number}", f"场次：{card.sitting}", f"会场：{card.venue}"],
    )
    line(pdf, left, y + 39.5, full, 15, f"登录码  {format_code(card.code)}")
    draw_qr(pdf, qr, x + CARD_W - PAD - QR_SIZE, y + 9.5, QR_SIZE)
    line(
        pdf, left, y + CARD_H - PAD - 3, full, 7, "扫描二维码或输入登录码登录 · 本卡仅限本人使用，请妥善保管"
    )


def cards_pdf(title: str, cards: Iterable[Card], base_url: str) -> bytes:
    """A4 sheets of cards, in the given order; an empty list gives one page saying so."""
    pdf = new_pdf(f"{title} 评议卡")
    pdf.set_auto_page_break(False)
    qr = QrMaker()
    base = base_url.rstrip("/")
    count = 0
    for count, card in enumerate(cards, start=1):
        slot = (count - 1) % (COLUMNS * ROWS)
        if slot == 0:
            pdf.add_page()
        x = MARGIN_X + (slot % COLUMNS) * CARD_W
        y = MARGIN_Y + (slot // COLUMNS) * CARD_H
        draw_card(pdf, title, card, qr.matrix(f"{base}/login#code={card.code}"), x, y)
    if count == 0:
        pdf.add_page()
        line(pdf, MARGIN_X, MARGIN_Y, 190, 14, "没有可打印的评议卡")
    return bytes(pdf.output())


@dataclass(frozen=True)
class StaffCard:
    """工作人员登录卡 — one person's card: who, what role, where, and the code just issued."""

    name: str
    role: str
    unit: str
    scope: str
    """The round, venue or department the role is for ("" for platform-wide roles)."""
    code: str


def staff_card_pdf(card: StaffCard, base_url: str) -> bytes:
    """One card at the top left of an A4 page, the size and layout of a representative's."""
    pdf = new_pdf(f"{card.name} 工作人员登录卡")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    x, y = MARGIN_X, MARGIN_Y
    pdf.set_draw_color(150)
    with pdf.local_context(dash_pattern={"dash": 1.5, "gap": 1.5}):
        pdf.rect(x, y, CARD_W, CARD_H)
    left, width, full = x + PAD, CARD_W - 3 * PAD - QR_SIZE, CARD_W - 2 * PAD
    line(pdf, left, y + PAD, full, 9, card.unit or "三民评议平台")
    line(pdf, left, y + 9.5, width, 11, "工作人员登录卡")
    name_and_details(pdf, left, y, width, card.name, [f"角色：{card.role}", card.scope])
    line(pdf, left, y + 39.5, full, 15, f"登录码  {format_code(card.code)}")
    url = f"{base_url.rstrip('/')}/login#code={card.code}"
    draw_qr(pdf, QrMaker().matrix(url), x + CARD_W - PAD - QR_SIZE, y + 9.5, QR_SIZE)
    line(
        pdf, left, y + CARD_H - PAD - 3, full, 7, "扫描二维码或输入登录码登录 · 仅限本人使用，丢失请立即更换"
    )
    return bytes(pdf.output())
