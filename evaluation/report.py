"""述职报告 — a department's work report in one round: every revision kept, with who submitted it and when.

The report's attachment (附件, a PDF) is not in the events: its bytes are kept once, by their sha256, in the
file store (``storage.files``); a revision records the hash, the size and the file's name. The organiser may
submit on the department's behalf (代为提交), and the revision says so.

When a revision may be made: until the round's results are locked. Once the department's scoring window has
opened, representatives have scored the report as it stood, so a revision is still taken (a typo, a wrong
figure) but it is marked ``after_scoring`` and the aggregate keeps ``scored_revision``, the version that was
current when scoring began; every page showing the report then says which version was scored and that it was
revised after. Once the results are locked nothing changes any more (``RoundNotEditable``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.errors import InvalidInput, RoundNotEditable
from evaluation.round import NAMESPACE

TITLE_LIMIT = 200
SUMMARY_LIMIT = 2_000
TEXT_LIMIT = 50_000
FILE_LIMIT = 20 * 1024 * 1024
"""附件 at most 20 MB."""
FILE_NAME_LIMIT = 200
PDF_MAGIC = b"%PDF-"


def report_id(round_key: str, department: str) -> UUID:
    return uuid5(NAMESPACE, f"report:{round_key}:{department}")


@dataclass(frozen=True)
class Attachment:
    """附件 as a revision records it: the bytes' sha256 in the file store, their size and the file's name."""

    sha256: str
    size: int
    name: str


@dataclass(frozen=True)
class Revision:
    """One submitted version of the report (第 n 稿)."""

    number: int
    title: str
    summary: str
    text: str
    attachment: Attachment | None
    by: str
    on_behalf: bool
    after_scoring: bool = False


LOCKED = "述职报告的各稿已存档，评分时的那一稿即评议依据"


def refuse_file(name: str, content: bytes) -> None:
    """What the domain itself can tell of a file: a name, a size within 20 MB, and the PDF header.
    (Whether the rest parses as a PDF is the file store's check, ``FilePort.readable_pdf``.)"""
    if not name.strip() or len(name) > FILE_NAME_LIMIT:
        raise InvalidInput(f"附件须有文件名（最多 {FILE_NAME_LIMIT} 字）")
    if not content:
        raise InvalidInput("附件是空文件")
    if len(content) > FILE_LIMIT:
        raise InvalidInput("附件不能超过 20 MB")
    if not content.startswith(PDF_MAGIC):
        raise InvalidInput(f"附件「{name}」不是 PDF 文件：请上传 PDF 格式（.pdf）的报告")


class Report(Aggregate):
    """述职报告 — one per round and department; ``revisions`` holds every version, the last one current."""

    @event("Started")
    def __init__(self, round_key: str, department: str, by: str, earlier: int = 0) -> None:
        """``earlier``: revisions a round made before this aggregate kept on the Department (they are not
        copied; the numbering goes on after them, as the read models number them)."""
        self.round_key = round_key
        self.department = department
        self.earlier = earlier
        self.revisions: list[Revision] = []
        self.scored_revision: int | None = None
        """The revision current when the department's scoring began, once a revision was made after it."""

    @staticmethod
    def create_id(round_key: str, department: str) -> UUID:
        return report_id(round_key, department)

    @property
    def current(self) -> Revision | None:
        return self.revisions[-1] if self.revisions else None

    @staticmethod
    def refuse_if_locked(results_locked: bool) -> None:
        """No revision once the round's results are locked: 「评议结果已锁定，不能再修改：…」."""
        if results_locked:
            raise RoundNotEditable(LOCKED)

    def submit(
        self,
        title: str,
        summary: str,
        text: str,
        attachment: Attachment | None,
        by: str,
        on_behalf: bool = False,
        scoring_began: bool = False,
        results_locked: bool = False,
    ) -> int:
        """提交或修改 — returns the new revision's number. Title and summary are required; refused once the
        round's results are locked; after the department's scoring began the revision is marked as such."""
        self.refuse_if_locked(results_locked)
        title, summary, text = title.strip(), summary.strip(), text.strip()
        if not title:
            raise InvalidInput("报告标题不能为空")
        if not summary:
            raise InvalidInput("报告摘要不能为空")
        if len(title) > TITLE_LIMIT or len(summary) > SUMMARY_LIMIT or len(text) > TEXT_LIMIT:
            raise InvalidInput(
                f"报告标题最多 {TITLE_LIMIT} 字，摘要最多 {SUMMARY_LIMIT} 字，全文最多 {TEXT_LIMIT} 字"
            )
        file: dict[str, Any] | None = None if attachment is None else asdict(attachment)
        number = self.earlier + len(self.revisions) + 1
        self._submitted(number, title, summary, text, file, by, on_behalf, scoring_began)
        return number

    @event("Submitted")
    def _submitted(
        self,
        revision: int,
        title: str,
        summary: str,
        text: str,
        file: dict[str, Any] | None,
        by: str,
        on_behalf: bool,
        after_scoring: bool = False,
    ) -> None:
        attachment = None if file is None else Attachment(**file)
        if after_scoring and self.scored_revision is None:
            self.scored_revision = revision - 1
        self.revisions.append(
            Revision(revision, title, summary, text, attachment, by, on_behalf, after_scoring)
        )
