"""部门首页 — the signed-in department's own page: its report; after publication its results and its
anonymised comment summary (level counts, keywords, themes, comments), with the downloads. Before
publication: 「结果尚未发布」 and no number at all."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.instrument import Instrument
from projections.feedback import NotEnough
from web.department.feedback import feedback, own, results
from web.department.result_lines import result_lines, weighting_note
from web.platform.forms import render
from web.platform.years import department_lines


async def portal(request: Request) -> Response:
    mine = await own(request)
    context = {
        "round": mine.round,
        "dept": mine.row,
        "sitting": mine.sitting,
        "published": mine.round["published"],
        "years": await department_lines(request, mine.round["round_key"], mine.key),
    }
    if mine.round["published"]:
        summary = await feedback(request, mine)
        tally, line = await results(request, mine)
        enough = not isinstance(summary, NotEnough)
        note = weighting_note(Instrument.from_dict(mine.round["instrument"]), mine.round["categories"])
        context |= {
            "result": result_lines(tally, line),
            "weighting": note,
            "summary": summary,
            "enough": enough,
        }
    return render(request, "department/portal.html", context)


routes = [Route("/department", portal)]
