"""评议结果公示 and 历年对比 on the web: the public page /results/{round} (and its PDF) of a published round,
with the change from the previous year; nothing of a round before publication; the department's portal and
the organiser's 历年对比 page, where the organiser links the rounds and confirms or overrides a match.

The rounds (tests/year_rounds.py): bt2025 and bt2026 of one city, bt2026 following bt2025; qd2026 of another
city with the same department codes, linked to nothing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import httpx
import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from evaluation.application import EvaluationApp
from evaluation.instrument import Instrument
from projections.runner import Projector
from storage.settings import Settings
from storage.signing import public_key_text
from tests.conftest import ORGANISER
from tests.year_rounds import BAOTOU_2026, scored_round, two_years
from web.app import create_app

FORM_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def client(settings: Settings, app: EvaluationApp) -> Iterator[TestClient]:
    two_years(app)
    with Projector(settings) as projector, TestClient(create_app(settings)) as client:
        projector.catch_up(timeout=30)
        client.app.state.projector = projector  # type: ignore[attr-defined]
        yield client


def sync(client: TestClient) -> None:
    client.app.state.projector.catch_up(timeout=30)  # type: ignore[attr-defined]


def sign_in(client: TestClient, code: str) -> str:
    client.cookies.clear()
    token = FORM_CSRF.search(client.get("/login").text)
    assert token is not None
    answer = client.post("/login", data={"code": code, "csrf": token.group(1)}, follow_redirects=False)
    assert answer.status_code == 303
    found = FORM_CSRF.search(client.get("/login").text)
    assert found is not None
    return found.group(1)


def text_of(answer: httpx.Response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.text))


def test_the_public_notice_shows_the_period_the_ranking_and_the_change_from_the_previous_year(
    client: TestClient,
) -> None:
    answer = client.get("/results/bt2026")
    assert answer.status_code == 200
    page = text_of(answer)
    assert "2026年度三民活动 评议结果公示" in page and "公示期：" in page
    assert re.search(r"公示期： \d{4}年\d+月\d+日至\d{4}年\d+月\d+日", page)
    assert "与「2025年度三民活动」相比" in page
    assert "1 市发改委 100.000 100.00% 得分 +20.000，满意率持平，名次上升 1 位" in page
    assert "2 市水务局 66.667 66.67% 得分 -33.333，满意率 -33.33 个百分点，名次下降 1 位" in page
    assert "1 市科技局 100.000 100.00% —" in page  # 2025: three ballots, not published: no change from it
    assert "1 市住建局 80.000 100.00% —" in page and "（最早一轮）" not in page  # no ballot in 2025
    for link in ("/results/bt2026/notice.pdf", "/results/bt2026/signed.json", "/results/bt2026/audit.zip"):
        assert f'href="{link}"' in answer.text
    assert 'href="/checkpoints/latest.json"' in answer.text and "结果签名公钥" in page
    assert answer.text.count('role="img"') == 2  # a chart per group


def test_the_notice_gives_the_verifier_and_the_whole_command_with_the_platform_s_key(
    client: TestClient, settings: Settings
) -> None:
    """A forger re-signs with a key of their own: only a command that names the platform's key checks who
    signed, so the one to copy has it, and the verifier itself is linked."""
    answer = client.get("/results/bt2026")
    page = text_of(answer)
    assert "如何复核" in page and 'href="/audit/sanmin_audit.zip"' in answer.text
    command = f"python -m sanmin_audit audit-bt2026.zip --public-key {public_key_text(settings.secret)}"
    assert command in page
    assert "pip install cryptography" in page and "就是审计包中的 results.json" in page
    pdf = client.get("/results/bt2026/notice.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", command) in flat and "/audit/sanmin_audit.zip" in flat


def test_a_round_of_another_city_with_the_same_codes_is_compared_with_nothing(client: TestClient) -> None:
    page = text_of(client.get("/results/qd2026"))
    assert "市发改委 0.000 0.00% —" in page
    assert "相比" not in page and "2025" not in page


def test_before_publication_the_notice_says_so_and_shows_nothing_of_the_round(
    client: TestClient, app: EvaluationApp
) -> None:
    scored_round(app, "bt2027", 2027, BAOTOU_2026, publish=False)
    app.follow_round("bt2027", "bt2026", by=ORGANISER)
    sync(client)
    answer = client.get("/results/bt2027")
    assert answer.status_code == 200 and "评议结果尚未公布" in answer.text
    for secret in ("市发改委", "100.000", "66.667", "%", "notice.pdf", "signed.json", "公钥"):
        assert secret not in answer.text
    pdf = client.get("/results/bt2027/notice.pdf")
    assert pdf.status_code == 403 and "评议结果尚未发布" in pdf.text


def test_before_publication_every_public_results_download_answers_alike_403_not_published(
    client: TestClient, app: EvaluationApp
) -> None:
    scored_round(app, "bt2027", 2027, BAOTOU_2026, publish=False)
    sync(client)
    for download in ("signed.json", "audit.zip", "notice.pdf"):
        answer = client.get(f"/results/bt2027/{download}")
        assert answer.status_code == 403, download
        assert "评议结果尚未发布" in answer.text and "错误代码：not_published" in answer.text, download


def test_an_unknown_round_or_a_bad_key_is_not_found_never_an_error(client: TestClient) -> None:
    for path in ("/results/nope", "/results/nope/notice.pdf", "/results/%00", "/results/" + "x" * 3000):
        answer = client.get(path)
        assert answer.status_code in (400, 404), (path, answer.status_code)
        assert "找不到" in answer.text or answer.status_code == 400


def test_the_pdf_notice_holds_the_same_ranking_and_where_to_check_it(client: TestClient) -> None:
    answer = client.get("/results/bt2026/notice.pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    flat = re.sub(r"\s+", "", text)
    assert "评议结果公示" in flat and "公示期" in flat
    assert "市发改委" in flat and "100.000" in flat and "+20.000" in flat
    assert "/results/bt2026/audit.zip" in flat and "结果签名公钥" in flat


def test_the_department_sees_its_own_years_on_its_portal(client: TestClient, app: EvaluationApp) -> None:
    sign_in(client, app.issue_department_credential("bt2026", "fgw", by=ORGANISER))
    page = text_of(client.get("/department"))
    assert "历年对比" in page
    assert "2026年度" in page and "2025年度" in page and "得分 +20.000" in page
    assert "市水务局" not in page  # only its own
    sign_in(client, app.issue_department_credential("qd2026", "fgw", by=ORGANISER))
    assert "历年对比" not in client.get("/department").text


def test_the_organiser_links_the_rounds_and_overrides_a_match_each_recorded(
    client: TestClient, app: EvaluationApp
) -> None:
    token = sign_in(client, app.keys.organiser_code("bt2026"))
    page = text_of(client.get("/organiser/years"))
    assert "本活动接续「2025年度三民活动」" in page and "同一代码" in page
    answer = client.post(
        "/organiser/years/match",
        data={"csrf": token, "department": "zjj", "previous_department": "swj", "reason": "职能划转"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    sync(client)
    page = text_of(client.get("/organiser/years"))
    assert "组织方指定" in page and "已记录部门的对应关系" in page
    assert app.lineage("bt2026")[0].matches == {"zjj": "swj"}
    refused = client.post(
        "/organiser/years/previous", data={"csrf": token, "previous": "bt2026"}, follow_redirects=False
    )
    assert refused.status_code == 303
    assert "不能作为上一轮评议活动" in client.get("/organiser/years").text
    bad = client.post(
        "/organiser/years/match", data={"csrf": token, "department": "\x00", "previous_department": "x"}
    )
    assert bad.status_code < 500
    assert app.lineage("bt2026")[0].previous == "bt2025"


def test_a_year_counted_under_another_rule_is_listed_but_not_compared(
    client: TestClient, app: EvaluationApp
) -> None:
    scored_round(app, "bt2027", 2027, BAOTOU_2026, instrument=Instrument(min_valid_votes=3))
    app.follow_round("bt2027", "bt2026", by=ORGANISER)
    sync(client)
    page = text_of(client.get("/results/bt2027"))
    assert "1 市发改委 100.000 100.00% 评议办法有变化，不作直接比较" in page
    assert "得分 +" not in page and "名次上升" not in page
