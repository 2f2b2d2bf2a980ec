"""评议卡的登录码：随机生成、只存带密钥的散列；再打印就是发新卡（有记录），旧卡作废。

The attack: an organiser prints someone's card again to learn a code that signs in as them. Now each print
issues a new card, recorded with who and why, and the code of the card the person holds stops working; no
code can be had any other way (the keyring cannot derive one, and the database holds none).
"""

from __future__ import annotations

import psycopg

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.web.test_cards import pdf_text, printed_code
from tests.web.test_organiser_helpers import running_site, save_artifact


async def test_printing_a_card_twice_gives_two_codes_and_the_first_no_longer_signs_in(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    card = f"/organiser/representatives/{small_round.alice}/card.pdf"
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        assert (await site.get(card)).status_code == 405  # no card without the POST that issues it
        first = printed_code(
            pdf_text(save_artifact("card-alice-1.pdf", (await site.post(card)).content)), "李秀英"
        )
        second = printed_code(
            pdf_text(save_artifact("card-alice-2.pdf", (await site.post(card)).content)), "李秀英"
        )
        assert len({small_round.alice_code, first, second}) == 3

        for void in (small_round.alice_code, first):
            refused = await site.try_sign_in(void)
            assert refused.status_code in (401, 403) and "/r" not in refused.headers.get("location", "")
        await site.sign_in(second)
        assert (await site.get("/api/state")).status_code == 200

    issued = [e for e in app.events.get(small_round.alice) if type(e).__name__ == "CredentialIssued"]
    assert [e.serial for e in issued] == [1, 2, 3]  # type: ignore[attr-defined]
    assert all(e.by.startswith("organiser") for e in issued[1:])  # type: ignore[attr-defined]
    assert all("打印" in e.reason for e in issued[1:])  # type: ignore[attr-defined]


def test_no_valid_code_can_be_had_without_issuing_a_card(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    assert not any("credential_code" in name for name in dir(app.keys))  # nothing derives a code again
    reissued = app.reissue_credential(small_round.alice, by="organiser:r2026")
    table = app.recorder.events_table_name  # type: ignore[attr-defined]
    with psycopg.connect(settings.database_url, options=settings.pg_options) as db:
        dump = b"".join(bytes(row[0]) for row in db.execute(f'SELECT state FROM "{table}"'))
    for code in (small_round.alice_code, reissued):
        assert code.encode() not in dump and app.keys.credential_hash(code).encode() in dump
