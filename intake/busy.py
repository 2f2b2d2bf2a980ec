"""繁忙 and 会话已结束 — the fast path's refusals of its own: the ballot was not saved."""

from __future__ import annotations

from evaluation.errors import EvaluationError


class Busy(EvaluationError):
    """The ballot writer ended before answering, or the ballot lost every race to be saved. The tablet sends
    the same ballot again with the same client id, so it counts once."""

    code, template = "busy", "系统繁忙，请稍后重试（您的评分不会重复计算）"


class SessionEnded(EvaluationError):
    """The ballot's session was ended (the tablet handed back, the card replaced, the sitting over, the desk
    ended it) before the ballot reached the writer: answered as any ended session is."""

    code, template = "not_signed_in", "请先登录"  # word for word the web's NotSignedIn
