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


def _edited(x: np.ndarray, at_s: float) -> np.ndarray:
    """``x`` with everything after ``at_s`` replaced by something a little louder and
    longer: a re-voiced line, and all that moved after it."""
    cut = round(at_s * RATE)
    tail = np.concatenate([x[cut:], x[cut : cut + RATE // 2]]) * np.float32(1.02)
    return np.concatenate([x[:cut], tail]).astype(np.float32)


def test_a_remaster_after_an_edit_leaves_the_programme_before_it_untouched() -> None:
    """The master holds its gain while the input measures within 0.3 LU of what that gain
    was set for, and the limiter takes its last hair off where it is: every sample before
    the edit comes out the same (later stages then redo only what follows it)."""
    summed, _ = mix(episode(SECONDS))
    hot = summed * np.float32(1.5)  # plenty for the limiter to do
    first, levels = master(hot, true_peak_db=-2.0)
    edited = _edited(hot, 12.0)
    fresh, _ = master(edited, true_peak_db=-2.0)
    held, again = master(edited, true_peak_db=-2.0, hold=(levels.gain_db, levels.set_for_lufs))
    cut = round(12.0 * RATE) - RATE // 10  # the limiter looks 5 ms ahead
    assert (again.gain_db, again.set_for_lufs) == (levels.gain_db, levels.set_for_lufs)
    assert np.array_equal(held[:cut], first[:cut])
    assert not np.array_equal(fresh[:cut], first[:cut])  # without the hold: all of it moves
    _assert_delivered(held)


def test_a_held_gain_never_walks_the_loudness_away() -> None:
    """Edit after edit, each a little louder: the gain is compared with the input it was
    set for, so it is set again once the input has moved more than 0.3 LU in all."""
    x = mix(episode(SECONDS))[0]
    _, levels = master(x)
    hold = (levels.gain_db, levels.set_for_lufs)
    gains = []
    for _ in range(6):
        x = x * np.float32(10 ** (0.12 / 20))  # +0.12 dB each time
        out, now = master(x, hold=hold)
        hold = (now.gain_db, now.set_for_lufs)
        gains.append(now.gain_db)
        assert abs(integrated_loudness(out) + 14) <= 0.8
    assert gains[0] == gains[1] == levels.gain_db  # +0.12, +0.24: held
    assert gains[2] != levels.gain_db  # +0.36: set again
    assert gains[3] == gains[4] == gains[2]  # and held from there


def test_the_limiters_last_hair_comes_off_where_it_is() -> None:
    """Sparse clicks far over the ceiling: the moving gain's interpolation leaves a hair
    over; it is taken off there, so an edit late in the signal leaves the rest as it was."""
    from cliffhanger.mix.dynamics import limit

    rng = np.random.default_rng(4)
    x = (rng.standard_normal((4 * RATE, 2)) * 0.05).astype(np.float32)
    for _ in range(12):
        at = int(rng.integers(0, len(x) - 2000))
        click = rng.standard_normal((1, 2)) * rng.uniform(0.5, 2.0)
        x[at : at + int(rng.integers(20, 800))] += click.astype(np.float32)
    edited = _edited(x, 2.0)
    out, again = limit(x, -1.0), limit(edited, -1.0)
    assert true_peak(out) <= -1.0 and true_peak(again) <= -1.0
    cut = round(2.0 * RATE) - RATE // 10
    assert np.array_equal(out[:cut], again[:cut])
