"""The design step moves real speech to a character's voice and keeps its timing."""

from __future__ import annotations

import numpy as np

from cliffhanger.audio.base import RATE
from cliffhanger.model.voicing import VoiceTune
from cliffhanger.voice.base import Delivery, Speech
from cliffhanger.voice.design import apply
from tests.voice.speech import base_speech, median_pitch

LINE = "Where were you last night?"


def _band_share(speech: Speech, low: float) -> float:
    """The share of the spectrum's energy above ``low`` Hz."""
    power = np.abs(np.fft.rfft(speech.samples)) ** 2
    freqs = np.fft.rfftfreq(len(speech.samples), 1 / speech.rate)
    return float(power[freqs >= low].sum() / power.sum())


def test_speech_moves_to_the_tunes_pitch_and_keeps_its_timing() -> None:
    base = base_speech(LINE)
    for hz in (100.0, 210.0, 280.0):
        out = apply(base, VoiceTune(pitch_hz=hz, formant=1.1), Delivery())
        assert abs(median_pitch(out) - hz) <= 0.08 * hz
        assert out.rate == RATE and len(out.samples) == len(base.samples)
        assert out.phones == base.phones


def test_a_semitone_offset_is_heard() -> None:
    base, tune = base_speech(LINE), VoiceTune(pitch_hz=150.0)
    up = median_pitch(apply(base, tune, Delivery(pitch_semitones=4.0)))
    assert 12 * np.log2(up / median_pitch(apply(base, tune, Delivery()))) >= 3.0


def test_formants_brightness_and_air_change_the_timbre() -> None:
    base = base_speech(LINE)
    plain = apply(base, VoiceTune(pitch_hz=150.0), Delivery())
    short_tract = apply(base, VoiceTune(pitch_hz=150.0, formant=1.25), Delivery())
    bright = apply(base, VoiceTune(pitch_hz=150.0, brightness=8.0), Delivery())
    airy = apply(base, VoiceTune(pitch_hz=150.0), Delivery(breathiness=1.0))
    assert _band_share(short_tract, 1_500) > _band_share(plain, 1_500)
    assert _band_share(bright, 3_000) > 1.5 * _band_share(plain, 3_000)
    assert _band_share(airy, 3_000) > 1.5 * _band_share(plain, 3_000)


def test_output_stays_within_full_scale_and_silence_stays_silent() -> None:
    loud = apply(base_speech(LINE), VoiceTune(), Delivery(gain_db=12.0))
    assert np.max(np.abs(loud.samples)) <= 1.0
    quiet = apply(Speech(np.zeros(RATE // 2, np.float32)), VoiceTune(), Delivery())
    assert len(quiet.samples) == RATE // 2 and not np.any(quiet.samples)
