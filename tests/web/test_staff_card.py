"""工作人员登录卡 — a staff person's code is shown once and printable, only then, as a card like a
representative's: name, role, venue, the code as XXXXX-XXXXX and a QR code of /login#code=… that signs them in.
A replaced code's card cannot be printed any more (the code is not stored in clear)."""

from __future__ import annotations

import re
import shutil
import subprocess

from evaluation.keys import format_code
from tests.web.conftest import Web
from tests.web.test_cards import pdf_text, render_first_page
from tests.web.test_organiser_helpers import ARTIFACTS, save_artifact
from tests.web.test_staff_accounts import ADMIN, post, signed_in

CARD_FORM = re.compile(
    r'action="(/organiser/staff/[0-9a-f-]+/card\.pdf)".*?name="code" value="([A-Z0-9]+)"', re.S
)


def test_a_new_account_s_card_is_printed_from_the_page_showing_its_code(web: Web) -> None:
    signed_in(web, web.commands.issue_administrator_code(by=ADMIN))
    made = post(
        web, "/organiser/staff", name="刘洋", unit="市纪委", role="checkin", round="r2026", venue="kdl"
    )
    shown = re.search(r'id="staff-code">([A-Z0-9-]+)<', made.text)
    form = CARD_FORM.search(made.text)
    assert shown is not None and form is not None and "打印登录卡" in made.text
    card_path, code = form.groups()
    assert format_code(code) == shown.group(1)

    card = post(web, card_path, code=code)
    assert card.status_code == 200 and card.headers["content-type"] == "application/pdf"
    assert card.headers["cache-control"] == "no-store"
    pdf = save_artifact("staff-card.pdf", card.content)
    text = pdf_text(pdf)
    assert "工作人员登录卡" in text and "刘洋" in text and "签到员" in text and "市纪委" in text
    assert shown.group(1) in text and "昆都仑区分会场" in text and "2026" in text
    if shutil.which("zbarimg"):
        sharp = render_first_page(pdf, 300, str(ARTIFACTS / "staff-card-300dpi"))
        found = subprocess.run(["zbarimg", "-q", "--raw", str(sharp)], capture_output=True, text=True).stdout
        assert found.split() == [f"http://testserver/login#code={code}"]
    assert signed_in(web, code).headers["location"] == "/organiser/representatives"


def test_a_replaced_or_forged_code_gets_no_card(web: Web) -> None:
    account, code = web.commands.add_staff("陈静", "checkin", ADMIN, round_key="r2026", venue="main")
    signed_in(web, web.commands.issue_administrator_code(by=ADMIN))
    replaced = post(web, f"/organiser/staff/{account}/code")
    form = CARD_FORM.search(replaced.text)
    assert form is not None and form.group(2) != code

    for stale in (code, "AAAAAAAAAA", ""):
        refused = post(web, f"/organiser/staff/{account}/card.pdf", code=stale)
        assert refused.status_code == 303 and refused.headers["location"] == "/organiser/staff"
        assert "无法打印这张登录卡" in web.get("/organiser/staff").text
    assert post(web, form.group(1), code=form.group(2)).headers["content-type"] == "application/pdf"
