"""The synthesized effects: lengths, attacks where they strike, heartbeats at their rate."""

from __future__ import annotations

import numpy as np
import pytest

from cliffhanger.audio.base import RATE
from cliffhanger.score.effects import EFFECTS, PEAK, effect


@pytest.mark.parametrize("name", EFFECTS)
def test_every_effect_is_stereo_peak_normalized_and_ends_quiet(name: str) -> None:
    x = effect(name, seed=1)
    assert x.ndim == 2 and x.shape[1] == 2 and x.dtype == np.float32
    assert 0.2 * RATE < len(x) < 6 * RATE
    assert float(np.abs(x).max()) == pytest.approx(PEAK, abs=1e-4)
    assert np.abs(x[-int(0.005 * RATE) :]).max() < 0.05 * PEAK  # no cut-off tail


@pytest.mark.parametrize("name", ["cliffhanger_hit", "boom", "slap", "door"])
def test_strikes_peak_in_their_first_50_ms(name: str) -> None:
    x = effect(name, seed=2)
    assert np.argmax(np.abs(x).max(axis=1)) < 0.05 * RATE


def test_the_whoosh_swells_to_a_peak_past_its_middle() -> None:
    x = effect("reversal_whoosh", seed=0)
    envelope = np.abs(x).max(axis=1)
    peak = np.argmax(envelope) / len(x)
    assert 0.45 < peak < 0.8
    assert envelope[: int(0.05 * RATE)].max() < 0.1 * PEAK


@pytest.mark.parametrize("bpm", [60.0, 72.0, 110.0])
def test_a_heartbeat_beats_at_the_requested_rate(bpm: float) -> None:
    x = effect("heartbeat", seed=0, bpm=bpm, seconds=6.0)
    assert len(x) == 6 * RATE
    env = np.abs(x[:, 0])
    # each "lub" is the loudest moment of its beat; find them one period-window at a time
    period = int(60.0 / bpm * RATE)
    lubs = [
        start + int(np.argmax(env[start : start + period]))
        for start in range(0, len(env) - period, period)
    ]
    intervals = np.diff(lubs) / RATE
    assert np.allclose(intervals, 60.0 / bpm, atol=0.005)


def test_door_open_and_slam_differ_and_unknown_kinds_are_refused() -> None:
    slam, opened = effect("door", kind="slam"), effect("door", kind="open")
    assert len(slam) != len(opened)
    assert np.argmax(np.abs(opened).max(axis=1)) > 0.1 * RATE  # a creak builds; a slam strikes
    with pytest.raises(ValueError, match="slam"):
        effect("door", kind="revolving")


def test_phone_rings_as_often_as_asked() -> None:
    x = effect("phone_ring", rings=3)
    env = np.abs(x[:, 0]).reshape(-1, RATE // 20).max(axis=1) > 0.1  # 50 ms frames
    onsets = np.flatnonzero(env[1:] & ~env[:-1]) + 1
    assert len(onsets) + int(env[0]) == 3


def test_effects_are_deterministic_per_seed() -> None:
    np.testing.assert_array_equal(effect("crowd_gasp", 5), effect("crowd_gasp", 5))
    assert np.abs(effect("crowd_gasp", 5) - effect("crowd_gasp", 6)).max() > 0.05


def test_an_unknown_effect_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="heartbeat"):
        effect("kazoo")
