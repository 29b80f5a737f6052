"""Mixing and mastering a synthetic episode to −14 LUFS under −1 dBTP."""

from __future__ import annotations

import numpy as np
import pyloudnorm as pyln
import pytest
from scipy.signal import resample_poly

from cliffhanger.audio.base import RATE
from cliffhanger.mix.dynamics import true_peak
from cliffhanger.mix.loudness import integrated_loudness
from cliffhanger.mix.master import Stems, master, mix, mix_and_master
from cliffhanger.settings import MixSettings
from tests.mix.signals import effects, episode, music, speech

SECONDS = 20.0


def _assert_delivered(out: np.ndarray) -> None:
    assert abs(pyln.Meter(RATE).integrated_loudness(out) + 14) <= 1.0
    assert true_peak(out) <= -1.0 + 1e-6
    assert 20 * np.log10(np.abs(resample_poly(out, 4, 1, axis=0)).max()) <= -1.0 + 1e-3
    assert np.abs(out).max() < 1.0


def test_episode_is_delivered_at_minus_14_lufs_under_minus_1_dbtp() -> None:
    out, report = mix_and_master(episode(SECONDS), MixSettings())
    _assert_delivered(out)
    assert report.master is not None
    assert abs(report.master.lufs + 14) <= 0.5
    assert report.master.true_peak_db <= -1.0
    assert report.duck_depth_db >= 8.0
    assert report.dialogue_lufs > report.music_lufs  # the dialogue sits on top
    assert out.shape == (round(SECONDS * RATE), 2) and out.dtype == np.float32


def test_hot_and_quiet_inputs_both_end_compliant() -> None:
    summed, _ = mix(episode(SECONDS))
    hot = summed * np.float32(2 / np.abs(summed).max())  # +6 dB over full scale
    quiet = summed * np.float32(0.01)
    for x in (hot, quiet):
        out, levels = master(x)
        _assert_delivered(out)
        assert abs(levels.lufs + 14) <= 1.0


def test_stems_beyond_full_scale_are_mixed_without_clipping() -> None:
    stems = Stems(speech(SECONDS) * 5, music(SECONDS) * 3, effects(SECONDS) * 4)
    out, _ = master(mix(stems)[0])
    _assert_delivered(out)


def test_stereo_image_is_kept() -> None:
    out, _ = mix_and_master(episode(SECONDS), MixSettings())
    side = out[:, 0] - out[:, 1]
    assert np.sqrt(np.mean(side.astype(np.float64) ** 2)) > 1e-3


def test_mono_dialogue_is_centred_at_its_own_loudness() -> None:
    line = speech(SECONDS)
    silent = np.zeros((len(line), 2), np.float32)
    summed, report = mix(Stems(line, silent, silent))
    np.testing.assert_array_equal(summed[:, 0], summed[:, 1])
    assert abs(report.dialogue_lufs - integrated_loudness(line)) < 0.05


def test_silence_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="silent"):
        master(np.zeros((RATE * 2, 2), np.float32))


def test_mastering_is_deterministic() -> None:
    a, _ = mix_and_master(episode(8.0), MixSettings())
    b, _ = mix_and_master(episode(8.0), MixSettings())
    np.testing.assert_array_equal(a, b)


def test_loudness_meter_agrees_with_pyloudnorm() -> None:
    for x in (music(6.0), speech(6.0), mix(episode(6.0))[0]):
        assert abs(integrated_loudness(x) - pyln.Meter(RATE).integrated_loudness(x)) < 0.1
