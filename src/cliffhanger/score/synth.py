"""The instruments of the synthesized score: envelopes, oscillators, filters and voices.

Every voice returns a mono ``float32`` note at :data:`~cliffhanger.audio.base.RATE` whose
length is its gate plus its release tail, so the arranger can place it and let it ring. The
voices are deliberately soft (band-limited saws, low-passed, slow attacks where a real
player would have them): the score sits under dialogue and must never sound harsh.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from cliffhanger.audio.base import RATE, Samples

Floats = NDArray[np.float64]


def hz(midi: float) -> float:
    """The frequency of a MIDI note number (69 = A4 = 440 Hz)."""
    return float(440.0 * 2 ** ((midi - 69) / 12))


def adsr(gate: float, attack: float, decay: float, sustain: float, release: float) -> Floats:
    """An ADSR envelope held for ``gate`` seconds, then released; length gate + release."""
    held = max(1, int(gate * RATE))
    a = min(held, max(1, int(attack * RATE)))
    d = min(held - a, int(8 * decay * RATE))  # past eight time constants it is the sustain
    env = np.full(held, sustain)
    env[:a] = np.arange(a) / a
    env[a : a + d] += (1 - sustain) * np.exp(-np.arange(d) / max(decay * RATE, 1.0))
    tail = env[-1] * np.exp(-np.arange(int(release * RATE)) / (max(release, 1e-3) * RATE / 5))
    return np.concatenate([env, tail])


def perc(seconds: float, decay: float, attack: float = 0.002) -> Floats:
    """A percussive envelope: a ``attack``-second ramp, then exponential decay (time constant
    ``decay``), faded to zero over the last 10 ms so nothing is cut off."""
    n = max(1, int(seconds * RATE))
    t = np.arange(n) / RATE
    env = np.minimum(t / max(attack, 1e-4), 1.0) * np.exp(-t / decay)
    fade = min(n, int(0.01 * RATE))
    env[n - fade :] *= np.linspace(1.0, 0.0, fade)
    return env


def saw(freq: float, n: int, phase: float = 0.0) -> Floats:
    """A band-limited sawtooth (PolyBLEP), so high notes do not alias into hiss.

    The correction touches only the sample on each side of a wrap, so those are found by
    arithmetic rather than by scanning the whole note."""
    dt = freq / RATE
    t = phase + dt * np.arange(n)
    t -= np.floor(t)
    y = 2.0 * t - 1.0
    wraps = np.ceil((np.arange(1, int(phase + dt * n) + 1) - phase) / dt).astype(np.int64)
    after = wraps[wraps < n]
    x = t[after] / dt
    y[after] -= x + x - x * x - 1.0
    before = after[after > 0] - 1
    before = before[t[before] > 1.0 - dt]
    x = (t[before] - 1.0) / dt
    y[before] -= x * x + x + x + 1.0
    return np.asarray(y, dtype=np.float64)


def sosfilt(sos: Floats, x: Floats) -> Floats:
    """scipy's filter, imported on first use: ``import scipy.signal`` takes over a second,
    and a render whose audio is already made never filters anything."""
    from scipy.signal import sosfilt as run

    return np.asarray(run(sos, x))


@lru_cache(maxsize=64)
def _sos(kind: str, low: float, high: float, order: int) -> Floats:
    from scipy.signal import butter

    nyq = RATE / 2
    if kind == "bandpass":
        return np.asarray(butter(order, [low / nyq, high / nyq], "bandpass", output="sos"))
    return np.asarray(butter(order, low / nyq, kind, output="sos"))


def lowpass(x: Floats, cutoff: float, order: int = 2) -> Floats:
    return np.asarray(sosfilt(_sos("lowpass", min(cutoff, RATE * 0.45), 0.0, order), x))


def highpass(x: Floats, cutoff: float, order: int = 2) -> Floats:
    return np.asarray(sosfilt(_sos("highpass", cutoff, 0.0, order), x))


def bandpass(x: Floats, low: float, high: float, order: int = 2) -> Floats:
    return np.asarray(sosfilt(_sos("bandpass", low, min(high, RATE * 0.45), order), x))


def pad(freq: float, gate: float, rng: np.random.Generator, brightness: float = 3.0) -> Floats:
    """A string/synth pad: two detuned saws, low-passed at ``brightness`` × the note, with a
    slow swell and a long release."""
    env = adsr(gate, attack=min(0.6, gate / 3), decay=0.8, sustain=0.8, release=1.2)
    n = len(env)
    cents = 7.0
    x = saw(freq * 2 ** (cents / 1200), n, rng.random()) + saw(
        freq * 2 ** (-cents / 1200), n, rng.random()
    )
    # a slow vibrato-like shimmer from the beating of the two saws; the filter keeps it warm
    return lowpass(x * 0.5, freq * brightness + 300.0) * env


@lru_cache(maxsize=256)
def keys(freq: float, gate: float) -> Floats:
    """A soft electric-piano-like note: additive partials, the higher ones dying faster.

    Cached (read-only): an arpeggio plays the same few notes over and over."""
    n = int((gate + 1.2) * RATE)
    t = np.arange(n) / RATE
    out = np.zeros(n)
    for k, amp in ((1, 1.0), (2, 0.35), (3, 0.12), (4, 0.06)):
        if freq * k < RATE / 2.5:
            out += amp * np.sin(2 * np.pi * freq * k * t) * np.exp(-t * (1.2 + 1.5 * k))
    env = np.minimum(t / 0.004, 1.0)
    release = t > gate
    env[release] *= np.exp(-(t[release] - gate) / 0.25)
    env[-int(0.01 * RATE) :] *= np.linspace(1, 0, int(0.01 * RATE))
    return _frozen(out * env)


def _frozen(x: Floats) -> Floats:
    x.flags.writeable = False
    return x


def pluck(freq: float, seconds: float, rng: np.random.Generator, damping: float = 0.996) -> Floats:
    """A plucked string (Karplus-Strong), computed a period at a time so it stays fast.

    The two-point average adds half a sample of delay, so the loop is one half shorter."""
    period = max(2, round(RATE / freq - 0.5))
    n = int(seconds * RATE)
    out = np.zeros(n + period + 1)
    burst = lowpass(rng.uniform(-1, 1, period), min(freq * 8, 9000.0))
    out[:period] = burst - burst.mean()
    for start in range(period, n + 1, period):
        prev = out[start - period : start + 1]
        stop = min(start + period, len(out))
        out[start:stop] = damping * 0.5 * (prev[: stop - start] + prev[1 : stop - start + 1])
    y = out[:n]
    fade = min(n, int(0.02 * RATE))
    y[n - fade :] *= np.linspace(1, 0, fade)
    return y


def brass(freq: float, gate: float, rng: np.random.Generator) -> Floats:
    """A brass-like stab: a saw that opens bright on the attack and closes to a mellow tone
    (two low-pass settings cross-faded by the envelope, a cheap filter sweep)."""
    env = adsr(gate, attack=0.025, decay=0.15, sustain=0.6, release=0.25)
    n = len(env)
    x = saw(freq, n, rng.random()) + 0.5 * saw(freq * 1.003, n, rng.random())
    bright = lowpass(x, freq * 6 + 800.0)
    mellow = lowpass(x, freq * 2 + 200.0)
    sweep = np.exp(-np.arange(n) / (0.12 * RATE))
    return np.asarray((bright * sweep + mellow * (1 - sweep)) * env * 0.6)


@lru_cache(maxsize=256)
def bass(freq: float, gate: float) -> Floats:
    """A round bass: a sine with a little low-passed saw for definition (cached, read-only)."""
    env = adsr(gate, attack=0.01, decay=0.3, sustain=0.7, release=0.15)
    n = len(env)
    t = np.arange(n) / RATE
    x = np.sin(2 * np.pi * freq * t) + 0.3 * lowpass(saw(freq, n), freq * 3)
    return _frozen(x * env)


@lru_cache(maxsize=1)
def kick() -> Floats:
    """A soft kick: a sine falling from 110 to 45 Hz with a quick decay (cached, read-only)."""
    t = np.arange(int(0.45 * RATE)) / RATE
    f = 45 + 65 * np.exp(-t / 0.04)
    phase = 2 * np.pi * np.cumsum(f) / RATE
    return _frozen(np.sin(phase) * perc(0.45, 0.12, attack=0.001))


def hat(rng: np.random.Generator) -> Floats:
    """A closed hi-hat: short high-passed noise."""
    noise = highpass(rng.uniform(-1, 1, int(0.08 * RATE)), 7000.0)
    return noise * perc(0.08, 0.018, attack=0.0005)


def snare(rng: np.random.Generator) -> Floats:
    """A brushed snare: band-passed noise over a short 190 Hz body."""
    n = int(0.25 * RATE)
    t = np.arange(n) / RATE
    noise = bandpass(rng.uniform(-1, 1, n), 1500.0, 7000.0) * perc(0.25, 0.06)
    body = np.sin(2 * np.pi * 190 * t) * perc(0.25, 0.04)
    return 0.7 * noise + 0.5 * body


def to_f32(x: Floats) -> Samples:
    return np.asarray(x, dtype=np.float32)
