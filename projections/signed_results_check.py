"""签名结果的核验 — the auditor's check of a signed results file (``sanmin verify --results FILE``).

``check_document`` checks the signature and the key, the chain value at the file's position, and recounts
the round from the events up to that position with the auditor's separate implementation
(``projections.recount_fold`` + ``recount_rule``), comparing every number the file holds
(``projections.signed_results.NUMBERS``); each difference is said in plain Chinese.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.domain import DomainEventProtocol

from evaluation.application import EvaluationApp
from evaluation.instrument import Instrument
from evaluation.round import round_id
from projections.audit import recount_record
from projections.event_log import kind_of, read_events, timestamp_of
from projections.feedback import level_label
from projections.recount_fold import TOPICS, RoundRecord, replay
from projections.signed_results import FORMAT, NUMBERS, PUBLISHED_KIND, RANKED, moment_text, public_entry
from storage.recorder import GuardedApplicationRecorder
from storage.settings import Settings
from storage.signing import check, public_key_text

Say = Callable[[str], None]
WITHHELD = frozenset(
    ("returned", "valid_votes", "abstentions", "level_counts", "score", "satisfaction_rate", "final")
)
"""The numbers a file may leave out (null) for a department marked ``"suppressed": true`` (the audit
bundle's results.json, projections/audit_bundle.py)."""


def check_document(
    app: EvaluationApp,
    settings: Settings,
    document: Any,
    expected_key: str | None = None,
    say: Say = print,
) -> bool:
    """True only when the signature is valid, made with the expected key (``expected_key``, else this
    server's own), the chain value matches, and every number equals the recount from the events."""
    payload = document.get("payload") if isinstance(document, dict) else None
    problem = _malformed(payload)
    if problem:
        say(f"文件格式不对：{problem}")
        return False
    assert isinstance(document, dict) and isinstance(payload, dict)
    ok = _signature(document, settings, expected_key, say)
    position = payload["event_position"]
    state = (
        f"已发布（{payload.get('published_at')}）" if payload.get("published") is True else "发布前的临时结果"
    )
    say(f"评议活动：{payload.get('title')}（{payload['round']}），{state}，按事件位置 {position} 计算")
    ok = _chain_head(app, settings, payload, say) and ok
    return recount_matches(app, payload, say) and ok


def _malformed(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return "缺少 payload"
    if payload.get("format") != FORMAT:
        return f"不是签名结果文件（format 应为 {FORMAT}）"
    if not isinstance(payload.get("round"), str):
        return "缺少评议活动（round）"
    if not isinstance(payload.get("event_position"), int) or payload["event_position"] < 0:
        return "缺少事件位置（event_position）"
    entries = payload.get("departments")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("department"), str) for e in entries
    ):
        return "缺少各部门结果（departments）"
    return None


def _signature(document: dict[str, Any], settings: Settings, expected_key: str | None, say: Say) -> bool:
    key = str(document.get("public_key", ""))
    valid = check(document)
    say(f"文件中的公钥：{key}")
    if valid:
        say("签名：有效，文件内容与签名时一致")
    else:
        say("签名：无效 —— 文件内容在签名后被改动过，或签名不是用此公钥做的")
    whose = "--public-key 指定的公钥" if expected_key is not None else "本服务器的结果签名公钥"
    expected = expected_key if expected_key is not None else public_key_text(settings.secret)
    if hmac.compare_digest(key.encode(), expected.encode()):
        say(f"公钥：与{whose}一致")
        return valid
    say(f"公钥：与{whose}不符（{whose}为 {expected}），文件不是用它签名的")
    return False


def stored_chain_value(app: EvaluationApp, settings: Settings, position: int) -> bytes | None:
    """The hash chain's value written with the event at ``position`` (None if there is no such event)."""
    recorder = app.recorder
    assert isinstance(recorder, GuardedApplicationRecorder)
    query = f'SELECT link FROM "{recorder.chain_table}" WHERE notification_id = %s'
    with psycopg.connect(settings.database_url, options=settings.pg_options) as conn:
        row = conn.execute(query, (position,)).fetchone()
    return None if row is None else bytes(row[0])


def _chain_head(app: EvaluationApp, settings: Settings, payload: dict[str, Any], say: Say) -> bool:
    position, claimed = payload["event_position"], payload.get("chain_head")
    if claimed is None:
        say("哈希链：文件未写明链值，未比对")
        return True
    stored = stored_chain_value(app, settings, position)
    if stored is None:
        say(f"哈希链：事件位置 {position} 不在本数据库的哈希链中")
        return False
    if not hmac.compare_digest(stored.hex(), str(claimed)):
        say(f"哈希链：文件中的链值与数据库中位置 {position} 的链值不符（事件历史不是文件计算时的那一份）")
        return False
    say(f"哈希链：位置 {position} 的链值与文件一致")
    return True


