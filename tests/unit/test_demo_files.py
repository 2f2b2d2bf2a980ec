"""The demo's data files: read by demo.texts, and the round drawn from them is the one the platform always loaded."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass

from demo import texts
from demo.ballots import simulate_choices
from demo.model import DemoRound
from demo.round import build_demo_round

# sha256 of the round as repr() wrote it when the demo had dataclasses of its own (``legacy_repr``) followed by
# repr() of every ballot simulate_choices(round, seed) streams: taken from the generator before its tables moved
# into data files.
DIGESTS = {
    (2026, 36, 6000): "891a2378e2c61e93bb5cdbdf385b17fe013efe24603d648c136dcc5e3f004582",
    (1, 6, 60): "9cf95cbb8613dd5399529cdb64df12ed766e64d16f6137152b39f48920ac0c80",
    (7, 7, 61): "51194969c6639681f5628bdfb21d2202e77cf000009cb0f68b0795d96680f07e",
}


@dataclass(frozen=True)
class Written:
    """What repr() wrote for a frozen dataclass named ``name`` with these fields, in order."""

    name: str
    fields: dict[str, object]

    def __repr__(self) -> str:
        return f"{self.name}({', '.join(f'{field}={value!r}' for field, value in self.fields.items())})"


def written(name: str, item: object, *fields: str, **more: object) -> Written:
    return Written(name, {field: getattr(item, field) for field in fields} | more)


def legacy_repr(demo: DemoRound) -> str:
    """The round as its own dataclasses (DemoRound of DemoGroup, DemoCategory, …) wrote it: the same values."""
    plan = demo.plan
    report = {r.department: r for r in demo.reports}
    departments = tuple(
        written(
            "DemoDepartment",
            d,
            *("key", "name", "short_name", "group", "head"),
            report_title=report[d.key].title,
            report_summary=report[d.key].summary,
            report_text=report[d.key].text,
        )
        for d in plan.departments
    )
    sittings = tuple(
        written("DemoSitting", s, "key", "name", "date", "half_day", departments=s.agenda)
        for s in plan.sittings
    )
    people = tuple(
        written("DemoRepresentative", r, "name", "category", "venue", "sitting", "phone")
        for r in plan.representatives
    )
    round_ = Written(
        "DemoRound",
        {
            "title": plan.title,
            "groups": tuple(written("DemoGroup", g, "key", "name") for g in plan.groups),
            "categories": tuple(written("DemoCategory", c, "key", "name", "share") for c in plan.categories),
            "venues": tuple(written("DemoVenue", v, "key", "name") for v in plan.venues),
            "sittings": sittings,
            "departments": departments,
            "representatives": people,
        },
    )
    return repr(round_)


def digest(seed: int, departments: int, representatives: int) -> str:
    demo = build_demo_round(seed=seed, departments=departments, representatives=representatives)
    hashed = hashlib.sha256(legacy_repr(demo).encode())
    for ballot in simulate_choices(demo, seed=seed):
        hashed.update(repr(ballot).encode())
    return hashed.hexdigest()


def test_the_round_and_its_ballots_are_the_same_as_before_the_data_files() -> None:
    assert {params: digest(*params) for params in DIGESTS} == DIGESTS


def test_every_department_of_every_group_file_is_read_in_the_agendas_order() -> None:
    groups = [key for key, _ in texts.GROUPS]
    assert groups == ["economy", "livelihood", "urban"]
    for group in groups:
        with (texts.DATA / "departments" / f"{group}.toml").open("rb") as file:
            keys = [table["key"] for table in tomllib.load(file)["departments"]]
        assert [d.key for d in texts.DEPARTMENTS if d.group == group] == keys
        assert len(keys) == 12
    assert [d.group for d in texts.DEPARTMENTS] == sorted(
        (d.group for d in texts.DEPARTMENTS), key=groups.index
    )


def test_the_tables_have_the_shapes_the_generator_draws_from() -> None:
    assert all(len(venue) == 4 and isinstance(venue[3], int) for venue in texts.SUB_VENUES)
    assert all(isinstance(weight, int) and weight > 0 for _, weight in texts.SURNAMES)
    assert (
        set(texts.CATEGORY_MIX_MAIN) == set(texts.CATEGORY_MIX_SUB) == {key for key, _, _ in texts.CATEGORIES}
    )
    assert set(texts.SELF_INTRODUCTION) == set(texts.CATEGORY_MIX_MAIN)
    assert len(texts.SITTING_TIMES) == len(texts.SITTING_ORDINALS) == 3
    for department in texts.DEPARTMENTS:
        assert department.work and department.problems and department.plans, department.key
        marks = {line.strip()[:1] for line in department.comments.strip().splitlines()}
        assert marks == {"+", "-", "?"}, department.key
