"""A Qingdao-size inbox of opinions (意见), generated with realistic repetition: the same sentence typed dozens of
times, small variations of it (particles, punctuation, a word changed), and a long tail of one-off sentences."""

from __future__ import annotations

import random
from collections.abc import Iterator

SUBJECTS = ("审批", "窗口服务", "网上办事", "停车", "供水", "供暖", "道路", "垃圾清运", "老旧小区改造", "医保报销",
            "办证", "执法", "物业管理", "公交线路", "路灯", "噪音", "学校周边交通", "企业开办", "养老服务", "12345热线")  # fmt: skip
PROBLEMS = ("太慢", "效率低", "态度不好", "经常出问题", "没人管", "收费不透明", "流程太复杂", "等了很久", "回复不及时",
            "标准不统一", "宣传不到位", "材料要求太多")  # fmt: skip
WISHES = ("希望尽快解决", "建议简化流程", "希望加强监督", "建议公开办理进度", "希望多听群众意见", "建议增加人手",
          "希望一次办好", "建议推行网上办理")  # fmt: skip
PARTICLES = ("", "", "", "了", "啊", "吧", "呀")
ENDINGS = ("", "。", "！", "!!", "，谢谢", "。谢谢！", "……")
FILLERS = ("我觉得", "说实话", "", "", "", "作为居民，", "我们小区", "反映一下：")


def base_sentences(rng: random.Random, count: int) -> list[str]:
    return [f"{rng.choice(SUBJECTS)}{rng.choice(PROBLEMS)}，{rng.choice(WISHES)}" for _ in range(count)]


def varied(rng: random.Random, sentence: str) -> str:
    head, _, tail = sentence.partition("，")
    return f"{rng.choice(FILLERS)}{head}{rng.choice(PARTICLES)}，{tail}{rng.choice(ENDINGS)}"


def one_off(rng: random.Random) -> str:
    words = rng.sample(SUBJECTS, 2)
    return f"关于{words[0]}和{words[1]}的问题，{rng.choice(PROBLEMS)}，{rng.choice(WISHES)}，第{rng.randint(1, 99999)}号意见"


def opinions(total: int, departments: int = 36, seed: int = 2012) -> Iterator[tuple[str, str]]:
    """(department, text) × ``total``: per department a few sentences repeated dozens of times (Zipf-like),
    60% exact repeats, 25% variations, 15% one-off sentences."""
    rng = random.Random(seed)
    keys = [f"d{n:02d}" for n in range(1, departments + 1)]
    bases = {d: base_sentences(rng, 40) for d in keys}
    weights = [1 / (rank + 1) for rank in range(40)]
    for _ in range(total):
        department = rng.choice(keys)
        roll = rng.random()
        if roll < 0.15:
            yield department, one_off(rng)
            continue
        sentence = rng.choices(bases[department], weights)[0]
        yield department, sentence if roll < 0.75 else varied(rng, sentence)
