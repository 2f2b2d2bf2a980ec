"""组织方菜单 — the console's menu, one list for every staff role: each page with the roles its route
``require``s, shown to whoever the access rule (``security.admits``) lets open it. A 监督员 therefore sees
every page it may read, a 签到员 the roster, a 计票员 the results; nobody a link that would be refused.

The pages whose only purpose is a change (set-up, the workbook's update) are asked as a change (POST): a
监督员 may open them but could do nothing there, so they are not in its menu. The layout gets the menu from
``organiser_menu``, a template global. ``tests/web/test_read_only_console.py`` checks the menu against the
app's own answers."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from web.platform.security import (
    ADMINISTRATOR,
    AUDITOR,
    CHECKIN,
    ORGANISER,
    RESULTS_OFFICER,
    Principal,
    admits,
)
from web.platform.templating import templates


@dataclass(frozen=True)
class Page:
    path: str
    """The page's address; ``{round}`` stands for the viewer's round."""
    label: str
    roles: tuple[str, ...]
    """The roles its route names in ``require`` (an auditor passes the organiser's on reading)."""
    method: str = "GET"
    """POST for a page that exists to change something: shown to those who may make the change."""
    download: bool = False
    """A file, not a page."""
    desk_label: str = ""
    """How the check-in desk (签到员) calls it, where that differs."""


PAGES = (
    Page("/organiser/readiness", "准备情况", (ORGANISER,)),
    Page("/organiser", "议程", (ORGANISER,)),
    Page("/organiser/turnout", "投票进度", (ORGANISER,)),
    Page("/organiser/results", "评议结果", (ORGANISER, RESULTS_OFFICER)),
    Page("/organiser/representatives", "代表名单", (ORGANISER, CHECKIN), desk_label="签到与补卡"),
    Page("/organiser/cards", "评议卡", (ORGANISER,)),
    Page("/organiser/components", "其他得分", (ORGANISER,)),
    Page("/organiser/online", "网络评议", (ORGANISER,)),
    Page("/organiser/ballots", "作废评议票", (ORGANISER,)),
    Page("/organiser/departments", "部门登录码", (ORGANISER,)),
    Page("/organiser/reports", "述职报告", (ORGANISER,)),
    Page("/organiser/opinions", "意见分拣", (ORGANISER,)),
    Page("/organiser/history", "历史记录", (ORGANISER,)),
    Page("/organiser/trail.xlsx", "导出工作人员操作记录", (AUDITOR,), download=True),
    Page("/organiser/rounds/{round}/setup", "活动设置", (ORGANISER, ADMINISTRATOR), method="POST"),
    Page("/organiser/workbook", "更新活动工作簿", (ORGANISER,), method="POST"),
    Page(
        "/organiser/rounds/{round}/workbook.xlsx", "下载活动工作簿", (ORGANISER, ADMINISTRATOR), download=True
    ),
)


@dataclass(frozen=True)
class Link:
    href: str
    label: str
    download: bool


def organiser_menu(viewer: Principal | None) -> list[Link]:
    """The links of ``viewer``'s menu, in the console's order."""
    if viewer is None:
        return []
    links = []
    for page in PAGES:
        if admits(viewer, page.roles, page.method):
            label = page.desk_label if viewer.role == CHECKIN and page.desk_label else page.label
            href = page.path.replace("{round}", quote(viewer.round_key, safe=""))
            links.append(Link(href, label, page.download))
    return links


templates.env.globals["organiser_menu"] = organiser_menu
