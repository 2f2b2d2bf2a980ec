"""代表信息维护 — correcting a registered representative (name, category, venue, sitting, phone) with a reason.

Name and phone may be corrected at any time before the results are locked. Placement (category, venue,
sitting) decides which departments a representative scores and how their ballot is weighted: it can change
only before the round's first scoring window opens.
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from evaluation.errors import InvalidInput, NotFound, RoundNotEditable
from evaluation.registration import _placed
from evaluation.representative import Representative, Roster, roster_id
from evaluation.roster import Listed, normalise_phone
from evaluation.roster_check import refuse_if_registered
from evaluation.round import Round
from evaluation.service import ServiceBase
from evaluation.window import ScoringWindow, window_id

MAX_NAME = 50
PLACEMENT_FIXED = "评分已经开始，代表的类别、会场和场次不能再修改（姓名和手机号仍可更正）"


class RosterUpkeep(ServiceBase):
    def edit_representative(
        self,
        round_key: str,
        representative_id: UUID,
        listed: Listed,
        by: str,
        reason: str,
    ) -> None:
        """修改代表信息 — recorded with who and why; ``listed``'s category, venue and sitting by key or by name."""
        rep = self.load(Representative, representative_id, "代表")
        if rep.round_key != round_key:
            raise NotFound(what="代表")
        round_ = self.round(round_key)
        if round_.locked:
            raise RoundNotEditable()
        name = listed.name.strip()
        if not name or len(name) > MAX_NAME:
            raise InvalidInput(f"姓名不能为空，且最多 {MAX_NAME} 个字")
        normalised, wrong = normalise_phone((listed.phone or "").strip())
        if wrong:
            raise InvalidInput(f"手机号{wrong}")
        placed = _placed(round_, replace(listed, name=name, phone=normalised))
        moved = (placed.category, placed.venue, placed.sitting) != (rep.category, rep.venue, rep.sitting)
        if moved and scoring_started(self, round_):
            raise InvalidInput(PLACEMENT_FIXED)
        refuse_if_registered(self, self.find(Roster, roster_id(round_key)), placed, but=rep.number)
        rep.edit(name, placed.category, placed.venue, placed.sitting, normalised, by, reason)
        self.save(rep)


def scoring_started(app: ServiceBase, round_: Round) -> bool:
    """Whether any department's scoring window of the round has ever opened (首个评分窗口已开启)."""
    for department in round_.departments:
        window = app.find(ScoringWindow, window_id(round_.key, department))
        if window is not None and window.openings:
            return True
    return False
