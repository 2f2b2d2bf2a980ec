"""敌意文本 — comments, signed suggestions, answers, reasons and names holding HTML, script and spreadsheet
formulas, entered the way people enter them (ballots and suggestions through the tablet's API, answers and
reasons through the forms), are shown as text on every screen that shows them and in every export: no
page gains a script, an event handler or a javascript: link, and no spreadsheet cell is a formula.

(test_department_portal.py and test_exports.py check one script comment entered by command and the CSV
formula prefixes; this covers more payloads, the HTTP path, every screen, reflected query parameters and
every cell of the workbook.)"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from uuid import uuid4

import openpyxl
import pytest

from evaluation.keys import normalise_code
from tests.conftest import ORGANISER
from tests.web.conftest import Web
from tests.web.test_organiser_helpers import save_artifact

HTML = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "</textarea><script>alert(2)</script>",
    '<a href="javascript:alert(1)">点我</a>',
    "{{ 7*7 }} ${7*7} {% raw %}",
]
FORMULAS = [
    '=HYPERLINK("http://evil.example","点我")',
    "+1+1 供水管网改造要加快",
    "-1+1 停水通知要提前",
    "@SUM(A1:A9)",
    "=cmd|' /C calc'!A0",
    "\t=1+1 办事效率高",
    "\r=2+2 态度很好",
]
COMMENTS = HTML + FORMULAS
SUGGESTION = '建议增设夜间窗口"><img src=x onerror=alert(3)>'
ANSWER = '=HYPERLINK("http://evil.example","答复")<script>alert(4)</script>'
REASON = "<img src=x onerror=alert(5)>"
NAME = "<script>alert(6)</script>"
CHOICES = ["satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied", "unknown"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

RAW = [c for c in [*HTML, SUGGESTION, ANSWER, REASON, NAME] if "<" in c]


class Markup(HTMLParser):
    """The page's real elements, as a browser would build them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.found: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.found.append("an inline <script>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")


def assert_shown_as_text(page: str, where: str) -> None:
    """The page holds no markup of the hostile texts: no inline script, handler or javascript: link."""
    assert Markup(page).found == [], where
    for raw in RAW:
        assert raw not in page, (where, raw)


@dataclass
class Hostile:
    receipts: list[str]
    hostile_rep_code: str


def sign_in(web: Web, code: str) -> str:
    """Signed in with the code (as the card's QR code does); the page's CSRF token."""
    assert web.scan(code).status_code == 303
    return web.form_token()


def cast_over_the_api(web: Web) -> list[str]:
    """One representative of sitting s1 per hostile comment, each scoring fgw through the tablet's API."""
    codes = [
        web.commands.register_representative(
            web.round.key, f"评议代表{n}", "resident", "kdl", "s1", by=ORGANISER
        )[1]
        for n in range(len(COMMENTS))
    ]
    web.sync()
    receipts = []
    for n, (code, comment) in enumerate(zip(codes, COMMENTS, strict=True)):
        web.scan(code)
        answer = web.cast("fgw", CHOICES[n % len(CHOICES)], web.page_token(), comment=comment)
        assert answer.status_code == 200, answer.text
        receipts.append(answer.json()["receipt"])
    web.scan(web.round.alice_code)
    token = web.page_token()
    body = {"department": "fgw", "client_id": uuid4().hex, "text": SUGGESTION}
    assert web.client.post("/api/suggestions", json=body, headers={"X-CSRF-Token": token}).status_code == 200
    return receipts


