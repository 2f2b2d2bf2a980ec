"""关键词: the compact word tables give exactly the keywords full jieba gives, at a fraction of its memory."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import jieba
import jieba.analyse
import pytest

from demo import texts as demo_texts
from demo.ballots import parse_comments
from projections.keywords import DOMAIN_FREQUENCY, DOMAIN_WORDS, STOP_WORDS, keywords

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def full_jieba() -> jieba.analyse.TFIDF:
    """jieba.analyse as the documentation uses it: the whole dictionary, our words added, our stop words."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in DOMAIN_WORDS:
        tokenizer.add_word(word, freq=DOMAIN_FREQUENCY)
    extractor = jieba.analyse.TFIDF()
    extractor.tokenizer = tokenizer
    extractor.set_stop_words(str(STOP_WORDS))
    return extractor


def comment_sets() -> list[list[str]]:
    """Every demo department's comments, drawn 300 at a time, plus a few odd ones."""
    draw = random.Random(7)
    sets = []
    for department in demo_texts.DEPARTMENTS:
        mine = parse_comments(department.comments)
        pool = [*mine.praise, *mine.complaints, *mine.suggestions, *demo_texts.GENERIC_COMPLAINTS]
        sets.append([draw.choice(pool) for _ in range(300)])
    sets.append(["供水管网改造要加快", "B超排队太久，12345热线回复慢", "Service is OK, the 窗口服务 is good"])
    return sets


def test_keywords_are_the_ones_full_jieba_gives(full_jieba: jieba.analyse.TFIDF) -> None:
    for texts in comment_sets():
        expected = full_jieba.extract_tags("\n".join(texts), topK=10, withWeight=True)
        assert keywords(texts) == [(w, round(x, 4)) for w, x in expected if not w.isdigit()]


def test_domain_words_stay_whole() -> None:
    words = [w for w, _ in keywords(["供水管网老化，供水管网漏水", "一网通办还要跑腿"])]
    assert "供水管网" in words and "一网通办" in words


def test_a_process_using_keywords_stays_small() -> None:
    code = (
        "from projections.keywords import keywords; keywords(['供水管网改造要加快', '办事效率高'])\n"
        "print([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) < 100_000, f"peak {int(done.stdout) // 1024} MB (full jieba.analyse: ~230 MB)"
