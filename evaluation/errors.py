"""拒绝原因 — every refusal of the domain, each with a stable code and a message a person can understand.

A caller outside the domain answers by ``code``, which never changes, and shows ``message`` as it is.
"""

from __future__ import annotations

from typing import Any, ClassVar


class EvaluationError(Exception):
    """A command refused by a rule of the activity."""

    code: ClassVar[str] = "refused"
    template: ClassVar[str] = "操作被拒绝"

    def __init__(self, detail: str = "", **facts: Any) -> None:
        self.facts = facts
        self.detail = detail
        self.message = self.template.format(**facts) + (f"：{detail}" if detail else "")
        super().__init__(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        """A refusal crosses processes (the ballot writer's) with its facts, detail and message as made."""
        return _restored, (type(self), dict(self.__dict__))


def _restored(cls: type[EvaluationError], state: dict[str, Any]) -> EvaluationError:
    refusal = cls.__new__(cls)
    Exception.__init__(refusal, state["message"])
    refusal.__dict__.update(state)
    return refusal


class NotFound(EvaluationError):
    code, template = "not_found", "找不到{what}"


class InvalidInput(EvaluationError):
    code, template = "invalid_input", "输入有误"


class RoundNotEditable(EvaluationError):
    code, template = "round_locked", "评议结果已锁定，不能再修改"


class EvaluationOver(EvaluationError):
    """本次评议已结束 — what a representative may still send once the round's results are locked (a 留名建议)
    is refused in words about the evaluation, not about editing results."""

    code, template = "evaluation_over", "本次评议已结束，不能再提交留名建议"


class ResultsNotLocked(EvaluationError):
    code, template = "results_not_locked", "须先锁定评议结果，才能发布"


class AlreadyExists(EvaluationError):
    code, template = "already_exists", "{what}已存在"


class WindowNotOpen(EvaluationError):
    code, template = "window_closed", "「{department}」的评分已结束或尚未开始"


class WindowAlreadyOpen(EvaluationError):
    code, template = "window_open", "「{department}」的评分已经开始"


class ScoringUnderway(EvaluationError):
    """临时结果 — the provisional results file is not given while a department is being scored: its numbers
    move with each ballot and amendment, which the results page seals until the window closes."""

    code, template = "scoring_underway", "「{department}」正在评分：评分结束后才能下载临时结果"


class ReasonRequired(EvaluationError):
    code, template = "reason_required", "请填写原因"


class ScoringStarted(EvaluationError):
    """评分已开始 — a change that could alter what a counted ballot means is refused once scoring began."""

    code, template = "scoring_started", "评分已经开始，{what}不能再修改，否则会改变已投评议票的含义"


class StillInUse(EvaluationError):
    """Removing what something else still refers to (a group with departments, a venue with people)."""

    code, template = "still_in_use", "{what}仍在使用中，不能删除"


REASON_LIMIT = 500
"""原因的字数上限 — what every form's reason field allows (``maxlength="500"``): a reason is a sentence or two, shown
whole on the organiser's pages and in the history."""


class ReasonTooLong(EvaluationError):
    code, template = "reason_too_long", "原因不能超过 {limit} 字，请写得简短些"


def stated(reason: str) -> str:
    """The reason given for a change that must have one, stripped; ``ReasonRequired`` if it is blank,
    ``ReasonTooLong`` beyond ``REASON_LIMIT`` characters."""
    if not reason.strip():
        raise ReasonRequired()
    return optional_reason(reason)


def optional_reason(reason: str) -> str:
    """A reason that may be left blank, stripped; ``ReasonTooLong`` beyond ``REASON_LIMIT`` characters."""
    if len(reason.strip()) > REASON_LIMIT:
        raise ReasonTooLong(limit=REASON_LIMIT)
    return reason.strip()


class NotInSitting(EvaluationError):
    code, template = "not_in_sitting", "「{department}」不在您参加的场次，不能为其评分"


class NotCheckedIn(EvaluationError):
    code, template = "not_checked_in", "请先到会场签到，签到后才能评分"


class InvalidChoice(EvaluationError):
    code, template = "invalid_choice", "评价选项无效"


class CommentTooLong(EvaluationError):
    code, template = "comment_too_long", "意见建议最多 {limit} 个字"


class InvalidCredential(EvaluationError):
    code, template = "invalid_credential", "登录码不正确"


class CredentialRevoked(EvaluationError):
    code, template = "credential_revoked", "此登录码已作废，请向工作人员领取新的评议卡"


class BallotAlreadyVoided(EvaluationError):
    code, template = "ballot_voided", "该评议票已作废"


class RosterRejected(EvaluationError):
    """名单导入失败 — the whole file is refused; ``problems`` lists every bad row."""

    code, template = "roster_rejected", "名单有 {count} 处错误，未导入任何代表"

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        super().__init__(count=len(problems))


class RosterAlreadyImported(EvaluationError):
    """同一份名单不重复导入 — the same file (or the same rows) was imported before."""

    code, template = "roster_already_imported", "这份名单已于此前导入（「{source}」），未重复导入任何代表"


class UploadTooHeavy(EvaluationError):
    """解析上传文件超出上限 — parsing the file needed more memory or CPU time than an upload may use."""

    code, template = (
        "upload_too_heavy",
        "文件内容太多或结构异常，读取时超出了内存或时间上限，未读取：请删去多余的内容后另存再上传",
    )


class OutsideVenue(EvaluationError):
    """签到员只管本会场 — check-in staff act only for the representatives of their own venue."""

    code, template = "outside_venue", "签到员只能为本会场的代表签到或补卡"
