"""意见 — one citizen opinion of a round, from the moment the organiser collects it to the signer's rating.

An opinion comes from a comment given with a ballot (评议留言, anonymous), a signed suggestion (留名建议) or,
later, the online channel. It carries the text and the department(s) it concerns, never the position, time or
order of its source: ``key`` is a one-way hash of the source, so collecting twice makes nothing new.

Its life: 收集 → 分类 / 合并 / 拆分 / 非意见 / 脱敏 → 交办 (承办 + 协办, 期限) → 答复 (已答复 / 办理中 / 已办结)
→ 退回重办 or 审核通过 → 公开 → 满意度评价 (signed suggestions only).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.errors import EvaluationError, InvalidInput, stated
from evaluation.round import NAMESPACE

SOURCES = {"comment": "评议留言", "suggestion": "留名建议", "online": "网络意见"}
"""来源 — where an opinion came from."""

ANSWER_STATES = ("已答复", "办理中", "已办结")
"""答复状态 — 已办结 counts toward 办结率; every state counts toward 答复率."""

RATINGS = ("满意", "基本满意", "不满意")
"""满意度 — given by the representative who signed the suggestion, once the answer is public."""

DEFAULT_WORKING_DAYS = 15
"""办理期限 — 15 working days from assignment unless the organiser sets another."""

TEXT_LIMIT = 2_000


class OpinionRefused(EvaluationError):
    code, template = "opinion_refused", "{why}"


def opinion_id(key: str) -> UUID:
    return uuid5(NAMESPACE, f"opinion:{key}")


def add_working_days(start: date, days: int) -> date:
    """``days`` working days (Monday to Friday) after ``start``."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


