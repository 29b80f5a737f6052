"""The emotions a line can carry, and how free parenthetical text maps onto them.

Downstream stages key off the canonical names: the cast draws one expression per
:data:`EXPRESSIONS` entry and the voice stage shapes delivery per :data:`DELIVERIES`.
"""

from __future__ import annotations

import re

#: The eight drawn expressions every digital actor has.
EXPRESSIONS = ("neutral", "happy", "smug", "angry", "sad", "crying", "shocked", "determined")

#: Canonical emotions a parenthetical may name (a superset of the expressions: whisper and
#: shout are deliveries, cold and tender are tones).
EMOTIONS = (
    *EXPRESSIONS,
    "fearful",
    "cold",
    "tender",
    "pleading",
    "sarcastic",
    "whisper",
    "shouting",
    "desperate",
    "mocking",
    "hurt",
)

_SYNONYMS: dict[str, str] = {
    "calm": "neutral",
    "flat": "neutral",
    "quiet": "whisper",
    "quietly": "whisper",
    "whispering": "whisper",
    "whispers": "whisper",
    "under her breath": "whisper",
    "under his breath": "whisper",
    "hushed": "whisper",
    "joyful": "happy",
    "delighted": "happy",
    "laughing": "happy",
    "warm": "tender",
    "warmly": "tender",
    "softly": "tender",
    "gently": "tender",
    "loving": "tender",
    "smirking": "smug",
    "smirks": "smug",
    "gloating": "smug",
    "triumphant": "smug",
    "furious": "angry",
    "enraged": "angry",
    "seething": "angry",
    "livid": "angry",
    "bitter": "hurt",
    "wounded": "hurt",
    "heartbroken": "sad",
    "grieving": "sad",
    "tearful": "crying",
    "sobbing": "crying",
    "in tears": "crying",
    "stunned": "shocked",
    "gasping": "shocked",
    "horrified": "shocked",
    "disbelieving": "shocked",
    "resolute": "determined",
    "steely": "determined",
    "firm": "determined",
    "icy": "cold",
    "coldly": "cold",
    "scared": "fearful",
    "terrified": "fearful",
    "trembling": "fearful",
    "begging": "pleading",
    "yelling": "shouting",
    "shouts": "shouting",
    "screaming": "shouting",
    "dry": "sarcastic",
    "sneering": "mocking",
    "taunting": "mocking",
    "frantic": "desperate",
}

_WORD = re.compile(r"[a-z]+(?: [a-z]+)*")


def canonical_emotion(parenthetical: str | None) -> str:
    """The canonical emotion a parenthetical names, or ``"neutral"``.

    >>> canonical_emotion("(furious, to Mei)")
    'angry'
    """
    if not parenthetical:
        return "neutral"
    text = parenthetical.strip().strip("()").lower()
    for part in re.split(r"[,;]", text):
        phrase = part.strip()
        if phrase in EMOTIONS:
            return phrase
        if phrase in _SYNONYMS:
            return _SYNONYMS[phrase]
        for word in phrase.split():
            if word in EMOTIONS:
                return word
            if word in _SYNONYMS:
                return _SYNONYMS[word]
    return "neutral"


def expression_for(emotion: str) -> str:
    """The drawn expression that best shows a canonical emotion."""
    if emotion in EXPRESSIONS:
        return emotion
    return {
        "fearful": "shocked",
        "cold": "smug",
        "tender": "happy",
        "pleading": "sad",
        "sarcastic": "smug",
        "whisper": "neutral",
        "shouting": "angry",
        "desperate": "crying",
        "mocking": "smug",
        "hurt": "sad",
    }.get(emotion, "neutral")
