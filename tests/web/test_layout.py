"""web/ 按使用者分组：代表平板、组织方、部门、公众各一个包，共用的手续在 web/platform；互不引用。

Read from the source with ``ast`` (nothing is imported): every ``import`` and ``from … import`` of every
module, relative ones resolved, and ``from web import x`` counted as importing ``web.x``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web"
AUDIENCES = ("tablet", "organiser", "department", "public")
PLATFORM = "platform"


def package_of(path: Path) -> str:
    return ".".join(path.relative_to(WEB.parent).with_suffix("").parts)


def imported(source: str, module: str, is_package: bool = False) -> set[str]:
    """The dotted names a module imports (for ``from a import b``: ``a`` and ``a.b``)."""
    here = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source, module)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def part_of(name: str) -> str | None:
    """The web package a dotted name belongs to (``web.tablet.api`` → ``tablet``), else None."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "web" else None


def modules(package: str) -> list[Path]:
    return sorted((WEB / package).rglob("*.py"))


def crossings(sources: dict[str, str], allowed: set[str]) -> list[str]:
    """Each ``module -> name`` where one of the modules (dotted name → source) imports a web package
    outside ``allowed``."""
    walls = set(AUDIENCES) | {PLATFORM}
    return [
        f"{module} -> {name}"
        for module, source in sources.items()
        for name in sorted(imported(source, module))
        if part_of(name) in walls - allowed
    ]


def sources(package: str) -> dict[str, str]:
    return {package_of(path): path.read_text() for path in modules(package)}


def test_every_audience_has_its_package_and_the_platform_is_shared() -> None:
    for package in (*AUDIENCES, PLATFORM):
        assert (WEB / package / "__init__.py").is_file(), package
        assert len(modules(package)) > 1, package


def test_no_audience_imports_another_audience_s_module() -> None:
    for audience in AUDIENCES:
        assert crossings(sources(audience), {audience, PLATFORM}) == []


def test_the_platform_imports_no_audience() -> None:
    assert crossings(sources(PLATFORM), {PLATFORM}) == []


SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\s", re.IGNORECASE)


def queries(path: Path) -> list[str]:
    """The string constants of a module that read or write the database (f-strings' literal parts too)."""
    tree = ast.parse(path.read_text(), str(path))
    texts = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    return [text for text in texts if SQL.match(text)]


def test_each_audience_s_sql_is_in_its_reads_module() -> None:
    for audience in AUDIENCES:
        reads = WEB / audience / "reads.py"
        assert queries(reads), audience
        outside = {str(path.relative_to(WEB)): queries(path) for path in modules(audience) if path != reads}
        assert {path: found for path, found in outside.items() if found} == {}


def test_the_check_sees_absolute_relative_and_package_imports() -> None:
    """The tests above would pass on a module they cannot read: here each kind of crossing must be found."""
    probe = (
        "from web.organiser import reads\n"
        "from ..department.feedback import own\n"
        "from web import public\n"
        "import web.platform.forms\n"
        "from . import seat\n"
    )
    assert crossings({"web.tablet.probe": probe}, {"tablet", PLATFORM}) == [
        "web.tablet.probe -> web.department.feedback",
        "web.tablet.probe -> web.department.feedback.own",
        "web.tablet.probe -> web.organiser",
        "web.tablet.probe -> web.organiser.reads",
        "web.tablet.probe -> web.public",
    ]
    assert crossings({"web.platform.probe": probe}, {PLATFORM}) == [
        "web.platform.probe -> web.department.feedback",
        "web.platform.probe -> web.department.feedback.own",
        "web.platform.probe -> web.organiser",
        "web.platform.probe -> web.organiser.reads",
        "web.platform.probe -> web.public",
    ]


def test_no_page_or_static_file_hides_another_of_the_same_name() -> None:
    """One loader searches every package's templates, and /static/ serves every package's files: of two
    files with one name, the first would hide the other."""
    for folder, pattern in (("templates", "**/*.html"), ("static", "*")):
        names = [
            path.relative_to(WEB / path.relative_to(WEB).parts[0] / folder).as_posix()
            for path in WEB.glob(f"*/{folder}/{pattern}")
        ]
        assert len(names) >= 9, folder
        assert sorted(names) == sorted(set(names)), folder
