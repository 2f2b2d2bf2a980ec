"""公示文件 PDF — the public notice of a published round on A4 (the CJK font embedded), to print and post:
the 公示期, each group's ranking table with the composite's parts, and where to check it (the page, the
signed results, the audit bundle, the public key). Pure: a ``projections.public_notice.Notice`` in, bytes out."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from projections.public_notice import Notice, NoticeLine
from web.platform.pdf_font import new_pdf

MARGIN = 16.0
ROW_H = 6.5
TABLE_SIZE = 9.5
HEAD_FILL = (228, 233, 242)


NO_LINE_START = "。，、；：？！）」』”’%．,.;:?!)"
"""Punctuation that never begins a line (避头尾): a line that would begin with it takes the character before along."""


def _paragraph(pdf: FPDF, text: str, size: float = 10.5) -> None:
    pdf.set_font_size(size)
    lines = _wrapped(pdf, _unbroken(text), pdf.epw - 2 * pdf.c_margin)
    pdf.multi_cell(0, size * 0.6, "\n".join(lines), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _wrapped(pdf: FPDF, text: str, width: float) -> list[str]:
    """``text`` in lines at most ``width`` wide at the current font, broken between any two characters but never
    before ``NO_LINE_START`` (fpdf2 would leave a lone 「。」 on the paragraph's last line)."""
    lines: list[str] = []
    for hard in text.split("\n"):
        line = ""
        for char in hard:
            if line and pdf.get_string_width(line + char) > width * 0.995:
                carried = ""
                while char in NO_LINE_START and len(line) > 1 and line[-1] not in NO_LINE_START:
                    line, carried = line[:-1], line[-1]
                    break
                lines.append(line)
                line = carried
            line += char
        lines.append(line)
    return lines


def _unbroken(text: str) -> str:
    """Chinese lines break between any two characters: a space must not be the only place a line may break
    (fpdf2 would carry a whole sentence after it to the next line), so spaces are made non-breaking."""
    return text.replace(" ", "\u00a0")


def _period(notice: Notice) -> str:
    if notice.published_on is None or notice.until is None:
        return "—"
    a, b = notice.published_on, notice.until
    return f"{a.year}年{a.month}月{a.day}日至{b.year}年{b.month}月{b.day}日"


def _columns(pdf: FPDF, notice: Notice) -> list[tuple[str, float]]:
    """(heading, width in mm) of the ranking table: the rank as wide as the longest reason for no rank (无有效票 …)
    at the table's size, the department's name up to 44 mm, the change from the previous round what is left."""
    pdf.set_font_size(TABLE_SIZE)
    unranked = [
        line.status for g in notice.groups for line in g.lines if not line.rank and not line.suppressed
    ]
    rank = max([12.0] + [pdf.get_string_width(status) + 2 * pdf.c_margin + 0.5 for status in unranked])
    parts = [(f"{name}\n{weight}", 22.0) for name, weight in notice.parts] if notice.composite else []
    fixed = [("名次", rank), ("部门", 0.0), *parts, ("综合得分" if notice.composite else "得分", 20.0)]
    fixed += [("满意率", 18.0)] + ([("较上一轮", 0.0)] if notice.compared_with else [])
    left = 210 - 2 * MARGIN - sum(w for _, w in fixed)
    name = min(left, 44.0) if notice.compared_with else left
    return [(t, name if t == "部门" else (left - name if t == "较上一轮" else w)) for t, w in fixed]


def _cells(notice: Notice, line: NoticeLine) -> list[str]:
    if line.suppressed:
        return ["—", line.name, line.status]
    parts = [score or "—" for score in line.parts] if notice.composite else []
    rate = f"{line.satisfaction_rate}%" if line.satisfaction_rate else "—"
    rank = str(line.rank) if line.rank else (line.status or "—")  # why a department has no rank: 无有效票 …
    cells = [rank, line.name, *parts, line.final or "—", rate]
    return cells + ([line.change.replace("，", "\n")] if notice.compared_with else [])  # a change a line


def _spanned(cells: list[str], columns: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The columns of a row with fewer cells: its last cell spans the columns left."""
    if len(cells) == len(columns):
        return columns
    head = columns[: len(cells) - 1]
    return [*head, ("", sum(w for _, w in columns[len(cells) - 1 :]))]


def _row(pdf: FPDF, cells: list[str], table: list[tuple[str, float]], size: float, fill: bool) -> None:
    pdf.set_font_size(size)
    columns = _spanned(cells, table)
    height = ROW_H * max(_lines(pdf, text, w) for text, (_, w) in zip(cells, columns, strict=True))
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y()
    for text, (_, width) in zip(cells, columns, strict=True):
        pdf.set_xy(x, y)
        pdf.rect(x, y, width, height, style="DF" if fill else "D")
        pdf.multi_cell(width, ROW_H, _unbroken(text), align="C" if width < 25 or fill else "L")
        x += width
    pdf.set_xy(pdf.l_margin, y + height)


def _lines(pdf: FPDF, text: str, width: float) -> int:
    """How many lines ``text`` takes in a cell ``width`` wide (at least one)."""
    wrapped = pdf.multi_cell(width, ROW_H, _unbroken(text), dry_run=True, output="LINES")
    return max(len(wrapped) if isinstance(wrapped, list) else 1, 1)


def title_size(pdf: FPDF, title: str, largest: float = 20, smallest: float = 14) -> float:
    """The title's font size: the largest, down to ``smallest``, that keeps it on one line (at 20 points a
    city's full title, 「…请市民评议”活动」, broke inside a word: 「…评 / 议”活动」)."""
    per_point = pdf.get_string_width(title) / pdf.font_size_pt
    room = pdf.epw - 2 * pdf.c_margin  # what multi_cell leaves for text
    size = largest
    while size > smallest and per_point * size > room:
        size -= 1
    return size


def notice_pdf(notice: Notice, public_key: str, base_url: str) -> bytes:
    pdf = new_pdf(f"{notice.title} 评议结果公示")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, MARGIN)
    pdf.add_page()
    pdf.set_font_size(title_size(pdf, notice.title))
    pdf.multi_cell(0, 11, f"{notice.title}\n评议结果公示", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    intro = "根据市民代表现场评议" + ("及其他评议组成部分" if notice.composite else "")
    _paragraph(pdf, f"　　{intro}的结果，现将{notice.title}各被评议部门的评议结果予以公示。")
    _paragraph(pdf, f"公示期：{_period(notice)}")
    parts = "、".join(f"{name} {weight}" for name, weight in notice.parts)
    _paragraph(
        pdf, f"综合得分构成：{parts}。名次在各组内按综合得分排列；评议人数不足5人的部门不公布得分和名次。"
    )
    if notice.compared_with:
        _paragraph(pdf, f"较上一轮：与「{notice.compared_with}」相比；评议办法不同的年份不作直接比较。")
    columns = _columns(pdf, notice)
    pdf.set_draw_color(90)
    pdf.set_fill_color(*HEAD_FILL)
    for group in notice.groups:
        pdf.ln(4)
        pdf.set_font_size(14)
        pdf.cell(0, 9, group.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        _row(pdf, [title for title, _ in columns], columns, TABLE_SIZE, True)
        for line in group.lines:
            _row(pdf, _cells(notice, line), columns, TABLE_SIZE, False)
    pdf.ln(5)
    _paragraph(pdf, "核验方式", 12)
    page = f"{base_url}/results/{notice.round_key}"
    _paragraph(
        pdf,
        f"公示页面：{page}\n公开审计包：{page}/audit.zip\n"
        f"签名结果：{page}/signed.json（即审计包中的 results.json）\n"
        f"核验程序：{base_url}/audit/sanmin_audit.zip（需 Python 3.11 以上和 pip install cryptography）",
        9.5,
    )
    _paragraph(pdf, f"结果签名公钥：{public_key}", 9)
    _paragraph(pdf, "如何复核：把核验程序解压到审计包所在的文件夹，在该文件夹运行（公钥已在命令里）：", 9.5)
    _paragraph(pdf, f"python -m sanmin_audit audit-{notice.round_key}.zip --public-key {public_key}", 9)
    _paragraph(
        pdf,
        "显示「结论：通过」才说明每个数字都能从审计包中的票重新算出，且结果和检查点都是本平台用上述公钥签名的；"
        "命令中缺少 --public-key 时程序不认定通过。",
        9.5,
    )
    return bytes(pdf.output())
