"""被评议部门 — a department of the round, and its 述职报告 (work report)."""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.round import NAMESPACE
from evaluation.setup_rules import MAX_NAME, key_problem, name_problem, refuse


def department_id(round_key: str, key: str) -> UUID:
    return uuid5(NAMESPACE, f"department:{round_key}:{key}")


class Department(Aggregate):
    """被评议部门 — its name, head and credential; its work report is ``evaluation.report.Report`` (rounds
    made before that kept it here, as ``ReportSubmitted``)."""

    withdrawn = False
    """Taken out of the round (``Withdrawn``) until enrolled again (``Rejoined``)."""

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
    def create_id(round_key: str, key: str, name: str, short_name: str, head: str) -> UUID:
        """Asked by the library only when a department is made (never on replay, as ``Round.create_id``): its
        code and names are held to the setup rules here, where every new department passes."""
        refuse(key_problem(key, "部门"), *details_problems(name, short_name, head))
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

    def change_details(self, name: str, short_name: str, group: str, head: str, by: str, reason: str) -> None:
        """名称、简称、部门组、负责人; the round decides whether the group may change (``Round.regroup_department``)."""
        name = name.strip()
        short_name, head = short_name.strip() or name, head.strip()
        refuse(*details_problems(name, short_name, head))
        self._details_changed(name, short_name, group, head, by, reason)

    @event("DetailsChanged")
    def _details_changed(
        self, name: str, short_name: str, group: str, head: str, by: str, reason: str
    ) -> None:
        self.name, self.short_name, self.group, self.head = name, short_name, group, head

    @event("Withdrawn")
    def withdraw(self, by: str, reason: str) -> None:
        """No longer evaluated in the round (``Round.withdraw_department`` decides whether it may be)."""
        self.withdrawn = True

    def rejoin(self, name: str, short_name: str, group: str, head: str, by: str) -> None:
        """Enrolled again under the same code after being withdrawn: its details are given anew."""
        refuse(*details_problems(name, short_name, head))
        self._rejoined(name, short_name, group, head, by)

    @event("Rejoined")
    def _rejoined(self, name: str, short_name: str, group: str, head: str, by: str) -> None:
        self.name, self.short_name, self.group, self.head = name, short_name, group, head
        self.withdrawn = False


def details_problems(name: str, short_name: str, head: str) -> list[str | None]:
    """A department's 名称 (required), 简称 and 负责人 (optional), each as long as the setup form allows."""
    return [
        name_problem(name, "部门名称", MAX_NAME),
        name_problem(short_name, "部门简称", MAX_NAME, required=False),
        name_problem(head, "部门负责人", MAX_NAME, required=False),
    ]
