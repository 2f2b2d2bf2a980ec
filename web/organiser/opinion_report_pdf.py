"""意见建议办理情况通报 — the round's figures of opinion handling on A4: how many were collected, set aside, merged,
assigned, answered and completed, a bar chart of each department's 答复率 and 办结率, the table per department (with
the signers' ratings) and the themes. Figures only: no opinion text, no name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from web.platform.pdf_font import new_pdf

MARGIN = 16.0
LABEL_W, BAR_MAX, BAR_H = 38.0, 100.0, 3.2
ANSWERED, COMPLETED = (38, 96, 164), (46, 139, 87)


@dataclass(frozen=True)
class Report:
    round_title: str
    on: str
    counts: dict[str, int]
    rows: list[dict[str, Any]]
    names: dict[str, str]
    themes: list[tuple[str, int]]


def _line(pdf: FPDF, text: str, size: float = 10.5) -> None:
    pdf.set_font_size(size)
    pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    _line(pdf, text, 13)
    pdf.ln(1)


def _rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _chart(pdf: FPDF, report: Report) -> None:
    """Two bars per department: 答复率 (blue) over 办结率 (green), 0-100%."""
    step = 2 * BAR_H + 2.5
    if pdf.get_y() + step * len(report.rows) + 10 > pdf.h - pdf.b_margin:
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y()
    pdf.set_font_size(8.5)
    for n, row in enumerate(report.rows):
        top = y + n * step
        pdf.set_xy(x, top)
        pdf.cell(
            LABEL_W - 2, 2 * BAR_H, report.names.get(row["department"], row["department"])[:12], align="R"
        )
        for k, (part, colour) in enumerate(((row["answered"], ANSWERED), (row["completed"], COMPLETED))):
            width = BAR_MAX * part / row["received"] if row["received"] else 0
            if width:
                pdf.set_fill_color(*colour)
                pdf.rect(x + LABEL_W, top + k * BAR_H, width, BAR_H - 0.3, style="F")
            pdf.set_xy(x + LABEL_W + width + 1, top + k * BAR_H - 0.4)
            pdf.cell(20, BAR_H, _rate(part, row["received"]))
    pdf.set_draw_color(90)
    pdf.line(x + LABEL_W, y - 1, x + LABEL_W, y + step * len(report.rows))
    pdf.set_xy(x, y + step * len(report.rows) + 1)
    for label, colour in (("答复率", ANSWERED), ("办结率", COMPLETED)):
        pdf.set_fill_color(*colour)
        pdf.rect(pdf.get_x(), pdf.get_y() + 1, 4, 3, style="F")
        pdf.set_x(pdf.get_x() + 5)
        pdf.cell(18, 5, label)
    pdf.ln(7)


def _table(pdf: FPDF, report: Report) -> None:
    head = (
        "部门",
        "交办",
        "已答复",
        "已办结",
        "逾期",
        "答复率",
        "办结率",
        "平均天数",
        "满意",
        "基本满意",
        "不满意",
    )
    widths = (40, 13, 15, 15, 12, 17, 17, 17, 12, 17, 13)
    pdf.set_font_size(9)
    plain = FontFace(emphasis="", fill_color=(235, 235, 235))
    pdf.set_fill_color(255)
    with pdf.table(col_widths=widths, text_align="CENTER", line_height=5.5, headings_style=plain) as table:
        table.row(head)
        for r in report.rows:
            average = "—" if r["average_days"] is None else str(r["average_days"])
            table.row(
                (
                    report.names.get(r["department"], r["department"]),
                    *(str(r[k]) for k in ("received", "answered", "completed", "overdue")),
                    _rate(r["answered"], r["received"]),
                    _rate(r["completed"], r["received"]),
                    average,
                    *(str(r[k]) for k in ("satisfied", "fairly", "dissatisfied")),
                )
            )


def opinion_report_pdf(report: Report) -> bytes:
    title = "意见建议办理情况通报"
    pdf = new_pdf(f"{report.round_title} {title}")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, MARGIN)
    pdf.add_page()
    _line(pdf, report.round_title, 11)
    _line(pdf, title, 20)
    _line(pdf, f"截至 {report.on}", 10)
    c = report.counts
    received = sum(r["received"] for r in report.rows)
    answered = sum(r["answered"] for r in report.rows)
    completed = sum(r["completed"] for r in report.rows)
    overdue = sum(r["overdue"] for r in report.rows)
    _heading(pdf, "总体情况")
    _line(
        pdf,
        f"共收集市民意见建议 {c['total']} 条，其中非意见 {c['set_aside']} 条；合并整理为 {c['items']} 件（其中合并组 {c['groups']} 个）；"
        f"已交办 {received} 条，已答复 {answered} 条（答复率 {_rate(answered, received)}），"
        f"已办结 {completed} 条（办结率 {_rate(completed, received)}），逾期 {overdue} 条。",
    )
    if report.rows:
        _heading(pdf, "各部门答复率与办结率")
        _chart(pdf, report)
        _heading(pdf, "各部门办理情况")
        _table(pdf, report)
    if report.themes:
        _heading(pdf, "意见主题")
        _line(pdf, "；".join(f"{theme} {n} 条" for theme, n in report.themes))
    return bytes(pdf.output())
