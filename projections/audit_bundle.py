"""公开审计包 — a published round as one zip anyone can recount (``/results/{round}/audit.zip``,
``sanmin audit-bundle KEY FILE``; checked by the standalone ``sanmin_audit``).

Everything is taken from the events up to the round's publication (``Round.ResultsPublished``): the
rule, the counting ballots (``projections.recount_fold``: the last version accepted while the window
was open, not voided, offered by the instrument), the imported components, the results recounted
with ``projections.recount_rule`` and signed, and the signed chain checkpoints up to then. The same
round gives the same bytes whoever builds it: the ballots are sorted by content and then shuffled
with a seed derived from the server secret (their order says nothing of when or where they were
cast), and every zip entry is dated at the publication.

Small departments stay secret (k-匿名): ``suppressed`` is the one place deciding it.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import random
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.utils import get_topic

from evaluation.application import EvaluationApp
from evaluation.errors import EvaluationError
from evaluation.instrument import UNKNOWN
from evaluation.round import Round, round_id
from projections.audit import recount_record
from projections.audit_readme import README
from projections.event_log import kind_of, read_events, timestamp_of
from projections.recount_fold import TOPICS, RoundRecord, offered, replay
from projections.signed_results import PUBLISHED_KIND, department_entry, results_payload
from projections.signed_results_check import WITHHELD
from storage.bootstrap import checkpoints_of
from storage.recorder import GuardedApplicationRecorder
from storage.settings import Settings
from storage.signing import sign

K = 5
"""最小公布单元 — a department with fewer counting ballots keeps its ballots and numbers out of the bundle."""

RULE_FORMAT = "sanmin-audit-rule/1"
FILES = (
    "README.txt",
    "rule.json",
    "counts.json",
    "ballots.csv",
    "components.csv",
    "results.json",
    "checkpoints.json",
)
PUBLISHED_TOPIC = get_topic(getattr(Round, "ResultsPublished"))  # noqa: B009 - made by @event


def suppressed(counting: Mapping[str, int], k: int = K) -> set[str]:
    """The departments with some counting ballots, but fewer than ``k``: their ballots, counts and
    numbers stay out of the bundle (the same k as the comments' 5). Their rank and display position
    stay. A department without any ballot has nothing to hide."""
    return {department for department, n in counting.items() if 0 < n < k}


@dataclass
class Versions:
    """Per ballot, how many of its versions were accepted while its department's window was open."""

    round_key: str
    departments: dict[UUID, str] = field(default_factory=dict)
    windows: dict[UUID, str] = field(default_factory=dict)
    open: set[str] = field(default_factory=set)
    accepted: Counter[UUID] = field(default_factory=Counter)

    def watch(
        self, events: Iterator[tuple[int, DomainEventProtocol[UUID]]]
    ) -> Iterator[tuple[int, DomainEventProtocol[UUID]]]:
        for position, event in events:
            kind, fields, aggregate = kind_of(event), vars(event), event.originator_id
            if kind in ("ScoringWindow.Created", "Ballot.Cast") and fields["round_key"] == self.round_key:
                (self.windows if kind.startswith("Scoring") else self.departments)[aggregate] = fields[
                    "department"
                ]
            if aggregate in self.windows:
                if kind in ("ScoringWindow.Opened", "ScoringWindow.Reopened"):
                    self.open.add(self.windows[aggregate])
                elif kind == "ScoringWindow.Closed":
                    self.open.discard(self.windows[aggregate])
            elif kind in ("Ballot.Cast", "Ballot.Amended") and self.departments.get(aggregate) in self.open:
                self.accepted[aggregate] += 1
            yield position, event


def publication(app: EvaluationApp, round_key: str) -> tuple[int, datetime] | None:
    """The position and time of the round's (last) publication, None if it was never published."""
    found = None
    uuid = round_id(round_key)
    for position, event in read_events(app, topics=[PUBLISHED_TOPIC]):
        if event.originator_id == uuid and kind_of(event) == PUBLISHED_KIND:
            found = (position, timestamp_of(event))
    return found


def rule_document(round_key: str, title: str, record: RoundRecord) -> dict[str, Any]:
    """rule.json: the instrument and every tally parameter (docs/scoring.md §1, §3, §4, §6)."""
    instrument = record.instrument
    return {
        "format": RULE_FORMAT,
        "round": round_key,
        "title": title,
        "kind": instrument.kind,
        "levels": [
            {"key": lv.key, "label": lv.label, "points": lv.points, "satisfied": lv.satisfied}
            for lv in instrument.levels
        ]
        if instrument.kind == "levels"
        else [],
        "abstention": {"key": UNKNOWN, "label": instrument.unknown_label},
        "criteria": [
            {"key": c.key, "label": c.label, "max": c.max_score, "weight": str(c.weight)}
            for c in instrument.criteria
        ]
        if instrument.kind == "criteria"
        else [],
        "satisfied_threshold": str(instrument.satisfied_threshold),
        "category_shares": {key: str(share) for key, share in sorted(record.shares.items())},
        "weighting": instrument.weighting,
        "trim": instrument.trim,
        "min_valid_votes": instrument.min_valid_votes,
        "components": {key: str(weight) for key, weight in instrument.components.items()},
        "departments": {department: group for department, group in sorted(record.groups.items())},
        "suppression_k": K,
    }


def ballot_rows(
    record: RoundRecord, hidden: set[str], seed: bytes
) -> tuple[list[str], list[list[str]], Counter[str]]:
    """ballots.csv's header and rows (shuffled), and the not-offered ballots per department."""
    instrument = record.instrument
    criteria = [c.key for c in instrument.criteria] if instrument.kind == "criteria" else []
    rows: list[list[str]] = []
    dropped: Counter[str] = Counter()
    for ballot in record.ballots.values():
        if ballot["voided"] or ballot["counting"] is None:
            continue
        choice, scores = ballot["counting"]
        if not offered(instrument, choice, scores):
            dropped[ballot["department"]] += 1
            continue
        if ballot["department"] in hidden:
            continue
        marks = [str(scores[c]) if choice != UNKNOWN and scores else "" for c in criteria]
        rows.append([ballot["department"], ballot["category"], choice, *marks])
    rows.sort()
    random.Random(seed).shuffle(rows)
    return ["department", "category", "choice", *criteria], rows, dropped


def counting_per_department(record: RoundRecord) -> Counter[str]:
    counted: Counter[str] = Counter()
    for ballot in record.ballots.values():
        if not ballot["voided"] and ballot["counting"] is not None:
            choice, scores = ballot["counting"]
            if offered(record.instrument, choice, scores):
                counted[ballot["department"]] += 1
    return counted


def counts_document(
    record: RoundRecord, versions: Versions, hidden: set[str], dropped: Counter[str]
) -> dict[str, Any]:
    """counts.json: per department, the ballots left out of ballots.csv and why."""
    voided: Counter[str] = Counter()
    superseded: Counter[str] = Counter()
    for ballot_id, ballot in record.ballots.items():
        if ballot["voided"]:
            voided[ballot["department"]] += 1
        else:
            superseded[ballot["department"]] += max(versions.accepted[ballot_id] - 1, 0)
    return {
        department: {"suppressed": True}
        if department in hidden
        else {
            "suppressed": False,
            "voided": voided[department],
            "superseded": superseded[department],
            "not_offered": dropped[department],
        }
        for department in sorted(record.groups)
    }


def component_rows(record: RoundRecord) -> list[list[str]]:
    declared = [c for c in record.instrument.components if c != "live"]
    return [
        [department, component, str(score)]
        for component in declared
        for department, score in sorted(record.imported.get(component, {}).items())
    ]


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def audit_bundle(
    app: EvaluationApp,
    secret: bytes,
    round_key: str,
    chain_value: Callable[[int], bytes | None],
    checkpoints: list[dict[str, Any]],
) -> bytes | None:
    """The zip's bytes, or None when the round's results were never published.

    ``chain_value(position)``: the keyed chain's value at a position (bytes or None); ``checkpoints``:
    every signed checkpoint stored (those up to the publication are kept)."""
    published = publication(app, round_key)
    if published is None:
        return None
    position, published_at = published
    versions = Versions(round_key)
    record = replay(versions.watch(read_events(app, stop=position, topics=TOPICS)))[round_key]
    round_ = app.round(round_key)
    counted = counting_per_department(record)
    hidden = suppressed({d: counted[d] for d in record.groups})
    seed = hmac.new(secret, f"audit-bundle-shuffle:{round_key}".encode(), hashlib.sha256).digest()
    header, rows, dropped = ballot_rows(record, hidden, seed)
    rule = _json(rule_document(round_key, round_.title, record))
    recounted = recount_record(record)
    entries = []
    for department, numbers in recounted.items():
        entry = department_entry(
            department,
            _name(app, round_key, department),
            numbers["eligible"],
            numbers["returned"],
            numbers,
            numbers,
        )
        if department in hidden:
            entry.update(dict.fromkeys(WITHHELD), suppressed=True)
        entries.append(entry)
    payload = results_payload(
        round_key, round_.title, True, published_at, position, chain_value(position), round_.groups, entries
    )
    payload["rule_sha256"] = hashlib.sha256(rule).hexdigest()
    files = {
        "README.txt": README.encode(),
        "rule.json": rule,
        "counts.json": _json(counts_document(record, versions, hidden, dropped)),
        "ballots.csv": _csv(header, rows),
        "components.csv": _csv(["department", "component", "score"], component_rows(record)),
        "results.json": _json(sign(payload, secret)),
        "checkpoints.json": _json(until(checkpoints, position)),
    }
    return _zip(files, published_at)


def until(checkpoints: list[dict[str, Any]], position: int) -> list[dict[str, Any]]:
    """The checkpoints up to the publication, and the one taken for it (just after it)."""
    unique = {json.dumps(c, sort_keys=True): c for c in checkpoints if isinstance(c, dict)}
    ordered = sorted(unique.values(), key=lambda c: int(c.get("payload", {}).get("position", 0)))
    kept = [c for c in ordered if int(c["payload"].get("position", 0)) <= position]
    after = [c for c in ordered if int(c["payload"].get("position", 0)) > position]
    if after and after[0]["payload"].get("reason") == "results_published":
        kept.append(after[0])
    return kept


def _name(app: EvaluationApp, round_key: str, department: str) -> str:
    try:
        return str(app.department(round_key, department).name)
    except EvaluationError:  # a department enrolled without its record keeps its key
        return department


def _zip(files: Mapping[str, bytes], moment: datetime) -> bytes:
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name in FILES:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            bundle.writestr(info, files[name])
    return out.getvalue()


def bundle_for(app: EvaluationApp, settings: Settings, round_key: str) -> bytes | None:
    """The round's audit bundle from this store (``sanmin audit-bundle`` and the public route alike)."""
    recorder = app.recorder
    assert isinstance(recorder, GuardedApplicationRecorder)
    with psycopg.connect(settings.database_url, options=settings.pg_options) as conn:
        checkpoints = checkpoints_of(recorder, settings).stored(conn)
        query = f'SELECT link FROM "{recorder.chain_table}" WHERE notification_id = %s'

        def chain_value(position: int) -> bytes | None:
            row = conn.execute(query, (position,)).fetchone()
            return None if row is None else bytes(row[0])

        return audit_bundle(app, settings.secret, round_key, chain_value, checkpoints)
