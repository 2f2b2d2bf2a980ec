"""评议卡 PDF：A4 每页 10 张、汉字嵌入字体、登录码 XXXXX-XXXXX、二维码打开 /login#code=…；按场次或会场分批。"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from evaluation.application import EvaluationApp
from evaluation.keys import format_code, new_credential_code
from evaluation.roster import MAX_NAME
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.web.test_organiser_helpers import ARTIFACTS, running_site, save_artifact
from web.organiser.cards_pdf import (
    CARD_W,
    MARGIN_X,
    PAD,
    PT,
    QR_SIZE,
    Card,
    StaffCard,
    cards_pdf,
    staff_card_pdf,
)
from web.platform import pdf_font


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def printed_code(text: str, name: str) -> str:
    """The login code printed on the card of ``name`` (the first code after the name), without its dash."""
    found = re.search(re.escape(name) + r".*?登录码\s+([A-Z0-9]{5})-([A-Z0-9]{5})", text, re.S)
    assert found, f"a card for {name}"
    return found.group(1) + found.group(2)


def render_first_page(path: Path, dpi: int, stem: str) -> Path:
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(path), stem], check=True
    )
    return Path(stem + ".png")


async def test_a_sitting_s_cards_print_with_embedded_chinese_font_code_and_a_working_qr_code(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    for i in range(11):
        app.register_representative("r2026", f"欧阳代表{i}", "resident", "main", "s1", by=ORGANISER)
    app.revoke_credential(small_round.bob, by=ORGANISER, reason="不再参加")
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        listing = (await site.get("/organiser/cards")).text
        assert (
            "第一场" in listing
            and "主会场" in listing
            and "/organiser/cards.pdf?sitting=s1&amp;venue=main" in listing
        )

        response = await site.post("/organiser/cards.pdf", params={"sitting": "s1"})
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
        assert "attachment" in response.headers["content-disposition"]
        pdf = save_artifact("cards-s1.pdf", response.content)
        assert pdf_pages(pdf) == 2  # alice and 11 more; bob's card is revoked
        text = pdf_text(pdf)
        assert "李秀英" in text and "欧阳代表10" in text and "王建国" not in text and "张丽" not in text
        assert format_code(small_round.alice_code) not in text  # a printed card is a new card
        alice_code = printed_code(text, "李秀英")
        assert "2026年度三民活动" in text and "第一场" in text and "主会场" in text
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "CID" in fonts and " yes yes " in fonts  # embedded, subset
        render_first_page(pdf, 60, str(ARTIFACTS / "cards-s1-page1"))

        if shutil.which("zbarimg"):
            sharp = render_first_page(pdf, 300, str(ARTIFACTS / "cards-s1-page1-300dpi"))
            found = subprocess.run(
                ["zbarimg", "-q", "--raw", str(sharp)], capture_output=True, text=True
            ).stdout
            urls = found.split()
            assert len(urls) == 10
            alice_url = f"http://testserver/login#code={alice_code}"
            assert alice_url in urls
            await site.sign_in(alice_code)
            assert (await site.get("/r")).status_code == 200


async def test_cards_are_printed_one_sitting_or_venue_at_a_time_and_one_by_one(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        refused = await site.post("/organiser/cards.pdf")
        assert refused.status_code == 422 and "请选择场次或会场" in refused.text
        venue = await site.post("/organiser/cards.pdf", params={"venue": "kdl"})
        text = pdf_text(save_artifact("cards-kdl.pdf", venue.content))
        assert "王建国" in text and "李秀英" not in text
        one = await site.post(f"/organiser/representatives/{small_round.carol}/card.pdf")
        text = pdf_text(save_artifact("card-carol.pdf", one.content))
        assert "张丽" in text and "第二场" in text and "李秀英" not in text
        app.revoke_credential(small_round.carol, by=ORGANISER, reason="遗失")
        site.sync()
        assert (
            await site.post(f"/organiser/representatives/{small_round.carol}/card.pdf")
        ).status_code == 422
        await site.sign_in(small_round.alice_code)
        assert (await site.post("/organiser/cards.pdf", params={"sitting": "s1"})).status_code == 403
        assert (
            await site.post(f"/organiser/representatives/{small_round.alice}/card.pdf")
        ).status_code == 403


def test_a_thousand_cards_take_seconds_not_minutes(tmp_path: Path) -> None:
    cards = [
        Card(
            f"代表{i}",
            i,
            "第一场（2026-12-15 上午）",
            "昆都仑区分会场",
            new_credential_code(),
        )
        for i in range(1000)
    ]
    started = time.perf_counter()
    content = cards_pdf("2026年度三民活动", cards, "https://sanmin.example.cn")
    assert time.perf_counter() - started < 20
    path = tmp_path / "many.pdf"
    path.write_bytes(content)
    assert pdf_pages(path) == 100


def test_without_a_chinese_font_the_organiser_is_told_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SANMIN_CJK_FONT", "/nonexistent/font.ttc")
    pdf_font.cjk_font.cache_clear()
    try:
        with pytest.raises(pdf_font.FontMissing, match="fonts-wqy-microhei"):
            cards_pdf("t", [], "http://x")
    finally:
        monkeypatch.delenv("SANMIN_CJK_FONT")
        pdf_font.cjk_font.cache_clear()


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
LONG_NAMES = [
    "欧阳·娜仁托娅·巴特尔其其格",  # 14 characters: was printed 「欧阳·娜仁托娅·巴…」
    "额尔德尼·苏和巴特尔·娜仁格日勒·乌力吉图雅·孟和巴雅尔·其其格玛·阿拉坦仓·巴图孟和·乌兰",
    "张" * MAX_NAME,
    "Alexander Nikolaevich Rimsky-Korsakov-Montgomery",
]


def printed_name(path: Path, above: str, below: str) -> tuple[str, list[tuple[float, ...]]]:
    """The words between the line ``above`` and the line starting with ``below`` on the first card, and their
    boxes (points)."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True)
    words = [(m.group(5), tuple(float(m.group(i)) for i in range(1, 5))) for m in WORD.finditer(html.stdout)]
    start = next(i for i, (text, _) in enumerate(words) if text == above)
    end = next(i for i, (text, _) in enumerate(words) if text.startswith(below))
    return "".join(text for text, _ in words[start + 1 : end]), [box for _, box in words[start : end + 1]]


