"""历史记录 — one history_view row per event: who, when, why; and the query that filters them.

Ballots are secret (无记名): a ballot's versions are not lines of the history at all. Between the named
lines (a check-in, a card re-issued) their positions and times would say who had just been at a tablet.
``ballot_versions_query`` counts them instead, per department and day: how many were cast and how many
amended; never the choice, the comment, the receipt, the position or the time. A void is the organiser's act and stays a line (who, when, why). A signed suggestion's signer is named only to
the department that answers it, so here it is 代表（留名建议）without the name.
"""

from __future__ import annotations

from string import Formatter
from typing import Any

from eventsourcing.domain import DomainEventProtocol

from projections.event_log import kind_of, timestamp_of, value
from projections.tables import HISTORY, HistoryRow

ANONYMOUS = "代表（匿名）"
SIGNED = "代表（留名建议）"
SYSTEM = "系统"

SUMMARIES = {
    "Round.Created": "创建评议活动「{title}」",
    "OnlineChannel.PeriodSet": "设置网络评议期 {opens} 至 {closes}",
    "OnlineChannel.PeriodChanged": "修改网络评议期为 {opens} 至 {closes}",
    "OnlineBallot.Voided": "作废一张网上评议票",
    "Invitation.Voided": "取消一个邀请链接的评议资格",
    "OnlinePhone.Voided": "取消一个志愿者手机号的评议资格",
    "Round.InstrumentChanged": "修改评议表与计分参数",
    "Round.CategoryDefined": "设置代表类别 {key}「{name}」，权重 {share}",
    "Round.GroupDefined": "设置部门组 {key}「{name}」",
    "Round.VenueDefined": "设置会场 {key}「{name}」",
    "Round.DepartmentEnrolled": "部门 {key} 编入部门组 {group}",
    "Round.SittingDefined": "设置场次 {key}「{name}」，议程 {agenda}",
    "Round.ComponentImported": "导入组成部分 {component} 的成绩（{scores} 个部门）",
    "Round.CheckInRequirementSet": "设置评分前须先签到：{required}",
    "Round.ResultsRevealed": "大屏显示评议结果",
    "Round.ResultsHidden": "大屏隐藏评议结果",
    "Round.ResultsLocked": "锁定评议结果",
    "Round.ResultsPublished": "发布评议结果",
    "Round.PublicationProposed": "提议发布评议结果（待第二位计票员确认）",
    "Department.Registered": "登记部门「{name}」",
    "Department.ReportSubmitted": "提交述职报告「{title}」",
    "Report.Started": "建立述职报告",
    "Report.Submitted": "提交述职报告第 {revision} 稿「{title}」",
    "Round.PreReadingOpened": "公开述职报告供预读",
    "Round.PreReadingClosed": "停止公开预读",
    "Department.CredentialIssued": "发放部门登录码（第 {serial} 张）",
    "Department.DetailsChanged": "修改部门信息：「{name}」（简称「{short_name}」，部门组 {group}，负责人 {head}）",
    "Department.Withdrawn": "部门退出本次评议",
    "Department.Rejoined": "部门重新登记为「{name}」",
    "Round.Retitled": "活动名称改为「{title}」",
    "Round.CategoryRemoved": "删除代表类别 {key}",
    "Round.GroupRemoved": "删除部门组 {key}",
    "Round.VenueRemoved": "删除会场 {key}",
    "Round.SittingRemoved": "删除场次 {key}",
    "Round.DepartmentWithdrawn": "部门 {key} 退出本次评议",
    "ScoringWindow.Created": "建立评分窗口",
    "ScoringWindow.Opened": "开始评分",
    "ScoringWindow.Closed": "结束评分",
    "ScoringWindow.Reopened": "重新开始评分",
    "Representative.Registered": "登记代表{subject}",
    "Representative.CredentialIssued": "为代表{subject}发放评议卡（第 {serial} 张）",
    "Representative.CredentialRevoked": "作废代表{subject}的评议卡",
    "Representative.CheckedIn": "代表{subject}签到",
    "Representative.SessionsEnded": "结束代表{subject}的平板会话",
    "Representative.Edited": "修改代表{subject}的信息（姓名 {name}，类别 {category}，会场 {venue}，场次 {sitting}）",
    "Roster.Opened": "建立代表名册",
    "Roster.Enrolled": "登记代表 {count} 名（{source}）",
    "Ballot.Cast": "提交评议票",
    "Ballot.Amended": "修改评议票",
    "Ballot.Voided": "作废一张评议票",
    "Suggestion.Submitted": "提交留名建议",
    "Suggestion.Answered": "答复留名建议",
    "Opinion.Collected": "收集意见",
    "Opinion.Classified": "意见分类为「{theme}」",
    "Opinion.Merged": "合并意见",
    "Opinion.Split": "拆分意见",
    "Opinion.MarkedNotOpinion": "标为非意见",
    "Opinion.Restored": "撤销非意见",
    "Opinion.Redacted": "确认意见脱敏",
    "Opinion.Assigned": "交办意见：承办 {lead}，期限 {deadline}",
    "Opinion.ReassignmentRequested": "申请改派意见",
    "Opinion.Answered": "答复意见（{state}）",
    "Opinion.AnswerReturned": "退回意见答复",
    "Opinion.AnswerAccepted": "审核通过意见答复",
    "Opinion.Published": "公开意见答复",
    "Opinion.Rated": "评价意见办理：{rating}",
    "Lineage.Created": "建立历年对比的对应关系",
    "Lineage.PreviousSet": "设置上一轮评议活动「{previous}」",
    "Lineage.DepartmentMatched": "部门 {department} 对应上一轮的部门「{previous_department}」",
}
"""Only these fields of an event are ever shown; a Ballot's summary shows none."""

