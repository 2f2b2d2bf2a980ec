"""被评议部门 — a department of the round, and its 述职报告 (work report)."""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.errors import InvalidInput
from evaluation.round import NAMESPACE

REPORT_TEXT_LIMIT = 50_000


def department_id(round_key: str, key: str) -> UUID:
    return uuid5(NAMESPACE, f"department:{round_key}:{key}")


class Department(Aggregate):
    """被评议部门 — its name, head and the current revision of its work report."""

    @event("Registered")
    def __init__(
        self, round_key: str, key: str, name: str, short_name: str, group: str, head: str, by: str
    ) -> None:
        self.round_key = round_key
        self.key = key
        self.name = name
        self.short_name = short_name
        self.group = group
        self.head = head
        self.report: dict[str, str] | None = None
        self.report_revision = 0
        self.credential_hash: str | None = None
        self.credential_serial = 0

    @staticmethod
    def create_id(round_key: str, key: str) -> UUID:
        return department_id(round_key, key)

    def submit_report(
        self, title: str, summary: str, text: str, file_sha256: str, file_name: str, by: str
    ) -> None:
        """述职报告 — submit or revise; every revision is kept in the history."""
        title, summary = title.strip(), summary.strip()
        if not title or not summary:
            raise InvalidInput("报告标题和摘要不能为空")
        if len(title) > 200 or len(summary) > 2_000 or len(text) > REPORT_TEXT_LIMIT:
            raise InvalidInput("报告标题最多 200 字，摘要最多 2000 字，全文最多 50000 字")
        self._report_submitted(title, summary, text, file_sha256, file_name, by)

    @event("ReportSubmitted")
    def _report_submitted(
        self, title: str, summary: str, text: str, file_sha256: str, file_name: str, by: str
    ) -> None:
        self.report = {
            "title": title,
            "summary": summary,
            "text": text,
            "file_sha256": file_sha256,
            "file_name": file_name,
        }
        self.report_revision += 1

    @event("Edited")
    def edit(self, name: str, short_name: str, group: str, head: str, by: str, reason: str) -> None:
        """修改部门信息 — name, short name, group and head (the round records the group too)."""
        self.name, self.short_name, self.group, self.head = name, short_name, group, head

    @event("CredentialIssued")
    def issue_credential(self, credential_hash: str, serial: int, by: str) -> None:
        """部门登录码 — only its keyed hash is stored."""
        self.credential_hash = credential_hash
        self.credential_serial = serial
