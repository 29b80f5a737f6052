"""Emotion → delivery: how a line's canonical emotion changes the way it is said.

Every name in :data:`~cliffhanger.model.emotions.EMOTIONS` has a :class:`Delivery`: a speed
multiplier, a pitch offset in semitones, an intonation-width multiplier, a loudness change and
extra air. The numbers follow how actors colour a line (anger is faster, louder and wider; grief
slower, lower and flatter; a whisper is quiet and all breath) and are kept moderate so the
character's own voice still reads through every emotion.

>>> delivery_for("(furious)").gain_db > 0, delivery_for("whisper").gain_db <= -10
(True, True)
"""

from __future__ import annotations

from types import MappingProxyType

from cliffhanger.model.emotions import canonical_emotion
from cliffhanger.voice.base import Delivery

DELIVERIES: MappingProxyType[str, Delivery] = MappingProxyType(
    {
        "neutral": Delivery(),
        "happy": Delivery(rate=1.06, pitch_semitones=1.5, pitch_range=1.3, gain_db=1.5),
        "smug": Delivery(rate=0.94, pitch_semitones=-0.5, pitch_range=1.15, gain_db=0.0),
        "angry": Delivery(rate=1.12, pitch_semitones=1.0, pitch_range=1.4, gain_db=5.0),
        "sad": Delivery(
            rate=0.86, pitch_semitones=-2.0, pitch_range=0.7, gain_db=-3.0, breathiness=0.2
        ),
        "crying": Delivery(
            rate=0.84, pitch_semitones=2.0, pitch_range=1.3, gain_db=-2.0, breathiness=0.45
        ),
        "shocked": Delivery(
            rate=1.08, pitch_semitones=3.0, pitch_range=1.5, gain_db=2.5, breathiness=0.15
        ),
        "determined": Delivery(rate=0.97, pitch_semitones=-0.5, pitch_range=0.9, gain_db=2.0),
        "fearful": Delivery(
            rate=1.1, pitch_semitones=2.0, pitch_range=1.2, gain_db=-2.0, breathiness=0.3
        ),
        "cold": Delivery(rate=0.93, pitch_semitones=-1.0, pitch_range=0.65, gain_db=-1.0),
        "tender": Delivery(
            rate=0.92, pitch_semitones=0.5, pitch_range=0.95, gain_db=-3.0, breathiness=0.3
        ),
        "pleading": Delivery(
            rate=0.95, pitch_semitones=2.0, pitch_range=1.35, gain_db=0.0, breathiness=0.25
        ),
        "sarcastic": Delivery(rate=0.95, pitch_semitones=0.5, pitch_range=1.35, gain_db=0.5),
        "whisper": Delivery(
            rate=0.95, pitch_semitones=0.0, pitch_range=0.8, gain_db=-14.0, breathiness=1.0
        ),
        "shouting": Delivery(rate=1.08, pitch_semitones=4.0, pitch_range=1.5, gain_db=8.0),
        "desperate": Delivery(
            rate=1.1, pitch_semitones=2.5, pitch_range=1.4, gain_db=3.0, breathiness=0.3
        ),
        "mocking": Delivery(rate=0.96, pitch_semitones=1.0, pitch_range=1.45, gain_db=1.0),
        "hurt": Delivery(
            rate=0.9, pitch_semitones=-1.0, pitch_range=0.85, gain_db=-2.0, breathiness=0.2
        ),
    }
)


def delivery_for(emotion: str | None) -> Delivery:
    """The delivery for a canonical emotion, or for free parenthetical text mapped onto one
    (``None`` and unknown words are said neutrally)."""
    if emotion is not None and emotion in DELIVERIES:
        return DELIVERIES[emotion]
    return DELIVERIES[canonical_emotion(emotion)]
