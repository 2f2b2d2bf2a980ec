"""活动工作簿 — a whole round's set-up as one .xlsx file: read it into a plan, or write a round's plan out."""

from workbook.importing import import_workbook
from workbook.reader import read_workbook
from workbook.tables import Problem, UpdateWorkbookRejected, WorkbookRejected
from workbook.updating import changes_digest, plan_for_update, update_from_workbook, workbook_changes
from workbook.writer import export_workbook, write_workbook

__all__ = [
    "Problem",
    "UpdateWorkbookRejected",
    "WorkbookRejected",
    "changes_digest",
    "export_workbook",
    "import_workbook",
    "plan_for_update",
    "read_workbook",
    "update_from_workbook",
    "workbook_changes",
    "write_workbook",
]
