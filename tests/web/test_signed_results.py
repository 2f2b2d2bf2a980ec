"""签名结果 — GET /results/{round}/signed.json, and ``sanmin verify --results FILE`` on what it gives.

The file verifies; a changed number breaks the signature; a file signed with another key is refused
(by default against this server's key, or against --public-key); a file signed with the real key whose
numbers are not what the events give fails the recount, each difference said in plain Chinese.
Anonymous visitors get the file only once the round is published; its organiser before, marked
provisional.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from projections.signed_results import NUMBERS
from projections.signed_results_check import check_document
from sanmin.cli import main as sanmin
from storage.settings import Settings
from storage.signing import public_key_text, sign
from tests.conftest import ORGANISER, SECRET, sanmin_environment
from tests.web.conftest import Web

URL = "/results/r2026/signed.json"


def score_and_publish(web: Web, publish: bool = True, abstainers: int = 3) -> None:
    """s1: 李秀英 (npc) satisfied / dissatisfied, 王建国 (resident) fairly satisfied / unknown, and three
    more representatives (resident) who answer 不了解 to both: five ballots each, so the numbers are shown
    (fewer than 5 are not)."""
    app, r = web.commands, web.round
    others = [
        app.register_representative("r2026", f"弃权代表{i}", "resident", "kdl", "s1", by=ORGANISER)[0]
        for i in range(abstainers)
    ]
    for department in ("fgw", "swj"):
        app.open_window("r2026", department, by=ORGANISER)
    app.cast_ballot(r.alice, "fgw", "alice-fgw-1", "satisfied")
    app.cast_ballot(r.bob, "fgw", "bob-fgw-1", "fairly_satisfied")
    app.cast_ballot(r.alice, "swj", "alice-swj-1", "dissatisfied")
    app.cast_ballot(r.bob, "swj", "bob-swj-1", "unknown")
    for i, other in enumerate(others):
        for department in ("fgw", "swj"):
            app.cast_ballot(other, department, f"other-{i}-{department}", "unknown")
    for department in ("fgw", "swj"):
        app.close_window("r2026", department, by=ORGANISER)
    app.lock_results("r2026", by=ORGANISER)
    if publish:
        app.publish_results("r2026", by=ORGANISER)
    web.sync()


def exported(web: Web) -> dict[str, Any]:
    web.client.cookies.clear()
    answer = web.get(URL)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"].startswith("application/json")
    assert "attachment" in answer.headers["content-disposition"]
    document: dict[str, Any] = answer.json()
    return document


def checked(web: Web, settings: Settings, document: Any, key: str | None = None) -> tuple[bool, str]:
    said: list[str] = []
    ok = check_document(web.commands, settings, document, key, said.append)
    return ok, "\n".join(said)


def department(document: dict[str, Any], key: str) -> dict[str, Any]:
    entry: dict[str, Any] = next(e for e in document["payload"]["departments"] if e["department"] == key)
    return entry


def test_the_published_file_holds_the_numbers_the_pages_show_and_verifies(
    web: Web, settings: Settings
) -> None:
    score_and_publish(web)
    document = exported(web)
    payload = document["payload"]
    assert document["public_key"] == public_key_text(SECRET)
    assert payload["round"] == "r2026" and payload["published"] is True and payload["published_at"]
    assert payload["event_position"] > 0 and len(payload["chain_head"]) == 64
    fgw = department(document, "fgw")
    # per category: npc 100, resident 80 → 90.000; both satisfied → 100.00 (docs/scoring.md §3)
    assert fgw | {"level_counts": None} == {
        "department": "fgw",
        "name": "市发改委",
        "group": "econ",
        "eligible": 5,
        "returned": 5,
        "valid_votes": 2,
        "abstentions": 3,
        "level_counts": None,
        "score": "90.000",
        "satisfaction_rate": "100.00",
        "final": "90.000",
        "status": "ranked",
        "rank": 1,
        "position": 1,
    }
    assert fgw["level_counts"]["satisfied"] == 1 and fgw["level_counts"]["fairly_satisfied"] == 1
    swj = department(document, "swj")
    assert (swj["score"], swj["abstentions"], swj["rank"]) == ("0.000", 4, 1)
    assert {e["department"] for e in payload["departments"]} == {"fgw", "swj", "kjj", "zjj"}
    assert department(document, "kjj")["status"] == "无有效票"
    ok, said = checked(web, settings, document)
    assert ok, said
    assert "签名：有效" in said and "4 个部门的每个数字都与文件一致" in said and "链值与文件一致" in said


def test_a_changed_number_breaks_the_signature_and_the_recount_says_which(
    web: Web, settings: Settings
) -> None:
    score_and_publish(web)
    document = exported(web)
    department(document, "fgw")["score"] = "95.000"
    ok, said = checked(web, settings, document)
    assert not ok
    assert "签名：无效" in said
    assert "市发改委（fgw） 得分：文件中为 95.000，从事件复核为 90.000" in said


def test_a_file_signed_with_another_key_is_refused(web: Web, settings: Settings) -> None:
    score_and_publish(web)
    forged = sign(exported(web)["payload"], b"not the server's secret, but long enough")
    ok, said = checked(web, settings, forged)  # against this server's own key
    assert not ok and "签名：有效" in said and "与本服务器的结果签名公钥不符" in said
    ok, said = checked(web, settings, forged, public_key_text(SECRET))
    assert not ok and "与--public-key 指定的公钥不符" in said
    ok, said = checked(web, settings, forged, forged["public_key"])
    assert ok, said  # the numbers are right; only the key tells a forgery, so publish the key


def test_a_properly_signed_file_whose_numbers_the_events_do_not_give_fails_the_recount(
    web: Web, settings: Settings
) -> None:
    score_and_publish(web)
    doctored = copy.deepcopy(exported(web)["payload"])
    fgw = next(e for e in doctored["departments"] if e["department"] == "fgw")
    swj = next(e for e in doctored["departments"] if e["department"] == "swj")
    fgw["level_counts"]["dissatisfied"] = 3
    swj["rank"], swj["valid_votes"] = 2, "1"
    doctored["departments"] = [e for e in doctored["departments"] if e["department"] != "zjj"]
    document = sign(doctored, SECRET)
    ok, said = checked(web, settings, document)
    assert not ok, said
    assert "签名：有效" in said and "公钥：与本服务器的结果签名公钥一致" in said
    assert "与文件不符 4 处" in said
    assert "市发改委（fgw）「不满意」票数：文件中为 3，从事件复核为 0" in said
    assert "市水务局（swj） 组内名次：文件中为 2，从事件复核为 1" in said
    assert "市水务局（swj） 有效票：文件中为 1，从事件复核为 1" in said  # "1" is not 1
    assert "文件中缺少部门 zjj" in said


def test_a_file_claiming_publication_the_events_do_not_have_fails(web: Web, settings: Settings) -> None:
    score_and_publish(web, publish=False)
    web.scan(web.commands.keys.organiser_code("r2026"))
    payload = web.get(URL).json()["payload"]
    payload |= {"published": True, "published_at": "2026-01-01T00:00:00.000000+00:00"}
    ok, said = checked(web, settings, sign(payload, SECRET))
    assert not ok and "发布状态：文件中为已发布，事件中到此位置为止尚未发布" in said


def test_anyone_gets_the_file_only_after_publication_the_organiser_before_marked_provisional(
    web: Web, settings: Settings
) -> None:
    score_and_publish(web, publish=False)
    web.client.cookies.clear()
    assert web.get(URL).status_code == 403
    assert web.get("/results/nope/signed.json").status_code == 404
    assert "signed.json" not in web.get("/").text
    assert web.scan(web.round.alice_code).status_code == 303
    assert web.get(URL).status_code == 403
    web.scan(web.commands.keys.organiser_code("r2026"))
    answer = web.get(URL)
    assert answer.status_code == 200 and "provisional" in answer.headers["content-disposition"]
    provisional = answer.json()
    assert provisional["payload"]["published"] is False and provisional["payload"]["published_at"] is None
    ok, said = checked(web, settings, provisional)
    assert ok and "发布前的临时结果" in said
    page = web.get("/organiser/results").text
    assert URL in page and public_key_text(SECRET) in page
    web.commands.publish_results("r2026", by=ORGANISER)
    web.sync()
    document = exported(web)
    assert document["payload"]["published"] is True
    assert document["payload"]["departments"] == provisional["payload"]["departments"]
    assert URL in web.get("/").text


def test_sanmin_verify_results_exits_0_only_for_a_true_file(
    web: Web,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    score_and_publish(web)
    sanmin_environment(monkeypatch, settings, tmp_path)
    document = exported(web)
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(document, ensure_ascii=False))
    department(document, "swj")["satisfaction_rate"] = "50.00"
    bad.write_text(json.dumps(document, ensure_ascii=False))

    assert sanmin(["verify"]) == 0
    assert "完好" in capsys.readouterr().out
    assert sanmin(["verify", "--results", str(good)]) == 0
    out = capsys.readouterr().out
    assert f"文件中的公钥：{public_key_text(SECRET)}" in out and "结论：通过" in out
    assert sanmin(["verify", "--results", str(good), "--public-key", public_key_text(b"x" * 32)]) == 1
    assert "结论：未通过" in capsys.readouterr().out
    assert sanmin(["verify", "--results", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "签名：无效" in out and "满意率：文件中为 50.00，从事件复核为 0.00" in out
    (tmp_path / "junk.json").write_text("{not json")
    assert sanmin(["verify", "--results", str(tmp_path / "junk.json")]) == 1
    assert "无法读取文件" in capsys.readouterr().out


def test_the_server_does_not_sign_numbers_a_doctored_view_shows(web: Web, settings: Settings) -> None:
    """Whoever can write to the read models raises a department's count: the page would show it, but the
    provisional file is recounted from the events before it is signed, and refused; the published file is
    the audit bundle's, counted from the events alone, and keeps the true number."""
    import psycopg

    score_and_publish(web, publish=False)
    with psycopg.connect(settings.database_url, autocommit=True, options=settings.pg_options) as conn:
        conn.execute("UPDATE results_view SET returned = returned + 5 WHERE department = 'fgw'")
    web.scan(web.commands.keys.organiser_code("r2026"))
    answer = web.get(URL)
    assert answer.status_code == 409
    assert "recount_differs" in answer.text and "未予签名" in answer.text
    assert "signature" not in answer.text
    web.commands.publish_results("r2026", by=ORGANISER)
    web.sync()
    with psycopg.connect(settings.database_url, autocommit=True, options=settings.pg_options) as conn:
        conn.execute("UPDATE results_view SET returned = returned + 5 WHERE department = 'fgw'")
    assert department(exported(web), "fgw")["returned"] == 5


