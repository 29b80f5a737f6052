"""Mouth tracks follow the speech: from timed phones, or measured from the sound."""

from __future__ import annotations

import itertools

import numpy as np

from cliffhanger.cast.base import MOUTHS
from cliffhanger.voice.base import Phone
from cliffhanger.voice.mouth import (
    MIN_HOLD,
    MouthKey,
    energy_correlation,
    open_amount,
    track,
    track_from_audio,
    track_from_phones,
)
from tests.voice.speech import base_speech

LINES = (
    "I never loved you, and you know it.",
    "Where were you last night?",
    "Give me the money. Now!",
    "My father built this company with his bare hands.",
)


def _valid(track: list[MouthKey], duration: float) -> None:
    times = [k.time for k in track]
    assert times == sorted(times) and times[0] == 0.0 and times[-1] < duration
    assert all(k.shape in MOUTHS for k in track)
    assert all(b - a >= MIN_HOLD - 1e-9 for a, b in itertools.pairwise(times))


def test_phone_track_follows_the_loudness_of_real_speech() -> None:
    scores = []
    for line in LINES:
        speech = base_speech(line)
        track = track_from_phones(speech.phones, speech.seconds)
        _valid(track, speech.seconds)
        scores.append(energy_correlation(track, speech.samples, speech.rate))
    assert np.mean(scores) >= 0.5 and min(scores) >= 0.35, scores


def test_the_stage_track_shapes_by_phone_and_closes_in_the_quiet() -> None:
    """What the voice stage uses: phones pick the shapes, the sound closes the mouth between
    words. It follows the loudness better than the phones alone, and keeps their shapes."""
    combined, phones_only = [], []
    for line in LINES:
        speech = base_speech(line)
        keys = track(speech)
        _valid(keys, speech.seconds)
        combined.append(energy_correlation(keys, speech.samples, speech.rate))
        shaped = track_from_phones(speech.phones, speech.seconds)
        phones_only.append(energy_correlation(shaped, speech.samples, speech.rate))
        assert {k.shape for k in keys} - {"rest"} <= {k.shape for k in shaped}
    assert np.mean(combined) >= 0.6 and min(combined) >= 0.5, combined
    assert np.mean(combined) > np.mean(phones_only) + 0.05


def test_audio_track_follows_the_loudness_of_real_speech() -> None:
    scores = []
    for line in LINES:
        speech = base_speech(line)
        track = track_from_audio(speech.samples, speech.rate)
        _valid(track, speech.seconds)
        scores.append(energy_correlation(track, speech.samples, speech.rate))
    assert min(scores) >= 0.6, scores


def test_phones_map_to_shapes_and_pauses_close_the_mouth() -> None:
    def said(*symbols: str) -> list[str]:
        phones = [Phone(s, 0.1 * i, 0.1 * (i + 1)) for i, s in enumerate(symbols)]
        return [k.shape for k in track_from_phones(phones, 0.1 * len(symbols) + 0.5)]

    assert said("m", "ˈ", "a", "p", ".", "f", "u", "s", "i") == [
        "mbp",
        "a",
        "mbp",
        "rest",
        "fv",
        "ou",
        "ei",
        "rest",
    ]


def test_a_flicker_is_folded_into_its_neighbours() -> None:
    phones = [Phone("a", 0.0, 0.2), Phone("t", 0.2, 0.21), Phone("o", 0.21, 0.4)]
    shapes = [k.shape for k in track_from_phones(phones, 0.5)]
    assert shapes == ["a", "ou", "rest"]


def test_open_amounts_and_silence() -> None:
    assert [open_amount(m) for m in ("rest", "mbp", "fv", "ei", "ou", "a")] == [
        0.0,
        0.0,
        0.2,
        0.5,
        0.6,
        1.0,
    ]
    silent = track_from_audio(np.zeros(48_000, np.float32), 48_000)
    assert {k.shape for k in silent} == {"rest"}
