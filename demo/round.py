"""演示活动 — a seeded, realistic Baotou-scale round: its configuration and its roster.

Pure and deterministic: no database, no global random state. ``build_demo_round`` returns the whole round: its
set-up as a ``RoundPlan`` (what the round's workbook holds) and each department's report (``demo.model``);
``demo.ballots`` streams its simulated ballots. The same seed always gives the
same data; the text tables are the data files read by ``demo.texts``.

Rules for the parameters (Baotou's format at the defaults: 36 departments in 3 sittings of 12, 6,000 people):

- ``departments`` (1..36) are taken round-robin over the three groups in table order, so every group keeps an equal
  share (6 → two per group). The agenda orders them group by group and cuts it into ``min(3, departments)``
  sittings of sizes as equal as possible (larger ones first); with the round-robin choice each sitting is then
  exactly one group, as in Qingdao's "one sitting per group" format. Report order within a sitting is seeded.
- ``representatives`` (0..100,000) are spread evenly over the sittings (the first ones get one more). Of each
  sitting, a tenth (at least 1, at most 400) sit in the main hall, the rest over the nine 旗县区分会场 by population.
- About 70% have a phone (unique 11-digit numbers of the form 13x0000xxxx, obviously fake); the rest have none, and
  no two phoneless people share name, category, venue and sitting (the importer would take them for one row).
"""

from __future__ import annotations

import bisect
import itertools
import random
import zlib
from collections.abc import Sequence

from demo import texts
from demo.model import DemoReport, DemoRound
from evaluation.instrument import Instrument
from evaluation.round_plan import (
    PlannedCategory,
    PlannedDepartment,
    PlannedGroup,
    PlannedRepresentative,
    PlannedSitting,
    PlannedVenue,
    RoundPlan,
)

DEMO_KEY = "baotou2026"

MAX_SITTINGS = 3
MAX_REPRESENTATIVES = 100_000
PHONE_SHARE = 0.7
PHONE_PREFIXES: tuple[str, ...] = (
    "1390000",
    "1380000",
    "1370000",
    "1360000",
    "1350000",
    "1590000",
    "1580000",
    "1860000",
    "1870000",
    "1880000",
)
MONGOLIAN_SHARE = 0.03


def build_demo_round(
    seed: int = 2026, departments: int = 36, representatives: int = 6000, key: str = DEMO_KEY
) -> DemoRound:
    """The whole demo round; see the module docstring for how the parameters are applied."""
    if not 1 <= departments <= len(texts.DEPARTMENTS):
        raise ValueError(f"departments must be between 1 and {len(texts.DEPARTMENTS)}, not {departments}")
    if not 0 <= representatives <= MAX_REPRESENTATIVES:
        raise ValueError(
            f"representatives must be between 0 and {MAX_REPRESENTATIVES}, not {representatives}"
        )
    rng = random.Random(seed)
    chosen = _choose_departments(departments)
    group_names = dict(texts.GROUPS)
    groups = tuple(PlannedGroup(g, name) for g, name in texts.GROUPS if any(d.group == g for d in chosen))
    sittings = _sittings(chosen, group_names, rng)
    plan = RoundPlan(
        key=key,
        title=texts.ROUND_TITLE,
        year=texts.YEAR,
        instrument=Instrument(),
        categories=tuple(PlannedCategory(c, name, share) for c, name, share in texts.CATEGORIES),
        groups=groups,
        venues=(
            PlannedVenue(*texts.MAIN_VENUE),
            *(PlannedVenue(v, name) for v, name, _, _ in texts.SUB_VENUES),
        ),
        sittings=sittings,
        departments=tuple(PlannedDepartment(d.key, d.name, d.short_name, d.group, d.head) for d in chosen),
        representatives=_representatives(sittings, representatives, rng),
        check_in_required=False,  # the demo's representatives vote from wherever it is shown
    )
    return DemoRound(plan, tuple(_report(d, index) for index, d in enumerate(chosen)))


def _choose_departments(count: int) -> list[texts.DepartmentText]:
    """Round-robin over the groups in table order, then listed group by group (the agenda's order of groups)."""
    by_group = [[d for d in texts.DEPARTMENTS if d.group == key] for key, _ in texts.GROUPS]
    picked: set[str] = set()
    for d in itertools.chain.from_iterable(itertools.zip_longest(*by_group)):
        if d is not None and len(picked) < count:
            picked.add(d.key)
    return [d for members in by_group for d in members if d.key in picked]


def _sittings(
    chosen: Sequence[texts.DepartmentText], group_names: dict[str, str], rng: random.Random
) -> tuple[PlannedSitting, ...]:
    count = min(MAX_SITTINGS, len(chosen))
    sizes = _even_split(len(chosen), count)
    sittings = []
    start = 0
    for number, size in enumerate(sizes):
        members = list(chosen[start : start + size])
        start += size
        rng.shuffle(members)
        groups = {d.group for d in members}
        ordinal = texts.SITTING_ORDINALS[number]
        label = f"{group_names[groups.pop()]}述职报告会" if len(groups) == 1 else "述职报告会"
        date, half_day = texts.SITTING_TIMES[number]
        sittings.append(
            PlannedSitting(
                f"s{number + 1}", f"{ordinal} {label}", date, half_day, tuple(d.key for d in members)
            )
        )
    return tuple(sittings)


def _even_split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _report(d: texts.DepartmentText, index: int) -> DemoReport:
    return DemoReport(
        department=d.key,
        title=f"{d.theme.replace('、', ' ')}——{d.short_name}{texts.YEAR}年度述职报告",
        summary=d.summary,
        text=report_text(d, index),
    )


