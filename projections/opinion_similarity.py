"""合并建议 — clusters of near-duplicate opinions (the same sentence typed 47 times, or nearly), and a theme
suggested for each from the keywords (``projections.keywords.THEMES``).

Similarity is the Jaccard index of the sets of character bigrams of the normalised text (NFKC, no punctuation
or spaces): Chinese needs no segmentation for that, and a few changed particles (了、吧、啊) or punctuation keep
two sentences together. Pairs at or above ``THRESHOLD`` are found exactly by an all-pairs similarity join with
prefix and length filtering (Bayardo et al. 2007; Xiao et al. 2008's PPJoin without the positional filter):
each text is indexed only by its rarest bigrams, so common ones (希望, 建议) never make every pair a candidate.
Identical texts are collapsed first, so the work grows with the number of distinct sentences.

Why hand-written rather than datasketch's MinHash-LSH or scikit-learn's TF-IDF cosine: both need numpy (and
scipy), which the project does not otherwise use; MinHash is an approximation, and slower here: on this machine,
with the benchmark's 18,000 generated opinions (7,592 distinct sentences) and both run in the same conditions,
datasketch 2.0's MinHashLSH (128 permutations, threshold 0.6) took 25 s to hash, index and query them, while this
exact join with the clustering took 4 s. TF-IDF cosine would be exact too, but weights words where a
near-duplicate test wants shared characters. This join is exact, small and has no dependency.

Clusters are stars, not chains: the most repeated sentence of a department leads, and takes the sentences
similar to it; a chain of slightly different sentences (A~B~C, A≁C) does not become one group.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import ceil

from projections.keywords import THEMES

THRESHOLD = 0.6
"""Jaccard of character bigrams at or above which two opinions are suggested as one."""

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass(frozen=True)
class OpinionText:
    """An opinion as the triage reads it."""

    opinion_id: str
    department: str
    text: str


@dataclass(frozen=True)
class MergeSuggestion:
    """建议合并 — opinions of one department that say the same thing; ``text`` is the most repeated sentence."""

    department: str
    text: str
    variants: tuple[tuple[str, tuple[str, ...]], ...]
    """Each distinct sentence (as first typed) with the opinions that typed it, most repeated first."""
    theme: str | None

    @property
    def opinion_ids(self) -> tuple[str, ...]:
        return tuple(i for _, ids in self.variants for i in ids)

    @property
    def count(self) -> int:
        return sum(len(ids) for _, ids in self.variants)


def normalised(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text)).lower()


def bigrams(text: str) -> frozenset[str]:
    if len(text) < 2:
        return frozenset((text,)) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def suggested_theme(texts: Iterable[str]) -> str | None:
    """The theme whose words the texts touch most often (ties: the first in ``THEMES``), or None."""
    counts: Counter[str] = Counter()
    for text in texts:
        for theme, words in THEMES.items():
            if any(w in text for w in words):
                counts[theme] += 1
    if not counts:
        return None
    best = max(counts.values())
    return next(t for t in THEMES if counts.get(t) == best)


def similar_pairs(sets: Sequence[frozenset[str]], threshold: float = THRESHOLD) -> list[tuple[int, int]]:
    """Every pair (i, j), i < j, whose Jaccard index is at least ``threshold``: exact, by prefix filtering."""
    frequency: Counter[str] = Counter(token for s in sets for token in s)
    rank = {token: n for n, (token, _) in enumerate(sorted(frequency.items(), key=lambda kv: (kv[1], kv[0])))}
    ordered = sorted(range(len(sets)), key=lambda i: len(sets[i]))
    index: dict[int, list[int]] = defaultdict(list)
    pairs: list[tuple[int, int]] = []
    for i in ordered:
        tokens = sorted(rank[t] for t in sets[i])
        size = len(tokens)
        if not size:
            continue
        prefix = size - ceil(threshold * size) + 1
        minimum = threshold * size
        seen: set[int] = set()
        for token in tokens[:prefix]:
            for j in index[token]:
                if j in seen or len(sets[j]) < minimum:
                    continue
                seen.add(j)
                common = len(sets[i] & sets[j])
                if common >= threshold * (size + len(sets[j]) - common):
                    pairs.append((min(i, j), max(i, j)))
            index[token].append(i)
    return pairs


def merge_suggestions(opinions: Iterable[OpinionText], threshold: float = THRESHOLD) -> list[MergeSuggestion]:
    """The clusters of two or more opinions, per department, largest first."""
    by_department: dict[str, dict[str, list[OpinionText]]] = defaultdict(lambda: defaultdict(list))
    for o in opinions:
        key = normalised(o.text)
        if key:
            by_department[o.department][key].append(o)
    found: list[MergeSuggestion] = []
    for department, same in by_department.items():
        found.extend(_clusters(department, same, threshold))
    return sorted(found, key=lambda s: (-s.count, s.department, s.text))


def _clusters(department: str, same: dict[str, list[OpinionText]], threshold: float) -> list[MergeSuggestion]:
    keys = sorted(same, key=lambda k: (-len(same[k]), k))
    neighbours: dict[int, list[int]] = defaultdict(list)
    for i, j in similar_pairs([bigrams(k) for k in keys], threshold):
        neighbours[i].append(j)
        neighbours[j].append(i)
    taken: set[int] = set()
    out: list[MergeSuggestion] = []
    for centre in range(len(keys)):
        if centre in taken:
            continue
        members = [centre, *sorted(n for n in neighbours[centre] if n not in taken)]
        taken.update(members)
        variants = tuple((same[keys[m]][0].text, tuple(o.opinion_id for o in same[keys[m]])) for m in members)
        if sum(len(ids) for _, ids in variants) < 2:
            continue
        theme = suggested_theme(o.text for m in members for o in same[keys[m]])
        out.append(MergeSuggestion(department, variants[0][0], variants, theme))
    return out
