"""被评议部门 — a department of the round, and its 述职报告 (work report)."""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.round import NAMESPACE


def department_id(round_key: str, key: str) -> UUID:
    return uuid5(NAMESPACE, f"department:{round_key}:{key}")


class Department(Aggregate):
    """被评议部门 — its name, head and credential; its work report is ``evaluation.report.Report`` (rounds
    made before that kept it here, as ``ReportSubmitted``)."""

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

    @event("ReportSubmitted")
    def _report_submitted(  # before evaluation.report: old rounds' revisions replay (read models fold both)
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

    @event("CredentialIssued")
    def issue_credential(self, credential_hash: str, serial: int, by: str) -> None:
        """部门登录码 — only its keyed hash is stored."""
        self.credential_hash = credential_hash
        self.credential_serial = serial
