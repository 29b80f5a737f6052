"""Synthetic episode stems for the mix tests: speech-like phrases, a pad with a pulse, hits."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from cliffhanger.audio.base import RATE
from cliffhanger.mix.master import Stems


def phrases(seconds: float, seed: int = 0) -> list[tuple[int, int]]:
    """(start, end) frames of 1–3 s phrases separated by 0.4–1.2 s pauses, one 2.5 s pause
    in every four so the music has long pauses to come back in."""
    rng = np.random.default_rng(seed)
    out, t, i = [], 0.5, 0
    while True:
        length = rng.uniform(1.0, 3.0)
        if t + length > seconds - 0.5:
            return out
        out.append((round(t * RATE), round((t + length) * RATE)))
        t += length + (2.5 if i % 4 == 3 else rng.uniform(0.4, 1.2))
        i += 1


def speech(seconds: float, seed: int = 0) -> NDArray[np.float32]:
    """Mono: a voiced buzz (100–250 Hz, harmonics) with 4–6 Hz syllabic modulation."""
    rng = np.random.default_rng(seed)
    n = round(seconds * RATE)
    out = np.zeros(n)
    for start, end in phrases(seconds, seed):
        t = np.arange(end - start) / RATE
        f0 = rng.uniform(100, 250) * (1 + 0.1 * np.sin(2 * np.pi * 0.7 * t))
        phase = 2 * np.pi * np.cumsum(f0) / RATE
        buzz = sum(np.sin(k * phase) / k for k in range(1, 12))
        syllables = np.sin(np.pi * rng.uniform(4, 6) * t) ** 2
        fade = np.minimum(1, np.minimum(t, t[::-1]) / 0.02)
        out[start:end] = 0.3 * buzz * syllables * fade
    return out.astype(np.float32)


def music(seconds: float) -> NDArray[np.float32]:
    """Stereo: a sustained A-minor pad and a decaying 2 Hz pulse, slightly wider on the right."""
    t = np.arange(round(seconds * RATE)) / RATE
    pad = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 261.63, 329.63)) / 3
    pulse = np.exp(-12 * (t % 0.5)) * np.sin(2 * np.pi * 55 * t)
    left = 0.3 * pad + 0.3 * pulse
    right = 0.3 * np.roll(pad, 240) + 0.3 * pulse
    return np.stack([left, right], axis=1).astype(np.float32)


def effects(seconds: float, seed: int = 1) -> NDArray[np.float32]:
    """Stereo: a few noise hits, panned."""
    rng = np.random.default_rng(seed)
    n = round(seconds * RATE)
    out = np.zeros((n, 2))
    hit = rng.standard_normal(RATE // 4) * np.exp(-np.arange(RATE // 4) / (0.04 * RATE))
    for at in rng.integers(0, n - len(hit), size=max(int(seconds / 8), 1)):
        pan = rng.uniform(0.2, 0.8)
        out[at : at + len(hit)] += 0.5 * hit[:, None] * np.array([1 - pan, pan])
    return out.astype(np.float32)


def episode(seconds: float = 20.0, seed: int = 0) -> Stems:
    return Stems(speech(seconds, seed), music(seconds), effects(seconds, seed + 1))
