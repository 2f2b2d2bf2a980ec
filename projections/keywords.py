"""关键词与主题 — the main words (TF-IDF over jieba's segmentation, stop words removed) and themes of comments.

jieba ships its dictionary and IDF table; nothing is downloaded. They are held in compact tries
(projections/word_tables.py), built once per process on first use (about 1.5 s) — ``warm_up()`` pays that early.
The weights are jieba.analyse's TF-IDF: count × IDF / number of counted words, with jieba's median IDF for a word
its table lacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from projections.word_tables import WordTables, word_tables

STOP_WORDS = Path(__file__).with_name("stopwords_zh.txt")

THEMES: dict[str, tuple[str, ...]] = {
    "办事效率": ("效率", "办事", "审批", "流程", "手续", "时限", "跑腿", "排队", "等待", "拖延", "慢"),
    "服务态度": ("态度", "热情", "耐心", "冷漠", "推诿", "服务", "微笑"),
    "政务公开": ("公开", "透明", "宣传", "告知", "回复", "答复", "解释", "通知"),
    "营商环境": ("企业", "营商", "市场", "投资", "创业", "融资", "民营"),
    "民生保障": ("就业", "养老", "医疗", "教育", "住房", "社保", "低保", "看病", "上学", "老人"),
    "城市管理": ("交通", "道路", "停车", "拥堵", "卫生", "垃圾", "绿化", "噪音", "违建", "市容"),
    "公用设施": ("供水", "停水", "水质", "供暖", "供热", "管网", "燃气", "排水", "积水", "路灯"),
    "依法行政": ("执法", "依法", "规范", "公正", "廉洁", "作风", "纪律", "乱收费"),
    "数字政务": ("网上", "线上", "小程序", "一网通办", "掌上", "平台", "数字化", "系统"),
}
"""主题 — a theme is counted once per comment that contains any of its words."""

DOMAIN_WORDS = (
    "管网",
    "供水管网",
    "排水管网",
    "一网通办",
    "营商环境",
    "放管服",
    "最多跑一次",
    "接诉即办",
    "办事效率",
    "审批流程",
    "停车难",
    "老旧小区",
    "物业管理",
    "政务服务",
    "窗口服务",
    "12345",
)
"""政务用语 — words jieba's general dictionary would split (供水管网 → 供水管 / 网)."""

DOMAIN_FREQUENCY = 20_000
ENGLISH_STOP_WORDS = frozenset(
    [
        "the",
        "of",
        "is",
        "and",
        "to",
        "in",
        "that",
        "we",
        "for",
        "an",
        "are",
        "by",
        "be",
        "as",
        "on",
        "with",
        "can",
        "if",
        "from",
        "which",
        "you",
        "it",
        "this",
        "then",
        "at",
        "have",
        "all",
        "not",
        "one",
        "has",
        "or",
    ]
)
"""jieba.analyse's own stop words, kept so the weights stay jieba's."""


@cache
def _stop_words() -> frozenset[str]:
    return ENGLISH_STOP_WORDS | frozenset(STOP_WORDS.read_text(encoding="utf-8").split())


def _tables() -> WordTables:
    return word_tables(DOMAIN_WORDS, DOMAIN_FREQUENCY)


def warm_up() -> None:
    """Build the word tables now rather than on the first feedback page."""
    _tables()


def keywords(texts: Sequence[str], top: int = 10) -> list[tuple[str, float]]:
    """The ``top`` main words of the texts with their TF-IDF weight, highest first (no stop words)."""
    joined = "\n".join(t for t in texts if t.strip())
    if not joined:
        return []
    tables, stop = _tables(), _stop_words()
    counts: dict[str, float] = {}
    for word in tables.tokenizer(joined).cut(joined):
        if len(word.strip()) >= 2 and word.lower() not in stop:
            counts[word] = counts.get(word, 0.0) + 1.0
    total = sum(counts.values())
    weighted = sorted(((w, n * tables.idf_of(w) / total) for w, n in counts.items()), key=lambda x: -x[1])
    return [(word, round(weight, 4)) for word, weight in weighted[:top] if not word.isdigit()]


def themes(texts: Sequence[str]) -> list[tuple[str, int]]:
    """(theme, number of comments touching it), most frequent first; themes no comment touches are left out."""
    counted = [(name, sum(1 for t in texts if any(w in t for w in words))) for name, words in THEMES.items()]
    return sorted(((n, c) for n, c in counted if c), key=lambda item: (-item[1], item[0]))
