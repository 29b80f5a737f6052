"""The ducker, the true-peak meter and the limiter on synthetic speech and music."""

from __future__ import annotations

import itertools

import numpy as np
from scipy.signal import resample_poly

from cliffhanger.audio.base import RATE
from cliffhanger.mix.dynamics import duck, duck_gain, limit, true_peak
from tests.mix.signals import music, phrases, speech

SECONDS = 20.0


def _level_db(x: np.ndarray, at: int, span: int = RATE // 10) -> float:
    return float(10 * np.log10(np.mean(np.square(x[at - span : at + span], dtype=np.float64))))


def test_music_drops_under_speech_and_returns_in_long_pauses() -> None:
    dialogue, bed = speech(SECONDS), music(SECONDS)
    ducked = duck(bed, dialogue, depth_db=10)
    under, clear = [], []
    spans = phrases(SECONDS)
    for (start, end), (following, _) in itertools.pairwise(spans):
        under.append(_level_db(ducked, (start + end) // 2) - _level_db(bed, (start + end) // 2))
        if following - end > 2 * RATE:  # a long pause: measure near its end
            clear.append(
                _level_db(ducked, following - RATE // 4) - _level_db(bed, following - RATE // 4)
            )
    assert clear, "the fixture needs long pauses"
    assert np.mean(clear) - np.mean(under) >= 8.0
    assert max(clear) > -0.5  # fully back


def test_gain_moves_smoothly_over_the_attack_and_release_times() -> None:
    gain_db = 20 * np.log10(duck_gain(speech(SECONDS), depth_db=10, attack_s=0.08, release_s=0.45))
    per_ms = np.abs(np.diff(gain_db[:: RATE // 1000]))
    assert per_ms.max() <= 10 / 80 * 1.2  # 10 dB over 80 ms, at most 20 % steeper at corners
    assert np.abs(np.diff(gain_db)).max() < 0.01  # no zipper step between samples
    start, end = phrases(SECONDS)[0]
    falling = np.flatnonzero((gain_db[:start] < -0.5) & (gain_db[:start] > -9.5))
    assert 0.06 * RATE <= len(falling) <= 0.12 * RATE
    after = gain_db[end : end + RATE]
    rising = np.flatnonzero((after > -9.5) & (after < -0.5))
    assert 0.3 * RATE <= len(rising) <= 0.5 * RATE


def test_true_peak_finds_intersample_overs_like_resample_poly() -> None:
    t = np.arange(RATE) / RATE
    tone = (0.9 * np.sin(2 * np.pi * RATE / 4 * t + np.pi / 4)).astype(np.float32)
    reference = 20 * np.log10(np.abs(resample_poly(tone, 4, 1)).max())
    assert true_peak(tone) > 20 * np.log10(np.abs(tone).max()) + 2.5
    assert abs(true_peak(tone) - reference) < 1e-3
    assert true_peak(np.zeros(100, np.float32)) == float("-inf")


def test_limiter_keeps_true_peak_under_the_ceiling_without_clipping() -> None:
    hot = (music(5.0) * 6 + np.stack([speech(5.0)] * 2, axis=1) * 4).astype(np.float32)
    out = limit(hot, ceiling_db=-1)
    assert true_peak(out) <= -1.0 + 1e-6
    assert 20 * np.log10(np.abs(resample_poly(out, 4, 1, axis=0)).max()) <= -1.0 + 1e-3
    assert np.abs(out).max() < 1.0
    assert out.shape == hot.shape and out.dtype == np.float32


def test_limiter_leaves_quiet_audio_alone() -> None:
    quiet = music(2.0) * np.float32(0.5)
    np.testing.assert_array_equal(limit(quiet, ceiling_db=-1), quiet)
