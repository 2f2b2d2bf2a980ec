"""述职报告的命令 — submitting and revising a department's report, and opening the round's reports for
public pre-reading (公开预读)."""

from __future__ import annotations

from evaluation.department import Department, department_id
from evaluation.errors import InvalidInput, stated
from evaluation.report import Attachment, Report, refuse_file, report_id
from evaluation.service import ServiceBase
from evaluation.window import ScoringWindow, window_id


class Reports(ServiceBase):
    def submit_report(
        self,
        round_key: str,
        department: str,
        title: str,
        summary: str,
        text: str,
        by: str,
        file: tuple[str, bytes] | None = None,
        on_behalf: bool = False,
        drop_file: bool = False,
    ) -> int:
        """提交或修改述职报告 — returns the revision's number.

        A new file must be a real PDF of at most 20 MB; it is stored by its sha256 before the event is saved
        (a refused revision leaves at most an unreferenced file, never a revision without its file). With no
        new file the previous revision's attachment is kept, unless ``drop_file``. ``on_behalf``: the
        organiser submits for the department (代为提交).

        Refused once the round's results are locked (the organiser's 代为提交 too); after the department's
        scoring window first opened, the revision is kept but marked as made after scoring began."""
        round_ = self.round(round_key)
        if department not in round_.departments:
            raise InvalidInput(f"部门「{department}」不在本次评议活动中")
        window = self.find(ScoringWindow, window_id(round_key, department))
        scoring_began = window is not None and window.openings > 0
        report = self.find(Report, report_id(round_key, department))
        if report is None:
            earlier = self.find(Department, department_id(round_key, department))
            report = Report(round_key, department, by, earlier.report_revision if earlier else 0)
        Report.refuse_if_locked(round_.locked)  # before a file is stored
        previous = report.current
        attachment = None if previous is None or drop_file else previous.attachment
        if file is not None:
            name, content = file[0].replace("\\", "/").rsplit("/", 1)[-1].strip(), file[1]  # no folders
            refuse_file(name, content)
            if not self.parse(self.files.readable_pdf, content):
                raise InvalidInput(f"附件「{name}」不是有效的 PDF 文件（文件损坏或不完整），请重新导出后上传")
            attachment = Attachment(self.files.put(content), len(content), name)
        number = report.submit(title, summary, text, attachment, by, on_behalf, scoring_began, round_.locked)
        self.save(report)
        return number

    def report(self, round_key: str, department: str) -> Report | None:
        return self.find(Report, report_id(round_key, department))

    def open_pre_reading(self, round_key: str, by: str) -> None:
        """公开预读 — the public may read every submitted report of the round."""
        round_ = self.round(round_key)
        if not round_.pre_reading:
            round_.open_pre_reading(by)
            self.save(round_)

    def close_pre_reading(self, round_key: str, by: str, reason: str) -> None:
        """停止公开预读 — the reports leave the public page; why, stated (``ReasonRequired`` if blank), stays in
        the history, as it does for every other step back of what the public was shown."""
        reason = stated(reason)
        round_ = self.round(round_key)
        if round_.pre_reading:
            round_.close_pre_reading(by, reason)
            self.save(round_)
