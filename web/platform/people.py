"""谁 — how a recorded actor (``by``: ``staff:<account id>``, or a shared code's ``role:subject``) is named to
staff: a personal account by its name and role, a shared code as such (「部门共用登录码」…). The history, the
staff trail and every page showing who did something (the report's revisions) name people this way."""

from __future__ import annotations

from evaluation.staff import ROLE_NAMES, StaffAccount

SHARED_CODES = {
    "organiser": ("共用会务组登录码", ROLE_NAMES["organiser"]),
    "department": ("部门共用登录码", ROLE_NAMES["department"]),
    "administrator": ("共用平台管理员登录码", ROLE_NAMES["administrator"]),
    "operator": ("服务器命令行（sanmin）", ""),
}
"""How a shared code's actions are named, by the role its recorded actor (``role:subject``,
web.platform.forms.actor) begins with."""


def person(actor: str, staff: dict[str, StaffAccount]) -> tuple[str, str]:
    """(name, role) of whoever recorded ``actor``: a staff account by its name and role, a shared code as
    such; anything else (系统, 代表（匿名）) shown as recorded."""
    account = staff.get(actor)
    if account is not None:
        return account.name, ROLE_NAMES[account.role]
    return SHARED_CODES.get(actor.split(":", 1)[0] if ":" in actor else "", (actor, ""))


def named(actor: str, staff: dict[str, StaffAccount]) -> str:
    """One line: 「李明（部门工作人员）」 for a person, 「部门共用登录码」 for a shared code (its name says
    whose it is)."""
    account = staff.get(actor)
    if account is not None:
        return f"{account.name}（{ROLE_NAMES[account.role]}）"
    return person(actor, staff)[0]