def organiser_forms(web: Web) -> str:
    """The organiser registers a representative with a hostile name and revokes bob's card for a hostile
    reason, through the console's forms. Returns the new representative's sign-in code."""
    csrf = sign_in(web, web.commands.keys.organiser_code(web.round.key))
    fields = {"name": NAME, "category": "resident", "venue": "main", "sitting": "s1", "csrf": csrf}
    shown = web.client.post("/organiser/representatives", data=fields)
    assert shown.status_code == 200
    code = re.search(r'<p class="big-code">([A-Z0-9]{5}-[A-Z0-9]{5})</p>', shown.text)
    assert code
    revoked = web.client.post(
        f"/organiser/representatives/{web.round.bob}/revoke",
        data={"reason": REASON, "csrf": csrf},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    return normalise_code(code.group(1))


def department_answers(web: Web) -> None:
    csrf = sign_in(web, web.commands.issue_department_credential(web.round.key, "fgw", by=ORGANISER))
    web.sync()
    suggestion = re.search(
        r'action="/department/suggestions/([0-9a-f-]{36})/answer"', web.get("/department/suggestions").text
    )
    assert suggestion
    answered = web.client.post(
        f"/department/suggestions/{suggestion.group(1)}/answer",
        data={"answer": ANSWER, "csrf": csrf},
        follow_redirects=False,
    )
    assert answered.status_code == 303


@pytest.fixture
def hostile(web: Web) -> Hostile:
    """Every hostile text entered over HTTP, fgw's window closed and the results published."""
    web.open("fgw")
    receipts = cast_over_the_api(web)
    code = organiser_forms(web)
    web.commands.close_window(web.round.key, "fgw", by=ORGANISER)
    web.commands.lock_results(web.round.key, by=ORGANISER)
    web.commands.publish_results(web.round.key, by=ORGANISER)
    web.sync()
    department_answers(web)
    web.sync()
    return Hostile(receipts, code)


def test_the_department_sees_every_hostile_comment_suggestion_and_answer_as_text(
    web: Web, hostile: Hostile
) -> None:
    sign_in(web, web.commands.issue_department_credential(web.round.key, "fgw", by=ORGANISER))
    web.sync()
    portal = web.get("/department").text
    assert_shown_as_text(portal, "/department")
    assert f"共 {len(COMMENTS)} 条" in portal
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in portal
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in portal
    assert "{{ 7*7 }}" in portal and "=HYPERLINK(" in portal
    suggestions = web.get("/department/suggestions").text
    assert_shown_as_text(suggestions, "/department/suggestions")
    assert "onerror=alert(3)&gt;" in suggestions and "&lt;script&gt;alert(4)&lt;/script&gt;" in suggestions


def test_the_organiser_screens_show_hostile_names_and_reasons_as_text(web: Web, hostile: Hostile) -> None:
    sign_in(web, web.commands.keys.organiser_code(web.round.key))
    pages = [
        "/organiser",
        "/organiser/representatives",
        "/organiser/turnout",
        "/organiser/results",
        "/organiser/departments",
        "/organiser/cards",
        "/organiser/history",
        f"/organiser/ballots?receipt={hostile.receipts[0]}",
    ]
    for url in pages:
        page = web.get(url)
        assert page.status_code == 200, url
        assert_shown_as_text(page.text, url)
    assert "&lt;script&gt;alert(6)&lt;/script&gt;" in web.get("/organiser/representatives").text
    history = web.get("/organiser/history").text
    assert "&lt;img src=x onerror=alert(5)&gt;" in history


def test_the_public_screens_and_the_representative_s_own_show_nothing_hostile(
    web: Web, hostile: Hostile
) -> None:
    for url in ["/", "/projector/r2026", *(f"/receipts?code={r}" for r in hostile.receipts)]:
        assert_shown_as_text(web.get(url).text, url)
    web.scan(hostile.hostile_rep_code)
    tablet = web.get("/r")
    assert tablet.status_code == 200
    assert_shown_as_text(tablet.text, "/r")
    assert "&lt;script&gt;alert(6)&lt;/script&gt;" in tablet.text
    assert web.get("/api/state").json()["representative"]["name"] == NAME  # JSON: the page sets it as text


@pytest.mark.parametrize("payload", HTML)
def test_hostile_query_parameters_are_not_reflected_as_markup(web: Web, payload: str) -> None:
    assert_shown_as_text(web.get("/receipts", params={"code": payload}).text, "/receipts")
    assert_shown_as_text(web.get("/login", params={"code": payload}).text, "/login")
    sign_in(web, web.commands.keys.organiser_code(web.round.key))
    for url, params in [
        ("/organiser/representatives", {"q": payload, "venue": payload, "sitting": payload}),
        ("/organiser/ballots", {"receipt": payload}),
        ("/organiser/history", {"department": payload, "kind": payload, "before": payload}),
        ("/organiser/representatives", {"page": payload}),
    ]:
        page = web.get(url, params=params)
        assert page.status_code == 200, (url, page.status_code)
        assert_shown_as_text(page.text, url)


def department_download(web: Web, kind: str) -> bytes:
    sign_in(web, web.commands.issue_department_credential(web.round.key, "fgw", by=ORGANISER))
    web.sync()
    answer = web.get(f"/department/feedback.{kind}")
    assert answer.status_code == 200, answer.text[:300]
    return answer.content


def test_the_csv_export_neutralises_every_formula_and_keeps_the_html_as_text(
    web: Web, hostile: Hostile
) -> None:
    rows = list(csv.reader(io.StringIO(department_download(web, "csv").decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    said = [row[2] for row in rows if row[0] == "市民意见"]
    assert sorted(said) == sorted(
        "'" + c.strip() if c.strip().startswith(FORMULA_STARTS) else c.strip() for c in COMMENTS
    )
    assert ["留名建议", "李秀英", SUGGESTION, "", "", "", "'" + ANSWER] in rows


def test_the_excel_export_holds_no_formula_cell_and_every_text_as_written(web: Web, hostile: Hostile) -> None:
    book = openpyxl.load_workbook(io.BytesIO(department_download(web, "xlsx")))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells and not [cell.coordinate for cell in cells if cell.data_type == "f"]
    formula_like = [cell for cell in cells if str(cell.value).startswith(FORMULA_STARTS)]
    assert formula_like and all(cell.data_type == "s" for cell in formula_like)
    said = [str(row[2]) for row in book["市民意见"].iter_rows(min_row=2, values_only=True)]
    assert sorted(said) == sorted(c.strip() for c in COMMENTS)
    signed = list(book["留名建议"].iter_rows(min_row=2, values_only=True))
    assert signed == [("李秀英", SUGGESTION, ANSWER)]


def test_the_pdf_export_prints_the_hostile_texts_as_text(web: Web, hostile: Hostile) -> None:
    path = save_artifact("feedback-hostile.pdf", department_download(web, "pdf"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = text.replace("\n", "")
    for comment in ["<script>alert(1)</script>", '=HYPERLINK("http://evil.example","点我")', "@SUM(A1:A9)"]:
        assert comment in flat, comment
