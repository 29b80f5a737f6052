"""Measurements the score tests share: tempo from onsets, pitch-class energy, clicks."""

from __future__ import annotations

import numpy as np

from cliffhanger.audio.base import RATE, Samples

HOP = 240  # 5 ms


def onset_strength(x: Samples) -> np.ndarray:
    """How much the short-time energy rises, frame to frame (half-wave rectified log-diff)."""
    mono = x.mean(axis=1) if x.ndim == 2 else x
    frames = len(mono) // HOP
    energy = np.sqrt((mono[: frames * HOP].reshape(frames, HOP) ** 2).mean(axis=1))
    return np.maximum(np.diff(np.log(energy + 1e-4)), 0.0)


def tempo_near(x: Samples, expected_bpm: float) -> float:
    """The beat rate between 0.6 and 1.6 times ``expected_bpm``'s period that the onsets
    repeat at most strongly (their autocorrelation's peak), in beats per minute."""
    o = onset_strength(x)
    o = o - o.mean()
    spectrum = np.fft.rfft(o, 2 * len(o))
    ac = np.fft.irfft(spectrum * np.conj(spectrum))[: len(o)]
    period = 60.0 / expected_bpm * RATE / HOP
    lags = np.arange(int(0.6 * period), int(1.6 * period) + 1)
    return float(60.0 / (lags[np.argmax(ac[lags])] * HOP / RATE))


def chroma(x: Samples, low: float = 60.0, high: float = 2000.0) -> np.ndarray:
    """Energy per pitch class (0 = C), normalized to the strongest."""
    mono = x.mean(axis=1) if x.ndim == 2 else x
    n = 16384
    frames = np.lib.stride_tricks.sliding_window_view(mono, n)[:: n // 2] * np.hanning(n)
    power = (np.abs(np.fft.rfft(frames, axis=1)) ** 2).sum(axis=0)
    f = np.fft.rfftfreq(n, 1 / RATE)
    sel = (f > low) & (f < high)
    pitch_class = np.round(12 * np.log2(f[sel] / 440.0) + 69).astype(int) % 12
    c = np.bincount(pitch_class, power[sel], 12)
    return c / c.max()


def jumps(x: Samples) -> np.ndarray:
    """The largest sample-to-sample step across channels, per step."""
    d = np.abs(np.diff(x, axis=0))
    return d.max(axis=1) if d.ndim == 2 else d
