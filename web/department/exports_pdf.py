"""意见汇总 PDF — a department's comment summary on A4 with the CJK font embedded, and a bar chart of its
level counts drawn with fpdf2's own primitives (rectangles and text). Same contents as the tables:
its published result (the page's lines and weighting sentence), no venue, no time finer than the sitting, names
only on signed suggestions, levels only for a merged group of at least 5."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from web.department.exports_tables import Summary, levels, overview
from web.platform.pdf_font import new_pdf

MARGIN = 18.0
LABEL_W, BAR_MAX, BAR_H, BAR_GAP = 32.0, 110.0, 7.0, 3.0
BAR_COLOUR = (38, 96, 164)


def heading(pdf: FPDF, text: str, size: float = 13) -> None:
    pdf.ln(3)
    pdf.set_font_size(size)
    pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def paragraph(pdf: FPDF, text: str, size: float = 10.5) -> None:
    pdf.set_font_size(size)
    pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def level_chart(pdf: FPDF, counts: list[tuple[str, int]]) -> None:
    """Horizontal bars, one per level: label, bar scaled to the largest count, and the count."""
    most = max((n for _, n in counts), default=0) or 1
    needed = len(counts) * (BAR_H + BAR_GAP)
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y()
    pdf.set_font_size(10.5)
    pdf.set_draw_color(90)
    pdf.line(x + LABEL_W, y - 1, x + LABEL_W, y + needed - BAR_GAP + 1)
    for index, (label, count) in enumerate(counts):
        top = y + index * (BAR_H + BAR_GAP)
        pdf.set_xy(x, top)
        pdf.cell(LABEL_W - 2, BAR_H, label, align="R")
        width = BAR_MAX * count / most
        if width:
            pdf.set_fill_color(*BAR_COLOUR)
            pdf.rect(x + LABEL_W, top, width, BAR_H, style="F")
        pdf.set_xy(x + LABEL_W + width + 1.5, top)
        pdf.cell(20, BAR_H, f"{count} 票")
    pdf.set_xy(x, y + needed + 2)


def feedback_pdf(s: Summary) -> bytes:
    f = s.feedback
    pdf = new_pdf(f"{s.department} 市民意见汇总")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, MARGIN)
    pdf.add_page()
    paragraph(pdf, s.round_title, 11)
    heading(pdf, f"{s.department} 市民意见汇总", 18)
    paragraph(pdf, "　".join(f"{k}：{v}" for k, v in overview(s)[2:]))
    if s.result:
        heading(pdf, "评议结果")
        for item, value in s.result:
            paragraph(pdf, f"{item}：{value}")
        if s.note:
            paragraph(pdf, s.note, 9.5)
    heading(pdf, "各等次票数")
    level_chart(pdf, f.level_counts)
    if f.keywords:
        heading(pdf, "关键词")
        paragraph(pdf, "、".join(word for word, _ in f.keywords))
    heading(pdf, f"市民意见（匿名，共 {sum(t.count for t in f.merged)} 条，按主题合并）")
    if f.set_aside:
        paragraph(pdf, f"另有 {f.set_aside} 条经组织方认定为非意见，未列出。", 9.5)
    for t in f.merged:
        heading(pdf, f"{t.theme}（{t.count} 条）", 11.5)
        for group in t.groups:
            shown = f"（{levels(group)}）" if group.levels else ""
            paragraph(pdf, f"【{group.count} 条】{group.text}{shown}")
    if f.suggestions:
        heading(pdf, f"留名建议（共 {len(f.suggestions)} 条）")
        for g in f.suggestions:
            paragraph(pdf, f"{g.name}：{g.text}")
            paragraph(pdf, f"答复：{g.answer or '（尚未答复）'}", 9.5)
            pdf.ln(1.5)
    return bytes(pdf.output())
