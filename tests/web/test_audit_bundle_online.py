"""网络评议 in the public audit bundle — online_ballots.csv recounted by the standalone ``sanmin_audit``.

The round (trim 1): fgw and swj scored in the hall by eight representatives; online, fgw by seven citizens
(one amends, one abstains) and an eighth whose batch is voided, swj by three (fewer than k = 5: kept out),
kjj by nobody. After the period the organiser enters the online result at 20 % (「计入综合结果」).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest

from evaluation.instrument import Instrument
from evaluation.online import OnlineCast
from projections.audit_bundle import FILES
from projections.audit_online import ONLINE_TOPICS
from projections.event_log import read_events
from sanmin.cli import main as sanmin
from sanmin_audit.bundle import check
from storage.settings import Settings
from storage.signing import public_key_text
from tests.conftest import ORGANISER, SECRET, sanmin_environment
from tests.web.conftest import FORM_CSRF, Web
from tests.web.test_audit_bundle import (  # noqa: F401 - bare_python is a fixture
    S1,
    bare_python,
    download,
    files_of,
    verify_alone,
)

NOW = datetime.now(UTC)
DURING = NOW - timedelta(hours=2)
FGW = [
    "satisfied",
    "satisfied",
    "fairly_satisfied",
    "basically_satisfied",
    "dissatisfied",
    "unknown",
    "satisfied",
]
COMMENT = "小区门口的水管终于修好了"


def hall(web: Web) -> None:
    app, r = web.commands, web.round
    reps = [r.alice, r.bob] + [
        app.register_representative("r2026", f"代表{n}", category, "main", "s1", by=ORGANISER)[0]
        for n, (category, _, _) in enumerate(S1)
    ]
    for department in ("fgw", "swj"):
        app.open_window("r2026", department, by=ORGANISER)
    for rep, (_, fgw, swj) in zip(reps, [("npc", "satisfied", "satisfied")] * 2 + S1, strict=True):
        app.cast_ballot(rep, "fgw", uuid4().hex, fgw)
        app.cast_ballot(rep, "swj", uuid4().hex, swj)
    for department in ("fgw", "swj"):
        app.close_window("r2026", department, by=ORGANISER)


def online(web: Web, enter: bool = True) -> list[str]:
    """The online ballots, the period ended, and (``enter``) the result entered at 20 % through the console;
    then locked and published. The citizens' identities are returned."""
    app = web.commands
    app.change_instrument("r2026", Instrument(trim=1), by=ORGANISER, reason="去掉最高最低各一")
    app.set_online_period(
        "r2026", DURING - timedelta(hours=1), NOW - timedelta(minutes=1), None, ORGANISER, ""
    )
    codes = app.invite_online("r2026", 8, by=ORGANISER)
    people = [app.redeem_invitation("r2026", code, DURING) for code in codes]

    def cast(who: str, department: str, choice: str, comment: str = "") -> None:
        app.cast_online_ballot(
            OnlineCast("r2026", who, department, uuid4().hex, choice, None, comment), DURING
        )

    for who, choice in zip(people, FGW, strict=False):
        cast(who, "fgw", choice, COMMENT)
    cast(people[0], "fgw", "dissatisfied")  # amended: its first version is superseded
    for who in people[:3]:
        cast(who, "swj", "fairly_satisfied")
    cast(people[7], "fgw", "satisfied")
    cast(people[7], "swj", "satisfied")
    app.void_online_voters("r2026", [people[7]], by=ORGANISER, reason="同一地址短时大量投票")
    hall(web)
    web.sync()
    if enter:
        assert web.type_code(app.keys.organiser_code("r2026")).status_code == 303
        found = FORM_CSRF.search(web.get("/organiser/online").text)
        assert found is not None
        form = {"csrf": found.group(1), "weight": "20", "reason": ""}
        assert web.client.post("/organiser/online/component", data=form).status_code == 200
    app.lock_results("r2026", by=ORGANISER)
    app.publish_results("r2026", by=ORGANISER)
    web.sync()
    return people