NO_BY = {"Ballot.Cast": ANONYMOUS, "Ballot.Amended": ANONYMOUS, "Suggestion.Submitted": SIGNED}


class _Fields(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


PLAIN = {
    kind: text.format_map(_Fields()).strip()
    for kind, text in SUMMARIES.items()
    if kind.startswith(("Ballot.", "Suggestion."))
}
"""The summaries that show no field of their event (a ballot's, a suggestion's): the same for every event."""
SHOWN = {
    kind: tuple(name for _, name, _, _ in Formatter().parse(text) if name and name != "subject")
    for kind, text in SUMMARIES.items()
    if not kind.startswith(("Ballot.", "Suggestion."))
}
"""The event fields each summary shows (a ballot's and a suggestion's, none)."""


def history_row(
    event: DomainEventProtocol[Any], position: int, round_key: str, department: str | None, subject: str = ""
) -> HistoryRow:
    """The history_view row of one event; ``subject`` names a representative as 「第 n 号 姓名」."""
    kind = kind_of(event)
    summary = None if subject else PLAIN.get(kind)
    if summary is None:
        summary = _summary(event, kind, subject)
    actor = value(event, "by") or NO_BY.get(kind, SYSTEM)
    reason = value(event, "reason") or ""
    return HistoryRow(
        position, round_key, department, kind, str(actor), str(reason), timestamp_of(event), summary
    )


def _summary(event: DomainEventProtocol[Any], kind: str, subject: str) -> str:
    fields, given = _Fields(subject=subject), vars(event)
    for name in SHOWN.get(kind, ()):
        if name == "agenda":
            fields[name] = "、".join(given.get(name) or []) or "（空）"
        elif name == "required":
            fields[name] = "是" if given.get(name) else "否"
        elif name == "scores":
            fields[name] = len(given.get(name) or {})
        elif name in given:
            fields[name] = given[name]
    return SUMMARIES.get(kind, kind).format_map(fields).strip()


VERSIONS = ("Ballot.Cast", "Ballot.Amended")
"""The kinds that are counted by ``ballot_versions_query``, never listed one by one."""
COLUMNS = ", ".join(HISTORY.names)


def history_query(
    round_key: str,
    department: str | None = None,
    kind: str | None = None,
    before: int | None = None,
    limit: int = 100,
    actors: list[str] | None = None,
) -> tuple[str, list[Any]]:
    """SQL (asyncpg ``$n`` style) and arguments: newest first, optionally by department and kind.

    ``kind`` is exact (``"Ballot.Voided"``) or, ending with a dot, every event of an aggregate
    (``"ScoringWindow."``). ``before`` pages backwards by position. ``actors``: only what these recorded
    ``by`` values did (a person, or every person of a role). Ballot versions are not among them.
    """
    args: list[Any] = [round_key]

    def where(column: str, operator: str, argument: Any) -> str:
        args.append(argument)
        return f"{column} {operator} ${len(args)}"

    events = ["round_key = $1"]
    if department is not None:
        events.append(where("department", "=", department))
    if before is not None:
        events.append(where("position", "<", before))
    if kind:
        events.append(where("kind", "LIKE", kind + "%") if kind.endswith(".") else where("kind", "=", kind))
    if actors is not None:
        events.append(where("actor", "= ANY(", actors) + "::text[])")
    args.append(limit)
    return (
        f"SELECT {COLUMNS} FROM history_view WHERE {' AND '.join(events)} ORDER BY position DESC LIMIT ${len(args)}",
        args,
    )


def ballot_versions_query(round_key: str, department: str | None = None) -> tuple[str, list[Any]]:
    """评议票 per department and day (Asia/Shanghai): how many were cast (version 1) and amended (later
    versions). Columns: department, day (a date), cast, amended; by department, then day."""
    args: list[Any] = [round_key]
    where = "round_key = $1"
    if department is not None:
        args.append(department)
        where += " AND department = $2"
    return (
        "SELECT department, (at AT TIME ZONE 'Asia/Shanghai')::date AS day,"
        " count(*) FILTER (WHERE version = 1) AS cast, count(*) FILTER (WHERE version > 1) AS amended"
        f" FROM receipts_view WHERE {where} GROUP BY 1, 2 ORDER BY 1, 2",
        args,
    )
