"""演示数据 — a seeded, realistic Baotou-scale round: its configuration, roster and simulated ballots.

Pure and deterministic: no database, no I/O, no global random state. `build_demo_round` returns the whole round as
frozen dataclasses; `simulate_choices` streams one ballot per representative per department of their sitting.
The same seed always gives the same data; the text tables live in scripts/demo_texts.py.

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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from scripts import demo_texts as texts

LEVELS: tuple[str, ...] = ("satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied")
UNKNOWN = "unknown"

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

# Simulated behaviour (simulate_choices).
COMMENT_RATE: dict[str, float] = {
    "satisfied": 0.06,
    "fairly_satisfied": 0.07,
    "basically_satisfied": 0.14,
    "dissatisfied": 0.30,
    UNKNOWN: 0.10,
}
SIGNED_RATE = 0.01
UNKNOWN_RATE_RANGE = (0.015, 0.045)
"""Each department's share of 不了解 is drawn from this range: ~3% on average."""
TENDENCY_RANGE = (-0.1, 1.0)
"""A department's tendency t: expected score ≈ 81 at the bottom, ≈ 95 at the top (see _level_weights)."""
CATEGORY_TENDENCY: dict[str, float] = {
    "npc": 0.06,
    "cppcc": 0.06,
    "enterprise": -0.02,
    "resident": -0.05,
    "client": -0.04,
    "media": 0.0,
    "expert": -0.01,
}
# Which kinds of comment a choice tends to bring: (praise, complaint, suggestion) weights.
COMMENT_MOOD: dict[str, tuple[int, int, int]] = {
    "satisfied": (6, 0, 4),
    "fairly_satisfied": (3, 2, 5),
    "basically_satisfied": (1, 5, 4),
    "dissatisfied": (0, 7, 3),
}
GENERIC_COMMENT_SHARE = 0.25


@dataclass(frozen=True)
class DemoGroup:
    key: str
    name: str


@dataclass(frozen=True)
class DemoCategory:
    key: str
    name: str
    share: str


@dataclass(frozen=True)
class DemoVenue:
    key: str
    name: str


@dataclass(frozen=True)
class DemoSitting:
    key: str
    name: str
    date: str
    half_day: str
    departments: tuple[str, ...]


@dataclass(frozen=True)
class DemoDepartment:
    key: str
    name: str
    short_name: str
    group: str
    head: str
    report_title: str
    report_summary: str
    report_text: str


@dataclass(frozen=True)
class DemoRepresentative:
    name: str
    category: str
    venue: str
    sitting: str
    phone: str | None


@dataclass(frozen=True)
class DemoRound:
    title: str
    groups: tuple[DemoGroup, ...]
    categories: tuple[DemoCategory, ...]
    venues: tuple[DemoVenue, ...]
    sittings: tuple[DemoSitting, ...]
    departments: tuple[DemoDepartment, ...]
    representatives: tuple[DemoRepresentative, ...]


@dataclass(frozen=True)
class DemoBallot:
    representative_index: int
    """Index into DemoRound.representatives (the roster's number is this + 1 when imported in order)."""
    department: str
    choice: str
    comment: str | None
    signed_suggestion: str | None


# --- The round ----------------------------------------------------------------------------------------------------


def build_demo_round(seed: int = 2026, departments: int = 36, representatives: int = 6000) -> DemoRound:
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
    groups = tuple(DemoGroup(key, name) for key, name in texts.GROUPS if any(d.group == key for d in chosen))
    sittings = _sittings(chosen, group_names, rng)
    return DemoRound(
        title=texts.ROUND_TITLE,
        groups=groups,
        categories=tuple(DemoCategory(key, name, share) for key, name, share in texts.CATEGORIES),
        venues=(
            DemoVenue(*texts.MAIN_VENUE),
            *(DemoVenue(key, name) for key, name, _, _ in texts.SUB_VENUES),
        ),
        sittings=sittings,
        departments=tuple(_department(d, index) for index, d in enumerate(chosen)),
        representatives=_representatives(sittings, representatives, rng),
    )


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
) -> tuple[DemoSitting, ...]:
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
            DemoSitting(f"s{number + 1}", f"{ordinal} {label}", date, half_day, tuple(d.key for d in members))
        )
    return tuple(sittings)


def _even_split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _department(d: texts.DepartmentText, index: int) -> DemoDepartment:
    return DemoDepartment(
        key=d.key,
        name=d.name,
        short_name=d.short_name,
        group=d.group,
        head=d.head,
        report_title=f"{d.theme.replace('、', ' ')}——{d.short_name}{texts.YEAR}年度述职报告",
        report_summary=d.summary,
        report_text=report_text(d, index),
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
    sittings: Sequence[DemoSitting], total: int, rng: random.Random
) -> tuple[DemoRepresentative, ...]:
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
    main_mix = _Weighted(texts.CATEGORY_MIX_MAIN)
    sub_mix = _Weighted(texts.CATEGORY_MIX_SUB)
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
        people.append(DemoRepresentative(name, category, venue, sitting_key, phone))
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


class _Weighted:
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
        self.surnames = _Weighted(dict(texts.SURNAMES))

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


# --- The ballots --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Comments:
    praise: tuple[str, ...]
    complaints: tuple[str, ...]
    suggestions: tuple[str, ...]