def recount_matches(app: EvaluationApp, payload: dict[str, Any], say: Say) -> bool:
    """Every number of ``payload`` equals the recount from the events up to its position."""
    round_key, position = payload["round"], payload["event_position"]
    published: list[datetime] = []
    records = replay(
        _watching(read_events(app, stop=position, topics=TOPICS), round_id(round_key), published)
    )
    record = records.get(round_key)
    if record is None:
        say(f"复核计票：到事件位置 {position} 为止，事件中没有评议活动「{round_key}」")
        return False
    differences = publication_differences(payload, published[-1] if published else None)
    differences += number_differences(payload["departments"], recount_record(record), record)
    if differences:
        say(f"复核计票：从事件重新计票（至位置 {position}），与文件不符 {len(differences)} 处：")
        for difference in differences:
            say(f"  {difference}")
        return False
    count = len(payload["departments"])
    say(f"复核计票：从事件重新计票（至位置 {position}），{count} 个部门的每个数字都与文件一致")
    return True


def _watching(
    events: Iterator[tuple[int, DomainEventProtocol[UUID]]], round_uuid: UUID, published: list[datetime]
) -> Iterator[tuple[int, DomainEventProtocol[UUID]]]:
    """The events, passed on unchanged, noting when the round's results were published."""
    for position, event in events:
        if event.originator_id == round_uuid and kind_of(event) == PUBLISHED_KIND:
            published.append(timestamp_of(event))
        yield position, event


def publication_differences(payload: Mapping[str, Any], published_at: datetime | None) -> list[str]:
    """Whether (and when) the events say the results were published, against the file."""
    found: list[str] = []
    claimed = payload.get("published") is True
    if claimed != (published_at is not None):
        said = "已发布" if claimed else "未发布"
        truth = "已发布" if published_at is not None else "尚未发布"
        found.append(f"发布状态：文件中为{said}，事件中到此位置为止{truth}")
    elif published_at is not None and payload.get("published_at") != moment_text(published_at):
        found.append(
            f"发布时间：文件中为 {payload.get('published_at')}，事件中为 {moment_text(published_at)}"
        )
    return found


def number_differences(
    entries: list[dict[str, Any]], recounted: Mapping[str, Mapping[str, Any]], record: RoundRecord
) -> list[str]:
    """Every number of the file that the recount does not give, department by department."""
    found: list[str] = []
    in_file = {e["department"]: e for e in entries}
    for department in sorted(recounted.keys() - in_file.keys()):
        found.append(f"文件中缺少部门 {department}（事件中有此部门）")
    for department in sorted(in_file.keys() - recounted.keys()):
        found.append(f"文件中多出部门 {_who(in_file[department])}（事件中此活动没有这个部门）")
    for department in sorted(in_file.keys() & recounted.keys()):
        # the recount as it may be published: a department below k shows its turnout only
        entry, truth = in_file[department], public_entry({"department": department, **recounted[department]})
        for key, label in NUMBERS:
            if entry.get("suppressed") is True and key in WITHHELD:  # 1-4 ballots: left out (k = 5)
                if entry.get(key) is not None:
                    found.append(f"{_who(entry)} {label}：标为不公布，文件中却有 {_shown(entry.get(key))}")
            elif key == "level_counts":
                found += _level_differences(entry, truth, record.instrument)
            elif key not in entry or not _same(entry[key], truth.get(key)):
                found.append(
                    f"{_who(entry)} {label}：文件中为 {_shown(entry.get(key))}，"
                    f"从事件复核为 {_shown(truth.get(key))}"
                )
    return found


def _level_differences(
    entry: Mapping[str, Any], truth: Mapping[str, Any], instrument: Instrument
) -> list[str]:
    counts = entry.get("level_counts")
    if truth["level_counts"] is None:  # not published (fewer than k ballots)
        return [] if counts is None else [f"{_who(entry)} 各等次票数：文件中公布了不足 5 票的部门的票数"]
    if not isinstance(counts, dict):
        return [f"{_who(entry)} 各等次票数：文件中缺少"]
    actual: dict[str, int] = dict(truth["level_counts"])
    return [
        f"{_who(entry)}「{level_label(instrument, choice)}」票数：文件中为 {_shown(counts.get(choice))}，"
        f"从事件复核为 {_shown(actual.get(choice))}"
        for choice in sorted(counts.keys() | actual.keys())
        if choice not in counts or not _same(counts[choice], actual.get(choice))
    ]


def _same(claimed: Any, actual: Any) -> bool:
    """Equal and of the same JSON type (``true`` is not ``1``, ``"60"`` is not ``60``)."""
    return type(claimed) is type(actual) and bool(claimed == actual)


def _who(entry: Mapping[str, Any]) -> str:
    name, key = entry.get("name"), entry["department"]
    return f"{name}（{key}）" if name and name != key else str(key)


def _shown(value: Any) -> str:
    if value is None:
        return "无"
    if value == RANKED:
        return "参与排名"
    return str(value)
