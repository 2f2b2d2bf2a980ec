"""活动工作簿 — a whole round's set-up as one .xlsx file: read it into a plan, or write a round's plan out."""

from workbook.importing import import_workbook
from workbook.reader import read_workbook
from workbook.tables import Problem, WorkbookRejected
from workbook.writer import export_workbook, write_workbook

__all__ = [
    "Problem",
    "WorkbookRejected",
    "export_workbook",
    "import_workbook",
    "read_workbook",
    "write_workbook",
]
