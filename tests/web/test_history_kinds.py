"""历史记录的类型筛选 — each kind of event is offered under a complete label, never a summary's sentence cut
before its first field (「设置评分前须先签到：」, 「修改网络评议期为」)."""

from __future__ import annotations

import re

from projections.history import SUMMARIES
from tests.web.conftest import Web
from web.organiser.history import KINDS

CUT = ("：", "为", "（", "第", "{", " ")


def test_every_kind_of_event_the_history_summarises_has_a_complete_label() -> None:
    assert set(SUMMARIES) <= set(KINDS)
    cut = {kind: label for kind, label in KINDS.items() if not label or label.endswith(CUT) or "{" in label}
    assert cut == {}
    assert KINDS["Round.CheckInRequirementSet"] == "设置评分前是否须先签到"
    assert KINDS["OnlineChannel.PeriodChanged"] == "修改网络评议期"


def test_the_history_page_offers_the_complete_labels(web: Web) -> None:
    assert web.type_code(web.commands.keys.organiser_code(web.round.key)).status_code == 303
    page = web.get("/organiser/history").text
    offered = re.findall(r'<option value="[A-Za-z.]+"[^>]*>(?:　)?([^<]*)</option>', page)
    assert "设置评分前是否须先签到" in offered and "修改网络评议期" in offered
    assert not [label for label in offered if label.endswith(CUT)]
