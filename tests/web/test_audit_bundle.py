"""公开审计包 — GET /results/{round}/audit.zip and ``sanmin audit-bundle``, checked by the standalone
``python -m sanmin_audit`` in a fresh virtual environment holding nothing but ``cryptography``.

The round: fgw and swj (sitting s1) scored by eight representatives, with an amendment, a void and an
abstention, a composite with an imported 日常评议; kjj (sitting s2) by three only, so it stays secret
(k = 5); zjj by nobody.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest

from evaluation.instrument import Instrument
from projections.audit_bundle import FILES
from sanmin.cli import main as sanmin
from storage.settings import Settings
from storage.signing import public_key_text, sign
from tests.conftest import ORGANISER, SECRET, sanmin_environment
from tests.web.conftest import Web

URL = "/results/r2026/audit.zip"
ROOT = Path(__file__).resolve().parents[2]
S1 = [  # (category, fgw, swj) of the six representatives added to sitting s1
    ("npc", "satisfied", "basically_satisfied"),
    ("npc", "fairly_satisfied", "satisfied"),
    ("resident", "satisfied", "dissatisfied"),
    ("resident", "basically_satisfied", "unknown"),
    ("resident", "dissatisfied", "fairly_satisfied"),
    ("npc", "satisfied", "satisfied"),
]


@pytest.fixture(scope="session")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A fresh virtual environment with only ``cryptography``, and a folder holding only ``sanmin_audit``."""
    root = tmp_path_factory.mktemp("bare")
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
    python = root / "venv" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "cryptography"], check=True)
    shutil.copytree(ROOT / "sanmin_audit", root / "alone" / "sanmin_audit")
    yield python, root / "alone"