def changed(bundle: bytes, **files: bytes | None) -> bytes:
    """The bundle with these files replaced (None: left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as opened:
        for name, data in (files_of(bundle) | files).items():
            if data is not None:
                opened.writestr(name, data)
    return out.getvalue()


def test_the_online_ballots_are_in_the_bundle_counted_as_the_rule_says_and_carry_no_identity(
    web: Web, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = online(web)
    files = files_of(download(web))
    assert tuple(files) == (*FILES[:4], "online_ballots.csv", *FILES[4:])
    lines = list(csv.reader(io.StringIO(files["online_ballots.csv"].decode())))
    assert lines[0] == ["department", "choice"]
    # person 0's last version 不满意, four more and an abstention; the voided eighth is out, swj's three too
    assert sorted(lines[1:]) == sorted([["fgw", "dissatisfied"]] + [["fgw", c] for c in FGW[1:]]), (
        "the counting versions, nothing of swj (3 < k)"
    )
    rule = json.loads(files["rule.json"])
    assert rule["online"] == {
        "component": "网络评议",
        "weight": "0.2",
        "category": "网络评议",
        "trim": 1,
        "min_ballots": 5,
    }
    assert rule["components"] == {"live": "0.8", "网络评议": "0.2"}
    counts = json.loads(files["counts.json"])
    assert counts["fgw"]["online"] == {"suppressed": False, "voided": 1, "superseded": 1, "not_offered": 0}
    assert counts["swj"]["online"] == {"suppressed": True}
    assert counts["kjj"] == {
        "suppressed": False,
        "voided": 0,
        "superseded": 0,
        "not_offered": 0,
        "online": {"suppressed": False, "voided": 0, "superseded": 0, "not_offered": 0},
    }
    # 0 0 60 80 100 100 without the lowest and the highest: 240 / 4
    assert "fgw,网络评议,60.000" in files["components.csv"].decode().splitlines()
    payload = json.loads(files["results.json"])["payload"]
    assert payload["online_ballots_sha256"] == hashlib.sha256(files["online_ballots.csv"]).hexdigest()
    (tmp_path / "results.json").write_bytes(files["results.json"])  # the platform's own check still passes
    sanmin_environment(monkeypatch, settings, tmp_path)
    assert sanmin(["verify", "--results", str(tmp_path / "results.json")]) == 0
    everything = b"".join(files.values()).decode()
    stored = [vars(e) for _, e in read_events(web.commands, topics=ONLINE_TOPICS)]
    secrets = {e[f] for e in stored for f in ("pseudonym", "receipt", "client_id") if e.get(f)}
    secrets |= {str(e["originator_id"]) for e in stored} | set(people)
    secrets |= {p.partition(":")[2] for p in people}
    assert len(secrets) > 20
    for secret in secrets | {COMMENT, "同一地址短时大量投票"}:
        assert secret not in everything, secret


def test_the_standalone_verifier_recounts_the_online_component_and_names_each_alteration(
    web: Web,
    tmp_path: Path,
    bare_python: tuple[Path, Path],  # noqa: F811
) -> None:
    online(web)
    bundle = download(web)
    status, said = verify_alone(bare_python, bundle, tmp_path, "--public-key", public_key_text(SECRET))
    assert status == 0, said
    assert "网络评议：7 张网上评议票，3 个部门的网络评议得分与 components.csv 核对" in said
    assert "另有 1 个部门网上票不足 5 张" in said and "结论：通过" in said

    files = files_of(bundle)
    lines = files["online_ballots.csv"].decode().splitlines()
    at = lines.index("fgw,basically_satisfied")
    lines[at] = "fgw,satisfied"  # 0 0 80 100 100 100 without the lowest and the highest: 280 / 4
    status, said = verify_alone(
        bare_python, changed(bundle, **{"online_ballots.csv": "\n".join(lines).encode()}), tmp_path
    )
    assert status == 1 and "结论：未通过" in said
    assert (
        "市发改委（fgw） 网络评议得分：components.csv 中为 60.000，按 online_ballots.csv 复核为 70.000"
        in said
    )
    assert "online_ballots.csv 的 SHA-256" in said and "网上评议票被改动过" in said

    rule = json.loads(files["rule.json"])
    rule["online"]["weight"] = "0.3"
    status, said = verify_alone(
        bare_python, changed(bundle, **{"rule.json": json.dumps(rule, ensure_ascii=False).encode()}), tmp_path
    )
    assert status == 1 and "计分规则被改动过" in said
    assert (
        "rule.json 中网络评议的权重（online.weight）为 0.3，综合结果各部分的权重（components）中为 0.2"
        in said
    )

    rule = json.loads(files["rule.json"])
    rule["components"] = {"live": "0.7", "网络评议": "0.3"}
    rule["online"]["weight"] = "0.3"
    status, said = verify_alone(
        bare_python, changed(bundle, **{"rule.json": json.dumps(rule, ensure_ascii=False).encode()}), tmp_path
    )
    assert status == 1 and "市发改委（fgw） 综合得分：结果文件中为" in said

    status, said = verify_alone(bare_python, changed(bundle, **{"online_ballots.csv": None}), tmp_path)
    assert status == 1 and "审计包中却缺少 online_ballots.csv" in said


def test_an_online_result_left_out_of_the_composite_is_listed_and_compared_with_nothing(
    web: Web, tmp_path: Path
) -> None:
    online(web, enter=False)
    bundle = download(web)
    files = files_of(bundle)
    assert json.loads(files["rule.json"])["online"]["weight"] is None
    assert "网络评议" not in files["components.csv"].decode()
    path = tmp_path / "online.zip"
    path.write_bytes(bundle)
    said: list[str] = []
    assert check(str(path), public_key_text(SECRET), said.append), said
    assert (
        "网络评议：7 张网上评议票（未计入综合结果，无得分可核对）（另有 1 个部门网上票不足 5 张，按规定不公布）"
        in said
    )
    entries = {e["department"]: e for e in json.loads(files["results.json"])["payload"]["departments"]}
    assert entries["fgw"]["final"] == entries["fgw"]["score"]  # live alone: the online ballots change nothing
    assert Decimal(entries["fgw"]["final"]) > 0
