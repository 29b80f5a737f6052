"""Laying a cue sheet onto the music and effects buses."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cliffhanger.audio.base import RATE, write_wav
from cliffhanger.score.cues import CueSheet, EffectCue, MusicCue
from cliffhanger.score.render import lay_effects, lay_music

SHEET = CueSheet(
    (MusicCue(0.0, 3.0, "tension"), MusicCue(3.0, 5.0, "romance")),
    (EffectCue(1.0, "slap", -6.0), EffectCue(4.0, "door", 0.0, (("kind", "slam"),))),
)


def test_music_plays_under_its_cues_and_nowhere_else() -> None:
    n = 7 * RATE
    bus = lay_music(SHEET, n, seed=1)
    assert bus.shape == (n, 2) and bus.dtype == np.float32
    for second in range(5):  # both cues sound, the cross-fade leaves no hole
        assert np.sqrt((bus[second * RATE : (second + 1) * RATE] ** 2).mean()) > 0.01
    assert np.abs(bus[int(5.8 * RATE) :]).max() == 0.0


def test_the_users_track_replaces_the_synthesized_bed(tmp_path: Path) -> None:
    t = np.arange(4 * RATE) / RATE
    write_wav(
        tmp_path / "romance" / "ours.wav", (0.4 * np.sin(2 * np.pi * 330 * t)).astype(np.float32)
    )
    bus = lay_music(SHEET, 6 * RATE, seed=1, music_dir=str(tmp_path))
    part = bus[int(3.8 * RATE) : int(4.6 * RATE), 0]
    spectrum = np.abs(np.fft.rfft(part))
    assert abs(np.fft.rfftfreq(len(part), 1 / RATE)[np.argmax(spectrum)] - 330.0) < 2.0


def test_effects_land_at_their_starts_at_their_gains() -> None:
    bus = lay_effects(SHEET, 6 * RATE, seed=0)
    loud = np.abs(bus).max(axis=1)
    assert loud[: RATE - 10].max() == 0.0
    slap_peak = loud[RATE : int(1.5 * RATE)].max()
    door_peak = loud[4 * RATE : int(4.5 * RATE)].max()
    assert np.argmax(loud[RATE : int(1.5 * RATE)]) < 0.01 * RATE  # the slap strikes at once
    assert 1.9 < door_peak / slap_peak < 2.1  # 6 dB apart