def report_text(d: texts.DepartmentText, index: int = 0) -> str:
    """The full 述职报告: opening, 一、主要工作, 二、存在问题, 三、下一步打算, closing. Independent of the seed."""
    opening = texts.OPENINGS[index % len(texts.OPENINGS)].format(short=d.short_name, theme=d.theme)
    closing = texts.CLOSINGS[index % len(texts.CLOSINGS)]
    work = [*d.work, _last_year_follow_up(d)]
    lines = [opening, "", "一、主要工作"]
    lines += [f"（{texts.ORDINALS[i]}）{item}" for i, item in enumerate(work)]
    lines += ["", "二、存在问题"]
    lines.append("".join(f"{texts.ORDINALS[i]}是{item}" for i, item in enumerate(d.problems)))
    lines += ["", "三、下一步打算"]
    lines += [f"（{texts.ORDINALS[i]}）{item}" for i, item in enumerate(d.plans)]
    lines += ["", closing]
    return "\n".join(lines)


def _last_year_follow_up(d: texts.DepartmentText) -> str:
    """去年“三民”意见整改 — a paragraph every real report has; its figures are fixed per department."""
    stable = zlib.crc32(d.key.encode())
    received = 40 + stable % 160
    done = received - stable // 7 % max(1, received // 12)
    rate = f"{done * 100 / received:.1f}"
    complaints = [line[2:] for line in d.comments.strip().splitlines() if line.startswith("- ")][:2]
    quoted = "”“".join(complaints)
    return (
        f"抓好“三民”意见建议整改。对上一年度评议中市民代表提出的{received}条意见建议逐条建立台账，"
        f"已办结{done}条，办结率{rate}%。针对代表们集中反映的“{quoted}”等问题，"
        "明确责任领导、责任科室和整改时限，办理结果逐一向代表反馈，并在部门网站公开。"
    )


# --- The roster ---------------------------------------------------------------------------------------------------


def _representatives(
    sittings: Sequence[PlannedSitting], total: int, rng: random.Random
) -> tuple[PlannedRepresentative, ...]:
    places: list[tuple[str, bool]] = []  # (venue key, is main hall) per seat, sitting by sitting
    sitting_of: list[str] = []
    for sitting, size in zip(sittings, _even_split(total, len(sittings)), strict=True):
        main = min(400, max(1, round(size / 10))) if size else 0
        sub_sizes = _largest_remainder(size - main, [w for _, _, _, w in texts.SUB_VENUES])
        places += [(texts.MAIN_VENUE[0], True)] * main
        for (key, _, _, _), count in zip(texts.SUB_VENUES, sub_sizes, strict=True):
            places += [(key, False)] * count
        sitting_of += [sitting.key] * size
    has_phone = [rng.random() < PHONE_SHARE for _ in range(total)]
    phone_numbers = iter(_phones(sum(has_phone), rng))
    names = _NameMaker(rng)
    main_mix = Weighted(texts.CATEGORY_MIX_MAIN)
    sub_mix = Weighted(texts.CATEGORY_MIX_SUB)
    phoneless: set[tuple[str, str, str, str]] = set()
    people = []
    for (venue, is_main), sitting_key, phone_given in zip(places, sitting_of, has_phone, strict=True):
        category = (main_mix if is_main else sub_mix).pick(rng)
        name = names.make()
        phone = next(phone_numbers) if phone_given else None
        if phone is None:
            while (name, category, venue, sitting_key) in phoneless:
                name = names.make()
            phoneless.add((name, category, venue, sitting_key))
        people.append(PlannedRepresentative(name, category, venue, sitting_key, phone))
    return tuple(people)


def _largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _phones(count: int, rng: random.Random) -> list[str]:
    per_prefix = 10_000
    drawn = rng.sample(range(len(PHONE_PREFIXES) * per_prefix), count)
    return [f"{PHONE_PREFIXES[n // per_prefix]}{n % per_prefix:04d}" for n in drawn]


class Weighted:
    """A weighted choice by one uniform draw and a bisection: cheap enough for 216,000 ballots."""

    def __init__(self, weights: dict[str, int] | dict[str, float]) -> None:
        self.keys = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))

    def pick(self, rng: random.Random) -> str:
        return self.keys[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


class _NameMaker:
    """Chinese names with surnames weighted like real frequencies, and now and then a Mongolian name."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = Weighted(dict(texts.SURNAMES))

    def make(self) -> str:
        rng = self.rng
        if rng.random() < MONGOLIAN_SHARE:
            name = rng.choice(texts.MONGOLIAN_NAMES)
            return (
                rng.choice(texts.MONGOLIAN_SURNAMES) + name if rng.random() < 0.3 and len(name) <= 3 else name
            )
        male = rng.random() < 0.5
        roll = rng.random()
        if roll < 0.22:
            given = rng.choice(texts.GIVEN_SINGLE_MALE if male else texts.GIVEN_SINGLE_FEMALE)
        elif roll < 0.55:
            given = rng.choice(texts.GIVEN_DOUBLE_MALE if male else texts.GIVEN_DOUBLE_FEMALE)
        else:
            first = texts.GIVEN_FIRST_MALE if male else texts.GIVEN_FIRST_FEMALE
            second = texts.GIVEN_SECOND_MALE if male else texts.GIVEN_SECOND_FEMALE
            given = rng.choice(first) + rng.choice(second)
            if given[0] == given[1]:
                given = given[0]
        return self.surnames.pick(rng) + given
