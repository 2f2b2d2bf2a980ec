"""公开审计包 — a published round as one zip anyone can recount (``/results/{round}/audit.zip``,
``sanmin audit-bundle KEY FILE``; checked by the standalone ``sanmin_audit``).

Everything is taken from the events up to the round's publication (``Round.ResultsPublished``): the
rule, the counting ballots (``projections.recount_fold``: the last version accepted while the window
was open, not voided, offered by the instrument), the imported components, the results recounted
with ``projections.recount_rule`` and signed, and the signed chain checkpoints up to then; for a round
with an online channel, its counting online ballots too (``projections.audit_online``). The same
round gives the same bytes whoever builds it: the ballots are sorted by content and then shuffled
with a seed derived from the server secret (their order says nothing of when or where they were
cast), and every zip entry is dated at the publication. What each file says: ``projections.audit_files``.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import zipfile
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import psycopg
from eventsourcing.utils import get_topic

from evaluation.application import EvaluationApp
from evaluation.errors import EvaluationError
from evaluation.round import Round, round_id
from projections.audit import recount_record
from projections.audit_files import (
    Versions,
    ballot_rows,
    component_rows,
    counting_per_department,
    counts_document,
    rule_document,
    suppressed,
)
from projections.audit_online import ONLINE_FILE, ONLINE_TOPICS, online_part, online_replay
from projections.audit_readme import readme
from projections.event_log import kind_of, read_events, timestamp_of
from projections.recount_fold import TOPICS, replay
from projections.signed_results import PUBLISHED_KIND, department_entry, results_payload
from projections.signed_results_check import WITHHELD
from storage.bootstrap import checkpoints_of
from storage.recorder import GuardedApplicationRecorder
from storage.settings import Settings
from storage.signing import public_key_text, sign

FILES = (  # and ONLINE_FILE after ballots.csv for a round with an online channel
    "README.txt",
    "rule.json",
    "counts.json",
    "ballots.csv",
    "components.csv",
    "results.json",
    "checkpoints.json",
)
PUBLISHED_TOPIC = get_topic(getattr(Round, "ResultsPublished"))  # noqa: B009 - made by @event


def publication(app: EvaluationApp, round_key: str) -> tuple[int, datetime] | None:
    """The position and time of the round's (last) publication, None if it was never published."""
    found = None
    uuid = round_id(round_key)
    for position, event in read_events(app, topics=[PUBLISHED_TOPIC]):
        if event.originator_id == uuid and kind_of(event) == PUBLISHED_KIND:
            found = (position, timestamp_of(event))
    return found


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
    online = online_replay(read_events(app, stop=position, topics=ONLINE_TOPICS), round_key)
    rules = rule_document(round_key, round_.title, record)
    counts = counts_document(record, versions, hidden, dropped)
    online_lines = online_part(online, record, rules, counts, seed)
    online_csv = None if online_lines is None else _csv(*online_lines)
    rule = _json(rules)
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
    if online_csv is not None:
        payload["online_ballots_sha256"] = hashlib.sha256(online_csv).hexdigest()
    files = {
        "README.txt": readme(public_key_text(secret)).encode(),
        "rule.json": rule,
        "counts.json": _json(counts),
        "ballots.csv": _csv(header, rows),
        **({} if online_csv is None else {ONLINE_FILE: online_csv}),
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
        for name in files:
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