def test_the_published_file_is_the_audit_bundle_s_results_json_byte_for_byte(web: Web) -> None:
    """One signed result per published round: what the notice offers as 签名结果 is what the audit tool checks."""
    score_and_publish(web)
    web.client.cookies.clear()
    signed = web.get(URL).content
    with zipfile.ZipFile(io.BytesIO(web.get("/results/r2026/audit.zip").content)) as bundle:
        assert signed == bundle.read("results.json")
    assert len(json.loads(signed)["payload"]["rule_sha256"]) == 64


def test_a_department_with_fewer_than_5_ballots_is_signed_without_its_numbers(
    web: Web, settings: Settings
) -> None:
    """Hole 7: with 2 ballots, fgw's level counts would be 李秀英's and 王建国's choices. The signed file (the
    audit bundle's, once published) says 「不足 5 票，不公布」, marks it ``suppressed`` and holds no number but
    how many were eligible; it still verifies, and a file signed with
    the real key that does publish them fails the recount."""
    score_and_publish(web, abstainers=0)
    document = exported(web)
    fgw = department(document, "fgw")
    assert (fgw["eligible"], fgw["status"], fgw["suppressed"]) == (2, "不足 5 票，不公布", True)
    for hidden in (key for key, _ in NUMBERS if key not in ("group", "eligible", "status")):
        assert fgw[hidden] is None, hidden
    ok, said = checked(web, settings, document)
    assert ok, said
    leaked = copy.deepcopy(document["payload"])
    entry = next(e for e in leaked["departments"] if e["department"] == "fgw")
    entry["level_counts"] = {"satisfied": 1, "fairly_satisfied": 1}
    ok, said = checked(web, settings, sign(leaked, SECRET))
    assert not ok and "市发改委（fgw） 各等次票数：标为不公布，文件中却有" in said
