"""Pinyin place names for the data scripts (``make data``), with place readings of polyphones."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

# Readings of polyphones in place names, where pypinyin's everyday reading is wrong:
# 花都 Huadu, 什邡 Shifang, 库尔勒 Kuerle, 长治 Changzhi, 朝阳 Chaoyang, 曾都 Zengdu,
# 单县 Shanxian, 浚县 Xunxian, 涡阳 Guoyang, 繁峙 Fanshi, 筠连 Junlian.
PLACE_READINGS = {
    "都": "du", "什": "shi", "勒": "le", "长": "chang", "朝": "chao", "曾": "zeng",
    "单": "shan", "浚": "xun", "涡": "guo", "峙": "shi", "筠": "jun",
}  # fmt: skip


def pinyin(name_zh: str) -> str:
    syllables = lazy_pinyin(name_zh, style=Style.NORMAL, v_to_u=True)
    if len(syllables) == len(name_zh):
        syllables = [PLACE_READINGS.get(ch, s) for ch, s in zip(name_zh, syllables, strict=True)]
    text = ""
    for syllable in syllables:
        if text and syllable[:1] in "aeo":
            text += "'"
        text += syllable
    return text[:1].upper() + text[1:]