def simulate_choices(demo: DemoRound, seed: int = 2026) -> Iterator[DemoBallot]:
    """One ballot per representative per department of their sitting, streamed in the order a round is scored.

    Sitting by sitting, department by department in report order, then every representative of the sitting (the
    whole hall scores a department when its report ends). Each department has a seeded tendency, so scores spread
    over roughly 81-95 and the ranking differs with the seed; ~3% choose 不了解, ~8% add a comment fitting their
    choice and the department, ~1% sign a suggestion.
    """
    rng = random.Random(f"choices:{seed}")
    keys = [d.key for d in demo.departments]
    tendencies = _spread(len(keys), rng)
    unknown_rate = {key: rng.uniform(*UNKNOWN_RATE_RANGE) for key in keys}
    tendency = dict(zip(keys, tendencies, strict=True))
    table = {d.key: d.comments for d in texts.DEPARTMENTS}
    comments = {key: _parse_comments(table.get(key, "")) for key in keys}
    places = {key: district for key, _, district, _ in texts.SUB_VENUES}
    districts = list(places.values())
    members: dict[str, list[int]] = {s.key: [] for s in demo.sittings}
    for index, rep in enumerate(demo.representatives):
        members[rep.sitting].append(index)
    category_names = {c.key: c.name for c in demo.categories}
    for sitting in demo.sittings:
        for dept in sitting.departments:
            mixes = {
                c.key: _Weighted(_level_weights(tendency[dept] + CATEGORY_TENDENCY.get(c.key, 0.0)))
                for c in demo.categories
            }
            for index in members[sitting.key]:
                rep = demo.representatives[index]
                choice = UNKNOWN if rng.random() < unknown_rate[dept] else mixes[rep.category].pick(rng)
                comment = signed = None
                if rng.random() < COMMENT_RATE[choice]:
                    place = places.get(rep.venue) or rng.choice(districts)
                    comment = _comment(choice, comments[dept], place, rng)
                if rng.random() < SIGNED_RATE:
                    place = places.get(rep.venue) or rng.choice(districts)
                    signed = _signed(rep.category, category_names, comments[dept], place, rng)
                yield DemoBallot(index, dept, choice, comment, signed)


def _spread(count: int, rng: random.Random) -> list[float]:
    """Evenly spaced tendencies with a little jitter, shuffled: an interesting ranking without near-ties."""
    low, high = TENDENCY_RANGE
    step = (high - low) / max(1, count - 1)
    values = [low + i * step + rng.uniform(-0.3, 0.3) * step for i in range(count)]
    rng.shuffle(values)
    return values


def _level_weights(t: float) -> dict[str, float]:
    """Shares of the four levels for tendency t (clamped to -0.2..1.1); E[points] ≈ 81 + 13 t."""
    t = max(-0.2, min(1.1, t))
    satisfied = 0.45 + 0.40 * t
    dissatisfied = max(0.005, 0.05 - 0.04 * t)
    basically = max(0.02, 0.15 - 0.10 * t)
    fairly = 1.0 - satisfied - dissatisfied - basically
    return dict(zip(LEVELS, (satisfied, fairly, basically, dissatisfied), strict=True))


def _parse_comments(block: str) -> _Comments:
    """A department's own comments; a department missing from the table gets the generic ones."""
    lines = [line.strip() for line in block.strip().splitlines() if line.strip()]

    def kind(mark: str, fallback: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(line[2:] for line in lines if line.startswith(mark + " ")) or fallback

    return _Comments(
        praise=kind("+", texts.GENERIC_PRAISE),
        complaints=kind("-", texts.GENERIC_COMPLAINTS),
        suggestions=kind("?", texts.GENERIC_SUGGESTIONS),
    )


def _comment(choice: str, own: _Comments, place: str, rng: random.Random) -> str:
    if choice == UNKNOWN:
        if rng.random() < 0.7:
            return rng.choice(texts.UNKNOWN_COMMENTS)
        return _fill(rng.choice(own.suggestions), place)
    mood = ("praise", "complaint", "suggestion")[_pick_index(COMMENT_MOOD[choice], rng)]
    generic = rng.random() < GENERIC_COMMENT_SHARE
    if mood == "praise":
        text = rng.choice(texts.GENERIC_PRAISE if generic else own.praise) + rng.choice(texts.PRAISE_ENDINGS)
    elif mood == "complaint":
        text = rng.choice(texts.GENERIC_COMPLAINTS if generic else own.complaints) + rng.choice(
            texts.COMPLAINT_ENDINGS
        )
    else:
        text = rng.choice(texts.GENERIC_SUGGESTIONS if generic else own.suggestions) + rng.choice(
            texts.SUGGESTION_ENDINGS
        )
    if rng.random() < 0.15 and mood != "suggestion":
        # Some people say two things: what is wrong (or right), and what they would like.
        text = text.rstrip("。！") + "。" + rng.choice(own.suggestions) + "。"
    return _fill(text, place)


def _signed(
    category: str, category_names: dict[str, str], own: _Comments, place: str, rng: random.Random
) -> str:
    intro = texts.SELF_INTRODUCTION.get(category, f"作为{category_names.get(category, '市民代表')}")
    problem = rng.choice(own.complaints)
    wish = rng.choice(own.suggestions)
    detail = rng.choice(texts.SIGNED_DETAILS)
    ending = rng.choice(texts.SIGNED_ENDINGS)
    return _fill(f"{intro}，反映一个问题：{problem}。{detail}{wish}。{ending}", place)


def _pick_index(weights: Sequence[int], rng: random.Random) -> int:
    return rng.choices(range(len(weights)), weights=weights)[0]


def _fill(text: str, place: str) -> str:
    return text.replace("{place}", place)
