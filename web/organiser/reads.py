"""组织方常用读取 — the lookups several organiser screens share, from the read models only."""

from __future__ import annotations

from typing import Any

from web.platform.database import ReadModels


async def department_names(reads: ReadModels, round_key: str) -> dict[str, str]:
    rows = await reads.fetch(
        "SELECT department, name FROM departments_view WHERE round_key = $1 ORDER BY department", round_key
    )
    return {r["department"]: r["name"] for r in rows}


async def department_name(reads: ReadModels, round_key: str, department: str) -> str:
    name = await reads.fetchval(
        "SELECT name FROM departments_view WHERE round_key = $1 AND department = $2", round_key, department
    )
    return str(name) if name else department


async def by_department(reads: ReadModels, table: str, round_key: str) -> dict[str, Any]:
    """windows_view or results_view rows of the round, by department key."""
    assert table in ("windows_view", "results_view")
    rows = await reads.fetch(f"SELECT * FROM {table} WHERE round_key = $1", round_key)
    return {r["department"]: r for r in rows}