def verify_alone(bare: tuple[Path, Path], bundle: bytes, tmp_path: Path, *extra: str) -> tuple[int, str]:
    python, folder = bare
    path = tmp_path / f"bundle-{uuid4().hex[:6]}.zip"
    path.write_bytes(bundle)
    done = subprocess.run(
        [str(python), "-m", "sanmin_audit", str(path), *extra],
        cwd=folder,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1"},
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def score_lock_and_publish(web: Web, publish: bool = True) -> None:
    app, r = web.commands, web.round
    composite = Instrument(components={"live": Decimal("0.6"), "daily": Decimal("0.4")})
    app.change_instrument("r2026", composite, by=ORGANISER, reason="综合评议")
    app.import_component(
        "r2026", "daily", {"fgw": "91.5", "swj": "70", "kjj": "88"}, by=ORGANISER, reason="日常"
    )
    reps = [r.alice, r.bob]
    for n, (category, _, _) in enumerate(S1):
        rep, _ = app.register_representative("r2026", f"代表{n}", category, "main", "s1", by=ORGANISER)
        reps.append(rep)
    s2 = [r.carol] + [
        app.register_representative("r2026", f"二场{n}", "resident", "kdl", "s2", by=ORGANISER)[0]
        for n in range(2)
    ]
    for department in ("fgw", "swj", "kjj", "zjj"):
        app.open_window("r2026", department, by=ORGANISER)
    app.cast_ballot(r.alice, "fgw", uuid4().hex, "dissatisfied")
    app.cast_ballot(r.alice, "fgw", uuid4().hex, "satisfied")  # amended: the first version is superseded
    voided = app.cast_ballot(r.bob, "fgw", uuid4().hex, "satisfied")
    app.void_ballot(voided.ballot_id, by=ORGANISER, reason="代投")
    app.cast_ballot(r.alice, "swj", uuid4().hex, "fairly_satisfied")
    app.cast_ballot(r.bob, "swj", uuid4().hex, "satisfied")
    for rep, (_, fgw, swj) in zip(reps[2:], S1, strict=True):
        app.cast_ballot(rep, "fgw", uuid4().hex, fgw, comment="窗口服务好")
        app.cast_ballot(rep, "swj", uuid4().hex, swj)
    for rep in s2:
        app.cast_ballot(rep, "kjj", uuid4().hex, "satisfied")
    for department in ("fgw", "swj", "kjj", "zjj"):
        app.close_window("r2026", department, by=ORGANISER)
    app.lock_results("r2026", by=ORGANISER)
    if publish:
        app.publish_results("r2026", by=ORGANISER)
    web.sync()


def download(web: Web) -> bytes:
    web.client.cookies.clear()
    answer = web.get(URL)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"] == "application/zip"
    assert "attachment" in answer.headers["content-disposition"]
    return answer.content


def files_of(bundle: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle)) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def rezipped(bundle: bytes, **changed: bytes) -> bytes:
    files = files_of(bundle) | {name.replace("_", "."): data for name, data in changed.items()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as opened:
        for name, data in files.items():
            opened.writestr(name, data)
    return out.getvalue()


def test_the_bundle_holds_the_rule_the_counting_ballots_and_the_signed_results_and_nothing_personal(
    web: Web,
) -> None:
    score_lock_and_publish(web)
    files = files_of(download(web))
    assert tuple(files) == FILES
    rule = json.loads(files["rule.json"])
    assert [lv["key"] for lv in rule["levels"]][:2] == ["satisfied", "fairly_satisfied"]
    assert rule["abstention"]["key"] == "unknown" and rule["components"] == {"live": "0.6", "daily": "0.4"}
    assert rule["category_shares"] == {"npc": "1", "resident": "1"} and rule["suppression_k"] == 5
    assert rule["departments"] == {"fgw": "econ", "kjj": "econ", "swj": "city", "zjj": "city"}
    lines = list(csv.reader(io.StringIO(files["ballots.csv"].decode())))
    assert lines[0] == ["department", "category", "choice"]
    ballots = lines[1:]
    assert sorted(b[0] for b in ballots).count("fgw") == 7  # alice's last version and six; bob's voided
    assert sum(1 for b in ballots if b[0] == "swj") == 8
    assert not any(b[0] == "kjj" for b in ballots), "three ballots stay secret"
    assert ["fgw", "npc", "dissatisfied"] not in ballots  # alice's superseded version
    counts = json.loads(files["counts.json"])
    assert counts["fgw"] == {"suppressed": False, "voided": 1, "superseded": 1, "not_offered": 0}
    assert counts["kjj"] == {"suppressed": True}
    components = files["components.csv"].decode().splitlines()
    assert components[0] == "department,component,score" and "fgw,daily,91.5" in components
    document = json.loads(files["results.json"])
    payload = document["payload"]
    assert document["public_key"] == public_key_text(SECRET) and payload["published"] is True
    assert len(payload["rule_sha256"]) == 64
    entries = {e["department"]: e for e in payload["departments"]}
    assert entries["kjj"]["suppressed"] is True and entries["kjj"]["score"] is None
    assert entries["kjj"]["returned"] is None and entries["kjj"]["level_counts"] is None
    assert entries["fgw"]["returned"] == 7 and entries["fgw"]["final"] is not None
    signed = {
        e["department"]: e for e in web.get("/results/r2026/signed.json").json()["payload"]["departments"]
    }
    for department in ("fgw", "swj", "zjj"):  # the same numbers as the signed results the pages offer
        assert entries[department] == signed[department], department
    checkpoints = json.loads(files["checkpoints.json"])
    assert [c["payload"]["reason"] for c in checkpoints][-2:] == ["results_locked", "results_published"]
    assert all(len(c["payload"]["plain_head"]) == 64 for c in checkpoints)
    everything = b"".join(files.values()).decode()
    for personal in ("李秀英", "王建国", "代表0", "窗口服务好", "主会场", "昆都仑区分会场", "第一场"):
        assert personal not in everything, personal
    cells = {cell for line in lines for cell in line} | {
        cell for line in components for cell in line.split(",")
    }
    words = json.dumps([rule, counts, payload], ensure_ascii=False)
    for place in ("main", "kdl", "s1", "s2"):  # venues and sittings: in no cell and no JSON value
        assert place not in cells and f'"{place}"' not in words, place
    assert "如何复核" in files["README.txt"].decode()


def test_the_web_and_the_command_give_the_same_bytes_each_time(
    web: Web, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    score_lock_and_publish(web)
    first = download(web)
    sanmin_environment(monkeypatch, settings, tmp_path)
    assert sanmin(["audit-bundle", "r2026", str(tmp_path / "a.zip")]) == 0
    assert (tmp_path / "a.zip").read_bytes() == first
    web.client.app.state.audit_bundles.clear()  # type: ignore[attr-defined]
    assert download(web) == first
    results = tmp_path / "results.json"  # the bundle's signed results pass the platform's own check too
    results.write_bytes(files_of(first)["results.json"])
    assert sanmin(["verify", "--results", str(results)]) == 0
    document = json.loads(results.read_text())
    kjj = next(e for e in document["payload"]["departments"] if e["department"] == "kjj")
    kjj["returned"] = 3
    results.write_text(json.dumps(sign(document["payload"], SECRET), ensure_ascii=False))
    assert sanmin(["verify", "--results", str(results)]) == 1


def test_before_publication_there_is_no_bundle_for_anyone(
    web: Web, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    score_lock_and_publish(web, publish=False)
    for who in (None, web.commands.keys.organiser_code("r2026")):
        if who:
            web.scan(who)
        else:
            web.client.cookies.clear()
        answer = web.get(URL)
        assert answer.status_code == 403 and "发布后才提供审计包" in answer.text
    answer = web.get("/results/nope/audit.zip", headers={"Accept": "application/json"})
    assert answer.status_code == 404
    assert web.get("/results/%00%27/audit.zip").status_code in (400, 404)
    sanmin_environment(monkeypatch, settings, tmp_path)
    assert sanmin(["audit-bundle", "r2026", str(tmp_path / "b.zip")]) == 1
    assert sanmin(["audit-bundle", "nope", str(tmp_path / "b.zip")]) == 1
    assert not (tmp_path / "b.zip").exists()


def test_the_standalone_verifier_agrees_and_names_each_alteration(
    web: Web, tmp_path: Path, bare_python: tuple[Path, Path]
) -> None:
    score_lock_and_publish(web)
    bundle = download(web)
    status, said = verify_alone(bare_python, bundle, tmp_path, "--public-key", public_key_text(SECRET))
    assert status == 0, said
    assert "签名：有效" in said and "3 个部门的每个数字都与结果文件一致" in said and "结论：通过" in said
    assert "1 个部门计票不足 5 张" in said

    files = files_of(bundle)
    ballots = files["ballots.csv"].decode().splitlines()
    at = next(
        i for i, line in enumerate(ballots) if line.startswith("fgw,") and line.endswith(",dissatisfied")
    )
    ballots[at] = ballots[at].replace("dissatisfied", "satisfied")
    status, said = verify_alone(
        bare_python, rezipped(bundle, ballots_csv="\n".join(ballots).encode()), tmp_path
    )
    assert status == 1 and "结论：未通过" in said
    assert (
        "市发改委（fgw） 得分：结果文件中为" in said
        and "「dissatisfied」票数：结果文件中为 1，复核为 0" in said
    )

    rule = json.loads(files["rule.json"])
    rule["levels"][1]["points"] = 90
    status, said = verify_alone(
        bare_python, rezipped(bundle, rule_json=json.dumps(rule, ensure_ascii=False).encode()), tmp_path
    )
    assert status == 1 and "rule.json 的 SHA-256" in said and "计分规则被改动过" in said

    document = json.loads(files["results.json"])
    swj = next(e for e in document["payload"]["departments"] if e["department"] == "swj")
    truth, swj["score"] = swj["score"], "99.999"
    changed = json.dumps(document, ensure_ascii=False).encode()
    status, said = verify_alone(bare_python, rezipped(bundle, results_json=changed), tmp_path)
    assert status == 1 and "results.json 的签名无效" in said
    assert f"市水务局（swj） 得分：结果文件中为 99.999，复核为 {truth}" in said

    status, said = verify_alone(bare_python, bundle, tmp_path, "--public-key", public_key_text(b"y" * 32))
    assert status == 1 and "签名无效" in said
    status, said = verify_alone(bare_python, b"not a zip", tmp_path)
    assert status == 1 and "无法读取审计包" in said


def test_a_criteria_round_s_bundle_lists_each_criterion_and_recounts(web: Web, tmp_path: Path) -> None:
    from evaluation.instrument import Criterion
    from sanmin_audit.bundle import check

    app, r = web.commands, web.round
    criteria = (
        Criterion("work", "工作实绩", 10, Decimal("0.5")),
        Criterion("service", "服务态度", 5, Decimal("0.3")),
        Criterion("law", "依法行政", 10, Decimal("0.2")),
    )
    app.change_instrument(
        "r2026", Instrument(kind="criteria", levels=(), criteria=criteria), by=ORGANISER, reason="指标"
    )
    reps = [r.alice, r.bob] + [
        app.register_representative("r2026", f"代表{n}", "resident", "main", "s1", by=ORGANISER)[0]
        for n in range(4)
    ]
    app.open_window("r2026", "fgw", by=ORGANISER)
    for n, rep in enumerate(reps):
        if n == 5:
            app.cast_ballot(rep, "fgw", uuid4().hex, "unknown")
        else:
            app.cast_ballot(
                rep, "fgw", uuid4().hex, "scored", {"work": 8 - n, "service": 4, "law": 7 + n % 3}
            )
    app.close_window("r2026", "fgw", by=ORGANISER)
    app.lock_results("r2026", by=ORGANISER)
    app.publish_results("r2026", by=ORGANISER)
    web.sync()
    bundle = download(web)
    lines = files_of(bundle)["ballots.csv"].decode().splitlines()
    assert lines[0] == "department,category,choice,work,service,law" and "fgw,resident,unknown,,," in lines
    path = tmp_path / "criteria.zip"
    path.write_bytes(bundle)
    said: list[str] = []
    assert check(str(path), public_key_text(SECRET), said.append), said
    broken = [line.replace(",scored,8,4,", ",scored,11,4,") for line in lines]
    path.write_bytes(rezipped(bundle, ballots_csv="\n".join(broken).encode()))
    said.clear()
    assert not check(str(path), None, said.append)
    assert any("指标得分超出范围" in line for line in said), said
    for name, junk in (("counts_json", b"[]"), ("rule_json", b'{"kind": 3}'), ("results_json", b"[1]")):
        path.write_bytes(rezipped(bundle, **{name: junk}))
        said.clear()
        assert not check(str(path), None, said.append), name
        assert said and (
            "格式不对" in said[-1] + said[0] or "未通过" in said[-1] or "不是签名结果文件" in said[-1]
        )
