"""A forged audit bundle — the attack an outside tester performed on the published result.

They took the published bundle, changed ballots in ballots.csv, recomputed every number from them, and
signed results.json and every checkpoint again with an Ed25519 key of their own. Run as the public notice
said (``python -m sanmin_audit forged.zip``) the verifier used to answer 「结论：通过」, exit 0; with the
platform's key given (``--public-key``) it still called the forger's checkpoints valid. Now: without a key
it never concludes 通过 and exits 3 (签名人未核对), saying where the platform's key is; with the platform's
key it refuses the forged results and every forged checkpoint; with the forger's own key the forgery is
consistent (so the test forges as well as they did).
"""

from __future__ import annotations

import base64
import csv
import io
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sanmin_audit.__main__ import SIGNER_UNCHECKED
from sanmin_audit.__main__ import main as sanmin_audit
from sanmin_audit.recount import Ballot, count
from sanmin_audit.signature import canonical
from storage.signing import public_key_text
from tests.conftest import SECRET
from tests.web.conftest import Web
from tests.web.test_audit_bundle import download, files_of, rezipped, score_lock_and_publish

RECOUNTED = ("returned", "valid_votes", "abstentions", "level_counts", "score", "satisfaction_rate", "final")


class Forger:
    """A fresh Ed25519 key of the forger's own, signing as the platform signs (canonical JSON)."""

    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        raw = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public = base64.b64encode(raw).decode()

    def sign(self, payload: dict[str, Any]) -> dict[str, Any]:
        signature = base64.b64encode(self.key.sign(canonical(payload))).decode()
        return {"payload": payload, "signature": signature, "public_key": self.public}


def forged(bundle: bytes, forger: Forger) -> tuple[bytes, int]:
    """Every fgw and swj ballot below 满意 made 满意, every number recomputed, everything signed again.
    Returns the forged zip and how many ballots were changed."""
    files = files_of(bundle)
    rule = json.loads(files["rule.json"])
    rows = list(csv.reader(io.StringIO(files["ballots.csv"].decode())))
    header, lines = rows[0], rows[1:]
    at = header.index("choice")
    changed = 0
    for line in lines:
        if line[0] in ("fgw", "swj") and line[at] in ("basically_satisfied", "dissatisfied"):
            line[at], changed = "satisfied", changed + 1
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *lines])
    ballots = [Ballot(line[0], line[1], line[at], None) for line in lines]
    components: dict[str, Any] = {}
    for row in csv.DictReader(io.StringIO(files["components.csv"].decode())):
        components.setdefault(row["component"], {})[row["department"]] = Fraction(row["score"])
    truth = count(rule, ballots, components)
    document = json.loads(files["results.json"])
    for entry in document["payload"]["departments"]:
        if entry.get("suppressed") is not True:
            entry.update({key: truth[entry["department"]][key] for key in RECOUNTED})
    checkpoints = [forger.sign(c["payload"]) for c in json.loads(files["checkpoints.json"])]
    zipped = rezipped(
        bundle,
        ballots_csv=out.getvalue().encode(),
        results_json=json.dumps(forger.sign(document["payload"]), ensure_ascii=False).encode(),
        checkpoints_json=json.dumps(checkpoints, ensure_ascii=False).encode(),
    )
    return zipped, changed


@pytest.fixture
def forgery(web: Web, tmp_path: Path) -> tuple[Path, Forger]:
    score_lock_and_publish(web)
    forger = Forger()
    body, changed = forged(download(web), forger)
    assert changed >= 4
    path = tmp_path / "forged.zip"
    path.write_bytes(body)
    return path, forger


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = sanmin_audit(list(argv))
    return status, capsys.readouterr().out


def test_the_forgery_is_consistent_under_the_forger_s_own_key(
    forgery: tuple[Path, Forger], capsys: pytest.CaptureFixture[str]
) -> None:
    """What the forger checks for themselves: every number recounts, every signature is theirs."""
    path, forger = forgery
    status, said = run(capsys, str(path), "--public-key", forger.public)
    assert status == 0, said
    assert "每个数字都与结果文件一致" in said and "结论：通过" in said


def test_run_as_the_notice_used_to_say_without_a_key_the_forgery_is_not_called_passed(
    forgery: tuple[Path, Forger], capsys: pytest.CaptureFixture[str]
) -> None:
    path, forger = forgery
    status, said = run(capsys, str(path))
    assert status == SIGNER_UNCHECKED == 3, said
    assert "结论：通过" not in said
    assert "结论：不能认定通过 —— 签名人未核对" in said
    assert "--public-key 平台公布的公钥" in said and "公示页面" in said
    assert forger.public in said  # the key the file carries is shown, to compare by eye


def test_with_the_platform_s_key_the_forged_results_and_every_forged_checkpoint_are_refused(
    forgery: tuple[Path, Forger], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = forgery
    status, said = run(capsys, str(path), "--public-key", public_key_text(SECRET))
    assert status == 1, said
    assert "结论：未通过" in said and "结论：通过" not in said
    assert "results.json 的签名无效" in said and "不是用 --public-key 指定的公钥签名" in said
    refused = [
        line for line in said.splitlines() if "的检查点签名无效，或不是用--public-key 给出的公钥签名" in line
    ]
    assert len(refused) == len(json.loads(files_of(path.read_bytes())["checkpoints.json"])) > 1
    assert "签名都有效" not in said


def test_the_true_bundle_passes_only_with_the_platform_s_key(
    web: Web, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    score_lock_and_publish(web)
    path = tmp_path / "true.zip"
    path.write_bytes(download(web))
    status, said = run(capsys, str(path), "--public-key", public_key_text(SECRET))
    assert status == 0 and "结论：通过" in said
    assert "签名都有效，都是 --public-key 给出的公钥签的" in said
    status, said = run(capsys, str(path))
    assert status == SIGNER_UNCHECKED and "结论：通过" not in said
