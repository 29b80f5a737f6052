"""Emotions change how a line is said, audibly: measured on real speech."""

from __future__ import annotations

import math

import numpy as np
import pyloudnorm
import pytest

from cliffhanger.model.emotions import EMOTIONS
from cliffhanger.model.voicing import VoiceTune
from cliffhanger.voice.base import Speech
from cliffhanger.voice.prosody import DELIVERIES, delivery_for
from tests.voice.speech import designed, median_pitch

LINE = "I gave you everything, and you threw it away."
TUNE = VoiceTune(pitch_hz=200.0, formant=1.15)


def _lufs(speech: Speech) -> float:
    return float(
        pyloudnorm.Meter(speech.rate).integrated_loudness(speech.samples.astype(np.float64))
    )


def _said(emotion: str) -> Speech:
    return designed(LINE, TUNE, delivery_for(emotion))


def test_every_canonical_emotion_has_a_delivery() -> None:
    assert set(DELIVERIES) == set(EMOTIONS)
    assert delivery_for("(furious, to Mei)") == DELIVERIES["angry"]
    assert delivery_for(None) == delivery_for("mumbling") == DELIVERIES["neutral"]


def test_anger_is_louder_and_faster() -> None:
    angry, neutral = _said("angry"), _said("neutral")
    assert _lufs(angry) >= _lufs(neutral) + 3.0
    assert angry.seconds <= 0.97 * neutral.seconds


def test_sadness_is_slower_and_lower() -> None:
    sad, neutral = _said("sad"), _said("neutral")
    assert sad.seconds >= 1.05 * neutral.seconds
    assert 12 * math.log2(median_pitch(neutral) / median_pitch(sad)) >= 1.0


def test_a_whisper_is_at_least_ten_db_quieter() -> None:
    assert _lufs(_said("whisper")) <= _lufs(_said("neutral")) - 10.0


@pytest.mark.parametrize("emotion", ["shouting", "angry", "desperate"])
def test_raised_voices_are_louder(emotion: str) -> None:
    assert _lufs(_said(emotion)) > _lufs(_said("neutral")) + 2.0
