"""签名检查点 — whoever can edit the database deletes the last ballot and everything after it, events and
chain rows together (and the checkpoints the database holds): the chain that is left is intact, but
``verify`` holds it against the checkpoint signed when the window closed, and finds the tail gone."""

from __future__ import annotations

import json

from evaluation.application import EvaluationApp
from storage.chain import chain_key, compare
from storage.checkpoints import KIND
from storage.settings import Settings
from storage.signing import check, public_key_text
from storage.verify import _event_rows, verify_events
from tests.conftest import ORGANISER
from tests.integration.test_tamper_evidence import ballot_positions, scored, sql

__all__ = ["scored"]


def checkpoint_files(settings: Settings) -> list[dict[str, object]]:
    return [json.loads(p.read_text()) for p in sorted((settings.data_dir / "checkpoints").glob("*.json"))]


def chain_rows(settings: Settings) -> dict[int, bytes]:
    import psycopg

    with psycopg.connect(settings.database_url, options=settings.pg_options) as conn:
        rows = conn.execute("SELECT notification_id, link FROM evaluation_events_chain").fetchall()
    return {int(p): bytes(v) for p, v in rows}


def delete_the_tail(settings: Settings, from_position: int) -> None:
    for table in ("evaluation_events", "evaluation_events_chain"):
        sql(settings, f"DELETE FROM {table} WHERE notification_id >= {from_position}")
    sql(settings, "DELETE FROM evaluation_events_checkpoints")


def test_closing_a_window_signs_the_chain_s_head_and_length(
    scored: EvaluationApp, settings: Settings
) -> None:
    [document] = checkpoint_files(settings)
    assert check(document, public_key_text(settings.secret))
    payload = document["payload"]
    assert isinstance(payload, dict)
    chain = chain_rows(settings)
    assert payload["kind"] == KIND and payload["reason"] == "window_closed"
    assert payload["position"] == max(chain) and payload["count"] == len(chain)
    assert payload["head"] == chain[max(chain)].hex()


def test_locking_and_publishing_each_sign_one_too(scored: EvaluationApp, settings: Settings) -> None:
    scored.lock_results("r2026", by=ORGANISER)
    scored.publish_results("r2026", by=ORGANISER)
    reasons = [d["payload"]["reason"] for d in checkpoint_files(settings)]  # type: ignore[index]
    assert reasons == ["window_closed", "results_locked", "results_published"]
    assert verify_events(scored, settings)[1] == []


def test_deleting_the_log_s_tail_is_found_against_the_signed_checkpoint(
    scored: EvaluationApp, settings: Settings
) -> None:
    kept_by_the_auditor = checkpoint_files(settings)
    last_ballot = ballot_positions(scored)[-1]
    delete_the_tail(settings, last_ballot)
    # the chain that is left is intact: the chain alone cannot tell
    counted = [0]
    assert (
        compare(chain_key(settings.secret), _event_rows(scored.recorder, counted), chain_rows(settings)) == []
    )  # type: ignore[arg-type]
    # against the checkpoint copied to the data folder
    findings = verify_events(scored, settings)[1]
    assert findings and "尾部被删除" in findings[0].problem
    # and against the auditor's copy, with the data folder's copy gone too
    for path in (settings.data_dir / "checkpoints").iterdir():
        path.unlink()
    assert verify_events(scored, settings)[1] == []
    findings = verify_events(scored, settings, kept=kept_by_the_auditor)[1]
    assert findings and "尾部被删除" in findings[0].problem


def test_a_checkpoint_not_signed_by_the_server_is_refused(scored: EvaluationApp, settings: Settings) -> None:
    [document] = checkpoint_files(settings)
    forged = json.loads(json.dumps(document))
    forged["payload"]["count"] -= 1
    findings = verify_events(scored, settings, kept=[forged])[1]
    assert [f.problem for f in findings] == ["检查点的签名无效（不是本服务器签发的检查点）"]


def test_removing_a_ballot_and_its_chain_row_before_the_checkpoint_is_found(
    scored: EvaluationApp, settings: Settings
) -> None:
    first = ballot_positions(scored)[0]
    for table in ("evaluation_events", "evaluation_events_chain"):
        sql(settings, f"DELETE FROM {table} WHERE notification_id = {first}")
    assert verify_events(scored, settings)[1] != []
