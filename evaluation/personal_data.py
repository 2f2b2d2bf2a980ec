"""个人信息识别 — phone numbers, ID numbers and names typed into an opinion, found for a person to confirm.

Found, never removed silently: the organiser's triage page shows each finding and a proposed redacted text;
only what a person confirms becomes the opinion's ``Redacted`` text (``evaluation.opinion``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
"""百家姓 — the hundred most common surnames (about 85% of people)."""

TITLES = "同志|先生|女士|科长|局长|处长|主任|经理|师傅|老师|书记|所长|队长|站长|大姐|大爷|阿姨"

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("身份证号", re.compile(r"(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx](?![0-9])")),
    ("手机号", re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])")),
    ("电话", re.compile(r"(?<![0-9])0\d{2,3}-?\d{7,8}(?![0-9])")),
    (
        "姓名",
        re.compile(
            rf"(?:我叫|我是|姓名[:：]?|联系人[:：]?|本人)([{SURNAMES}][\u4e00-\u9fff]{{1,2}})(?=[，,。.；;\s电手]|$)"
        ),
    ),
    ("姓名", re.compile(rf"([{SURNAMES}][\u4e00-\u9fff]?)(?=(?:{TITLES}))")),
)

MASK = {"身份证号": "［身份证号］", "手机号": "［电话］", "电话": "［电话］", "姓名": "［姓名］"}


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: what kind, where (character offsets) and the text found."""

    kind: str
    start: int
    end: int
    text: str


def find_personal_data(text: str) -> list[Finding]:
    """Every finding, in order, none overlapping (an ID number is not also a phone number)."""
    found: list[Finding] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            group = 1 if match.groups() else 0
            start, end = match.span(group)
            if not any(start < f.end and f.start < end for f in found):
                found.append(Finding(kind, start, end, match.group(group)))
    return sorted(found, key=lambda f: f.start)


def proposed_redaction(text: str, findings: list[Finding] | None = None) -> str:
    """The text with every finding replaced by its mask, e.g. 「请联系［电话］」."""
    out, last = [], 0
    for f in findings if findings is not None else find_personal_data(text):
        out.append(text[last : f.start])
        out.append(MASK[f.kind])
        last = f.end
    out.append(text[last:])
    return "".join(out)
