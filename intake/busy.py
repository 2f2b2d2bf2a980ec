"""繁忙 — the fast path's one refusal of its own: the ballot was not saved, and may be sent again."""

from __future__ import annotations

from evaluation.errors import EvaluationError


class Busy(EvaluationError):
    """The ballot writer ended before answering, or the ballot lost every race to be saved. The tablet sends
    the same ballot again with the same client id, so it counts once."""

    code, template = "busy", "系统繁忙，请稍后重试（您的评分不会重复计算）"
