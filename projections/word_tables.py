"""词典 — jieba's dictionary and IDF table held compactly, so a process pays ~20 MB for them instead of ~200 MB.

jieba keeps its 349,000-word dictionary as a Python dict of every word and every prefix (~160 MB) and its IDF
table as another dict (~40 MB); ``jieba.analyse`` also loads the part-of-speech model we never use. Here both
tables live in marisa tries (C++, a few MB) and a segmentation gets a plain dict of only the words that occur in
its text, with their prefixes: exactly the entries jieba's DAG and HMM would look up, so the words cut — and the
keywords — are the ones full jieba gives (tests/unit/test_keywords.py compares the two).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jieba
import marisa_trie

jieba.setLogLevel(logging.WARNING)
JIEBA = Path(jieba.__file__).parent
_lock = threading.Lock()


@dataclass(frozen=True)
class WordTables:
    words: Any
    """marisa_trie.RecordTrie: word → (frequency,)."""
    total: int
    idf: Any
    """marisa_trie.RecordTrie: word → (inverse document frequency,)."""
    median_idf: float
    longest: int
    """The longest dictionary word's length in characters."""

    def tokenizer(self, text: str) -> jieba.Tokenizer:
        """A jieba tokenizer whose dictionary holds just the words found in ``text`` (and their prefixes)."""
        found: dict[str, int] = {}
        for start in range(len(text)):
            for word in self.words.prefixes(text[start : start + self.longest]):
                found[word] = self.words[word][0][0]
                for end in range(1, len(word)):
                    found.setdefault(word[:end], 0)
        tokenizer = jieba.Tokenizer()
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = found, self.total, True
        return tokenizer

    def idf_of(self, word: str) -> float:
        found = self.idf.get(word)
        return float(found[0][0]) if found else self.median_idf


def word_tables(extra_words: tuple[str, ...], extra_frequency: int) -> WordTables:
    """Built once per process from the files jieba ships (about 1.5 s); ``extra_words`` as ``jieba.add_word``."""
    with _lock:
        return _built(extra_words, extra_frequency)


@cache
def _built(extra_words: tuple[str, ...], extra_frequency: int) -> WordTables:
    total, longest = [0], [0]
    replaced = set(extra_words)

    def counted() -> Iterator[tuple[str, tuple[int]]]:
        for word, frequency in _dictionary():
            total[0] += frequency  # a replaced word keeps its old count in the total, as with add_word
            longest[0] = max(longest[0], len(word))
            if word not in replaced:
                yield word, (frequency,)
        for word in extra_words:
            total[0] += extra_frequency
            longest[0] = max(longest[0], len(word))
            yield word, (extra_frequency,)

    words = marisa_trie.RecordTrie("<I", counted())
    idf = marisa_trie.RecordTrie("<d", ((w, (v,)) for w, v in _idf()))
    values = sorted(v for _, v in _idf())
    return WordTables(words, total[0], idf, values[len(values) // 2], longest[0])


def _dictionary() -> Iterator[tuple[str, int]]:
    """(word, frequency) of jieba's dict.txt."""
    with open(JIEBA / "dict.txt", encoding="utf-8") as lines:
        for line in lines:
            word, frequency = line.split(" ", 2)[:2]
            yield word, int(frequency)


def _idf() -> Iterator[tuple[str, float]]:
    with open(JIEBA / "analyse" / "idf.txt", encoding="utf-8") as lines:
        for line in lines:
            word, value = line.split(" ")
            yield word, float(value)
