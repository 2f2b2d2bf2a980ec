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


def draw_card(pdf: FPDF, title: str, card: Card, qr: list[list[bool]], x: float, y: float) -> None:
    pdf.set_draw_color(150)
    with pdf.local_context(dash_pattern={"dash": 1.5, "gap": 1.5}):
        pdf.rect(x, y, CARD_W, CARD_H)
    left, width, full = x + PAD, CARD_W - 3 * PAD - QR_SIZE, CARD_W - 2 * PAD
    line(pdf, left, y + PAD, full, 9, title)
    line(pdf, left, y + 9.5, width, 11, "市民代表评议卡")
    line(pdf, left, y + 15.5, width, 17, card.name)
    line(pdf, left, y + 24, width, 9, f"编号：{card.number}")
    line(pdf, left, y + 28.5, width, 9, f"场次：{card.sitting}")
    line(pdf, left, y + 33, width, 9, f"会场：{card.venue}")
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
    line(pdf, left, y + 15.5, width, 17, card.name)
    line(pdf, left, y + 24, width, 9, f"角色：{card.role}")
    line(pdf, left, y + 28.5, width, 9, card.scope)
    line(pdf, left, y + 39.5, full, 15, f"登录码  {format_code(card.code)}")
    url = f"{base_url.rstrip('/')}/login#code={card.code}"
    draw_qr(pdf, QrMaker().matrix(url), x + CARD_W - PAD - QR_SIZE, y + 9.5, QR_SIZE)
    line(
        pdf, left, y + CARD_H - PAD - 3, full, 7, "扫描二维码或输入登录码登录 · 仅限本人使用，丢失请立即更换"
    )
    return bytes(pdf.output())
