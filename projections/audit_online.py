"""网络评议 in the public audit bundle — online_ballots.csv, the online part of rule.json and counts.json.

Only a round with an online channel (``OnlineChannel.PeriodSet`` before its publication) has them; any
other round's bundle is as before. Read from the events up to the publication, apart from the hall's
(``projections.recount_fold`` never reads an online ballot): each online ballot's last version counts
unless voided (docs/scoring.md §6a; the domain took it only inside the period), if the instrument offers
its choice. A department with 1 to k-1 counting online ballots has none of them in the file (the same k
as ballots.csv's, ``projections.audit_files.suppressed``). No pseudonym, receipt, client id, time, comment
or order: a line is the department and the choice (with the criteria's scores).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.utils import get_topic

from evaluation.instrument import UNKNOWN, Instrument
from evaluation.online import ONLINE_COMPONENT
from evaluation.online_ballot import ONLINE_CATEGORY, OnlineBallot
from evaluation.online_channel import OnlineChannel
from projections.audit_files import K, left_out, suppressed
from projections.event_log import kind_of
from projections.recount_fold import RoundRecord, offered

ONLINE_FILE = "online_ballots.csv"
ONLINE_TOPICS = tuple(
    get_topic(cls)
    for aggregate in (OnlineChannel, OnlineBallot)
    for cls in vars(aggregate).values()
    if isinstance(cls, type) and issubclass(cls, aggregate.Event) and cls is not aggregate.Event
)
"""The only events the online part of a bundle reads."""


@dataclass
class OnlineRecord:
    """One round's online channel as the auditor reads it: whether it had one, and its ballots
    (ballot → {"department", "voided", "choice", "scores", "versions"})."""

    channel: bool = False
    ballots: dict[UUID, dict[str, Any]] = field(default_factory=dict)

    def counting(self, instrument: Instrument) -> list[dict[str, Any]]:
        """The ballots that count: not voided, their last version a choice the instrument offers."""
        return [
            b
            for b in self.ballots.values()
            if not b["voided"] and offered(instrument, b["choice"], b["scores"])
        ]


def online_replay(events: Iterable[tuple[int, DomainEventProtocol[UUID]]], round_key: str) -> OnlineRecord:
    record = OnlineRecord()
    for _, event in events:
        kind, fields = kind_of(event), vars(event)
        if kind == "OnlineChannel.PeriodSet" and fields["round_key"] == round_key:
            record.channel = True
        elif kind == "OnlineBallot.Cast" and fields["round_key"] == round_key:
            record.ballots[event.originator_id] = {"department": fields["department"], "versions": 0}
        ballot = record.ballots.get(event.originator_id)
        if ballot is None or not kind.startswith("OnlineBallot."):
            continue
        if kind == "OnlineBallot.Voided":
            ballot["voided"] = True
        else:
            ballot.update(choice=fields["choice"], scores=fields["scores"], voided=False)
            ballot["versions"] += 1
    return record


def online_part(
    online: OnlineRecord, record: RoundRecord, rule: dict[str, Any], counts: dict[str, Any], seed: bytes
) -> tuple[list[str], list[list[str]]] | None:
    """For a round with an online channel: adds rule.json's ``online`` and each department's ``online``
    in counts.json, and gives online_ballots.csv's header and rows; None (nothing added) without one."""
    if not online.channel:
        return None
    hidden = hidden_online(online, record.instrument, record.groups)
    rule["online"] = online_rule(record.instrument)
    for department, part in online_counts(online, record.instrument, record.groups, hidden).items():
        counts[department]["online"] = part
    return online_rows(online, record.instrument, set(record.groups), hidden, seed)


def hidden_online(record: OnlineRecord, instrument: Instrument, departments: Iterable[str]) -> set[str]:
    counted = Counter(b["department"] for b in record.counting(instrument))
    return suppressed({d: counted[d] for d in departments})


def online_rule(instrument: Instrument) -> dict[str, Any]:
    """rule.json's ``online``: how §6a computes each department's online score — the hall's instrument
    (``kind``, ``levels``, ``criteria``), one category, ``trim`` as the hall's, the mean rounded to 3
    decimals, none below ``min_ballots`` — and its weight (the component ``网络评议``'s in ``components``,
    null while the online result is not in the composite)."""
    weight = instrument.components.get(ONLINE_COMPONENT)
    return {
        "component": ONLINE_COMPONENT,
        "weight": None if weight is None else str(weight),
        "category": ONLINE_CATEGORY,
        "trim": instrument.trim,
        "min_ballots": K,
    }


def online_rows(
    record: OnlineRecord, instrument: Instrument, departments: set[str], hidden: set[str], seed: bytes
) -> tuple[list[str], list[list[str]]]:
    """online_ballots.csv's header and rows (sorted, then shuffled with the bundle's seed)."""
    criteria = [c.key for c in instrument.criteria] if instrument.kind == "criteria" else []
    rows = []
    for ballot in record.counting(instrument):
        if ballot["department"] in departments and ballot["department"] not in hidden:
            choice, scores = ballot["choice"], ballot["scores"]
            marks = [str(scores[c]) if choice != UNKNOWN and scores else "" for c in criteria]
            rows.append([ballot["department"], choice, *marks])
    rows.sort()
    random.Random(seed + b"online").shuffle(rows)
    return ["department", "choice", *criteria], rows


def online_counts(
    record: OnlineRecord, instrument: Instrument, departments: Iterable[str], hidden: set[str]
) -> dict[str, dict[str, Any]]:
    """counts.json's ``online`` part of each department: the online ballots left out of the file, and why."""
    voided: Counter[str] = Counter()
    superseded: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    for ballot in record.ballots.values():
        department = ballot["department"]
        if ballot["voided"]:
            voided[department] += 1
            continue
        superseded[department] += ballot["versions"] - 1
        if not offered(instrument, ballot["choice"], ballot["scores"]):
            dropped[department] += 1
    return left_out(departments, hidden, voided, superseded, dropped)
