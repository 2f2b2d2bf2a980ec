"""回执查询：任何人输入回执码，可知该版本是否计入、已被后来的修改取代或已作废——绝不显示所选内容。"""

from __future__ import annotations

from evaluation.ballot import ballot_id
from tests.conftest import ORGANISER, two_ballots_sharing_a_code
from tests.web.conftest import Web


def cast(web: Web, choice: str, client_id: str, comment: str = "") -> str:
    return web.commands.cast_ballot(web.round.alice, "fgw", client_id, choice, comment=comment).code


def test_a_counted_receipt_says_so_without_the_choice_or_the_comment(web: Web) -> None:
    web.open("fgw")
    receipt = cast(web, "dissatisfied", "client-0001", "停车难")
    web.sync()
    page = web.get(f"/receipts?code={receipt[:4]} {receipt[4:].lower()}")
    assert page.status_code == 200
    assert "已计入" in page.text
    assert "市发改委" in page.text
    assert "不满意" not in page.text and "停车难" not in page.text
    answer = web.get(f"/api/receipts/{receipt}").json()
    assert answer["status"] == "counted"
    assert set(answer) == {"receipt", "status", "label", "department", "round"}


def test_an_earlier_version_is_superseded_by_a_change(web: Web) -> None:
    web.open("fgw")
    first = cast(web, "satisfied", "client-0001")
    second = cast(web, "basically_satisfied", "client-0002")
    web.sync()
    assert web.get(f"/api/receipts/{first}").json()["status"] == "superseded"
    assert "已被取代" in web.get(f"/receipts?code={first}").text
    assert web.get(f"/api/receipts/{second}").json()["status"] == "counted"


def test_a_voided_ballot_s_receipts_say_voided(web: Web) -> None:
    web.open("fgw")
    receipt = cast(web, "satisfied", "client-0001")
    pseudonym = web.commands.keys.pseudonym(web.round.alice, "fgw")
    web.commands.void_ballot(ballot_id(pseudonym), by=ORGANISER, reason="经核实为冒用评议卡")
    web.sync()
    assert web.get(f"/api/receipts/{receipt}").json()["status"] == "voided"
    assert "已作废" in web.get(f"/receipts?code={receipt}").text


def test_an_unknown_receipt_is_reported_as_not_found(web: Web) -> None:
    assert web.get("/api/receipts/ZZZZZZZZ").json()["status"] == "unknown"
    page = web.get("/receipts?code=ZZZZ-ZZZZ")
    assert "未找到该回执码" in page.text


def test_the_check_page_is_public_and_starts_empty(web: Web) -> None:
    page = web.get("/receipts")
    assert page.status_code == 200
    assert "回执查询" in page.text and 'class="answer' not in page.text


def test_a_code_given_to_two_ballots_is_answered_as_shared_without_either_status(web: Web) -> None:
    receipt = two_ballots_sharing_a_code(web.commands, web.round)[0].code
    web.sync()
    answer = web.get(f"/api/receipts/{receipt}").json()
    assert answer["status"] == "shared" and "department" not in answer
    assert "对应不止一张评议票" in web.get(f"/receipts?code={receipt}").text


def test_the_latest_signed_checkpoint_is_public_for_anyone_to_keep(web: Web) -> None:
    from storage.signing import check, public_key_text
    from tests.conftest import SECRET

    web.client.cookies.clear()
    assert web.get("/checkpoints/latest.json").status_code == 404  # no window closed yet
    web.open("fgw")
    web.commands.close_window(web.round.key, "fgw", by="organiser:test")
    web.sync()
    document = web.get("/checkpoints/latest.json").json()
    assert check(document, public_key_text(SECRET)) and document["payload"]["reason"] == "window_closed"
    page = web.get("/receipts").text
    assert (
        f"至第 {document['payload']['position']} 条事件" in page and document["payload"]["head"][:16] in page
    )


def test_the_receipts_page_says_who_can_check_a_kept_checkpoint_and_with_what(web: Web) -> None:
    """A citizen cannot run ``sanmin verify`` (it needs the platform's data and key): the page says so, and
    names the public verifier an auditor with the full history runs, with the platform's key."""
    from storage.signing import public_key_text
    from tests.conftest import SECRET

    web.open("fgw")
    web.commands.close_window(web.round.key, "fgw", by="organiser:test")
    web.sync()
    web.client.cookies.clear()
    page = web.get("/receipts").text
    assert "日后可用 <code>sanmin verify --checkpoint</code> 核对" not in page
    assert "您自己无法单独用它核对" in page and "交给监督员或审计方" in page
    assert "平台的技术人员可在平台数据上运行 <code>sanmin verify --checkpoint 检查点文件</code>" in page
    command = f"python -m sanmin_audit --history 事件历史 --checkpoints 检查点文件 --public-key {public_key_text(SECRET)}"
    assert command in page and 'href="/audit/sanmin_audit.zip"' in page
