"""The synthesized beds: tempo, key, a seamless loop, any length, loudness, seeds."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest

from cliffhanger.audio.base import RATE
from cliffhanger.score.music import BED_LUFS, MOODS, SPECS, bed, bed_loop
from tests.score.measure import chroma, jumps, tempo_near


@pytest.mark.parametrize("mood", ["tension", "triumph", "comedy"])
def test_a_pulsing_bed_moves_at_its_moods_tempo(mood: str) -> None:
    loop = bed_loop(mood, seed=1)
    assert loop.tempo == SPECS[mood].tempo
    # the search window is centred off the true tempo either way: the peak must still land on it
    for guess in (0.85 * loop.tempo, loop.tempo, 1.15 * loop.tempo):
        assert tempo_near(loop.samples, guess) == pytest.approx(loop.tempo, rel=0.02)


def test_moods_have_distinct_tempi_slow_to_fast() -> None:
    tempo = {mood: bed_loop(mood, seed=1).tempo for mood in MOODS}
    assert tempo["sorrow"] < tempo["romance"] < tempo["tension"] < tempo["triumph"]
    assert tempo["comedy"] > tempo["tension"]


@pytest.mark.parametrize("mood", MOODS)
@pytest.mark.parametrize("seed", [1, 2])
def test_the_tonic_is_among_the_strongest_pitch_classes(mood: str, seed: int) -> None:
    loop = bed_loop(mood, seed)
    c = chroma(loop.samples)
    assert (c > c[loop.key.pitch_class]).sum() <= 2, (loop.key.name, np.round(c, 2))
    third_major, third_minor = c[(loop.key.tonic + 4) % 12], c[(loop.key.tonic + 3) % 12]
    if loop.key.mode == "major":
        assert third_major > 2 * third_minor
    elif loop.key.mode in ("minor", "phrygian"):
        assert third_minor > 2 * third_major


@pytest.mark.parametrize("mood", MOODS)
def test_the_loop_has_no_click_at_its_seam(mood: str) -> None:
    x = bed_loop(mood, seed=1).samples
    seam = float(np.abs(x[0] - x[-1]).max())
    steps = jumps(x)
    assert seam <= np.percentile(steps, 99.9)
    # and the seam looks like its neighbourhood: no step there stands out from 20 ms around
    around = np.concatenate([steps[: int(0.02 * RATE)], steps[-int(0.02 * RATE) :]])
    assert seam <= 2 * around.max() + 1e-4


@pytest.mark.parametrize("seconds", [0.0, 1.0, 7.3, 45.123456])
def test_a_bed_is_exactly_as_long_as_asked(seconds: float) -> None:
    x = bed("romance", seconds, seed=3)
    assert x.shape == (round(seconds * RATE), 2)
    assert x.dtype == np.float32


def test_a_long_bed_repeats_the_loop_seamlessly() -> None:
    loop = bed_loop("tension", seed=1).samples
    x = bed("tension", 2.5 * len(loop) / RATE, seed=1, fade=0.0)
    np.testing.assert_array_equal(x[len(loop) : 2 * len(loop)], loop)
    assert jumps(x[len(loop) - 2 : len(loop) + 2]).max() <= np.percentile(jumps(loop), 99.9)


@pytest.mark.parametrize("mood", MOODS)
def test_every_bed_sits_at_the_bed_loudness_without_clipping(mood: str) -> None:
    x = bed_loop(mood, seed=1).samples
    assert pyloudnorm.Meter(RATE).integrated_loudness(x) == pytest.approx(BED_LUFS, abs=0.5)
    assert np.abs(x).max() < 0.9
    assert np.abs(x[:, 0] - x[:, 1]).max() > 0  # stereo, not two copies of one channel


def test_a_bed_ends_faded_out() -> None:
    x = bed("triumph", 5.0, seed=1, fade=0.5)
    assert np.abs(x[-1]).max() < 1e-3
    assert np.abs(x[-int(0.6 * RATE) : -int(0.5 * RATE)]).max() > 0.01


def test_the_same_seed_gives_the_same_bed_and_another_seed_another() -> None:
    a, b = bed("mystery", 3.0, seed=7), bed("mystery", 3.0, seed=7)
    np.testing.assert_array_equal(a, b)
    c = bed("mystery", 3.0, seed=8)
    assert np.abs(a - c).max() > 0.05


def test_an_unknown_mood_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="tension"):
        bed("jazz", 1.0)