class Opinion(Aggregate):
    """意见 — the item the organiser triages and a department answers; its history is its events."""

    @event("Collected")
    def __init__(
        self, key: str, round_key: str, source: str, departments: list[str], text: str, by: str
    ) -> None:
        if source not in SOURCES:
            raise InvalidInput(f"未知的意见来源「{source}」")
        if not text.strip():
            raise InvalidInput("意见内容不能为空")
        self.round_key = round_key
        self.source = source
        self.departments = list(departments)
        self.text = text.strip()
        self.theme: str | None = None
        self.group: UUID | None = None
        self.not_opinion: str | None = None
        self.redacted: str | None = None
        self.lead: str | None = None
        self.cooperating: list[str] = []
        self.deadline: str | None = None
        self.assigned_on: str | None = None
        self.reassignment: str | None = None
        self.answer: dict[str, Any] | None = None
        self.review: str | None = None
        self.published = False
        self.rating: str | None = None

    @staticmethod
    def create_id(key: str, **_: object) -> UUID:
        return opinion_id(key)

    # -- what others may see -------------------------------------------------------------------------
    @property
    def shown_text(self) -> str:
        """What a department and the public see: the redacted text once redacted."""
        return self.redacted if self.redacted is not None else self.text

    def handled_by(self, department: str) -> bool:
        return department == self.lead or department in self.cooperating

    def _refuse(self, why: str) -> None:
        raise OpinionRefused(why=why)

    def _open_for_triage(self) -> None:
        if self.published:
            self._refuse("意见已公开，不能再修改")

    # -- triage (分拣) --------------------------------------------------------------------------------
    def classify(self, theme: str, by: str) -> None:
        """分类 — the theme, suggested from the keywords and editable."""
        self._open_for_triage()
        if not theme.strip() or len(theme) > 40:
            raise InvalidInput("请填写主题（不超过 40 字）")
        if theme.strip() != self.theme:
            self._classified(theme.strip(), by)

    @event("Classified")
    def _classified(self, theme: str, by: str) -> None:
        self.theme = theme

    def merge_into(self, group: UUID, by: str) -> None:
        """合并 — into the group led by ``group`` (an opinion id); a group is answered once."""
        self._open_for_triage()
        if self.lead is not None and group != self.group:
            self._refuse("已交办的意见不能再合并")
        if group != self.group:
            self._merged(group, by)

    @event("Merged")
    def _merged(self, group: UUID, by: str) -> None:
        self.group = group

    def split(self, by: str) -> None:
        """拆分 — out of its group, on its own again."""
        self._open_for_triage()
        if self.group is None:
            self._refuse("这条意见不在任何合并组中")
        if self.lead is not None:
            self._refuse("已交办的意见不能拆分")
        self._split(by)

    @event("Split")
    def _split(self, by: str) -> None:
        self.group = None

    def mark_not_opinion(self, reason: str, by: str) -> None:
        """非意见 — abuse, empty, off-topic: kept with its reason, never assigned or published."""
        self._open_for_triage()
        if self.lead is not None:
            self._refuse("已交办的意见不能标为非意见")
        self._marked_not_opinion(stated(reason), by)

    @event("MarkedNotOpinion")
    def _marked_not_opinion(self, reason: str, by: str) -> None:
        self.not_opinion = reason

    def restore(self, by: str, reason: str) -> None:
        """Undo 非意见, with a reason."""
        if self.not_opinion is None:
            self._refuse("这条意见未被标为非意见")
        self._restored(stated(reason), by)

    @event("Restored")
    def _restored(self, reason: str, by: str) -> None:
        self.not_opinion = None

    def redact(self, text: str, by: str) -> None:
        """脱敏 — the text without the personal data a person confirmed (the original stays in the history
        only, never shown to a department or the public). The same text confirms there is nothing to hide."""
        self._open_for_triage()
        if not text.strip():
            raise InvalidInput("脱敏后的内容不能为空")
        if len(text) > TEXT_LIMIT:
            raise InvalidInput(f"内容不能超过 {TEXT_LIMIT} 字")
        self._redacted(text.strip(), by)

    @event("Redacted")
    def _redacted(self, text: str, by: str) -> None:
        self.redacted = text

    # -- assignment (交办) ----------------------------------------------------------------------------
    def assign(
        self,
        lead: str,
        cooperating: list[str],
        today: date,
        by: str,
        working_days: int = DEFAULT_WORKING_DAYS,
        needs_redaction: bool = False,
    ) -> None:
        """交办 — to a lead department (承办) and co-operating ones (协办), due in ``working_days``.

        ``needs_redaction``: personal data was found in the text, so a person must confirm the redaction first."""
        self._open_for_triage()
        if self.not_opinion is not None:
            self._refuse("已标为非意见，不能交办")
        if needs_redaction and self.redacted is None:
            self._refuse("内容中可能有个人信息，须先确认脱敏")
        if not lead:
            raise InvalidInput("请选择承办部门")
        if not 1 <= working_days <= 120:
            raise InvalidInput("办理期限须在 1 到 120 个工作日之间")
        others = sorted({d for d in cooperating if d and d != lead})
        deadline = add_working_days(today, working_days)
        self._assigned(lead, others, today.isoformat(), deadline.isoformat(), by)

    @event("Assigned")
    def _assigned(self, lead: str, cooperating: list[str], on: str, deadline: str, by: str) -> None:
        self.lead, self.cooperating = lead, list(cooperating)
        self.assigned_on, self.deadline = on, deadline
        self.reassignment = None
        self.answer, self.review = None, None

    def request_reassignment(self, department: str, reason: str, by: str) -> None:
        """申请改派 — the lead department says it is not theirs, with a reason."""
        if department != self.lead:
            self._refuse("只有承办部门可以申请改派")
        if self.review == "accepted":
            self._refuse("答复已审核通过，不能申请改派")
        self._reassignment_requested(department, stated(reason), by)

    @event("ReassignmentRequested")
    def _reassignment_requested(self, department: str, reason: str, by: str) -> None:
        self.reassignment = reason

    # -- answer and review (答复、审核) ---------------------------------------------------------------
    def give_answer(
        self,
        department: str,
        text: str,
        measures: str,
        state: str,
        by: str,
        evidence: dict[str, Any] | None = None,
    ) -> None:
        """答复 — by the lead department; a later answer replaces an earlier one until it is accepted.
        ``evidence``: the 证明材料 file as ``evaluation.evidence.Evidence.to_dict()``, or None."""
        if department != self.lead:
            self._refuse("只有承办部门可以答复")
        if self.review == "accepted":
            self._refuse("答复已审核通过，不能再修改")
        if state not in ANSWER_STATES:
            raise InvalidInput("请选择办理状态")
        if not text.strip():
            raise InvalidInput("答复内容不能为空")
        if len(text) > TEXT_LIMIT or len(measures) > TEXT_LIMIT:
            raise InvalidInput(f"内容不能超过 {TEXT_LIMIT} 字")
        self._answered(department, text.strip(), measures.strip(), state, by, evidence)

    @event("Answered")
    def _answered(
        self, department: str, text: str, measures: str, state: str, by: str, evidence: Any = None
    ) -> None:  # evidence=None: the answers recorded before evidence files existed
        self.answer = {"department": department, "text": text, "measures": measures, "state": state}
        if evidence is not None:
            self.answer["evidence"] = evidence
        self.review = "pending"
        self.reassignment = None

    def return_answer(self, reason: str, by: str) -> None:
        """退回重办 — the organiser sends the answer back, with a reason."""
        if self.review != "pending":
            self._refuse("没有待审核的答复")
        self._answer_returned(stated(reason), by)

    @event("AnswerReturned")
    def _answer_returned(self, reason: str, by: str) -> None:
        self.review = "returned"

    def accept_answer(self, by: str) -> None:
        """审核通过."""
        if self.review != "pending":
            self._refuse("没有待审核的答复")
        self._answer_accepted(by)

    @event("AnswerAccepted")
    def _answer_accepted(self, by: str) -> None:
        self.review = "accepted"

    def publish(self, by: str) -> None:
        """公开 — only an accepted answer."""
        if self.review != "accepted":
            self._refuse("答复审核通过后才能公开")
        if not self.published:
            self._published(by)

    @event("Published")
    def _published(self, by: str) -> None:
        self.published = True

    def rate(self, rating: str, by: str) -> None:
        """满意度评价 — by the signer of the suggestion, once the answer is public; a later rating replaces it."""
        if self.source != "suggestion":
            self._refuse("只有留名建议可以评价")
        if not self.published:
            self._refuse("答复公开后才能评价")
        if rating not in RATINGS:
            raise InvalidInput("请选择满意、基本满意或不满意")
        self._rated(rating, by)

    @event("Rated")
    def _rated(self, rating: str, by: str) -> None:
        self.rating = rating