@pytest.mark.parametrize("name", LONG_NAMES)
def test_a_long_name_prints_whole_beside_the_qr_code_above_the_details(tmp_path: Path, name: str) -> None:
    """Up to the roster's longest name (evaluation.roster.MAX_NAME): smaller, on up to four lines, never cut,
    never over the QR code nor over the card's other lines."""
    assert len(name) <= MAX_NAME
    column = (MARGIN_X + CARD_W - PAD - QR_SIZE - PAD) / PT  # the left column's right edge, in points
    representative = tmp_path / "card.pdf"
    representative.write_bytes(
        cards_pdf(
            "2026年度三民活动", [Card(name, 12, "第一场", "昆都仑区分会场", "ABCDE12345")], "https://x.cn"
        )
    )
    staff = tmp_path / "staff.pdf"
    staff.write_bytes(
        staff_card_pdf(StaffCard(name, "签到员", "", "昆都仑区分会场", "ABCDE12345"), "https://x.cn")
    )
    for path, above, below in ((representative, "市民代表评议卡", "编号"), (staff, "工作人员登录卡", "角色")):
        printed, boxes = printed_name(path, above, below)
        assert printed == name.replace(" ", ""), path.name
        title, *lines, details = boxes
        assert all(box[2] <= column + 0.5 for box in lines), (path.name, lines)
        assert all(title[3] <= box[1] + 0.5 and box[3] <= details[1] + 0.5 for box in lines), (
            path.name,
            boxes,
        )
    render_first_page(representative, 80, str(ARTIFACTS / f"card-long-name-{len(name)}"))
